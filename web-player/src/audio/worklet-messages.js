// @ts-check
/**
 * The messages between the main thread and the playout worklet. 'arrivals' asks for the
 * arrival log (a worklet made with recordArrivals > 0; else the answer's record is null).
 *
 * @typedef {{ type: 'pcm', mediaTimeMs: number, arrivalMs: number, planes: Float32Array[] }
 *   | { type: 'limits', floorMs: number, ceilingMs: number }
 *   | { type: 'reset' }
 *   | { type: 'end' }
 *   | { type: 'pcmPort', port: MessagePort }
 *   | { type: 'arrivals' }} ToWorklet
 *
 * @typedef {{ type: 'stats', contextTime: number, stats: import('./jitter-buffer.js').JitterBufferStats,
 *     level: import('./level-meter.js').LevelFigures }
 *   | { type: 'arrivals', record: import('./arrival-log.js').ArrivalRecord | null }
 *   | { type: 'error', message: string }} FromWorklet
 *
 * level: what is played now (the output, after the jitter buffer); its onsets are in ms of
 * context time (the AudioContext's currentTime × 1000).
 */
export {};
