import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { OPEN_TIMEOUT_MS, RelayConnection } from '../src/transport/connection.js';
import { envelopeBytes } from '../src/transport/wire.js';

/** A WebSocket that records what the connection does with it; the test plays the relay. */
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  /** @type {FakeSocket[]} */
  static opened = [];
  /** @param {string} url */
  constructor(url) {
    this.url = url;
    this.readyState = FakeSocket.OPEN;
    this.closedByClient = false;
    /** @type {any} */ this.onopen = null;
    /** @type {any} */ this.onmessage = null;
    /** @type {any} */ this.onclose = null;
    FakeSocket.opened.push(this);
  }
  send() {}
  close() {
    this.closedByClient = true;
    this.readyState = 2; // CLOSING: the close event comes when the relay's close frame does (the test's onclose)
  }
  /** @param {Uint8Array} bytes */
  deliver(bytes) {
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }
}

/**
 * A connection with a 250 ms ping and a 4 s silent drop (a call publisher's), welcomed, on a
 * page clock the test moves (`advance`: the page's clock and its timers together; `stall`:
 * the page's clock only, as when the page got no CPU and its timers and messages wait).
 */
function welcomedConnection() {
  let nowMs = 1000;
  mock.method(performance, 'now', () => nowMs);
  mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
  FakeSocket.opened = [];
  Object.assign(globalThis, { WebSocket: FakeSocket });
  /** @type {number[]} */
  const closes = [];
  const connection = new RelayConnection('ws://relay/ws/publish/r.p', { onEnvelope: () => {}, onOpen: () => {}, onClose: (_v, code) => closes.push(code) },
    { pingIntervalMs: 250, silentDropMs: 4000, immediateRetry: true });
  connection.start();
  const socket = FakeSocket.opened[0];
  socket.onopen();
  socket.deliver(envelopeBytes({ case: 'welcome', value: {} }));
  return {
    socket, closes, connection,
    /** @param {number} ms */
    advance(ms) {
      for (let t = 0; t < ms; t += 50) {
        nowMs += 50;
        mock.timers.tick(50);
      }
    },
    /** @param {number} ms */
    stall(ms) {
      nowMs += ms;
    },
    done() {
      connection.stop();
      mock.timers.reset();
      mock.restoreAll();
    },
  };
}

test('a connection that brings nothing while the page is awake is dropped after silentDropMs and reconnected', () => {
  const c = welcomedConnection();
  try {
    c.advance(3900);
    assert.deepEqual(c.closes, [], 'not yet');
    c.advance(400);
    assert.equal(c.socket.closedByClient, true);
    assert.deepEqual(c.closes, [1006]);
    c.advance(50);
    assert.equal(FakeSocket.opened.length, 2, 'reconnected');
  } finally {
    c.done();
  }
});

test('a page stalled longer than silentDropMs does not take its own stall for a silent relay', () => {
  const c = welcomedConnection();
  try {
    c.advance(1000);
    // Starved of CPU for 5 s: the relay's Pongs arrived meanwhile but wait, as the timers do. When the page runs
    // again a ping tick may come before them: it must not give the connection up.
    c.stall(5000);
    c.advance(250); // the ping tick that was due during the stall
    c.socket.deliver(envelopeBytes({ case: 'pong', value: { id: 1n, pingSendTimeMicros: 0n, receiveTimeMicros: 0n, sendTimeMicros: 0n } }));
    c.advance(1000);
    assert.equal(c.socket.closedByClient, false);
    assert.deepEqual(c.closes, []);
    // Still silent after the stall while awake: dropped then.
    c.advance(4000);
    assert.deepEqual(c.closes, [1006]);
  } finally {
    c.done();
  }
});

test('a socket still in its handshake after openTimeoutMs is given up and retried; one that opens in time is kept', () => {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
  FakeSocket.opened = [];
  Object.assign(globalThis, { WebSocket: FakeSocket });
  /** @type {{ code: number, reason: string }[]} */
  const closes = [];
  const connection = new RelayConnection('ws://relay/ws/play/r.p', { onEnvelope: () => {}, onOpen: () => {},
    onClose: (_v, code, _attempt, reason) => closes.push({ code, reason }) });
  try {
    connection.start();
    const stuck = FakeSocket.opened[0];
    stuck.readyState = FakeSocket.CONNECTING; // its handshake hangs
    mock.timers.tick(OPEN_TIMEOUT_MS - 1);
    assert.equal(stuck.closedByClient, false, 'not yet');
    mock.timers.tick(1);
    assert.equal(stuck.closedByClient, true, 'the hanging handshake is abandoned');
    assert.deepEqual(closes, [{ code: 1006, reason: `not open after ${OPEN_TIMEOUT_MS} ms` }]);
    mock.timers.tick(1000); // the backoff
    assert.equal(FakeSocket.opened.length, 2, 'retried');
    const next = FakeSocket.opened[1];
    next.readyState = FakeSocket.CONNECTING;
    mock.timers.tick(OPEN_TIMEOUT_MS - 1000);
    next.readyState = FakeSocket.OPEN;
    next.onopen();
    mock.timers.tick(2 * OPEN_TIMEOUT_MS);
    assert.equal(next.closedByClient, false, 'an open socket is not timed out');
    assert.equal(closes.length, 1);
  } finally {
    connection.stop();
    mock.timers.reset();
  }
});

test('stopAndAwaitClose closes at once and resolves when the closing handshake is over, not before', async () => {
  const c = welcomedConnection();
  try {
    let stopped = false;
    void c.connection.stopAndAwaitClose(1500).then(() => { stopped = true; });
    assert.equal(c.socket.closedByClient, true, 'the close frame is asked for at once');
    c.advance(1000);
    await Promise.resolve();
    assert.equal(stopped, false, 'the handshake is not over yet: the worker must not end');
    c.socket.onclose({ code: 1000, reason: '' }); // the relay's close frame came back
    await Promise.resolve();
    assert.equal(stopped, true);
    assert.deepEqual(c.closes, [], 'an end, not a drop: the listener hears of no close');
    c.advance(5000);
    assert.equal(FakeSocket.opened.length, 1, 'no reconnect');
  } finally {
    c.done();
  }
});

test('stopAndAwaitClose gives up waiting for the handshake after its timeout', async () => {
  const c = welcomedConnection();
  try {
    let stopped = false;
    void c.connection.stopAndAwaitClose(1500).then(() => { stopped = true; });
    c.advance(1450);
    await Promise.resolve();
    assert.equal(stopped, false);
    c.advance(100);
    await Promise.resolve();
    assert.equal(stopped, true);
    assert.equal(FakeSocket.opened.length, 1, 'no reconnect');
  } finally {
    c.done();
  }
});
