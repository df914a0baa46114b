// @ts-check
/**
 * The publish worker's side of the capture worklet (the page's fallback without
 * MediaStreamTrackProcessor): each chunk is stamped as it arrives and handed on as AudioData,
 * with its first channel (see CapturedChunk in messages.js). Stamps are on the page's
 * performance.now() clock in µs, as the video frames the page copies: the worker's clock
 * started later (its performance.timeOrigin), so its times are moved by the difference of the
 * two origins; the samples are counted from the first chunk on (SampleClock).
 * Pure but for the AudioData it makes: times come in as arguments.
 */
import { SampleClock } from './capture-timeline.js';

/** @typedef {import('./messages.js').CapturedChunk} CapturedChunk */

export class WorkletAudio {
  /**
   * @param {{ sampleRate: number, timeOriginMs: number }} page  the page's AudioContext rate and performance.timeOrigin
   * @param {number} workerTimeOriginMs  this worker's performance.timeOrigin
   * @param {(data: AudioData, firstChannel: Float32Array) => void} sink
   */
  constructor(page, workerTimeOriginMs, sink) {
    this.sampleRate = page.sampleRate;
    /** the page's performance.now() − this worker's */
    this.toPageMs = workerTimeOriginMs - page.timeOriginMs;
    this.clock = new SampleClock(page.sampleRate);
    this.sink = sink;
  }

  /**
   * The timestamp of a chunk's first sample, on the page's clock (µs).
   * @param {number} frames @param {number} arrivedMs  this worker's performance.now() when the chunk arrived
   */
  stamp(frames, arrivedMs) {
    return this.clock.next(frames, (arrivedMs + this.toPageMs) * 1000);
  }

  /** @param {CapturedChunk} chunk @param {number} arrivedMs  this worker's performance.now() when it arrived */
  receive(chunk, arrivedMs) {
    const { planes, frames, channels } = chunk;
    const timestamp = this.stamp(frames, arrivedMs);
    const data = new AudioData({ format: 'f32-planar', sampleRate: this.sampleRate, numberOfFrames: frames, numberOfChannels: channels,
      timestamp, data: planes });
    // The AudioData copied the samples: the first channel is still ours to pass along.
    this.sink(data, planes.subarray(0, frames));
  }
}
