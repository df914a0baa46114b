// @ts-check
/**
 * The contract of a video path (MSE or WebCodecs). The player feeds it packets and, every
 * animation frame, the master clock; it reports each frame it shows.
 *
 * @typedef {import('../transport/wire.js').TrackConfig} TrackConfig
 * @typedef {import('../worker/messages.js').VideoPacket} MediaPacket
 *
 * @typedef {object} ShownFrame
 * @property {number} ptsMicros          the frame's presentation time
 * @property {number} displayPerfMs      when it is (or will be) on screen, performance.now() clock
 * @property {CanvasImageSource} source  where to read its pixels
 * @property {number} width              native width
 * @property {number} height
 *
 * @typedef {object} VideoFigures
 * @property {number} bufferMs           video received but not shown yet
 * @property {number} framesDecoded
 * @property {number} framesDropped
 * @property {number} decodeErrors
 * @property {number} playbackRate
 * @property {number} leadMs             how far ahead of the master clock the path plays (MSE: half a
 *                                       frame, so that the frame seen is centred on the audio heard)
 * @property {boolean} waitingForKeyframe frames are being skipped until the next keyframe
 * @property {number} resyncs            times the path restarted at a keyframe (errors, quota, relay drops)
 * @property {number} recoveries         of which recoveries from an error (decode error, quota, stall)
 * @property {number} quotaErrors        QuotaExceededError on append (MSE)
 *
 * @typedef {object} VideoRenderer
 * @property {HTMLElement} element
 * @property {(config: TrackConfig) => Promise<void>} configure  rejects with UnsupportedCodecError
 * @property {(packet: MediaPacket) => void} push
 * @property {(masterMediaMs: number, nowMs: number) => void} tick  masterMediaMs: NaN without audio
 * @property {() => void} reset                    forget everything; wait for a keyframe
 * @property {() => VideoFigures} figures
 * @property {(listener: (frame: ShownFrame) => void) => void} onFrameShown
 * @property {() => void} destroy
 */

export class UnsupportedCodecError extends Error {}

/**
 * How fast to play so that video meets the master clock: a nudge proportional to the lead
 * (video ahead: slower), 1 inside the deadband, within ±15 % for small leads (smooth) and
 * up to ±50 % beyond 150 ms (a muted video catches up in a fraction of a second instead of
 * seconds).
 * @param {number} leadMs  shown video time minus master time
 */
export function catchUpRate(leadMs, deadbandMs = 10) {
  if (!Number.isFinite(leadMs) || Math.abs(leadMs) <= deadbandMs) return 1;
  const big = Math.abs(leadMs) > FAST_CATCH_UP_ABOVE_MS;
  const maxAdjust = big ? 0.5 : 0.15;
  const adjust = Math.max(-maxAdjust, Math.min(maxAdjust, leadMs / (big ? 300 : 400)));
  return 1 - adjust;
}

const FAST_CATCH_UP_ABOVE_MS = 150;

/** Lead beyond which a seek is cheaper than a long rate nudge. */
export const SEEK_ABOVE_MS = 300;
