import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement } from './support/fake-dom.js';

/** Lets the page's fetch of the streams, and what it does with them, finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('the stream list writes its note only when it changes (a WebKit click across a rewrite is lost)', async () => {
  /** @type {unknown} the relay's answer */
  let answer = { streams: [] };
  Object.assign(globalThis, {
    document: { createElement: (/** @type {string} */ tag) => new FakeElement(tag) },
    location: { pathname: '/' },
    fetch: () => Promise.resolve({ status: 200, ok: true, json: () => Promise.resolve(answer) }),
  });
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { mountStreamList } = await import('../src/ui/stream-list.js');
    const root = new FakeElement('div');
    const unmount = mountStreamList(/** @type {any} */ (root), '', '');
    await settle();
    const note = root.byClass('tc-note');
    assert.equal(note.textContent, 'No stream is live right now. Start a capture agent and it appears here.');
    const writes = note.textWrites;
    for (let i = 0; i < 4; i++) {
      mock.timers.tick(3000);
      await settle();
    }
    assert.equal(note.textWrites, writes, 'refreshes with still no stream leave the note\'s text node alone');
    // A note that changes is still written, once.
    answer = { streams: [{ name: 'cam', state: 'live', tracks: [], players: 0 }] };
    for (let i = 0; i < 3; i++) {
      mock.timers.tick(3000);
      await settle();
    }
    assert.equal(note.textContent, '');
    assert.equal(note.hidden, true);
    assert.equal(note.textWrites, writes + 1);
    unmount();
  } finally {
    mock.timers.reset();
  }
});
