/**
 * Default msw handlers for the fake Lark Open Platform, plus response builders.
 * Handler paths use a wildcard host (a leading `*` before `/open-apis/...`)
 * because the fake listens on a random 127.0.0.1 port.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';

/** A JSON response (status 200 unless `init.status` says otherwise). */
export function jsonResponse(body: unknown, init?: ResponseInit): Response {
  return HttpResponse.json(body as never, init);
}

/** Lark success envelope: `{"code":0,"msg":"success","data":<data>}` (HTTP 200 unless overridden). */
export function larkOk(data: unknown = {}, init?: ResponseInit): Response {
  return jsonResponse({ code: 0, msg: 'success', data }, init);
}

/**
 * Lark error envelope: `{"code":<code>,"msg":<msg>[,"error":<error>]}`.
 * HTTP status defaults to 400 (what the real platform uses for most business
 * errors); pass `init` (e.g. `{ status: 200 }`) to change it.
 */
export function larkErr(code: number, msg: string, error?: unknown, init?: ResponseInit): Response {
  const body: Record<string, unknown> = { code, msg };
  if (error !== undefined) body.error = error;
  return jsonResponse(body, { status: 400, ...init });
}

/** Token from an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(request: Request): string | undefined {
  const auth = request.headers.get('authorization');
  const m = auth ? /^Bearer\s+(.+)$/i.exec(auth.trim()) : null;
  return m ? m[1]!.trim() : undefined;
}

export const defaultHandlers: RequestHandler[] = [
  // App (tenant) access token for self-built apps.
  http.post('*/open-apis/auth/v3/tenant_access_token/internal', async ({ request }) => {
    let body: { app_id?: unknown; app_secret?: unknown } = {};
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return larkErr(10003, 'invalid param');
    }
    if (body.app_secret === 'bad-secret') {
      return larkErr(10014, 'app secret invalid');
    }
    return jsonResponse({
      code: 0,
      msg: 'ok',
      tenant_access_token: `t-${String(body.app_id ?? '')}`,
      expire: 7200,
    });
  }),

  // Current user (requires a user access token `u-...`).
  http.get('*/open-apis/authen/v1/user_info', ({ request }) => {
    const token = bearerToken(request);
    if (!token || !token.startsWith('u-')) {
      return larkErr(
        99991668,
        'Invalid access token for authorization. Please make a request with token attached.',
      );
    }
    return larkOk({ open_id: 'ou_env_user', name: 'Env User' });
  }),

  // Bot info: the real API returns it under `bot`; a `data` copy is included too.
  http.get('*/open-apis/bot/v3/info', () => {
    const bot = { open_id: 'ou_bot', app_name: 'Test Bot' };
    return jsonResponse({ code: 0, msg: 'ok', bot, data: { ...bot } });
  }),
];
