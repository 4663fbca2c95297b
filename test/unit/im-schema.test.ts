/**
 * schemas/im and the schema renderers: index and resource files agree, registry form rules,
 * and the coloured pretty layout of docs/generic-commands.md.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { identitiesOf, loadIndex, loadMethod, loadResource, registryMethod } from '../../src/request/schema-registry.js';
import { makeStyles, renderMethodDetail, renderServiceList, schemaOutput } from '../../src/commands/schema.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** `[B]` etc. of the spec → ANSI codes. */
const ansi = (s: string) =>
  s
    .replaceAll('[B]', '\x1b[1m')
    .replaceAll('[D]', '\x1b[2m')
    .replaceAll('[C]', '\x1b[36m')
    .replaceAll('[Y]', '\x1b[33m')
    .replaceAll('[G]', '\x1b[32m')
    .replaceAll('[RED]', '\x1b[31m')
    .replaceAll('[0]', '\x1b[0m');

describe('schemas/im files', () => {
  const idx = loadIndex();

  it('one file per resource plus index.json; 36 methods', () => {
    const files = readdirSync(path.join(REPO_ROOT, 'schemas', 'im')).sort();
    expect(files).toEqual(['index.json', ...Object.keys(idx.resources).map((r) => `${r}.json`)].sort());
    const count = Object.values(idx.resources).reduce((n, r) => n + Object.keys(r.methods).length, 0);
    expect(count).toBe(36);
  });

  it('the index summary of each method matches its resource file', () => {
    for (const [res, r] of Object.entries(idx.resources)) {
      expect(loadResource(res).resource).toBe(res);
      expect(Object.keys(loadResource(res).methods).sort()).toEqual(Object.keys(r.methods).sort());
      for (const [name, s] of Object.entries(r.methods)) {
        const m = loadMethod(res, name);
        expect(m.id).toBe(`${res}.${name}`);
        // the index's parameters carry everything of the resource file's but the example
        const params = m.parameters ? Object.entries(m.parameters).map(([pname, { example: _e, ...p }]) => ({ name: pname, ...p })) : undefined;
        expect(s).toEqual({
          description: m.description,
          httpMethod: m.httpMethod,
          accessTokens: m.accessTokens,
          ...(m.fileFields.length ? { fileField: m.fileFields[0] } : {}),
          risk: m.risk,
          ...(params ? { params } : {}),
        });
        expect(identitiesOf(m.accessTokens).sort()).toEqual([...m.identities].sort());
        expect(m.scopes).toContain(m.recommendedScope);
        expect(m.path.startsWith('/')).toBe(false);
        for (const p of m.parameterOrder ?? []) expect(m.path).toContain(`{${p}}`);
      }
    }
  });

  it('pagination is declared for exactly the five cursor methods', () => {
    const paged = Object.entries(idx.resources).flatMap(([res, r]) => Object.keys(r.methods).filter((n) => loadMethod(res, n).pagination).map((n) => `${res}.${n}`));
    expect(paged.sort()).toEqual(['chat.members.get', 'chat.moderation.get', 'messages.read_users', 'pins.list', 'reactions.list']);
  });

  it('registry form: no CLI-only keys, scalar-array element enums lifted onto the field', () => {
    const m = registryMethod(loadMethod('feed.groups', 'update'));
    expect(Object.keys(m)).not.toContain('recommendedScope');
    const updater = (m.requestBody as Record<string, { properties: Record<string, Record<string, unknown>> }>).feed_group_updater;
    expect(updater.properties.update_fields).toMatchObject({ type: 'array', enum: [1, 2], options: [{ value: 1 }, { value: 2 }] });
    expect(updater.properties.update_fields).not.toHaveProperty('items');
    const q = registryMethod(loadMethod('reactions', 'batch_query'));
    const body = q.requestBody as Record<string, Record<string, unknown>>;
    expect(body.page_size_per_message).toMatchObject({ min: '1', max: '10', example: 10 });
    expect(body.queries).not.toHaveProperty('maxItems');
    expect(body.queries!.properties).toHaveProperty('message_id');
  });
});

describe('pretty rendering', () => {
  it('colours reactions.create as the documented layout', () => {
    const out = renderMethodDetail(makeStyles(true), 'reactions', 'create', loadMethod('reactions', 'create'));
    expect(out).toBe(
      ansi(`[B]im.reactions.create[0]

  [Y]POST[0] /open-apis/im/v1/messages/{message_id}/reactions
  Add a reaction to a message. Identity: user or bot; the caller must be in the conversation that holds the message.

[B]Parameters:[0]

  [C]--params[0]  <json>  [D]optional[0]
      - [C]message_id[0] (string, [Y]path[0], [RED]required[0])
        [D]Message to react to (om_xxx).[0]
        [D]e.g. om_dc13264520392913993dd051dba21dcf[0]

  [C]--data[0]  <json>  [D]optional[0]
      - [C]reaction_type[0] (object, [RED]required[0])
        [D]Reaction emoji.[0]
        - [C]reaction_type.emoji_type[0] (string, [RED]required[0])
          [D]Emoji key, e.g. SMILE, THUMBSUP, OK, LGTM (full list in the Feishu emoji docs).[0]
          [D]e.g. SMILE[0]

[B]Response:[0]

  - [C]action_time[0] (string, [D]optional[0])
    [D]Time the reaction was added, Unix milliseconds as a string.[0]
  - [C]operator[0] (object, [D]optional[0])
    [D]Who added the reaction.[0]
    - [C]operator.operator_id[0] (string, [RED]required[0])
      [D]open_id of the user, or app_id when operator_type is app.[0]
    - [C]operator.operator_type[0] (string, [RED]required[0]) [D]— app | user[0]
      [D]Operator kind.[0]
  - [C]reaction_id[0] (string, [D]optional[0])
    [D]Reaction ID.[0]
  - [C]reaction_type[0] (object, [D]optional[0])
    [D]Reaction emoji.[0]
    - [C]reaction_type.emoji_type[0] (string, [RED]required[0])
      [D]Emoji key, e.g. SMILE, THUMBSUP, OK.[0]

[B]Identity:[0] user, bot
[B]Scopes:[0]   im:message, im:message.reactions:write_only
[B]CLI:[0]      lark-cli im reactions create
[B]Docs:[0]     https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/create
`),
    );
  });

  it('GET is green, DELETE red; service list coloured', () => {
    expect(renderMethodDetail(makeStyles(true), 'pins', 'list', loadMethod('pins', 'list'))).toContain(ansi('  [G]GET[0] /open-apis/im/v1/pins\n'));
    expect(renderMethodDetail(makeStyles(true), 'pins', 'delete', loadMethod('pins', 'delete'))).toContain(ansi('  [RED]DELETE[0] /open-apis/im/v1/pins/{message_id}\n'));
    expect(renderServiceList(makeStyles(true))).toBe(ansi('[B]Available services:[0]\n\n  [C]im[0]  [D]即时通讯 API[0]\n\n[D]Usage: lark-cli schema <service>.<resource>.<method>[0]\n'));
  });

  it('resource list tags dangerous methods in red', () => {
    const out = schemaOutput('im', true, true);
    expect(out).toContain(ansi('    DELETE  [B]delete[0]  [D]Unpin a message. Identity: user or bot.[0] [RED][danger][0]\n'));
    expect(out).toContain(ansi('    GET     [B]list[0]  [D]List the pinned messages of a chat. Identity: user or bot.[0]\n'));
  });

  it('no escape codes without colour', () => {
    for (const p of [undefined, 'im', 'im.pins', 'im.images.create']) expect(schemaOutput(p, true, false)).not.toContain('\x1b');
  });
});
