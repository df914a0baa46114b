// @ts-check
/**
 * Touches the browser's media stack through MSE before any WebCodecs `isConfigSupported`.
 * In WebKitGTK 2.50, a `VideoEncoder.isConfigSupported` as the first media call of a fresh web
 * process aborts the process (GStreamer: "gst_register_core_elements: code should not be
 * reached"); a `MediaSource.isTypeSupported` first registers GStreamer safely. Harmless
 * elsewhere; a no-op where MSE is missing (a worker, a browser without it).
 */
let primed = false;

export function primeMediaStack() {
  if (primed) return;
  primed = true;
  const mse = /** @type {{ isTypeSupported?: (type: string) => boolean } | undefined} */ (Reflect.get(globalThis, 'MediaSource') ?? Reflect.get(globalThis, 'ManagedMediaSource'));
  try {
    mse?.isTypeSupported?.('video/mp4; codecs="avc1.42E01F"');
  } catch {
    // nothing to prime with
  }
}
