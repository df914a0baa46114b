// @ts-check
/**
 * The call's connection as the person sees it, a small state machine driven by the publisher
 * socket's events: joining → in the call → reconnecting (the socket dropped; the publisher
 * reconnects at once with the same instance id, then with backoff) → in the call again, until
 * the person leaves or the relay refuses for good. Which close codes end the call, and the
 * words for them, are here: a full room (4430) and the same participant in another tab (4409)
 * retry for an agent but not for a person, who is told instead and offered to try again.
 * Pure: times come in as arguments.
 */
import { CloseCode } from '../gen/tunnelcast/v1/close_codes_pb.js';
import { closeVerdict } from '../transport/close-codes.js';

/**
 * @typedef {'idle' | 'joining' | 'in-call' | 'reconnecting' | 'leaving' | 'left'
 *   | 'room-full' | 'unauthorized' | 'forbidden' | 'duplicate' | 'unsupported' | 'error'} CallState
 *
 * @typedef {object} CallContext   what the messages name
 * @property {string} room
 * @property {string} participant
 * @property {number} maxMembers   0 when not known
 *
 * @typedef {object} CallVerdict
 * @property {CallState} state
 * @property {string} message
 * @property {boolean} retry
 */

/** Close codes that end a call page's publisher although the relay would let an agent retry. */
export const CALL_FINAL_CODES = [CloseCode.PUBLISHER_EXISTS, CloseCode.ROOM_FULL];

/** States after which nothing reconnects: the page shows why and offers to join again. */
export const FINAL_STATES = /** @type {CallState[]} */ (['left', 'room-full', 'unauthorized', 'forbidden', 'duplicate', 'unsupported', 'error']);

/**
 * @param {number} code  the publisher socket's close code @param {string} reason @param {CallContext} context
 * @returns {CallVerdict}
 */
export function callCloseVerdict(code, reason, context) {
  const { room, participant, maxMembers } = context;
  const said = reason ? ` (${reason})` : '';
  switch (code) {
    case CloseCode.ROOM_FULL:
      return { state: 'room-full', retry: false,
        message: `The room “${room}” is full${maxMembers ? `: it holds ${maxMembers} participants` : ''}. Try again when someone has left.` };
    case CloseCode.PUBLISHER_EXISTS:
      return { state: 'duplicate', retry: false,
        message: `You are already in this call in another tab or window (as “${participant}”). Leave the call there, then try again.` };
    case CloseCode.UNAUTHORIZED:
      return { state: 'unauthorized', retry: false,
        message: `This relay needs a join token, and the link's is missing, invalid or expired${said}. Ask for a new link.` };
    case CloseCode.FORBIDDEN:
      return { state: 'forbidden', retry: false,
        message: `The link's token does not let you join room “${room}” as “${participant}”${said}. Ask for a link to this room.` };
    case CloseCode.TAKEN_OVER:
      return { state: 'duplicate', retry: false, message: 'This call was taken over by another page of yours.' };
    case CloseCode.INVALID_STREAM:
      return { state: 'error', retry: false, message: `“${room}.${participant}” is not a valid room and participant${said}.` };
    case CloseCode.PROTOCOL_VIOLATION:
      return { state: 'error', retry: false,
        message: `The relay refused this page${said}. A relay older than rooms cannot hold calls.` };
    case CloseCode.UNSUPPORTED_VERSION:
      return { state: 'unsupported', retry: false, message: 'The relay speaks another protocol version than this page.' };
    default: {
      const verdict = closeVerdict(code, reason);
      if (!verdict.retry) return { state: 'error', retry: false, message: verdict.message };
      const cause = verdict.message.replace(/(; (reconnecting|retrying))?…$/, '').replace(/\.$/, '');
      return { state: 'reconnecting', retry: true, message: `${cause}. Reconnecting…` };
    }
  }
}

export class CallConnection {
  constructor() {
    /** @type {CallState} */
    this.state = 'idle';
    this.message = '';
    /** connections welcomed since the page joined */
    this.connections = 0;
    /** times the call came back after its socket dropped */
    this.reconnects = 0;
    /** when the current outage began (NaN while connected) */
    this.outageSinceMs = NaN;
    /** the last outage's length: the socket's drop to the next Welcome */
    this.lastOutageMs = NaN;
    /** the close code that ended the call, or the last one that dropped it (0: none) */
    this.closeCode = 0;
  }

  get final() {
    return FINAL_STATES.includes(this.state);
  }

  /** @param {number} nowMs */
  join(nowMs) {
    this.state = 'joining';
    this.message = 'Joining…';
    this.outageSinceMs = NaN;
    this.joinedAtMs = nowMs;
  }

  /** A connection was welcomed. @param {number} nowMs */
  welcomed(nowMs) {
    if (this.state === 'leaving' || this.final) return;
    if (this.state === 'reconnecting' && Number.isFinite(this.outageSinceMs)) {
      this.reconnects++;
      this.lastOutageMs = nowMs - this.outageSinceMs;
    }
    this.connections++;
    this.outageSinceMs = NaN;
    this.state = 'in-call';
    this.message = '';
  }

  /**
   * The socket closed.
   * @param {number} code @param {string} reason @param {CallContext} context @param {number} nowMs
   * @returns {CallVerdict}
   */
  closed(code, reason, context, nowMs) {
    const verdict = callCloseVerdict(code, reason, context);
    if (this.state === 'leaving' || this.state === 'left' || this.final) return verdict;
    this.closeCode = code;
    this.state = verdict.state;
    this.message = verdict.message;
    if (verdict.retry && !Number.isFinite(this.outageSinceMs)) this.outageSinceMs = nowMs;
    return verdict;
  }

  leave() {
    if (this.final) return;
    this.state = 'leaving';
    this.message = 'Leaving…';
  }

  left() {
    this.state = 'left';
    this.message = 'You left the call.';
  }

  /** Something other than the socket ended the call (no camera, no encoder). @param {CallState} state @param {string} message */
  fail(state, message) {
    this.state = state;
    this.message = message;
  }
}
