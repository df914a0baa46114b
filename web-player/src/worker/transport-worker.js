// @ts-check
/// <reference lib="webworker" />
/**
 * The transport worker: the WebSocket to the relay, ping/pong clock sync and Opus decoding
 * live here, off the page's main thread, so that video decoding, MSE appends, pixel reads
 * and UI work cannot delay audio (or skew its arrival statistics). Decoded audio goes
 * straight to the playout worklet through a MessagePort; video packets, track configs and
 * states go to the page.
 */
import { RelayConnection } from '../transport/connection.js';
import { OpusDecoder } from '../audio/opus-decoder.js';
import { TrackKind } from '../gen/tunnelcast/v1/tunnelcast_pb.js';
import { withStartLayer } from '../transport/quality.js';

/** @typedef {import('./messages.js').ToWorker} ToWorker */
/** @typedef {import('./messages.js').FromWorker} FromWorker */

const scope = /** @type {DedicatedWorkerGlobalScope} */ (/** @type {unknown} */ (self));
/** @param {FromWorker} message @param {Transferable[]} [transfer] */
const post = (message, transfer = []) => scope.postMessage(message, transfer);

const audio = new OpusDecoder();
/** @type {RelayConnection | null} */
let connection = null;
let audioTrackId = -1;
let videoTrackId = -1;
let bytes = 0;
/** capture time minus pts of the last audio packet: with video's, shows how the tracks line up */
let audioCaptureMinusPtsMs = NaN;

scope.onmessage = (/** @type {MessageEvent<ToWorker>} */ event) => {
  const message = event.data;
  switch (message.type) {
    case 'start':
      // The page asks for WASM (?audio=wasm, or it has no WebCodecs audio itself); else the
      // decoder still falls back on its own when this worker's WebCodecs cannot do Opus.
      audio.preferWasm = message.preferWasmAudio;
      connection = new RelayConnection(message.urls, {
        onOpen: () => post({ type: 'open' }),
        onClose: (verdict, code, attempt) => post({ type: 'close', verdict, code, attempt }),
        onEnvelope: (envelope, arrivalMs) => receive(envelope, arrivalMs),
      });
      connection.start();
      setInterval(report, 250);
      break;
    case 'audioPort':
      audio.port = message.port;
      break;
    case 'startLayer':
      // A reconnect starts on the layer the relay last chose for this player.
      connection?.relays.rewrite((url) => withStartLayer(url, message.layer));
      break;
    case 'stop':
      // Ended only after the closing handshake: see RelayConnection.stopAndAwaitClose.
      void (connection?.stopAndAwaitClose() ?? Promise.resolve()).finally(() => scope.close());
      break;
    default: {
      /** @type {never} */
      const unknown = message;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
};

/** @param {import('../transport/wire.js').Envelope} envelope @param {number} arrivalMs */
function receive(envelope, arrivalMs) {
  if (envelope.kind.case === 'mediaPacket') {
    const p = envelope.kind.value;
    bytes += p.payload.length;
    if (p.trackId === audioTrackId) {
      audioCaptureMinusPtsMs = (Number(p.captureTimeMicros) - Number(p.ptsMicros)) / 1000;
      audio.push(p, arrivalMs);
    } else if (p.trackId === videoTrackId) {
      const packet = { trackId: p.trackId, ptsMicros: Number(p.ptsMicros), durationMicros: p.durationMicros, keyframe: p.keyframe,
        captureTimeMicros: Number(p.captureTimeMicros), payload: p.payload, arrivalEpochMs: performance.timeOrigin + arrivalMs };
      post({ type: 'video', packet }, [p.payload.buffer]);
    }
    return;
  }
  if (envelope.kind.case === 'trackConfig') {
    const config = envelope.kind.value;
    if (config.kind === TrackKind.AUDIO) {
      audioTrackId = config.trackId;
      void audio.configure(config);
    } else if (config.kind === TrackKind.VIDEO) {
      videoTrackId = config.trackId;
    }
  }
  if (envelope.kind.case === 'welcome') audio.restart();
  post({ type: 'envelope', envelope });
}

function report() {
  const clock = connection?.clock;
  if (clock?.synced) {
    post({ type: 'clock', offsetMicros: clock.offsetMicros, rttMicros: clock.rttMicros });
  }
  post({ type: 'audio', packetsDecoded: audio.packetsDecoded, decodeErrors: audio.decodeErrors, unsupported: audio.unsupported, decoder: audio.kind, bytes,
    audioCaptureMinusPtsMs, decodedPeakDb: audio.recentPeakDb, undelivered: audio.droppedNoOutput });
}
