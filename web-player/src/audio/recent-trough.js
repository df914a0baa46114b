// @ts-check
/** The lowest depth of the last one to two periods (two rolling periods' minima). */
export class RecentTrough {
  /** @param {number} periodFrames */
  constructor(periodFrames) {
    this.periodFrames = periodFrames;
    this.current = Infinity;
    this.previous = Infinity;
    this.frames = 0;
  }

  clear() {
    this.current = Infinity;
    this.previous = Infinity;
    this.frames = 0;
  }

  /** @param {number} depthMs @param {number} frames */
  add(depthMs, frames) {
    this.current = Math.min(this.current, depthMs);
    this.frames += frames;
    if (this.frames < this.periodFrames) return;
    this.previous = this.current;
    this.current = Infinity;
    this.frames = 0;
  }

  /** The depth fell by ms at once (audio removed): so did its recent trough. @param {number} ms */
  lower(ms) {
    this.current -= ms;
    this.previous -= ms;
  }

  get ms() {
    return Math.min(this.current, this.previous);
  }
}
