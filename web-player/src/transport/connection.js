// @ts-check
/**
 * The player's WebSocket to the relay: Hello on open, ping/pong clock sync, and reconnect
 * with exponential backoff (with jitter) for as long as the close code says it can help.
 * Every other Envelope goes to the listener with its arrival time. Given several URLs (a
 * cluster's nodes), each reconnect goes to the next one (relay-list.js).
 */
import { decodeEnvelope, helloBytes, pingBytes, pongBytes } from './wire.js';
import { ClockSync, localNowMicros } from './clock-sync.js';
import { closeVerdict } from './close-codes.js';
import { RelayRotation } from './relay-list.js';

/** @typedef {import('./wire.js').Envelope} Envelope */
/** @typedef {import('./close-codes.js').CloseVerdict} CloseVerdict */

/**
 * What the relay had received on this connection when a Ping arrived, as its Pong said: the
 * message bytes so far (Pong.received_bytes) at `atRelayMs` on the relay's clock.
 * @typedef {{ bytes: number, atRelayMs: number }} RelayReceipt
 */

/**
 * @typedef {object} ConnectionListener
 * @property {(env: Envelope, arrivalMs: number) => void} onEnvelope  arrivalMs: performance.now()
 * @property {() => void} onOpen                     a (re)connection was welcomed
 * @property {(verdict: CloseVerdict, code: number, attempt: number, reason: string) => void} onClose  reason: the relay's refusal
 *                                                  (Status) or the close frame's reason
 * @property {(receipt: RelayReceipt | undefined) => void} [onPong]
 *   a clock sample was taken; `receipt`: what the relay had received on this connection at the Ping (undefined when it does not count)
 */

const PING_INTERVAL_MS = 2000;
const BACKOFF_MIN_MS = 200;
const BACKOFF_MAX_MS = 5000;
/**
 * A socket still in its handshake after this long is given up and retried. A browser lets one
 * WebSocket per address be in its handshake at a time (RFC 6455, 4.1), and behind an HTTP proxy
 * every socket of the page goes to the proxy's address: one handshake that hangs (its tunnel
 * stalled) held every later socket of a call page for minutes (CallE2ETest beside a CPU hog,
 * bob's players of the late joiners). Chromium itself waits up to 240 s.
 */
export const OPEN_TIMEOUT_MS = 15_000;
/** How long stopAndAwaitClose waits for the closing handshake. */
export const CLOSE_HANDSHAKE_WAIT_MS = 1500;

export class RelayConnection {
  /**
   * @param {string | string[]} url   ws(s)://host/ws/play/{stream}?token=…, or one such URL per relay: the first is
   *   opened first, a close after which the client retries moves to the next, round the list
   * @param {ConnectionListener} listener
   * @param {{ hello?: Uint8Array<ArrayBuffer>, pingIntervalMs?: number, clockWindow?: number, finalCodes?: number[],
   *   immediateRetry?: boolean, silentDropMs?: number, openTimeoutMs?: number }} [options]
   *   hello: the first message on every connection (the player's Hello by default); pingIntervalMs: 2000 by default;
   *   clockWindow: exchanges kept by the min-RTT filter (16); finalCodes: close codes after which this client does not
   *   reconnect although the relay allows it (a call page's 4409, 4430); immediateRetry: the first reconnect after a
   *   drop goes at once, not after the backoff (a call publisher whose instance id takes its stream over);
   *   silentDropMs: a connection that brought nothing (not even a Pong) for this long, counted while the page was
   *   awake (see silentAwakeMs), is given up as dead and
   *   reconnected, without waiting for TCP to notice (0: never); openTimeoutMs: a socket not open this long after it was
   *   created is given up and retried (OPEN_TIMEOUT_MS by default; 0: never)
   */
  constructor(url, listener, options = {}) {
    this.relays = new RelayRotation(Array.isArray(url) ? url : [url]);
    this.listener = listener;
    this.hello = options.hello ?? helloBytes('0.1.0');
    this.pingIntervalMs = options.pingIntervalMs ?? PING_INTERVAL_MS;
    this.finalCodes = options.finalCodes ?? [];
    this.immediateRetry = options.immediateRetry ?? false;
    this.silentDropMs = options.silentDropMs ?? 0;
    this.openTimeoutMs = options.openTimeoutMs ?? OPEN_TIMEOUT_MS;
    /** performance.now() of the last message from the relay */
    this.lastReceivedMs = 0;
    /**
     * How long the relay has been silent while this page was awake to hear it, ms: the time
     * between ping ticks, each counted at most twice the ping interval. A page starved of CPU
     * (or a throttled background tab) runs a ping tick late, possibly before the messages that
     * arrived meanwhile: its own stall is not the relay's silence.
     */
    this.silentAwakeMs = 0;
    this.clock = new ClockSync({ windowSize: options.clockWindow });
    /** @type {Map<bigint, number>} performance.now() when each unanswered Ping was sent */
    this.pingsInFlight = new Map();
    this.attempt = 0;
    this.pingId = 0;
    this.closed = false;
    /** @type {WebSocket | null} */
    this.socket = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.pingTimer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.openTimer = undefined;
    /** Status{REFUSED} text received before a close, shown instead of the generic one. */
    this.refusal = '';
    this.bytesReceived = 0;
  }

  start() {
    this.closed = false;
    this.open();
  }

  /** Closes for good (the viewer left). */
  stop() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.openTimer);
    clearInterval(this.pingTimer);
    this.socket?.close(1000, 'viewer left');
    this.socket = null;
  }

  /**
   * As stop(), and resolves once the socket's closing handshake is over (its close event), or
   * after `timeoutMs`: for a worker that ends next. Ended right after close(), a worker aborted
   * its socket before the close frame was out, with unread bytes in its receive buffer, so with a
   * TCP reset, and the relay's kernel dropped what the relay had not read yet: a publisher's
   * EndOfStream too, so the others in a call saw "connection lost" for a participant who had
   * clicked Leave (CallE2ETest at load 28; that page's players closed with 1001, not 1000).
   * @param {number} [timeoutMs] @returns {Promise<void>}
   */
  stopAndAwaitClose(timeoutMs = CLOSE_HANDSHAKE_WAIT_MS) {
    const socket = this.socket;
    this.stop();
    if (!socket || socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      socket.onclose = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** The URL the current (or next) connection uses. */
  get url() {
    return this.relays.current;
  }

  open() {
    const socket = new WebSocket(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.refusal = '';
    clearTimeout(this.openTimer);
    if (this.openTimeoutMs > 0) this.openTimer = setTimeout(() => this.abandonHandshake(socket), this.openTimeoutMs);
    socket.onopen = () => {
      clearTimeout(this.openTimer);
      this.lastReceivedMs = performance.now();
      this.silentAwakeMs = 0;
      socket.send(this.hello);
    };
    socket.onmessage = (event) => this.receive(socket, event);
    socket.onclose = (event) => this.closedBy(socket, event.code, event.reason);
  }

  /** @param {WebSocket} socket @param {MessageEvent} event */
  receive(socket, event) {
    const arrivalMs = performance.now();
    this.lastReceivedMs = arrivalMs;
    this.silentAwakeMs = 0;
    if (!(event.data instanceof ArrayBuffer)) return; // the relay sends binary only
    this.bytesReceived += event.data.byteLength;
    let env;
    try {
      env = decodeEnvelope(event.data);
    } catch (e) {
      console.warn('tunnelcast: undecodable message from the relay', e);
      return;
    }
    switch (env.kind.case) {
      case 'welcome':
        this.attempt = 0;
        this.startPinging(socket);
        this.listener.onOpen();
        break;
      case 'padding':
        return; // the relay's filler while it tests whether the link carries a higher layer
      case 'ping':
        socket.send(pongBytes(env.kind.value.id, env.kind.value.sendTimeMicros, localNowMicros(), localNowMicros()));
        return;
      case 'pong': {
        const p = env.kind.value;
        this.clock.addExchange(Number(p.pingSendTimeMicros), Number(p.receiveTimeMicros), Number(p.sendTimeMicros), localNowMicros());
        for (const id of this.pingsInFlight.keys()) if (id <= p.id) this.pingsInFlight.delete(id);
        this.listener.onPong?.(p.receivedBytes > 0n ? { bytes: Number(p.receivedBytes), atRelayMs: Number(p.receiveTimeMicros) / 1000 } : undefined);
        return;
      }
      case 'status':
        if (env.kind.value.closeCode) this.refusal = env.kind.value.message;
        break;
      default:
        break;
    }
    this.listener.onEnvelope(env, arrivalMs);
  }

  /** A burst of pings right away for a first good sample, then one every 2 s. @param {WebSocket} socket */
  startPinging(socket) {
    clearInterval(this.pingTimer);
    this.pingsInFlight.clear();
    let lastTickMs = performance.now();
    const ping = () => {
      if (socket.readyState !== WebSocket.OPEN) return;
      const nowMs = performance.now();
      this.silentAwakeMs += Math.min(nowMs - Math.max(lastTickMs, this.lastReceivedMs), 2 * this.pingIntervalMs);
      lastTickMs = nowMs;
      if (this.silentDropMs > 0 && this.silentAwakeMs > this.silentDropMs) {
        this.dropSilent(socket);
        return;
      }
      this.pingsInFlight.set(BigInt(++this.pingId), performance.now());
      socket.send(pingBytes(this.pingId, localNowMicros()));
    };
    for (let i = 0; i < 5; i++) setTimeout(ping, i * 50);
    this.pingTimer = setInterval(ping, this.pingIntervalMs);
  }

  /**
   * How long the oldest unanswered Ping has waited, ms (0 when none): a Ping queued behind
   * the sender's backlog, wherever that sits (the socket's buffer, the browser's network
   * process, the kernel), waits with it.
   * @param {number} nowMs performance.now()
   */
  oldestPingWaitMs(nowMs) {
    for (const sentMs of this.pingsInFlight.values()) return nowMs - sentMs;
    return 0;
  }

  /**
   * Gives a connection that went silent up as lost now and reconnects.
   * @param {WebSocket} socket
   */
  dropSilent(socket) {
    this.giveUp(socket, `nothing from the relay for ${this.silentDropMs} ms`);
  }

  /**
   * Gives up a socket whose handshake has not finished after openTimeoutMs, which frees the
   * browser's one handshake per address for the others, and retries.
   * @param {WebSocket} socket
   */
  abandonHandshake(socket) {
    if (socket !== this.socket || socket.readyState !== WebSocket.CONNECTING) return;
    console.warn(`tunnelcast: ${this.url.split('?')[0]} not open after ${this.openTimeoutMs} ms: retrying`);
    this.giveUp(socket, `not open after ${this.openTimeoutMs} ms`);
  }

  /**
   * Closes `socket` from this side as lost (1006), without waiting for its events (they are
   * ignored from now on), and goes on as after any drop.
   * @param {WebSocket} socket @param {string} reason
   */
  giveUp(socket, reason) {
    socket.onopen = null;
    socket.onclose = null;
    socket.onmessage = null;
    socket.close();
    this.closedBy(socket, 1006, reason);
  }

  /** @param {WebSocket} socket @param {number} code @param {string} reason */
  closedBy(socket, code, reason) {
    if (socket !== this.socket) return;
    clearTimeout(this.openTimer);
    clearInterval(this.pingTimer);
    this.socket = null;
    if (this.closed) return;
    const relayVerdict = closeVerdict(code, reason);
    const verdict = this.finalCodes.includes(code) ? { ...relayVerdict, retry: false } : relayVerdict;
    const shown = this.refusal && !verdict.retry ? { ...verdict, message: `${verdict.message} (${this.refusal})` } : verdict;
    this.attempt++;
    this.listener.onClose(shown, code, this.attempt, this.refusal || reason);
    if (!verdict.retry) return;
    this.relays.next();
    if (this.immediateRetry && this.attempt === 1) {
      this.retryTimer = setTimeout(() => this.open(), 0);
      return;
    }
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.attempt - (this.immediateRetry ? 2 : 1)));
    this.retryTimer = setTimeout(() => this.open(), base * (0.75 + Math.random() * 0.5));
  }
}
