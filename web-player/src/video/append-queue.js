// @ts-check
/**
 * Feeds fMP4 fragments to a SourceBuffer one append at a time, in order, and keeps the
 * buffer behind the playhead short. On QuotaExceededError it drops what is queued, trims
 * behind the playhead and resumes at the next keyframe (the fragments in between depend on
 * the lost one); any other append error is handed to `onError` (the renderer starts over
 * with a new MediaSource). Knows nothing of the DOM beyond the SourceBuffer's methods, so
 * it runs under node with a fake one.
 */

/**
 * @typedef {object} SourceBufferLike
 * @property {boolean} updating
 * @property {{ length: number, start(i: number): number, end(i: number): number }} buffered
 * @property {(data: Uint8Array<ArrayBuffer>) => void} appendBuffer
 * @property {(start: number, end: number) => void} remove
 * @property {(type: string) => void} [changeType]  where the engine has it (MSE v2)
 *
 * @typedef {object} LayerSwitch  a new init segment in the middle of the stream
 * @property {Uint8Array} init
 * @property {string | null} changeType  the new MIME type, or null to keep it
 *
 * @typedef {object} AppendQueueOptions
 * @property {() => number} playheadS       the media element's currentTime
 * @property {() => boolean} [canAppend]    false while the MediaSource is not open
 * @property {(error: unknown) => void} onError  an append failed for another reason than quota
 * @property {number} [keepBehindS]         buffer kept behind the playhead
 */

export class AppendQueue {
  /** @param {SourceBufferLike} sourceBuffer @param {AppendQueueOptions} options */
  constructor(sourceBuffer, options) {
    this.sourceBuffer = sourceBuffer;
    this.playheadS = options.playheadS;
    this.canAppend = options.canAppend ?? (() => true);
    this.onError = options.onError;
    this.keepBehindS = options.keepBehindS ?? 2;
    /** @type {Uint8Array[]} */
    /** @type {(Uint8Array | LayerSwitch)[]} fragments, and the switches between them */
    this.queue = [];
    this.waitingForKeyframe = false;
    this.quotaErrors = 0;
    /** fragments dropped while waiting for a keyframe after a quota error */
    this.skippedFragments = 0;
    /** fragments lost to quota errors: the one refused, those queued then, those skipped after */
    this.droppedFragments = 0;
    this.appended = 0;
    /**
     * Where the last removal ended: trimming starts there even when the buffer still starts
     * earlier. Firefox may leave a sliver of microseconds where a removal began (a remove of
     * [2.099988, 3.100221) left [2.099988, 2.100033)); trimming from buffered.start(0) then
     * issued the same removal on every updateend and never appended again.
     */
    this.trimmedToS = -Infinity;
    this.removals = 0;
  }

  /** The init segment: ahead of everything queued. @param {Uint8Array} bytes */
  pushInit(bytes) {
    this.queue.unshift(bytes);
    this.pump();
  }

  /**
   * A new init segment after what is queued (a layer switch), with a codec change before it:
   * the fragments that follow belong to it. Kept while waiting for a keyframe after a quota error.
   * @param {Uint8Array} bytes @param {string | null} changeType  the new MIME type, or null to keep it
   */
  pushSwitch(bytes, changeType) {
    this.queue.push({ init: bytes, changeType });
    this.pump();
  }

  get canChangeType() {
    return typeof this.sourceBuffer.changeType === 'function';
  }

  /** @param {Uint8Array} bytes one fragment @param {boolean} keyframe */
  push(bytes, keyframe) {
    if (this.waitingForKeyframe) {
      if (!keyframe) {
        this.skippedFragments++;
        this.droppedFragments++;
        return;
      }
      this.waitingForKeyframe = false;
    }
    this.queue.push(bytes);
    this.pump();
  }

  /** Appends the next fragment when the SourceBuffer is idle (call again on `updateend`). */
  pump() {
    const sb = this.sourceBuffer;
    if (sb.updating || this.queue.length === 0 || !this.canAppend()) return;
    if (this.trimBehind()) return; // updateend continues
    const next = /** @type {Uint8Array | LayerSwitch} */ (this.queue.shift());
    try {
      if (next instanceof Uint8Array) {
        sb.appendBuffer(/** @type {Uint8Array<ArrayBuffer>} */ (next));
      } else {
        // changeType() is synchronous, on an idle SourceBuffer: the init segment follows at once.
        if (next.changeType) /** @type {(type: string) => void} */ (sb.changeType).call(sb, next.changeType);
        sb.appendBuffer(/** @type {Uint8Array<ArrayBuffer>} */ (next.init));
      }
      this.appended++;
    } catch (e) {
      if (e instanceof Error && e.name === 'QuotaExceededError') this.quotaExceeded();
      else this.onError(e);
    }
  }

  quotaExceeded() {
    this.quotaErrors++;
    // A switch queued stays: the keyframe waited for may be of the new layer.
    const switches = this.queue.filter((item) => !(item instanceof Uint8Array));
    this.droppedFragments += 1 + this.queue.length - switches.length;
    this.queue = switches;
    this.waitingForKeyframe = true;
    const sb = this.sourceBuffer;
    const end = this.playheadS() - 0.1;
    if (end > 0 && !sb.updating && sb.buffered.length > 0) this.remove(0, end);
  }

  /** @param {number} start @param {number} end */
  remove(start, end) {
    this.sourceBuffer.remove(start, end);
    this.trimmedToS = end;
    this.removals++;
  }

  /**
   * Removes what is more than keepBehindS behind the playhead, a second at least, from where
   * the last removal ended (what it left is not removed again); true when a removal started.
   */
  trimBehind() {
    const sb = this.sourceBuffer;
    if (sb.buffered.length === 0) return false;
    const start = Math.max(sb.buffered.start(0), this.trimmedToS);
    const upTo = this.playheadS() - this.keepBehindS;
    if (upTo - start < 1) return false;
    this.remove(start, upTo);
    return true;
  }
}
