// @ts-check
/**
 * How the pages read the relay's HTTP API with the page's play token (`?token=`), as the
 * relay's access rules ask (docs/protocol.md, "HTTP access rules"): scripts send it in an
 * `Authorization: Bearer` header; URLs the browser loads by itself (a <video> source, an HLS
 * playlist, a download link) carry it in their query.
 */

/**
 * GETs an API path, with the token (if any) in the Authorization header.
 * @param {string} path @param {string} token
 */
export function fetchApi(path, token) {
  return fetch(path, { cache: 'no-store', headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

/**
 * `url` with the token in its query, for what the browser fetches without our scripts.
 * @param {string} url @param {string} token
 */
export function withToken(url, token) {
  if (!token) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

/**
 * A refusal (401/403) read for people: the relay's `reason`, and what to do about it.
 * @param {number} status @param {any} body the relay's JSON `{ error, reason }`
 */
export function refusalText(status, body) {
  const reason = typeof body?.reason === 'string' ? body.reason : `HTTP ${status}`;
  return status === 401
    ? `this relay needs a play token: open the page with ?token=… (${reason})`
    : `the page's token does not allow this (${reason})`;
}

/**
 * Throws an Error with {@link refusalText} for a 401/403 answer; returns the response otherwise.
 * @param {Response} response
 */
export async function unlessRefused(response) {
  if (response.status !== 401 && response.status !== 403) return response;
  const body = await response.json().catch(() => null);
  throw new Error(refusalText(response.status, body));
}
