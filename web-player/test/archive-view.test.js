import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement } from './support/fake-dom.js';

const T0 = Date.UTC(2026, 11, 4, 10, 0, 0) * 1000; // µs
/** Two finished segments of a minute, a minute apart. */
const RECORDINGS = [
  { id: 'a', state: 'CLOSED', startWallMicros: T0, endWallMicros: T0 + 60e6, sizeBytes: 1e6, url: '/a.mp4' },
  { id: 'b', state: 'CLOSED', startWallMicros: T0 + 120e6, endWallMicros: T0 + 180e6, sizeBytes: 1e6, url: '/b.mp4' },
];

/** Lets the page's fetch of the recordings, and what it does with them, finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('the archive page writes its cursor, range label and message only when they change (a WebKit click across a rewrite is lost), its clock always', async () => {
  Object.assign(globalThis, {
    // No native HLS: the segment's own file plays; the video never loads anything here.
    document: { createElement: (/** @type {string} */ tag) => Object.assign(new FakeElement(tag),
      tag === 'video' ? { canPlayType: () => '', play: () => Promise.resolve(), readyState: 0, currentTime: 0 } : {}) },
    window: { addEventListener: () => {}, removeEventListener: () => {} },
    HTMLMediaElement: { HAVE_METADATA: 1 },
    fetch: () => Promise.resolve({ status: 200, ok: true, headers: new Map([['content-type', 'application/json']]), json: () => Promise.resolve(RECORDINGS) }),
  });
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { mountArchiveView } = await import('../src/ui/archive-view.js');
    const root = new FakeElement('div');
    const unmount = mountArchiveView(/** @type {any} */ (root), 's', '', '');
    await settle();
    const clock = root.byClass('tc-archive-clock');
    const range = root.byClass('tc-card-meta');
    const message = root.byClass('tc-message-text');
    const track = root.byClass('tc-timeline');
    const cursor = root.byClass('tc-cursor');
    track.clientWidth = 1000;
    assert.match(range.textContent, /^2 segments · /);
    assert.equal(message.textContent, 'Click the timeline to play from that moment.');

    // Nothing plays: the clock shows '–' over 8 follows, the list refreshes twice with the same recordings.
    const writes = [clock, range, message].map((e) => e.textWrites);
    mock.timers.tick(100 * 8);
    assert.equal(clock.textContent, '–');
    assert.equal(clock.textWrites, writes[0] + 8, 'the clock, the page\'s heartbeat for WebKitGTK\'s rendering, is written each follow');
    mock.timers.tick(10_000);
    await settle();
    mock.timers.tick(10_000);
    await settle();
    assert.match(range.textContent, /^2 segments · /);
    assert.deepEqual([range, message].map((e) => e.textWrites), writes.slice(1), 'refreshes with the same recordings leave the range label and the message alone');

    // The pointer rests over the timeline: the cursor's time is written once.
    track.dispatch('mousemove', { clientX: 100 });
    const cursorText = cursor.textContent;
    assert.match(cursorText, /^\d\d:\d\d:\d\d$/);
    const cursorWrites = cursor.textWrites;
    for (let i = 0; i < 5; i++) track.dispatch('mousemove', { clientX: 100 });
    assert.equal(cursor.textWrites, cursorWrites, 'moves within the same second leave the cursor\'s text node alone');

    // Paused 5 s into the first segment: the clock shows that time.
    track.dispatch('click', { clientX: 100 });
    const video = /** @type {FakeElement & { readyState: number, currentTime: number }} */ (root.find((e) => e.tagName === 'VIDEO'));
    video.readyState = 1;
    video.currentTime = 5;
    mock.timers.tick(100);
    assert.equal(clock.dataset.wallMicros, String(T0 + 5e6));
    video.currentTime = 6;
    mock.timers.tick(100);
    assert.equal(clock.dataset.wallMicros, String(T0 + 6e6));
    unmount();
  } finally {
    mock.timers.reset();
  }
});
