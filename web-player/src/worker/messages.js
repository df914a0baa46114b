// @ts-check
/**
 * The messages between the page and the transport worker (which owns the WebSocket, the
 * clock sync and the audio decoder, so that a busy page cannot delay audio).
 *
 * @typedef {import('../transport/close-codes.js').CloseVerdict} CloseVerdict
 * @typedef {import('../transport/wire.js').TrackConfig} TrackConfig
 * @typedef {import('../transport/wire.js').Envelope} Envelope
 *
 * @typedef {object} VideoPacket  a MediaPacket of the video track, with plain numbers
 * @property {number} trackId
 * @property {number} ptsMicros
 * @property {number} durationMicros
 * @property {boolean} keyframe
 * @property {number} captureTimeMicros
 * @property {Uint8Array} payload
 * @property {number} arrivalEpochMs  when it came off the socket: performance.timeOrigin + performance.now()
 *                                    in the worker (the page's clock has another origin)
 *
 * @typedef {{ type: 'start', urls: string[], preferWasmAudio: boolean }
 *   | { type: 'audioPort', port: MessagePort }
 *   | { type: 'startLayer', layer: string }
 *   | { type: 'stop' }} ToWorker
 *
 * @typedef {{ type: 'open' }
 *   | { type: 'close', verdict: CloseVerdict, code: number, attempt: number }
 *   | { type: 'envelope', envelope: Envelope }
 *   | { type: 'video', packet: VideoPacket }
 *   | { type: 'clock', offsetMicros: number, rttMicros: number }
 *   | { type: 'audio', packetsDecoded: number, decodeErrors: number, unsupported: string, decoder: import('../audio/opus-decoder.js').AudioDecoderKind, bytes: number,
 *       audioCaptureMinusPtsMs: number, decodedPeakDb: number, undelivered: number }} FromWorker
 */
export {};
