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
 * @property {number} framesDropped      the sum of framesDroppedBy
 * @property {import('./frame-drops.js').FramesDroppedBy} framesDroppedBy  frames never shown, by cause
 * @property {number} decodeErrors
 * @property {number} playbackRate
 * @property {number} leadMs             how long before the master reaches a frame the path needs it
 *                                       (MSE: half a frame, as Chromium shows a frame from about half
 *                                       a frame before its time); the lip-sync floor counts it
 * @property {boolean} waitingForKeyframe frames are being skipped until the next keyframe
 * @property {number} resyncs            times the path restarted at a keyframe (errors, quota, relay drops)
 * @property {number} recoveries         of which recoveries from an error (decode error, quota, stall)
 * @property {number} quotaErrors        QuotaExceededError on append (MSE)
 * @property {number} streamingPauses    times a ManagedMediaSource asked to stop appending (endstreaming)
 * @property {number} layerSwitches      new configs of the track playing taken in place (layer-switch.js)
 * @property {string} noPictureNote     the path plays but shows nothing (MSE in WebKitGTK without compositing): what to say ('' if not)
 * @property {number} starts             times the path started (over) with a fresh MediaSource / decoder:
 *                                       the first config, reconnects, configs not taken in place, recoveries
 *
 * @typedef {object} VideoRenderer
 * @property {HTMLElement} element
 * @property {(config: TrackConfig) => Promise<void>} configure  rejects with UnsupportedCodecError
 * @property {(packet: MediaPacket) => void} push
 * @property {(masterMediaMs: number, nowMs: number, masterSpeed: number) => void} tick  masterMediaMs: NaN without
 *                                     audio; masterSpeed: how fast the master clock runs, measured (1 = real time)
 * @property {() => void} reset                    forget everything; wait for a keyframe
 * @property {() => VideoFigures} figures
 * @property {(listener: (frame: ShownFrame) => void) => void} onFrameShown
 * @property {() => void} destroy
 */

export class UnsupportedCodecError extends Error {}

/**
 * How fast to play so that video meets the master clock: a nudge proportional to the lead
 * (video ahead: slower), 1 inside the deadband, within ±30 % for small leads and up to ±50 %
 * beyond 150 ms (a muted video catches up in a fraction of a second instead of seconds). The
 * gain (a 200 ms time constant) makes up a slip of the audio clock (60 ms when a starved output
 * device skips callbacks) in ~0.2 s; at 400 ms and ±15 % lip sync stayed out by more than 40 ms
 * for ~0.3 s after each.
 * @param {number} leadMs  shown video time minus master time
 */
export function catchUpRate(leadMs, deadbandMs = 10) {
  if (!Number.isFinite(leadMs) || Math.abs(leadMs) <= deadbandMs) return 1;
  const big = Math.abs(leadMs) > FAST_CATCH_UP_ABOVE_MS;
  const maxAdjust = big ? 0.5 : 0.3;
  const adjust = Math.max(-maxAdjust, Math.min(maxAdjust, leadMs / (big ? 300 : 200)));
  return 1 - adjust;
}

const FAST_CATCH_UP_ABOVE_MS = 150;

/** Lead beyond which a seek is cheaper than a long rate nudge. */
export const SEEK_ABOVE_MS = 300;
