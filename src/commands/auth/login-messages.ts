/**
 * The messages of `auth login` in the profile's language (zh unless the profile says en).
 */

export interface LoginMsg {
  openUrl: string;
  waiting: string;
  authDone: string;
  loginSuccess: (name: string, id: string) => string;
  authorizedUser: (name: string, id: string) => string;
  scopeMismatch: (missing: string) => string;
  scopeHint: string;
  requested: string;
  newlyGranted: string;
  notGranted: string;
  none: string;
  statusHint: string;
  hintHeader: string;
  hints: string[];
  levelPrompt: string;
  levelCommon: string;
  levelAll: string;
  summary: (level: string, count: number, scopes: string) => string;
  confirm: string;
}

export const ZH: LoginMsg = {
  openUrl: '在浏览器中打开以下链接进行认证:\n\n',
  waiting: '等待用户授权...',
  authDone: '授权已完成，正在获取用户信息并校验授权结果...',
  loginSuccess: (n, id) => `授权成功! 用户: ${n} (${id})`,
  authorizedUser: (n, id) => `当前授权账号: ${n} (${id})`,
  scopeMismatch: (m) => `授权结果异常：以下请求 scopes 未被授予: ${m}`,
  scopeHint:
    '以上结果是本次授权请求用户最终确认后的结果，请勿持续重试；Scopes 未授予的原因是多样的，如 scope 被禁用；具体原因已通过授权页提示用户。可执行 `lark-cli auth status` 查看账号当前已授予的全部 scopes；',
  requested: '  本次请求 scopes: ',
  newlyGranted: '  本次新授予 scopes: ',
  notGranted: '  本次未授予 scopes: ',
  none: '（空）',
  statusHint: '可执行 `lark-cli auth status` 查看账号当前已授予的全部 scopes；',
  hintHeader: '请指定要授权的权限:\n',
  hints: [
    '  --recommend                     授权推荐权限',
    '  --domain all                    授权所有已知域的权限',
    '  --domain im                     授权消息与群组域的权限',
    '  --scope "im:message"            只授权指定的 scope',
  ],
  levelPrompt: '权限类型: [1] 常用权限  [2] 全部权限 (默认 1): ',
  levelCommon: '常用权限',
  levelAll: '全部权限',
  summary: (level, n, scopes) => `\n摘要:\n  域:       im\n  权限:     ${level}\n  Scopes (${n}): ${scopes}\n\n`,
  confirm: '确认授权? [Y/n]: ',
};

export const EN: LoginMsg = {
  openUrl: 'Open this URL in your browser to authenticate:\n\n',
  waiting: 'Waiting for user authorization...',
  authDone: 'Authorization completed, fetching user info and validating granted scopes...',
  loginSuccess: (n, id) => `Authorization successful! User: ${n} (${id})`,
  authorizedUser: (n, id) => `Authorized account: ${n} (${id})`,
  scopeMismatch: (m) => `authorization result is abnormal: these requested scopes were not granted: ${m}`,
  scopeHint:
    "The result above is the user's final confirmation for this authorization request. Do not retry continuously. Scopes may be not granted for various reasons, such as a scope being disabled. The specific reason has already been shown to the user on the authorization page. Run `lark-cli auth status` to inspect all scopes currently granted to the account.",
  requested: '  Requested scopes: ',
  newlyGranted: '  Newly granted scopes: ',
  notGranted: '  Not granted scopes: ',
  none: '(none)',
  statusHint: 'Run `lark-cli auth status` to inspect all scopes currently granted to the account.',
  hintHeader: 'Please specify the scopes to authorize:\n',
  hints: [
    '  --recommend                     authorize recommended scopes',
    '  --domain all                    authorize the scopes of all known domains',
    '  --domain im                     authorize the messaging and group chat scopes',
    '  --scope "im:message"            authorize only the given scopes',
  ],
  levelPrompt: 'Permission level: [1] Common scopes  [2] All scopes (default 1): ',
  levelCommon: 'Common scopes',
  levelAll: 'All scopes',
  summary: (level, n, scopes) => `\nSummary:\n  Domains:  im\n  Level:    ${level}\n  Scopes (${n}): ${scopes}\n\n`,
  confirm: 'Confirm authorization? [Y/n]: ',
};

/** The messages for the account's profile language. */
export function loginMessages(lang: string | undefined): LoginMsg {
  return lang === 'en' ? EN : ZH;
}
