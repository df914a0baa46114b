// @ts-check
/**
 * What each relay close code means for the viewer: the state to show, the message, and
 * whether reconnecting can help. The codes, their reasons and whether they are fatal come
 * from the one definition (proto close_codes.proto, generated); only the viewer's wording
 * is here.
 */
import { getOption } from '@bufbuild/protobuf';
import { CloseCode, CloseCodeSchema, close_fatal, close_reason } from '../gen/tunnelcast/v1/close_codes_pb.js';

/** @typedef {'connecting'|'waiting'|'playing'|'offline'|'reconnecting'|'unauthorized'|'unsupported'|'error'} PlayerState */

/**
 * @typedef {object} CloseVerdict
 * @property {PlayerState} state
 * @property {string} message
 * @property {boolean} retry     reconnect with backoff
 */

/** @type {Partial<Record<CloseCode, {state: PlayerState, message: string}>>} */
const WORDING = {
  [CloseCode.NORMAL]: { state: 'offline', message: 'The relay closed the connection.' },
  [CloseCode.GOING_AWAY]: { state: 'reconnecting', message: 'The relay is restarting…' },
  [CloseCode.BAD_MESSAGE]: { state: 'error', message: 'The relay refused a message from this player (bad message).' },
  [CloseCode.UNAUTHORIZED]: { state: 'unauthorized', message: 'Not authorized: the access token is missing, invalid or expired.' },
  [CloseCode.FORBIDDEN]: { state: 'unauthorized', message: 'Not authorized: this token does not allow watching this stream.' },
  [CloseCode.INVALID_STREAM]: { state: 'error', message: 'There is no such stream: the name is not valid.' },
  [CloseCode.SLOW_CONSUMER]: { state: 'reconnecting', message: 'The connection was too slow to keep up; reconnecting…' },
  [CloseCode.STREAM_ENDED]: { state: 'offline', message: 'The stream has ended.' },
  [CloseCode.MESSAGE_TOO_BIG]: { state: 'error', message: 'The relay refused a message that was too big.' },
  [CloseCode.PROTOCOL_VIOLATION]: { state: 'error', message: 'Protocol error between the player and the relay.' },
  [CloseCode.UNSUPPORTED_VERSION]: { state: 'unsupported', message: 'This player speaks a protocol version the relay does not support.' },
  [CloseCode.TOO_MANY]: { state: 'reconnecting', message: 'The relay is full right now; retrying…' },
  [CloseCode.INTERNAL_ERROR]: { state: 'reconnecting', message: 'The relay hit an internal error; reconnecting…' },
};

/**
 * @param {number} code  WebSocket close code (1006 when the connection dropped)
 * @param {string} [reason]
 * @returns {CloseVerdict}
 */
export function closeVerdict(code, reason) {
  // A code the schema does not define looks up nothing (the generated Record type claims every key).
  const byNumber = /** @type {Partial<Record<number, import('@bufbuild/protobuf').DescEnumValue>>} */ (CloseCodeSchema.value);
  const defined = code === CloseCode.UNSPECIFIED ? undefined : byNumber[code];
  if (!defined) {
    return { state: 'reconnecting', message: reason ? `Connection lost (${reason}); reconnecting…` : 'Connection lost; reconnecting…', retry: true };
  }
  const fatal = getOption(defined, close_fatal);
  const wording = WORDING[/** @type {CloseCode} */ (code)]
    ?? (fatal ? { state: 'error', message: `The relay closed the connection: ${getOption(defined, close_reason)}.` }
      : { state: 'reconnecting', message: `The relay closed the connection (${getOption(defined, close_reason)}); reconnecting…` });
  return { ...wording, retry: !fatal };
}
