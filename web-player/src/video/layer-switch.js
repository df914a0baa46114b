// @ts-check
/**
 * A video TrackConfig of the track playing that arrives while it plays: a simulcast layer switch
 * (docs/protocol.md, "Simulcast") or an encoder's new size, announced just before its keyframe.
 * A path switches in place when it can (MSE: a new init segment on the same SourceBuffer, with
 * changeType() first for another codec string; WebCodecs: configure() on the same decoder), so
 * video plays on without a restart; anything else starts over, as at a first config.
 */
import { sampleEntryType } from './fmp4.js';

/** @typedef {import('./renderer.js').TrackConfig} TrackConfig */

/**
 * A keyframe after a switch further than this from the newest frame before it is another
 * timeline (a publisher that started over), not the next picture of the same one.
 */
export const SWITCH_MAX_JUMP_MICROS = 2_000_000;

/**
 * How to take `next` while `playing` plays: 'restart' (a first config, another track or codec
 * family, a codec string the path cannot change to, or the same config again: a publisher that
 * re-announced it may have started a new timeline), 'inPlace' (same codec string, new layer,
 * size or decoder config), 'changeType' (in place, with another codec string of the family).
 * @param {TrackConfig | null} playing @param {TrackConfig} next
 * @param {{ changeType: boolean }} path  whether the path can change the codec string in place
 * @returns {'restart' | 'inPlace' | 'changeType'}
 */
export function switchPlan(playing, next, path) {
  if (!playing || playing.trackId !== next.trackId || sameConfig(playing, next)) return 'restart';
  if (sampleEntryType(playing.codec) !== sampleEntryType(next.codec)) return 'restart';
  if (playing.codec === next.codec) return 'inPlace';
  return path.changeType ? 'changeType' : 'restart';
}

/** @param {TrackConfig} a @param {TrackConfig} b */
function sameConfig(a, b) {
  return a.codec === b.codec && a.layer === b.layer && a.width === b.width && a.height === b.height
    && a.decoderConfig.length === b.decoderConfig.length && a.decoderConfig.every((byte, i) => byte === b.decoderConfig[i]);
}

/**
 * Whether the first keyframe after an in-place switch goes on from the newest frame before it
 * (aligned layers share one pts timeline); else the path starts over at it.
 * @param {number} newestPtsMicros  NaN: nothing before it @param {number} keyframePtsMicros
 */
export function continuesTimeline(newestPtsMicros, keyframePtsMicros) {
  if (Number.isNaN(newestPtsMicros)) return true;
  return keyframePtsMicros > newestPtsMicros && keyframePtsMicros - newestPtsMicros <= SWITCH_MAX_JUMP_MICROS;
}

/**
 * The switch state a path keeps: switches counted, and whether the next keyframe is the first
 * after one (to be checked by continuesTimeline).
 */
export class LayerSwitches {
  constructor() {
    this.count = 0;
    this.pending = false;
  }

  switched() {
    this.count++;
    this.pending = true;
  }

  /**
   * At a keyframe: false when it follows a switch and does not go on from `newestPtsMicros`
   * (the path must start over).
   * @param {number} newestPtsMicros @param {number} keyframePtsMicros
   */
  keyframeContinues(newestPtsMicros, keyframePtsMicros) {
    if (!this.pending) return true;
    this.pending = false;
    return continuesTimeline(newestPtsMicros, keyframePtsMicros);
  }
}
