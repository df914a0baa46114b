// A WebSocket for the publication's tests: it records what is sent, decoded, with the page's
// time; the test plays the relay (open, deliver, close).
import { decodeEnvelope } from '../../src/transport/wire.js';

/** @typedef {import('../../src/transport/wire.js').Envelope} Envelope */

/** A WebSocket that records what the publication sends (decoded, with the page's time); the test plays the relay. */
export class RecordingSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  /** @type {RecordingSocket[]} */
  static opened = [];
  /** @type {() => number} */
  static now = () => 0;
  /** @param {string} url */
  constructor(url) {
    this.url = url;
    this.readyState = RecordingSocket.OPEN;
    this.bufferedAmount = 0;
    this.closedByClient = false;
    /** @type {{ atMs: number, envelope: Envelope }[]} */
    this.sent = [];
    /** @type {any} */ this.onopen = null;
    /** @type {any} */ this.onmessage = null;
    /** @type {any} */ this.onclose = null;
    RecordingSocket.opened.push(this);
  }
  /** @param {Uint8Array} bytes */
  send(bytes) {
    this.sent.push({ atMs: RecordingSocket.now(), envelope: decodeEnvelope(bytes) });
  }
  close() {
    this.closedByClient = true;
    this.readyState = 2; // CLOSING: the close event comes when the relay's close frame does (the test's onclose)
  }
  /** @param {Uint8Array} bytes */
  deliver(bytes) {
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }
}
