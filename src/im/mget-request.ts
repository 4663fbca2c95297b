/**
 * The batch message read (`GET /open-apis/im/v1/messages/mget`) that `+messages-mget`,
 * `+messages-search` and `+flag-list` all make: one definition of its path and query.
 */
import { goQueryEscape } from '../core/url.js';

export const MGET_PATH = '/open-apis/im/v1/messages/mget';

/**
 * Message ids repeat `message_ids`; cards come back raw, as the reading shortcuts render them;
 * the server fills the senders' names (`with_sender_name`, docs/shortcuts-read.md).
 */
export function mgetQuery(messageIds: string[]): Array<[string, string]> {
  return [
    ['card_msg_content_type', 'raw_card_content'],
    ['with_sender_name', 'true'],
    ...messageIds.map((id): [string, string] => ['message_ids', id]),
  ];
}

/**
 * The request as a dry-run prints it: the query in the order above (the original writes this
 * URL by hand; on the wire the client sorts the keys, which the server does not mind).
 */
export function mgetUrl(messageIds: string[]): string {
  return `${MGET_PATH}?${mgetQuery(messageIds).map(([k, v]) => `${goQueryEscape(k)}=${goQueryEscape(v)}`).join('&')}`;
}
