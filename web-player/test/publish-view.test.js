import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement } from './support/fake-dom.js';

test('the publish page writes its Start/Stop label only when it changes (a WebKit click across a rewrite is lost)', async () => {
  Object.assign(globalThis, { document: { createElement: (/** @type {string} */ tag) => new FakeElement(tag) }, location: { pathname: '/' } });
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { mountPublishView } = await import('../src/ui/publish-view.js');
    const root = new FakeElement('div');
    /** @type {import('../src/publish/publisher.js').Publisher[]} */
    const publishers = [];
    const unmount = mountPublishView(/** @type {any} */ (root), {
      stream: 's', token: '', wsBase: 'ws://127.0.0.1:1', workerUrl: 'worker.js', search: '', errors: [],
      settings: /** @type {any} */ ({ videoBitrateBps: 1e6, audioBitrateBps: 64e3, dtx: false }), capture: { width: 640, height: 360, frameRate: 30 },
    }, (p) => { if (p) publishers.push(p); });
    const start = /** @type {FakeElement} */ (root.find((e) => e.className.split(' ').includes('tc-start')));
    start.dispatch('click');
    assert.equal(publishers.length, 1);
    // Live, as after a start: the label says Stop from the next refresh on.
    publishers[0].running = true;
    publishers[0].stats.state = 'live';
    mock.timers.tick(250);
    assert.equal(start.textContent, 'Stop');
    const writes = start.textWrites;
    const badge = /** @type {FakeElement} */ (root.find((e) => e.className.split(' ').includes('tc-badge')));
    const badgeWrites = badge.textWrites;
    mock.timers.tick(250 * 8);
    assert.equal(start.textWrites, writes, 'refreshes with the same label leave the button\'s text node alone');
    assert.equal(badge.textWrites, badgeWrites, 'and the state badge\'s');
    publishers[0].running = false;
    publishers[0].stats.state = 'stopped';
    mock.timers.tick(250);
    assert.equal(start.textContent, 'Start publishing');
    unmount();
  } finally {
    mock.timers.reset();
  }
});
