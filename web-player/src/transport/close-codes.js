// @ts-check
/**
 * What each relay close code (docs/protocol.md) means for the viewer: the state to show,
 * the message, and whether reconnecting can help.
 */

/** @typedef {'connecting'|'waiting'|'playing'|'offline'|'reconnecting'|'unauthorized'|'unsupported'|'error'} PlayerState */

/**
 * @typedef {object} CloseVerdict
 * @property {PlayerState} state
 * @property {string} message
 * @property {boolean} retry     reconnect with backoff
 */

/** @type {Record<number, CloseVerdict>} */
const VERDICTS = {
  1000: { state: 'offline', message: 'The relay closed the connection.', retry: true },
  1001: { state: 'reconnecting', message: 'The relay is restarting…', retry: true },
  4400: { state: 'error', message: 'The relay refused a message from this player (bad message).', retry: false },
  4401: { state: 'unauthorized', message: 'Not authorized: the access token is missing, invalid or expired.', retry: false },
  4403: { state: 'unauthorized', message: 'Not authorized: this token does not allow watching this stream.', retry: false },
  4404: { state: 'error', message: 'There is no such stream: the name is not valid.', retry: false },
  4408: { state: 'reconnecting', message: 'The connection was too slow to keep up; reconnecting…', retry: true },
  4409: { state: 'reconnecting', message: 'The stream already has a publisher; retrying…', retry: true },
  4410: { state: 'offline', message: 'The stream has ended.', retry: false },
  4411: { state: 'offline', message: 'Another publisher took this stream over.', retry: false },
  4413: { state: 'error', message: 'The relay refused a message that was too big.', retry: false },
  4422: { state: 'error', message: 'Protocol error between the player and the relay.', retry: false },
  4426: { state: 'unsupported', message: 'This player speaks a protocol version the relay does not support.', retry: false },
  4429: { state: 'reconnecting', message: 'The relay is full right now; retrying…', retry: true },
  4500: { state: 'reconnecting', message: 'The relay hit an internal error; reconnecting…', retry: true },
};

/**
 * @param {number} code  WebSocket close code (1006 when the connection dropped)
 * @param {string} [reason]
 * @returns {CloseVerdict}
 */
export function closeVerdict(code, reason) {
  const known = VERDICTS[code];
  if (known) return known;
  return { state: 'reconnecting', message: reason ? `Connection lost (${reason}); reconnecting…` : 'Connection lost; reconnecting…', retry: true };
}
