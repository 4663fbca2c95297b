import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { larkOk } from '../fake-lark/handlers.js';
import { botEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark, expectJsonOut } from '../helpers/fake-lark-hooks.js';

const h = useFakeLark();

describe('api with bot credentials from the environment', () => {
  it('fetches a tenant token once, calls the API with it, and reuses the cached token on the next run', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats/:chat_id', ({ params }) => larkOk({ chat_id: params.chat_id, name: 'Alpha' })));
    const r1 = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats/oc_1', '--as', 'bot'], { sandbox: h.sb, env: botEnv(h.fake) });
    expectJsonOut(r1, 0, { code: 0, msg: 'success', data: { chat_id: 'oc_1', name: 'Alpha' } });
    const tat = h.fake.requestsTo('/open-apis/auth/v3/tenant_access_token/internal');
    expect(tat).toHaveLength(1);
    expect(tat[0]!.json).toEqual({ app_id: 'cli_test', app_secret: 's3cret' });
    const call = h.fake.requestsTo('/open-apis/im/v1/chats/oc_1');
    expect(call).toHaveLength(1);
    expect(call[0]!.method).toBe('GET');
    expect(call[0]!.headers.authorization).toBe('Bearer t-cli_test');
    expect(call[0]!.headers['user-agent']).toMatch(/^lark-cli\//);
    expect(call[0]!.headers['x-cli-source']).toBe('lark-cli');

    const r2 = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats/oc_1', '--as', 'bot'], { sandbox: h.sb, env: botEnv(h.fake) });
    expect(r2.code).toBe(0);
    expect(h.fake.requestsTo('/open-apis/auth/v3/tenant_access_token/internal')).toHaveLength(1);
    expect(h.fake.requestsTo('/open-apis/im/v1/chats/oc_1')).toHaveLength(2);
  });
});
