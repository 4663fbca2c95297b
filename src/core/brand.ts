/**
 * Brands and endpoints: feishu, lark, or a base URL that serves
 * as both the open-platform and the accounts endpoint.
 */
export interface Endpoints {
  open: string;
  accounts: string;
  /** Host of the developer console used in permission links. */
  consoleHost: string;
}

export function isBaseUrl(brand: string): boolean {
  return /^https?:\/\//i.test(brand);
}

export function endpointsFor(brand: string): Endpoints {
  if (isBaseUrl(brand)) {
    const base = brand.replace(/\/+$/, '');
    return { open: base, accounts: base, consoleHost: 'open.feishu.cn' };
  }
  if (brand === 'lark') {
    return { open: 'https://open.larksuite.com', accounts: 'https://accounts.larksuite.com', consoleHost: 'open.larksuite.com' };
  }
  return { open: 'https://open.feishu.cn', accounts: 'https://accounts.feishu.cn', consoleHost: 'open.feishu.cn' };
}

/** `config init --brand`: lark stays lark, a base URL is kept, anything else becomes feishu. */
export function normalizeBrandFlag(value: string | undefined): string {
  if (value === 'lark') return 'lark';
  if (value && isBaseUrl(value)) return value;
  return 'feishu';
}
