// Releasing the publisher's camera: the preview is paused and let go of its stream before the
// tracks stop. WebKitGTK without compositing froze its web process when a track ended under a
// preview still playing it (the pipeline reconfigured from the main thread while the video
// sink's thread held its lock, waiting for the main thread).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releasePreview } from '../src/publish/publisher.js';

test('the preview is paused and detached before any track stops', () => {
  /** @type {string[]} */
  const calls = [];
  const preview = {
    pause: () => calls.push('pause'),
    /** @param {MediaStream | null} stream */
    set srcObject(stream) {
      calls.push(`srcObject=${stream}`);
    },
    get srcObject() {
      return null;
    },
  };
  const track = (/** @type {string} */ kind) => ({ stop: () => calls.push(`stop ${kind}`) });
  releasePreview(/** @type {any} */ (preview), [track('video'), track('audio')]);
  assert.deepEqual(calls, ['pause', 'srcObject=null', 'stop video', 'stop audio']);
});
