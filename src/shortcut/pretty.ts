/**
 * The `--format pretty` renderers a shortcut may name in its definition (`pretty: 'chat-list'`).
 * The runtime loads the named one when it prints pretty output and at no other time, so a run
 * in another format never loads the renderers or the table code they use. Written out, not built
 * from the name, so the bundler sees every module.
 */

/** A renderer: the command's output data and what the shortcut handed beside it. */
export type PrettyRenderer = (data: unknown, extra: Record<string, unknown>) => string;

/* The output shapes are the shortcuts' own; each renderer reads the fields it prints. */
const LOADERS = {
  'chat-messages': async () => (await import('../render/pretty.js')).prettyChatMessages as (d: any) => string,
  'thread-messages': async () => (await import('../render/pretty.js')).prettyThreadMessages as (d: any) => string,
  'messages-mget': async () => (await import('../render/pretty.js')).prettyMget as (d: any) => string,
  /** `extra.truncatedAfter`: the page limit, when the search stopped there. */
  'messages-search': async () => {
    const { prettySearch } = await import('../render/pretty.js');
    return (d: any, extra: Record<string, unknown>) => prettySearch(d, extra.truncatedAfter as number | undefined);
  },
  /** `extra.hint`: the mute filter's hint. */
  'chat-list': async () => (await import('../render/chat-feed-pretty.js')).chatListPretty as (d: any, e: any) => string,
  'chat-search': async () => (await import('../render/chat-feed-pretty.js')).chatSearchPretty as (d: any, e: any) => string,
  'chat-create': async () => (await import('../render/chat-feed-pretty.js')).chatCreatePretty as (d: any) => string,
  'chat-update': async () => (await import('../render/chat-feed-pretty.js')).chatUpdatePretty as (d: any) => string,
  'chat-members': async () => (await import('../render/members-pretty.js')).chatMembersPretty as (d: any) => string,
  'feed-groups': async () => {
    const { feedGroupTable } = await import('../render/chat-feed-pretty.js');
    return (d: any) => feedGroupTable(d, d.has_more === true);
  },
  /** The item table with the "more available" footer when the page says so. */
  'feed-items': async () => {
    const { feedItemTable } = await import('../render/chat-feed-pretty.js');
    return (d: any) => feedItemTable(d, d.has_more === true);
  },
  /** The item table without paging footer (a query answers in one page). */
  'feed-items-queried': async () => {
    const { feedItemTable } = await import('../render/chat-feed-pretty.js');
    return (d: any) => feedItemTable(d, false);
  },
} satisfies Record<string, () => Promise<PrettyRenderer>>;
/* eslint-enable @typescript-eslint/no-explicit-any */

export type PrettyName = keyof typeof LOADERS;

export function loadPretty(name: PrettyName): Promise<PrettyRenderer> {
  return LOADERS[name]();
}
