/**
 * Headers every request carries.
 */
import { cliVersion } from '../core/io.js';

export function cliHeaders(): Record<string, string> {
  const v = cliVersion();
  return { 'User-Agent': `lark-cli/${v}`, 'X-Cli-Source': 'lark-cli', 'X-Cli-Version': v };
}
