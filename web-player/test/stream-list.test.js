import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement } from './support/fake-dom.js';

/** Lets the page's fetch of the streams, and what it does with them, finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A page whose fetch of /api/streams answers `relay.answer`, with the list's timer under the test's control. @param {{ answer: unknown }} relay */
function fakePage(relay) {
  Object.assign(globalThis, {
    document: { createElement: (/** @type {string} */ tag) => new FakeElement(tag) },
    location: { pathname: '/' },
    fetch: () => Promise.resolve({ status: 200, ok: true, json: () => Promise.resolve(relay.answer) }),
  });
  mock.timers.enable({ apis: ['setInterval'] });
}

test('the stream list writes its note only when it changes (a WebKit click across a rewrite is lost)', async () => {
  const relay = { answer: /** @type {unknown} */ ({ streams: [] }) };
  fakePage(relay);
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
    relay.answer = { streams: [{ name: 'cam', state: 'live', tracks: [], players: 0 }] };
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

test('a refresh updates a card in place: the same element, its figures rewritten only when they change; a new codec or a gone stream is rebuilt or removed', async () => {
  const relay = { answer: /** @type {unknown} */ ({ streams: [] }) };
  fakePage(relay);
  /** @param {string} name @param {string} codec @param {number} players */
  const stream = (name, codec, players) => ({ name, state: 'live', players, tracks: [{ kind: 'video', codec, width: 640, height: 360 }] });
  const refresh = async () => {
    mock.timers.tick(3000);
    await settle();
  };
  try {
    const { mountStreamList } = await import('../src/ui/stream-list.js');
    const root = new FakeElement('div');
    relay.answer = { streams: [stream('cam', 'avc1.42E01F', 1), stream('desk', 'avc1.42E01F', 0)] };
    const unmount = mountStreamList(/** @type {any} */ (root), '', '');
    await settle();
    const grid = root.byClass('tc-grid');
    const [cam, desk] = grid.children;
    const meta = cam.byClass('tc-card-meta');
    assert.match(meta.textContent, /1 watching/);
    const writes = meta.textWrites;

    await refresh();
    assert.equal(grid.children[0], cam, 'the same card, not a rebuilt one');
    assert.equal(meta.textWrites, writes, 'unchanged figures are not rewritten');

    relay.answer = { streams: [stream('cam', 'avc1.42E01F', 3), stream('desk', 'avc1.42E01F', 0)] };
    await refresh();
    assert.equal(grid.children[0], cam);
    assert.match(meta.textContent, /3 watching/);
    assert.equal(meta.textWrites, writes + 1);

    relay.answer = { streams: [stream('cam', 'vp8', 3)] };
    await refresh();
    assert.equal(grid.children.length, 1, 'the gone stream\'s card is removed');
    assert.notEqual(grid.children[0], cam, 'a new codec: a new card (its playability is judged again)');
    assert.notEqual(grid.children[0], desk);
    unmount();
  } finally {
    mock.timers.reset();
  }
});
