// The publisher's audio capture where there is no MediaStreamTrackProcessor: the capture worklet's
// chunking of render quanta, and the publish worker's stamping of the chunks on the page's clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioChunker } from '../src/publish/audio-chunker.js';
import { WorkletAudio } from '../src/publish/worklet-audio.js';

const QUANTUM = 128;

/** A quantum of `channels` channels whose samples count on from `first` (channel c: c × 1e6 + n). @param {number} first @param {number} channels */
function quantum(first, channels) {
  return Array.from({ length: channels }, (_, c) => Float32Array.from({ length: QUANTUM }, (_, i) => c * 1e6 + first + i));
}

/** @param {number} channels @param {number} chunkFrames */
function chunker(channels, chunkFrames) {
  /** @type {{ planes: Float32Array, frames: number }[]} */
  const chunks = [];
  return { chunks, chunker: new AudioChunker(channels, chunkFrames, (planes, frames) => chunks.push({ planes, frames })) };
}

test('capture worklet: 128-frame quanta become 960-frame planar chunks, a quantum split across two, no sample lost or repeated', () => {
  const { chunks, chunker: c } = chunker(2, 960);
  for (let q = 0; q < 7; q++) c.push(quantum(q * QUANTUM, 2), QUANTUM);
  assert.equal(chunks.length, 0, '896 frames: no chunk yet');
  c.push(quantum(7 * QUANTUM, 2), QUANTUM);
  assert.equal(chunks.length, 1, 'the 8th quantum completes the first chunk');
  // 15 chunks are 112.5 quanta: 113 quanta make 15 chunks and 64 frames towards the 16th.
  for (let q = 8; q < 113; q++) c.push(quantum(q * QUANTUM, 2), QUANTUM);
  assert.equal(chunks.length, 15);
  assert.equal(c.filled, 64);
  for (const [k, { planes, frames }] of chunks.entries()) {
    assert.equal(frames, 960);
    assert.equal(planes.length, 2 * 960);
    for (let i = 0; i < 960; i++) {
      const n = k * 960 + i;
      if (planes[i] !== n || planes[960 + i] !== 1e6 + n) assert.fail(`chunk ${k} frame ${i}: ${planes[i]}, ${planes[960 + i]}; wanted ${n}, ${1e6 + n}`);
    }
  }
  assert.notEqual(chunks[0].planes.buffer, chunks[1].planes.buffer, 'each chunk its own buffer (it is transferred)');
});

test('capture worklet: a mono input fills both channels; an input without channels (its source not running) counts as silence', () => {
  const { chunks, chunker: c } = chunker(2, 256);
  c.push(quantum(0, 1), QUANTUM);
  c.push([], QUANTUM);
  assert.equal(chunks.length, 1, 'the silent quantum still counts');
  const { planes } = chunks[0];
  assert.equal(planes[5], 5);
  assert.equal(planes[256 + 5], 5, 'the second channel: the mono one again');
  assert.deepEqual([...planes.subarray(128, 256)], new Array(128).fill(0));
  assert.deepEqual([...planes.subarray(256 + 128)], new Array(128).fill(0));
});

class FakeAudioData {
  /** @param {AudioDataInit} init */
  constructor(init) {
    this.init = init;
  }

  close() {}
}

/** @returns {{ received: { data: FakeAudioData, firstChannel: Float32Array }[], audio: WorkletAudio }} */
function workletAudio() {
  Object.assign(globalThis, { AudioData: FakeAudioData });
  /** @type {{ data: FakeAudioData, firstChannel: Float32Array }[]} */
  const received = [];
  // The page started at 1000 ms since the epoch, the worker 500.25 ms after it.
  const audio = new WorkletAudio({ sampleRate: 48_000, timeOriginMs: 1000 }, 1500.25,
    (data, firstChannel) => received.push({ data: /** @type {FakeAudioData} */ (/** @type {unknown} */ (data)), firstChannel }));
  return { received, audio };
}

/** @param {number} first @param {number} frames */
function chunk(first, frames) {
  const planes = Float32Array.from({ length: 2 * frames }, (_, i) => first + i);
  return { planes, frames, channels: 2 };
}

test('publish worker: a chunk is stamped on arrival on the page\'s performance.now() clock (µs), its first sample 20 ms before', () => {
  const { received, audio } = workletAudio();
  // Arrived at the worker's 100 ms: the page's 600.25 ms; 960 frames at 48 kHz are 20 ms.
  audio.receive(chunk(0, 960), 100);
  const first = received[0];
  assert.equal(first.data.init.timestamp, 580_250);
  assert.equal(first.data.init.format, 'f32-planar');
  assert.equal(first.data.init.sampleRate, 48_000);
  assert.equal(first.data.init.numberOfFrames, 960);
  assert.equal(first.data.init.numberOfChannels, 2);
  assert.equal(first.firstChannel.length, 960, 'the first channel alone');
  assert.equal(first.firstChannel[959], 959);
  // A chunk that came 15 ms late still follows on, 20 ms on: the samples are counted.
  audio.receive(chunk(1920, 960), 135);
  assert.equal(received[1].data.init.timestamp, 600_250);
});

test('publish worker: chunks that fall more than 100 ms behind the page\'s clock are moved up to it (a gap), never back', () => {
  const { received, audio } = workletAudio();
  audio.receive(chunk(0, 960), 100);
  audio.receive(chunk(0, 960), 400); // 280 ms of capture never came
  assert.equal(received[1].data.init.timestamp, 880_250);
  assert.equal(audio.clock.jumps, 1);
  audio.receive(chunk(0, 960), 410);
  assert.equal(received[2].data.init.timestamp, 900_250, 'an early chunk is not put back');
});
