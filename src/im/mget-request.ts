/**
 * The batch message read (`GET /open-apis/im/v1/messages/mget`) that `+messages-mget`,
 * `+messages-search` and `+flag-list` all make: one definition of its path and query.
 */
export const MGET_PATH = '/open-apis/im/v1/messages/mget';

/** Message ids repeat `message_ids`; cards come back raw, as the reading shortcuts render them. */
export function mgetQuery(messageIds: string[]): Array<[string, string]> {
  return [['card_msg_content_type', 'raw_card_content'], ...messageIds.map((id): [string, string] => ['message_ids', id])];
}
