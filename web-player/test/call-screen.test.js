import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement } from './support/fake-dom.js';

/** A call session as far as the call screen reads it: in the call, reconnecting, one member. */
function fakeSession() {
  return {
    displayName: 'Ada',
    publisher: null,
    orderedRemotes: [],
    connection: { final: false },
    media: { audioMuted: false, videoMuted: true, videoTrack: null, screen: null },
    stats: {
      state: 'reconnecting', message: 'Connection lost, reconnecting…', connections: 1, reconnects: 0, lastOutageMs: NaN,
      members: 1, maxMembers: 8, roomEvents: 2, participant: 'p1', instanceId: 'i1',
      audioProcessing: { echoCancellationRequested: 'all', echoCancellation: 'all', echoCancellationModes: ['all'], noiseSuppression: true, autoGainControl: null },
      self: { publisher: null, speaking: false, audioLevelDb: -90 },
      tiles: [],
    },
    setAudioMuted() {}, setVideoMuted() {}, toggleScreenShare() {}, leave() {}, backToJoin() {}, useDevice() {},
  };
}

test('the call screen writes its figures, banner and tile texts only when they change (a WebKit click across a rewrite is lost)', async () => {
  // Defined rather than assigned: Node 21 and later have a navigator of their own, a getter.
  Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true }); // no mediaDevices: no screen sharing, no device list
  Object.assign(globalThis, {
    document: {
      createElement: (/** @type {string} */ tag) => new FakeElement(tag),
      createElementNS: (/** @type {string} */ _ns, /** @type {string} */ tag) => new FakeElement(tag),
      addEventListener: () => {}, removeEventListener: () => {},
    },
    ResizeObserver: class { observe() {} disconnect() {} },
    // The figures panel is shown: the call screen updates it on each tick.
    localStorage: { getItem: () => 'shown', setItem: () => {} },
  });
  const { callScreen } = await import('../src/call/call-screen.js');
  const session = fakeSession();
  const screen = callScreen(/** @type {any} */ (session));
  const root = /** @type {FakeElement} */ (/** @type {unknown} */ (screen.element));
  screen.refresh();
  const cells = /** @type {FakeElement[]} */ (root.byClass('tc-call-stats').find((e) => e.className === 'tc-stats-table')?.children
    .filter((e) => e.tagName === 'DD'));
  assert.equal(cells.length, 9);
  assert.equal(cells[0].textContent, 'reconnecting · 1 connection · 0 reconnects');
  const banner = root.byClass('tc-call-banner');
  assert.equal(banner.textContent, 'Connection lost, reconnecting…');
  const self = root.byClass('tc-tile-self');
  const texts = [...cells, banner, self.byClass('tc-tile-name-text'), self.byClass('tc-avatar'), self.byClass('tc-tile-latency'), self.byClass('tc-tile-note')];
  const writes = texts.map((e) => e.textWrites);
  for (let i = 0; i < 8; i++) screen.tick();
  assert.deepEqual(texts.map((e) => e.textWrites), writes, 'ticks with the same figures leave the panel\'s cells (and the banner and tile) alone');
  // A figure that changes is still written, once.
  session.stats.state = 'live';
  session.stats.message = '';
  for (let i = 0; i < 4; i++) screen.tick();
  assert.equal(cells[0].textContent, 'live · 1 connection · 0 reconnects');
  assert.equal(cells[0].textWrites, writes[0] + 1);
  assert.equal(cells[1].textWrites, writes[1], 'and only that one');
  assert.equal(banner.textWrites, writes[9] + 1);
  screen.close();
});
