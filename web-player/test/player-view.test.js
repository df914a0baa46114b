import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement } from './support/fake-dom.js';

/** The player's transport worker, unused here: the test sets the figures the page shows. */
class IdleWorker {
  /** @type {((e: unknown) => void) | null} */
  onmessage = null;
  postMessage() {}
  terminate() {}
}

test('the player page writes its "Click to unmute" label and texts only when they change (a WebKit click across a rewrite is lost), the badge always', async () => {
  Object.assign(globalThis, {
    // The video element never presents a frame here, so no canvas is drawn on.
    document: { createElement: (/** @type {string} */ tag) => Object.assign(new FakeElement(tag),
      tag === 'video' ? { requestVideoFrameCallback: () => 0 } : tag === 'canvas' ? { getContext: () => null } : {}) },
    location: { pathname: '/', search: '' },
    // The stats overlay stays hidden: its chart needs a canvas.
    localStorage: { getItem: () => 'hidden', setItem: () => {} },
    Worker: IdleWorker,
    requestAnimationFrame: () => 0,
    fetch: () => Promise.reject(new Error('no relay API here')),
  });
  mock.timers.enable({ apis: ['setInterval'] });
  mock.method(console, 'warn', () => {}); // "audio unavailable": there is no AudioContext here
  try {
    const { mountPlayerView } = await import('../src/ui/player-view.js');
    const root = new FakeElement('div');
    /** @type {import('../src/player.js').Player[]} */
    const players = [];
    const unmount = mountPlayerView(/** @type {any} */ (root), /** @type {any} */ ({
      stream: 's', token: '', videoPath: 'mse', floorMs: 40, ceilingMs: 1000, wsBase: 'ws://127.0.0.1:1', workletUrl: 'worklet.js',
      workerUrl: 'worker.js',
    }), (p) => players.push(p));
    assert.equal(players.length, 1);
    const player = players[0];
    // The test sets the figures: the player's own refresh of them stops (it reads a real video element).
    clearInterval(player.timer);
    // Playing without sound yet: the unmute button shows, "Click to unmute".
    Object.assign(player.stats, { state: 'playing', message: '', audioRunning: false, audioStartProblem: '', audioUnsupported: '' });
    mock.timers.tick(250);
    const unmute = root.byClass('tc-unmute');
    const label = /** @type {FakeElement} */ (unmute.children[1]);
    assert.equal(unmute.hidden, false);
    assert.equal(label.textContent, 'Click to unmute');
    const texts = [label, root.byClass('tc-chip'), root.byClass('tc-message-text'), root.byClass('tc-note-bar')];
    const writes = texts.map((e) => e.textWrites);
    const badge = root.byClass('tc-badge');
    const badgeWrites = badge.textWrites;
    mock.timers.tick(250 * 8);
    assert.deepEqual(texts.map((e) => e.textWrites), writes, 'refreshes with the same texts leave the label\'s text node (and the others) alone');
    assert.equal(badge.textWrites, badgeWrites + 8, 'but the badge, the page\'s heartbeat for WebKitGTK\'s rendering, is written each refresh');
    // A text that changes is still written, once.
    player.stats.audioStartProblem = 'Sound is blocked: click to allow it';
    mock.timers.tick(250 * 4);
    assert.equal(label.textContent, 'Sound is blocked: click to allow it');
    assert.equal(label.textWrites, writes[0] + 1);
    unmount();
  } finally {
    mock.timers.reset();
    mock.restoreAll();
  }
});
