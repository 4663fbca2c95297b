/**
 * URL escaping as Go's net/url does it: QueryEscape (form style) and PathEscape (one segment).
 */
const hex = (c: string) => '%' + c.charCodeAt(0).toString(16).toUpperCase();

/** Go url.QueryEscape: space → `+`, everything but [A-Za-z0-9-_.~] escaped. */
export function goQueryEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, hex).replace(/%20/g, '+');
}

/** Go url.PathEscape: one path segment; `$&+:=@` stay, `/ ; , ?` and the rest are escaped. */
export function escapePathSegment(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, hex)
    .replace(/%(24|26|2B|3A|3D|40)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Go url.Values.Encode: pairs sorted by key (stable), form escaping. */
export function encodePairs(pairs: Array<[string, string]>): string {
  return pairs
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p[0] < b.p[0] ? -1 : a.p[0] > b.p[0] ? 1 : a.i - b.i))
    .map(({ p }) => `${goQueryEscape(p[0])}=${goQueryEscape(p[1])}`)
    .join('&');
}
