// The browser publication's stop: EndOfStream, the close frame, and an end only once the closing
// handshake is over. Ending the worker right after close() aborted the socket with a TCP reset
// under load, the relay lost the EndOfStream with the close frame, and the others in the call saw
// "connection lost" for a participant who clicked Leave (CallE2ETest, load 28). The Publication
// is the real one; the test plays the relay.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Publication } from '../src/publish/publication.js';
import { CLOSE_HANDSHAKE_WAIT_MS } from '../src/transport/connection.js';
import { DEFAULT_PUBLISH_SETTINGS } from '../src/publish/settings.js';
import { envelopeBytes } from '../src/transport/wire.js';
import { RecordingSocket } from './support/recording-socket.js';

/** A live publication without tracks, on a page clock the test moves. */
function livePublication() {
  let nowMs = 10_000;
  mock.method(performance, 'now', () => nowMs);
  mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
  RecordingSocket.opened = [];
  Object.assign(globalThis, { WebSocket: RecordingSocket });
  const p = new Publication({ url: 'ws://relay/ws/publish/s', stream: 's', source: 'camera', settings: DEFAULT_PUBLISH_SETTINGS,
    call: null, tracks: [] }, () => {});
  p.start();
  const socket = RecordingSocket.opened[0];
  socket.onopen();
  socket.deliver(envelopeBytes({ case: 'welcome', value: {} }));
  socket.deliver(envelopeBytes({ case: 'pong', value: { id: 1n, pingSendTimeMicros: 0n, receiveTimeMicros: 0n, sendTimeMicros: 0n } }));
  assert.equal(p.live, true);
  return {
    p, socket,
    /** Moves the clock and the timers by `ms`, letting the stop's awaits run between steps. @param {number} ms */
    async advance(ms) {
      for (let t = 0; t < ms; t += 10) {
        nowMs += 10;
        mock.timers.tick(10);
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
    },
    done() {
      mock.timers.reset();
      mock.restoreAll();
    },
  };
}

test('stop sends EndOfStream, then the close frame, and resolves only when the closing handshake is over', async () => {
  const { p, socket, advance, done } = livePublication();
  try {
    let stopped = false;
    void p.stop('left the call').then(() => { stopped = true; });
    await advance(200);
    const ends = socket.sent.filter((s) => s.envelope.kind.case === 'endOfStream');
    assert.equal(ends.length, 1, 'EndOfStream sent');
    assert.equal(socket.closedByClient, true, 'then the close frame');
    assert.equal(stopped, false, 'the worker may not end before the handshake is over');
    socket.onclose({ code: 1000, reason: 'end of stream' });
    await advance(20);
    assert.equal(stopped, true);
    await advance(3000);
    assert.equal(RecordingSocket.opened.length, 1, 'no reconnect');
  } finally {
    done();
  }
});

test('stop gives the handshake CLOSE_HANDSHAKE_WAIT_MS at most', async () => {
  const { p, advance, done } = livePublication();
  try {
    let stopped = false;
    void p.stop().then(() => { stopped = true; });
    await advance(CLOSE_HANDSHAKE_WAIT_MS);
    assert.equal(stopped, false, 'still waiting');
    await advance(200);
    assert.equal(stopped, true);
  } finally {
    done();
  }
});
