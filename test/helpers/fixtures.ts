/** Small data fixtures more than one test file shares. */

/** A page of two chats, as `+chat-list` returns it: the data the output-format and jq tests run on. */
export function chatListData() {
  return {
    chats: [
      { chat_id: 'oc_1', name: 'Alpha' },
      { chat_id: 'oc_2', name: 'Beta Team' },
    ],
    has_more: false,
    page_token: '',
    total: 2,
  };
}

/** The dry-run description of a `--page-all` walk (the list shortcuts share it). */
export const PAGE_ALL_DESC = 'Auto-paginates from --page-token when provided, until exhaustion or --page-limit is reached';
