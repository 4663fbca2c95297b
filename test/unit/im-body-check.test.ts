/**
 * Request-body validation of the generic im methods and the request-building helpers
 * (path parameters, required query parameters, business-error mapping).
 */
import { describe, expect, it } from 'vitest';
import { checkRequestBody } from '../../src/request/body-check.js';
import { buildMethodPath, buildMethodQuery, methodBusinessError } from '../../src/im/generic.js';
import { loadMethod } from '../../src/request/schema-registry.js';
import { CliError } from '../../src/core/errors.js';
import { JsonNumber, parseJson } from '../../src/core/json.js';

function problem(fn: () => void): { type: string; message: string; hint?: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    const err = e as CliError;
    return err.hint ? { type: err.type, message: err.message, hint: err.hint } : { type: err.type, message: err.message };
  }
}

const body = (resource: string, method: string, data: unknown, fileField?: string) =>
  problem(() => checkRequestBody(loadMethod(resource, method).requestBody!, { body: data, fileField }));

describe('checkRequestBody', () => {
  it('accepts realistic bodies, unknown fields included', () => {
    expect(body('reactions', 'create', { reaction_type: { emoji_type: 'SMILE' } })).toBeUndefined();
    expect(body('pins', 'create', { message_id: 'om_1', extra: [1, { a: null }] })).toBeUndefined();
    expect(body('chats', 'link', undefined)).toBeUndefined();
    expect(body('reactions', 'batch_query', { queries: [{ message_id: 'om_1' }], page_size_per_message: 10 })).toBeUndefined();
    expect(body('feed.groups', 'update', { feed_group_updater: { update_fields: [1, 2] } })).toBeUndefined();
    expect(body('images', 'create', { image_type: 'avatar' }, 'image')).toBeUndefined();
  });

  it('numbers kept as JsonNumber by the lossless parser are checked like numbers', () => {
    expect(body('reactions', 'batch_query', parseJson('{"queries":[],"page_size_per_message":5.0}'))).toEqual({
      type: 'validation',
      message: '--data.page_size_per_message: expected integer, got number',
    });
    expect(body('reactions', 'batch_query', { queries: [], page_size_per_message: new JsonNumber('12345678901234567890') })).toEqual({
      type: 'validation',
      message: '--data.page_size_per_message: must be <= 10, got 12345678901234567890',
    });
    expect(body('feed.groups', 'update', parseJson('{"feed_group_updater":{"update_fields":[2]}}'))).toBeUndefined();
  });

  it('reports the first problem, naming the field', () => {
    expect(body('chats', 'create', { user_id_list: Array.from({ length: 51 }, () => 'ou') })?.message).toBe('--data.user_id_list: at most 50 items allowed, got 51');
    expect(body('chats', 'create', { restricted_mode_setting: { status: 'on' } })?.message).toBe('--data.restricted_mode_setting.status: expected boolean, got string');
    expect(body('chats', 'create', { i18n_names: [] })?.message).toBe('--data.i18n_names: expected object, got array');
    expect(body('messages', 'merge_forward', { receive_id: 'oc_1' })?.message).toBe('--data.message_id_list: required field is missing');
    expect(body('chat.members', 'delete', { id_list: [] })?.message).toBe('--data.id_list: at least 1 item required, got 0');
    expect(body('pins', 'create', 'om_1')?.message).toBe('--data: expected a JSON object, got string');
    expect(body('images', 'create', [], 'image')?.message).toBe('--data must be a JSON object when used with --file');
    expect(body('images', 'create', { image_type: 'message' })?.message).toBe('--file: required file field "image" is missing (use --file image=<path>)');
  });
});

describe('buildMethodPath / buildMethodQuery', () => {
  const SP = '/open-apis/im/v1';

  it('fills, escapes and removes path parameters in parameterOrder', () => {
    const params: Record<string, unknown> = { message_id: 'om 1', reaction_id: 'r/2', user_id_type: 'open_id' };
    expect(buildMethodPath(SP, loadMethod('reactions', 'delete'), 'reactions', 'delete', params)).toBe('/open-apis/im/v1/messages/om%201/reactions/r%2F2');
    expect(params).toEqual({ user_id_type: 'open_id' });
  });

  it('formats non-string values with Go %v', () => {
    expect(buildMethodPath(SP, loadMethod('pins', 'delete'), 'pins', 'delete', { message_id: 1234567 })).toBe('/open-apis/im/v1/pins/1.234567e+06');
    expect(buildMethodPath(SP, loadMethod('pins', 'delete'), 'pins', 'delete', { message_id: true })).toBe('/open-apis/im/v1/pins/true');
  });

  it('a `$&` in a value is not a replacement pattern', () => {
    expect(buildMethodPath(SP, loadMethod('pins', 'delete'), 'pins', 'delete', { message_id: "om_$&$'" })).toBe('/open-apis/im/v1/pins/om_$&$%27');
  });

  it('errors', () => {
    expect(problem(() => buildMethodPath(SP, loadMethod('pins', 'delete'), 'pins', 'delete', {}))).toEqual({
      type: 'validation',
      message: 'missing required path parameter: message_id',
      hint: `set --message-id <value> (or --params '{"message_id": "<value>"}'); see: lark-cli schema im.pins.delete`,
    });
    // a parameter without a typed flag: the --params form only
    expect(problem(() => buildMethodQuery(loadMethod('pins', 'list'), 'pins', 'list', { chat_id: '' }, false, () => undefined))).toEqual({
      type: 'validation',
      message: 'missing required query parameter: chat_id',
      hint: `set --params '{"chat_id": "<value>"}'; see: lark-cli schema im.pins.list`,
    });
    expect(problem(() => buildMethodQuery(loadMethod('messages', 'read_users'), 'messages', 'read_users', { user_id_type: 'open_id' }, true))).toBeUndefined();
  });

  it('declared query parameters: null and "" dropped, 0 and false sent; undeclared ones pass through', () => {
    const q = buildMethodQuery(loadMethod('chat.members', 'get'), 'chat.members', 'get', {
      member_id_type: '', page_size: 0, check_security_conf: false, page_token: null, extra: '', other: null,
    }, false);
    expect(q).toEqual({ page_size: 0, check_security_conf: false, extra: '', other: null });
    expect(buildMethodQuery(loadMethod('pins', 'list'), 'pins', 'list', { chat_id: 0 }, false)).toEqual({ chat_id: 0 });
  });
});

describe('methodBusinessError', () => {
  const m = loadMethod('chats', 'get');
  it('code 0 is fine; others classified; 99991679 uses the seed scope', () => {
    expect(methodBusinessError(m)({ code: 0, msg: 'success', data: {} })).toBeUndefined();
    const e = methodBusinessError(m)({ code: 1234, msg: 'boom', error: { log_id: 'x' } })!;
    expect([e.type, e.code, e.message, e.detail, e.raw]).toEqual(['api_error', 1234, 'API error: [1234] boom', { log_id: 'x' }, false]);
    const p = methodBusinessError(m)({ code: 99991679, msg: 'nope' })!;
    expect([p.type, p.code, p.message, p.detail]).toEqual(['permission', undefined, 'insufficient permissions: [99991679] nope', undefined]);
    expect(p.hint).toContain('lark-cli auth login --scope "im:chat:read"');
  });
});
