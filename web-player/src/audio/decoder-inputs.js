// @ts-check
/**
 * The packets inside an audio decoder, oldest first: each decoded output takes its packet's
 * media time and arrival from here, not from the output's own timestamp. Chromium's
 * `AudioDecoder` stamps its outputs by counting samples from the first input (measured: inputs
 * at 0, 20, 40, 1000, 1020, 3000, 3020 ms came out at 0, 20, 40, 60, 80, 100, 120 ms), so every
 * pause of a sender's DTX was lost: the player's audio timeline ran slow by the length of every
 * silence, its latency grew without bound, and the video held to it with it. Opus decodes one
 * output per packet, in order; a decoder that fails is restarted with this cleared.
 */
export class DecoderInputs {
  /** @param {number} [maxPending] inputs kept at most (~1 s of 20 ms packets) */
  constructor(maxPending = 50) {
    this.maxPending = maxPending;
    /** @type {{ ptsMicros: number, arrivalMs: number }[]} */
    this.pending = [];
    /** inputs forgotten without an output (a decoder that swallowed some) */
    this.evicted = 0;
  }

  get size() {
    return this.pending.length;
  }

  /** A packet given to the decoder. @param {number} ptsMicros @param {number} arrivalMs */
  note(ptsMicros, arrivalMs) {
    this.pending.push({ ptsMicros, arrivalMs });
    if (this.pending.length > this.maxPending) {
      this.pending.shift();
      this.evicted++;
    }
  }

  /** The packet the next output decodes (undefined when none is pending). */
  take() {
    return this.pending.shift();
  }

  clear() {
    this.pending = [];
  }
}
