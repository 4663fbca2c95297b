/**
 * The error taxonomy and its exit codes.
 * Every failure the CLI reports is a CliError by the time it reaches the output layer.
 */

export type ErrorType =
  | 'validation'
  | 'strict_mode'
  | 'unsafe_operation_blocked'
  | 'auth'
  | 'missing_scope'
  | 'config'
  | 'app_status'
  | 'permission'
  | 'api_error'
  | 'rate_limit'
  | 'conflict'
  | 'cross_tenant_unit'
  | 'cross_brand'
  | 'invalid_params'
  | 'not_found'
  | 'http_error'
  | 'jq_error'
  | 'network'
  | 'internal'
  | 'file_error'
  | 'confirmation';

export const EXIT = { ok: 0, api: 1, validation: 2, auth: 3, network: 4, internal: 5, confirmation: 10 } as const;

export function exitCodeFor(type: ErrorType): number {
  switch (type) {
    case 'validation':
    case 'strict_mode':
    case 'unsafe_operation_blocked':
      return EXIT.validation;
    case 'auth':
    case 'missing_scope':
    case 'config':
    case 'app_status':
      return EXIT.auth;
    case 'network':
      return EXIT.network;
    case 'internal':
    case 'file_error':
      return EXIT.internal;
    case 'confirmation':
      return EXIT.confirmation;
    default:
      return EXIT.api;
  }
}

export interface CliErrorInit {
  code?: number;
  hint?: string;
  consoleUrl?: string;
  detail?: unknown;
  /** Raw errors (the `api` command) are not enriched with a console link. */
  raw?: boolean;
  exitCode?: number;
  cause?: unknown;
  /** Further fields of the envelope's `error` object, after the standard ones (`confirmation`: `risk`, `action`). */
  extension?: Record<string, string>;
}

export class CliError extends Error {
  readonly type: ErrorType;
  code?: number;
  hint?: string;
  consoleUrl?: string;
  detail?: unknown;
  raw: boolean;
  exitCode: number;
  extension?: Record<string, string>;

  constructor(type: ErrorType, message: string, init: CliErrorInit = {}) {
    super(message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = 'CliError';
    this.type = type;
    this.code = init.code;
    this.hint = init.hint;
    this.consoleUrl = init.consoleUrl;
    this.detail = init.detail;
    this.raw = !!init.raw;
    this.exitCode = init.exitCode ?? exitCodeFor(type);
    this.extension = init.extension;
  }
}

/**
 * A failure whose output was already printed (an `ok:false` ledger on stdout, `auth check`):
 * only the exit code remains to be set.
 */
export class SilentExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}


export const NOT_CONFIGURED_HINT =
  'run `lark-cli config init --new` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete setup.';

export const loginHint = (scope: string) =>
  `run \`lark-cli auth login --scope "${scope}"\` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete login.`;

export const REAUTH_HINT = 'run: lark-cli auth login to re-authorize';

/** Lark business code → error type and hint. */
export function classifyLarkCode(code: number): { type: ErrorType; hint?: string; permission: boolean } {
  switch (code) {
    case 99991661:
    case 99991671:
    case 99991668:
    case 99991663:
    case 99991677:
      return { type: 'auth', hint: REAUTH_HINT, permission: false };
    case 99991672:
    case 99991676:
    case 99991679:
    case 230027:
      return { type: 'permission', hint: 'check app permissions or re-authorize: lark-cli auth login', permission: true };
    case 99991543:
      return { type: 'config', hint: 'check app_id / app_secret: lark-cli config set', permission: false };
    case 99991662:
    case 99991673:
      return { type: 'app_status', hint: 'app is disabled or not installed — check developer console', permission: false };
    case 99991400:
      return { type: 'rate_limit', hint: 'please try again later', permission: false };
    case 1061045:
      return { type: 'conflict', hint: 'please retry later and avoid concurrent duplicate requests', permission: false };
    case 1064510:
      return { type: 'cross_tenant_unit', hint: 'operate on source and target within the same tenant and region/unit', permission: false };
    case 1064511:
      return { type: 'cross_brand', hint: 'operate on source and target within the same brand environment', permission: false };
    default:
      return { type: 'api_error', permission: false };
  }
}

/**
 * Builds the error for a non-zero Lark code. `message` is used unless the code is a
 * permission code, whose message becomes `Permission denied [<code>]`.
 */
export function larkCodeError(code: number, message: string, detail?: unknown, raw = false): CliError {
  const c = classifyLarkCode(code);
  return new CliError(c.type, c.permission ? `Permission denied [${code}]` : message, {
    code,
    hint: c.hint,
    detail: detail ?? undefined,
    raw,
  });
}

/** Turns anything thrown into a CliError (unknown exceptions are internal, exit 5). */
export function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new CliError('internal', msg || 'internal error', { cause: e });
}

/** A security-policy interception: reportError prints it in its own shape. */
export class SecurityPolicyError extends CliError {
  constructor(
    readonly policyCode: 'challenge_required' | 'access_denied',
    message: string,
    readonly challengeUrl?: string,
    readonly policyHint?: string,
  ) {
    super('api_error', message, { exitCode: 1 });
  }
}
