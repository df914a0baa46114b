// @ts-check
/**
 * The messages between the main thread and the playout worklet.
 *
 * @typedef {{ type: 'pcm', mediaTimeMs: number, arrivalMs: number, planes: Float32Array[] }
 *   | { type: 'limits', floorMs: number, ceilingMs: number }
 *   | { type: 'reset' }
 *   | { type: 'pcmPort', port: MessagePort }} ToWorklet
 *
 * @typedef {{ type: 'stats', contextTime: number, stats: import('./jitter-buffer.js').JitterBufferStats }
 *   | { type: 'error', message: string }} FromWorklet
 */
export {};
