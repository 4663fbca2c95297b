/**
 * The CLI's human size format (Go `common.FormatSize`): `512 B`, `20.0 KB`, `5.0 MB`, `1.2 GB`
 * (binary units, one decimal as Go's `%.1f`).
 */

/** Go `%.1f`: round half to even on exact ties (which only occur for quarters here). */
function oneDecimal(x: number): string {
  const t = x * 10;
  const f = Math.floor(t);
  if (t - f === 0.5) return ((f % 2 === 0 ? f : f + 1) / 10).toFixed(1);
  return x.toFixed(1);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${oneDecimal(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${oneDecimal(bytes / (1024 * 1024))} MB`;
  return `${oneDecimal(bytes / (1024 * 1024 * 1024))} GB`;
}
