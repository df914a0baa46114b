// @ts-check
/**
 * The figures the overlay shows and tests and benchmarks read, as `window.tunnelcast.stats`.
 *
 * @typedef {import('../transport/close-codes.js').PlayerState} PlayerState
 *
 * @typedef {object} Percentiles
 * @property {number} last
 * @property {number} p05
 * @property {number} p50
 * @property {number} p95
 * @property {number} p99
 * @property {number} samples   how many values the percentiles are over (the recent window)
 *
 * @typedef {object} PlayerStats
 * @property {PlayerState} state
 * @property {string} message               what the viewer is told
 * @property {string} stream
 * @property {import('../video/video-path.js').VideoPath} videoPath
 * @property {string} videoPathNote          why the path asked for was not taken ('' if it was), or that it plays but shows no
 *                                           picture (NO_PICTURE_NOTE: WebKitGTK's MSE without compositing, pinned by ?video=),
 *                                           or that the player left such a path for WebCodecs (FELL_BACK_NOTE)
 * @property {string} videoCodec             the video track's codec string ('' before its TrackConfig)
 * @property {string} videoLayer             the simulcast layer played, e.g. '360p · layer 2 of 3' ('' without layers)
 * @property {boolean} audioRunning          false while autoplay rules keep audio off
 * @property {string} audioStartProblem      why audio could not start after a click ('' when it did, or none was tried)
 * @property {number} audioStartFailures     resumes of the AudioContext that gave up (it did not run within the bound)
 * @property {boolean} audioOutputTimestampTrusted the heard-audio clock comes from getOutputTimestamp() (false: from
 *                                           currentTime, as WebKit's timestamp runs ahead of performance.now())
 * @property {string} audioUnsupported       why audio cannot be decoded here ('' when it can)
 * @property {import('../audio/opus-decoder.js').AudioDecoderKind} audioDecoder  Opus decoder in use: 'webcodecs', 'wasm' (libopus fallback), '' none yet
 * @property {Percentiles} latencyMetadataMs capture (relay clock) → display, from packet metadata
 * @property {Percentiles} latencyPixelMs    capture → display, from the frame stamp in the pixels shown
 * @property {number} audioLatencyMs         capture (relay clock) → the audio being heard now (the master clock's latency)
 * @property {number} pixelStampsRead        frames whose stamp was read
 * @property {number} lastPixelStamp         the stamp of the newest frame shown that carried one (NaN: none yet)
 * @property {number} lastPixelStampShownAtMs when that stamp was first shown, relay clock ms
 * @property {number} jitterMs               audio arrival jitter: the 95th percentile of lateness over the window
 * @property {number} jitterBufferTargetMs
 * @property {number} jitterBufferDepthMs
 * @property {number} audioRate              how fast the audio plays (time-stretch and accelerate), 1 = nominal
 * @property {number} audioAcceleratedMs     audio removed by accelerate (whole pitch periods) to work off a surplus
 * @property {number} audioOutputSlipMs      how far the audio output fell behind the wall clock (a starved
 *                                           audio thread skipping callbacks), in all; accelerated away
 * @property {number} syncFloorMs            audio buffer floor that lets late video keep lip sync
 * @property {number} videoCaptureMinusPtsMs capture time minus pts, video: equal to audio's when the
 *                                           publisher stamps both tracks on one timeline
 * @property {number} audioCaptureMinusPtsMs
 * @property {number} audioOutputLatencyMs   the audio device's own delay (base + output latency)
 * @property {number} audioUnderruns
 * @property {number} audioConcealedPercent  of samples played while audio was on
 * @property {number} audioPlayedMs          audio played (or concealed) since the start
 * @property {number} audioContextTimeMs     the AudioContext's clock (currentTime) when audioPlayedMs was counted: the device's
 *                                           pace, which a busy machine's fake/headless device can let fall
 *                                           behind wall time; compare audioPlayedMs with it, not with wall time
 * @property {number} audioConcealedMs       of which concealment (silence for missing audio)
 * @property {number} audioPacketsDecoded
 * @property {number} audioDecodeErrors
 * @property {number} audioDecodedLevelDb    the loudest of the last 25 packets the decoder gave the buffer, dBFS (-100: silence):
 *                                           beside audioLevelDb, says whether silence heard came from the sender or the playout
 * @property {number} audioPacketsUndelivered decoded with no playout to take them (the audio output not set up yet)
 * @property {number} audioPacketsLate       decoded packets whose place on the timeline was played already: dropped
 * @property {number} videoBufferMs
 * @property {number} videoPlaybackRate
 * @property {number} bitrateKbps            received, all tracks, over the last second
 * @property {number} fps                    frames shown over the last second
 * @property {number} framesShown
 * @property {number} framesDecoded
 * @property {number} framesDropped          frames never shown: the sum of framesDroppedBy
 * @property {import('../video/frame-drops.js').FramesDroppedBy} framesDroppedBy  by cause (late, decodeError, catchUp,
 *                                           queueFull, stall); see web-player/README.md for what each path can tell apart
 * @property {number} videoDecodeErrors
 * @property {number} videoResyncs           MSE seeks, quota or decode recoveries
 * @property {number} videoRecoveries        restarts at a keyframe after an error: decode error, quota exceeded, stall
 * @property {number} videoQuotaErrors       QuotaExceededError on MSE append
 * @property {number} videoStreamingPauses   times a ManagedMediaSource asked to stop appending (appending went on)
 * @property {number} videoLayerSwitches     new video configs of the track playing (simulcast layer switches) taken
 *                                           in place: same MediaSource / decoder, no restart
 * @property {number} videoStarts            times the video path started (over) with a fresh MediaSource / decoder: the
 *                                           first config, reconnects, configs not taken in place, recoveries
 * @property {Percentiles} avOffsetMs        shown video minus heard audio (positive: video ahead)
 * @property {number} clockOffsetMs          relay clock minus this browser's
 * @property {number} rttMs
 * @property {number} reconnects
 * @property {number} relayDrops             Status{DROPPED} received
 * @property {number} audioLevelDb           what is heard: the loudest 10 ms of the last 300 ms, dBFS (-100: silence)
 * @property {boolean} audioSpeaking         what is heard is voice (or a tone), with a short hangover
 * @property {number} audioBeeps             tone onsets after quiet heard since the start (the call tests' beeps)
 * @property {VideoStages} videoStagesMs   where a shown frame's time went, medians over the recent window
 * @property {number} updatedAtMs            performance.now() of the last update
 *
 * @typedef {object} VideoStages  medians over the frames shown recently, ms (NaN: not measured on this path)
 * @property {number} captureToArrival  capture (relay clock) → the transport worker took the packet off the socket:
 *                                      capture, encode, uplink, relay and downlink together
 * @property {number} arrivalToShown    off the socket → drawn (WebCodecs) or presented (MSE, requestVideoFrameCallback)
 * @property {number} decode            in the VideoDecoder: submitted → output (WebCodecs only)
 * @property {number} held              decoded → drawn: waiting for the audio clock (WebCodecs only)
 */

import { noDrops } from '../video/frame-drops.js';

/** @returns {Percentiles} */
export function emptyPercentiles() {
  return { last: NaN, p05: NaN, p50: NaN, p95: NaN, p99: NaN, samples: 0 };
}

/** @param {import('./recent.js').Recent} recent @returns {Percentiles} */
export function percentilesOf(recent) {
  return { last: recent.last(), p05: recent.percentile(0.05), p50: recent.percentile(0.5), p95: recent.percentile(0.95), p99: recent.percentile(0.99), samples: recent.count };
}

/** @param {string} stream @param {import('../video/video-path.js').VideoPath} videoPath @returns {PlayerStats} */
export function initialStats(stream, videoPath) {
  return {
    state: 'connecting', message: 'Connecting…', stream, videoPath, videoPathNote: '', videoCodec: '', videoLayer: '', audioRunning: false, audioStartProblem: '', audioStartFailures: 0, audioOutputTimestampTrusted: true, audioUnsupported: '', audioDecoder: '',
    latencyMetadataMs: emptyPercentiles(), latencyPixelMs: emptyPercentiles(), audioLatencyMs: NaN, pixelStampsRead: 0,
    lastPixelStamp: NaN, lastPixelStampShownAtMs: NaN, audioLevelDb: -100, audioSpeaking: false, audioBeeps: 0,
    jitterMs: NaN, jitterBufferTargetMs: NaN, jitterBufferDepthMs: NaN, audioRate: 1, audioAcceleratedMs: 0, audioOutputSlipMs: 0, syncFloorMs: 0, audioOutputLatencyMs: NaN, videoCaptureMinusPtsMs: NaN, audioCaptureMinusPtsMs: NaN,
    audioUnderruns: 0, audioConcealedPercent: 0, audioPlayedMs: 0, audioContextTimeMs: 0, audioConcealedMs: 0, audioPacketsDecoded: 0, audioDecodeErrors: 0, audioDecodedLevelDb: -100, audioPacketsUndelivered: 0, audioPacketsLate: 0,
    videoBufferMs: NaN, videoPlaybackRate: 1, bitrateKbps: 0, fps: 0,
    framesShown: 0, framesDecoded: 0, framesDropped: 0, framesDroppedBy: noDrops(), videoDecodeErrors: 0, videoResyncs: 0, videoRecoveries: 0, videoQuotaErrors: 0, videoStreamingPauses: 0, videoLayerSwitches: 0, videoStarts: 0,
    avOffsetMs: emptyPercentiles(), clockOffsetMs: NaN, rttMs: NaN, reconnects: 0, relayDrops: 0,
    videoStagesMs: { captureToArrival: NaN, arrivalToShown: NaN, decode: NaN, held: NaN }, updatedAtMs: 0,
  };
}
