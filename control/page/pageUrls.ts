/**
 * The addresses the page talks to, all on the server that served it. A page opened with
 * `?token=XYZ` (the URL printed at start when the show is bound beyond this machine) passes the
 * token on to the WebSocket and every picture, which the server refuses without it.
 */

/** The token in the page's own query string, or null. */
export function pageToken(search: string): string | null {
  const t = new URLSearchParams(search).get('token');
  return t === null || t === '' ? null : t;
}

/** `ws(s)://<host>/ws`, secure when the page is (a browser refuses ws: from an https: page). */
export function socketUrl(protocol: string, host: string, token: string | null): string {
  return withToken(`${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/ws`, token);
}

/** A URL on the show's server with the token added (keeping any query it already has). */
export function withToken(url: string, token: string | null): string {
  if (token === null) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

/**
 * How long to wait before reconnecting, by attempt (0 = the first retry): quick at first, since
 * a restarted show is back in a second, then every few seconds so a phone left open does not
 * hammer a show that is gone.
 */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(250 * 2 ** Math.max(0, attempt), 4000);
}
