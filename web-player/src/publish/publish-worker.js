// @ts-check
/// <reference lib="webworker" />
/**
 * The publish worker: reads the captured frames (the page transfers the
 * MediaStreamTrackProcessor streams here, or posts frames one by one where it has none),
 * encodes them and owns the WebSocket, so page work cannot delay capture or sending.
 */
import { Publication } from './publication.js';

/** @typedef {import('./messages.js').ToPublishWorker} ToPublishWorker */
/** @typedef {import('./messages.js').FromPublishWorker} FromPublishWorker */

const scope = /** @type {DedicatedWorkerGlobalScope} */ (/** @type {unknown} */ (self));
/** @param {FromPublishWorker} message */
const post = (message) => scope.postMessage(message);
/** @param {Error} e */
const messageOf = (e) => (e instanceof Error ? e.message : String(e));

/** @type {Publication | null} */
let publication = null;

scope.onmessage = (/** @type {MessageEvent<ToPublishWorker>} */ event) => {
  const message = event.data;
  switch (message.type) {
    case 'start': {
      const p = new Publication(message, (stats) => post({ type: 'stats', stats }), post);
      publication = p;
      p.start();
      if (message.video) void p.read('video', message.video).catch((e) => p.fail('error', `Video capture: ${messageOf(e)}`));
      if (message.audio) void p.read('audio', message.audio).catch((e) => p.fail('error', `Audio capture: ${messageOf(e)}`));
      break;
    }
    case 'replaceSource':
      publication?.replaceSource(message.kind, message.stream);
      break;
    case 'publisherState':
      publication?.setPublisherState(message.state);
      break;
    case 'videoFrame':
      if (publication) publication.videoFrame(message.frame);
      else message.frame.close();
      break;
    case 'audioData':
      if (publication) publication.audioData(message.data, message.firstChannel);
      else message.data.close();
      break;
    case 'stop':
      void (publication?.stop(message.reason) ?? Promise.resolve()).finally(() => {
        post({ type: 'stopped' });
        scope.close();
      });
      break;
    default: {
      /** @type {never} */
      const unknown = message;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
};
