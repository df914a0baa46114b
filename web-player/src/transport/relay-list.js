// @ts-check
/**
 * Several relays (a cluster's nodes) for one player: the page's `?relays=` list and which
 * of them the next connection goes to. A connection starts at the first; when it closes or
 * fails (and the close code allows a retry) the next one is tried, round the list, with the
 * connection's usual backoff. Every node serves every stream, so any of them will do.
 */

/**
 * The relays' WebSocket bases (`ws(s)://host:port`) from `?relays=`: comma-separated,
 * `http(s)://` read as `ws(s)://` (the same port), anything else left out. Without a usable
 * entry, the page's own relay.
 * @param {string | null} value  the `relays` parameter
 * @param {string} pageWsBase    ws(s):// of the relay that served the page
 * @returns {string[]}
 */
export function parseRelays(value, pageWsBase) {
  /** @type {string[]} */
  const relays = [];
  for (const entry of (value ?? '').split(',')) {
    const text = entry.trim().replace(/^http(s?):\/\//i, 'ws$1://');
    let url;
    try {
      url = new URL(text);
    } catch {
      continue;
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') continue;
    const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
    if (!relays.includes(base)) relays.push(base);
  }
  return relays.length > 0 ? relays : [pageWsBase];
}

/** Which of a connection's URLs it uses: the same until a close or failure, then the next. */
export class RelayRotation {
  /** @param {string[]} urls */
  constructor(urls) {
    if (urls.length === 0) throw new Error('at least one relay URL');
    this.urls = [...urls];
    this.index = 0;
  }

  /** The URL the next connection opens. */
  get current() {
    return /** @type {string} */ (this.urls[this.index]);
  }

  /**
   * Rewrites every URL for the connections to come (the player's simulcast layer as `start=`).
   * @param {(url: string) => string} rewrite
   */
  rewrite(rewrite) {
    this.urls = this.urls.map(rewrite);
  }

  /** Moves on after a close or a failed attempt; returns the URL to try next. */
  next() {
    this.index = (this.index + 1) % this.urls.length;
    return this.current;
  }
}
