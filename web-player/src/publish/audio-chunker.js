// @ts-check
/**
 * Gathers an AudioWorklet's render quanta (128 frames per channel) into chunks of a fixed
 * number of frames, planar Float32 (channel c at c × chunkFrames), and hands each full chunk
 * on; a quantum may straddle two chunks. The chunk is a new array each time, so that its
 * buffer can be transferred. An input with fewer channels than the chunk's (none: its source
 * is not running) fills the rest from its last channel, or with silence, so the samples stay
 * counted. Pure: it runs in the capture worklet and in the tests.
 */
export class AudioChunker {
  /**
   * @param {number} channels @param {number} chunkFrames
   * @param {(planes: Float32Array<ArrayBuffer>, frames: number) => void} onChunk  a full chunk, which is the callee's from then on
   */
  constructor(channels, chunkFrames, onChunk) {
    this.channels = channels;
    this.chunkFrames = chunkFrames;
    this.onChunk = onChunk;
    this.planes = new Float32Array(channels * chunkFrames);
    /** frames of the current chunk filled */
    this.filled = 0;
  }

  /**
   * One render quantum of the input.
   * @param {Float32Array[]} input  its channels, each `frames` long (none: silence)
   * @param {number} frames
   */
  push(input, frames) {
    let offset = 0;
    while (offset < frames) {
      const n = Math.min(frames - offset, this.chunkFrames - this.filled);
      for (let c = 0; c < this.channels; c++) {
        const at = c * this.chunkFrames + this.filled;
        const from = input[Math.min(c, input.length - 1)];
        if (from) this.planes.set(from.subarray(offset, offset + n), at);
        else this.planes.fill(0, at, at + n);
      }
      this.filled += n;
      offset += n;
      if (this.filled === this.chunkFrames) {
        const full = this.planes;
        this.planes = new Float32Array(this.channels * this.chunkFrames);
        this.filled = 0;
        this.onChunk(full, this.chunkFrames);
      }
    }
  }
}
