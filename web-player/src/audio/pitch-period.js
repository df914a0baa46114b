// @ts-check
/**
 * The pitch period accelerate removes: the lag at which a signal best matches itself (WSOLA).
 * Pure; runs on the audio thread, so the search is coarse first.
 */

/**
 * The lag in [minLag, maxLag] at which the `match` samples from the start of `mix` correlate
 * best (normalised) with those a lag later: a whole pitch period.
 * @param {Float32Array} mix  mono, at least maxLag + match samples
 * @param {number} minLag @param {number} maxLag @param {number} match
 */
export function bestPeriod(mix, minLag, maxLag, match) {
  // Coarse pass on every other lag and sample (a quarter of the work), then the neighbours of
  // the best at full resolution.
  let best = minLag;
  let bestScore = -Infinity;
  for (let lag = minLag; lag <= maxLag; lag += 2) {
    const score = matchScore(mix, lag, match, 2);
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  const coarse = best;
  bestScore = -Infinity;
  for (let lag = Math.max(minLag, coarse - 1); lag <= Math.min(maxLag, coarse + 1); lag++) {
    const score = matchScore(mix, lag, match, 1);
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  return best;
}

/**
 * How well the mix a lag later matches its start: correlation over the later stretch's energy
 * (the start's own energy is the same for every lag), on every step-th sample.
 * @param {Float32Array} mix @param {number} lag @param {number} match @param {number} step
 */
function matchScore(mix, lag, match, step) {
  let dot = 0;
  let energy = 0;
  for (let k = 0; k < match; k += step) {
    dot += mix[k] * mix[lag + k];
    energy += mix[lag + k] * mix[lag + k];
  }
  return dot / Math.sqrt(Math.max(energy, 1e-9));
}
