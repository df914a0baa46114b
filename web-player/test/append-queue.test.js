// The MSE append queue against a fake SourceBuffer (the collaborator): appends in order, one at
// a time, trims behind the playhead, and recovers from QuotaExceededError at the next keyframe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppendQueue } from '../src/video/append-queue.js';

/** @typedef {import('../src/video/append-queue.js').SourceBufferLike} SourceBufferLike */

class QuotaExceededError extends Error {
  name = 'QuotaExceededError';
}

/**
 * A SourceBuffer that completes each operation when finish() is called.
 * @implements {SourceBufferLike}
 */
class FakeSourceBuffer {
  constructor() {
    this.updating = false;
    /** @type {string[]} */
    this.log = [];
    this.ranges = /** @type {[number, number][]} */ ([]);
    this.buffered = { length: 0, start: (/** @type {number} */ i) => this.ranges[i][0], end: (/** @type {number} */ i) => this.ranges[i][1] };
    this.failNext = /** @type {Error | null} */ (null);
  }
  /** @param {Uint8Array<ArrayBuffer>} data */
  appendBuffer(data) {
    if (this.updating) throw new Error('InvalidStateError: still updating');
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      throw e;
    }
    this.updating = true;
    this.log.push(`append ${new TextDecoder().decode(data)}`);
  }
  /** @param {number} start @param {number} end */
  remove(start, end) {
    if (this.updating) throw new Error('InvalidStateError: still updating');
    this.updating = true;
    this.log.push(`remove ${start}-${end}`);
  }
  /** updateend @param {AppendQueue} queue */
  finish(queue) {
    this.updating = false;
    queue.pump();
  }
}

const bytes = (/** @type {string} */ s) => new TextEncoder().encode(s);

function setup(playheadS = 0) {
  const sb = new FakeSourceBuffer();
  /** @type {unknown[]} */
  const errors = [];
  const state = { playheadS };
  const queue = new AppendQueue(sb, { playheadS: () => state.playheadS, onError: (e) => errors.push(e) });
  return { sb, queue, errors, state };
}

test('fragments are appended in order, one at a time, the init segment first', () => {
  const { sb, queue } = setup();
  queue.push(bytes('k1'), true);
  queue.push(bytes('d2'), false);
  queue.pushInit(bytes('init')); // the MediaSource opened after the first fragments came
  assert.deepEqual(sb.log, ['append k1']); // k1 was already on its way
  sb.finish(queue);
  sb.finish(queue);
  sb.finish(queue);
  assert.deepEqual(sb.log, ['append k1', 'append init', 'append d2']);
  assert.equal(queue.appended, 3);
});

test('QuotaExceededError: drops the queue, trims behind the playhead, resumes at the next keyframe; counted', () => {
  const { sb, queue, errors, state } = setup();
  sb.ranges = [[0, 10]];
  sb.buffered.length = 1;
  state.playheadS = 1.5; // nothing old enough to trim yet
  queue.push(bytes('k1'), true);
  queue.push(bytes('d2'), false); // queued behind k1
  sb.failNext = new QuotaExceededError('full');
  sb.finish(queue); // d2 hits the quota
  assert.equal(queue.quotaErrors, 1);
  assert.equal(queue.waitingForKeyframe, true);
  assert.deepEqual(sb.log, ['append k1', 'remove 0-1.4']);
  sb.finish(queue);
  queue.push(bytes('d3'), false); // depends on d2: useless now
  queue.push(bytes('d4'), false);
  assert.equal(queue.skippedFragments, 2);
  assert.equal(queue.droppedFragments, 3, 'd2 refused, d3 and d4 skipped');
  queue.push(bytes('k5'), true);
  queue.push(bytes('d6'), false);
  sb.finish(queue);
  assert.deepEqual(sb.log, ['append k1', 'remove 0-1.4', 'append k5', 'append d6']);
  assert.equal(queue.waitingForKeyframe, false);
  assert.deepEqual(errors, []);
});

test('a layer switch: its init segment after what is queued, kept through a quota error, changeType() first', () => {
  const { sb, queue } = setup();
  queue.push(bytes('k1'), true);
  queue.push(bytes('d2'), false); // queued behind k1
  queue.pushSwitch(bytes('init2'), null);
  sb.failNext = new QuotaExceededError('full');
  sb.finish(queue); // d2 hits the quota: the switch queued behind it stays
  assert.equal(queue.droppedFragments, 1, 'd2 only');
  queue.push(bytes('d3'), false);
  queue.push(bytes('k4'), true); // the new layer's keyframe
  assert.deepEqual(sb.log, ['append k1', 'append init2']);
  sb.finish(queue);
  assert.deepEqual(sb.log, ['append k1', 'append init2', 'append k4']);
  assert.equal(queue.canChangeType, false, 'this SourceBuffer has no changeType()');
  Object.assign(sb, { changeType: (/** @type {string} */ type) => sb.log.push(`changeType ${type}`) });
  assert.equal(queue.canChangeType, true);
  sb.finish(queue);
  queue.pushSwitch(bytes('init3'), 'video/mp4; codecs="avc1.64000d"');
  assert.deepEqual(sb.log.slice(3), ['changeType video/mp4; codecs="avc1.64000d"', 'append init3']);
});

test('another append error goes to onError (the renderer starts a new MediaSource)', () => {
  const { sb, queue, errors } = setup();
  sb.failNext = new Error('InvalidStateError');
  queue.push(bytes('k1'), true);
  assert.equal(errors.length, 1);
  assert.equal(queue.quotaErrors, 0);
});

test('the buffer behind the playhead is trimmed to keepBehindS before the next append', () => {
  const { sb, queue, state } = setup();
  sb.ranges = [[0, 10]];
  sb.buffered.length = 1;
  state.playheadS = 5;
  queue.push(bytes('k1'), true);
  assert.deepEqual(sb.log, ['remove 0-3']);
  sb.ranges = [[3, 10]];
  sb.finish(queue);
  assert.deepEqual(sb.log, ['remove 0-3', 'append k1']);
});

test('nothing is appended while the MediaSource is not open', () => {
  const sb = new FakeSourceBuffer();
  let open = false;
  const queue = new AppendQueue(sb, { playheadS: () => 0, canAppend: () => open, onError: () => {} });
  queue.push(bytes('k1'), true);
  assert.deepEqual(sb.log, []);
  open = true;
  queue.pump();
  assert.deepEqual(sb.log, ['append k1']);
});

test('a remove that leaves a sliver behind (Firefox) is not issued again: appends go on', () => {
  const { sb, queue, state } = setup();
  sb.ranges = [[2.099988, 12]];
  sb.buffered.length = 1;
  state.playheadS = 5.1;
  queue.push(bytes('k1'), true);
  queue.push(bytes('d2'), false);
  assert.deepEqual(sb.log, ['remove 2.099988-3.0999999999999996']);
  // Firefox removed all but 45 µs at the start: buffered.start(0) did not move.
  sb.ranges = [[2.099988, 2.100033], [3.1, 12]];
  sb.buffered.length = 2;
  for (let i = 0; i < 3; i++) sb.finish(queue);
  assert.deepEqual(sb.log, ['remove 2.099988-3.0999999999999996', 'append k1', 'append d2']);
  // A second past that, the next second behind is trimmed from where the last remove ended.
  state.playheadS = 6.2;
  queue.push(bytes('d3'), false);
  assert.equal(sb.log.at(-1), 'remove 3.0999999999999996-4.2');
});
