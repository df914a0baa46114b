import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { parseRelays, RelayRotation } from '../src/transport/relay-list.js';
import { RelayConnection } from '../src/transport/connection.js';
import { playerOptionsFrom } from '../src/ui/player-options.js';
import { envelopeBytes } from '../src/transport/wire.js';

const PAGE = 'ws://page:8080';

test('?relays= is a comma-separated list of relays, http(s) read as ws(s), in order, without repeats', () => {
  assert.deepEqual(parseRelays('ws://n2:8080, http://n3:8080/,https://n4', PAGE), ['ws://n2:8080', 'ws://n3:8080', 'wss://n4']);
  assert.deepEqual(parseRelays('ws://n2:8080,ws://n2:8080/', PAGE), ['ws://n2:8080']);
});

test('without a usable relay in ?relays= the page\'s own relay is the one', () => {
  assert.deepEqual(parseRelays(null, PAGE), [PAGE]);
  assert.deepEqual(parseRelays('', PAGE), [PAGE]);
  assert.deepEqual(parseRelays('ftp://n2, not a url', PAGE), [PAGE]);
});

test('the player page builds one play URL per relay', () => {
  const options = playerOptionsFrom(new URLSearchParams('relays=ws://n2:8080,ws://n3:8080'),
    { stream: 'cam1', token: '', wsBase: PAGE, baseUrl: 'http://page:8080/' });
  assert.deepEqual(options.relays, ['ws://n2:8080', 'ws://n3:8080']);
});

test('the rotation stays on a relay until told, then goes round the list', () => {
  const relays = new RelayRotation(['a', 'b', 'c']);
  assert.equal(relays.current, 'a');
  assert.equal(relays.current, 'a');
  assert.equal(relays.next(), 'b');
  assert.equal(relays.next(), 'c');
  assert.equal(relays.next(), 'a');
  assert.equal(new RelayRotation(['a']).next(), 'a');
  assert.throws(() => new RelayRotation([]));
});

/** A WebSocket that records the URL it was opened with; the test plays the relay. */
class FakeSocket {
  static OPEN = 1;
  /** @type {FakeSocket[]} */
  static opened = [];
  /** @param {string} url */
  constructor(url) {
    this.url = url;
    this.readyState = FakeSocket.OPEN;
    /** @type {any} */ this.onopen = null;
    /** @type {any} */ this.onmessage = null;
    /** @type {any} */ this.onclose = null;
    FakeSocket.opened.push(this);
  }
  send() {}
  close() {
    this.readyState = 3;
  }
  welcome() {
    this.onopen?.();
    const bytes = envelopeBytes({ case: 'welcome', value: {} });
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }
  /** @param {number} code */
  closeFromRelay(code) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

/** A connection over two relays whose timers the test runs (`advance`). */
function connectionOverTwoRelays() {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
  FakeSocket.opened = [];
  Object.assign(globalThis, { WebSocket: FakeSocket });
  /** @type {number[]} */
  const closes = [];
  const connection = new RelayConnection(['ws://n2/ws/play/cam1', 'ws://n3/ws/play/cam1'],
    { onEnvelope: () => {}, onOpen: () => {}, onClose: (_v, code) => closes.push(code) });
  connection.start();
  return {
    connection, closes,
    /** the URL of each socket opened, in order */
    urls: () => FakeSocket.opened.map((s) => s.url),
    last: () => /** @type {FakeSocket} */ (FakeSocket.opened.at(-1)),
    /** @param {number} ms */
    advance: (ms) => mock.timers.tick(ms),
    done() {
      connection.stop();
      mock.timers.reset();
    },
  };
}

test('a connection lost on one relay reconnects to the next, round the list', () => {
  const c = connectionOverTwoRelays();
  try {
    assert.deepEqual(c.urls(), ['ws://n2/ws/play/cam1']);
    c.last().welcome();
    c.last().closeFromRelay(1006); // node 2 died
    c.advance(10_000);
    assert.deepEqual(c.urls(), ['ws://n2/ws/play/cam1', 'ws://n3/ws/play/cam1']);
    assert.equal(c.connection.url, 'ws://n3/ws/play/cam1');
    c.last().closeFromRelay(1006); // node 3 refuses too, before any Welcome: back to node 2
    c.advance(10_000);
    assert.deepEqual(c.urls().slice(2), ['ws://n2/ws/play/cam1']);
    c.last().welcome();
    c.advance(10_000);
    assert.equal(c.urls().length, 3, 'a connection that holds stays where it is');
  } finally {
    c.done();
  }
});

test('a close after which the player gives up moves nowhere', () => {
  const c = connectionOverTwoRelays();
  try {
    c.last().welcome();
    c.last().closeFromRelay(4401); // unauthorized: no other node would take this token either
    c.advance(60_000);
    assert.deepEqual(c.closes, [4401]);
    assert.deepEqual(c.urls(), ['ws://n2/ws/play/cam1']);
  } finally {
    c.done();
  }
});

test('a rewrite applies to every relay, the one in use and those to come', () => {
  const rotation = new RelayRotation(['ws://a/ws/play/s', 'ws://b/ws/play/s']);
  rotation.rewrite((url) => `${url}?start=360p`);
  assert.equal(rotation.current, 'ws://a/ws/play/s?start=360p');
  assert.equal(rotation.next(), 'ws://b/ws/play/s?start=360p');
});
