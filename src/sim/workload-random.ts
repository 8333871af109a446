/**
 * The workload's randomness (src/sim/workload.ts): one mulberry32 stream per random quantity,
 * seeded from the run's seed, and the samplers drawn from them — cumulative distributions with
 * binary search, Box–Muller normals for lognormal context lengths, a weighted pick of another
 * variant.
 */
import { mulberry32, type Random } from '../units/index.ts';
import type { WorkloadSpec } from './workload-types.ts';

/**
 * Per-stream constants XORed into the seed (then mixed by {@link fmix32}), one per random
 * quantity so each is drawn from its own mulberry32 stream. Changing these changes every
 * workload: they are part of the output's definition.
 */
const STREAM = Object.freeze({
  arrivals: 0x9e3779b9,
  lengths: 0x85ebca6b,
  homes: 0xc2b2ae35,
  popularity: 0x27d4eb2f,
  variants: 0x165667b1,
  outputs: 0xd3a2646c,
  /** Agent pipelines' think times (src/sim/pipeline-stream.ts). */
  think: 0xfd7046c5,
});

/** murmur3's 32-bit finaliser: spreads nearby seeds (1, 2, 3 …) over the mulberry32 cycle. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The mulberry32 stream of one random quantity of a workload seeded with `seed`. */
export function stream(seed: number, which: keyof typeof STREAM): Random {
  return mulberry32(fmix32((seed ^ STREAM[which]) >>> 0));
}

/** Smallest index k with `cdf[k] > u` (the last index when none is, guarding float round-off). */
export function searchCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cdf[mid] as number) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Normalised cumulative distribution of non-negative weights; the last entry is exactly 1. */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const n = weights.length;
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += weights[i] as number;
    cdf[i] = total;
  }
  for (let i = 0; i < n; i++) cdf[i] = (cdf[i] as number) / total;
  // Zero-weight tail entries must stay unreachable: set every entry from the last positive weight on to 1.
  for (let i = n - 1; i >= 0; i--) {
    cdf[i] = 1;
    if ((weights[i] as number) > 0) break;
  }
  return cdf;
}

/** Standard normal draws by Box–Muller, using both values of each pair. */
function normalSampler(rand: Random): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - rand())); // 1 − u ∈ (0, 1]: no log(0)
    const theta = 2 * Math.PI * rand();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** The standard normal's 95th percentile (≈ 1.6449), for the lognormal fit to a P95. */
const Z95 = 1.6448536269514722;

/** The length of every context (index k for `c<k>`) in tokens, drawn once per context from the lengths stream. */
export function drawLengths(spec: WorkloadSpec, seed: number): Int32Array {
  const { count, length } = spec.contexts;
  const out = new Int32Array(count);
  if (length.kind === 'fixed') return out.fill(length.tokens);
  const mu = Math.log(length.medianTokens);
  const sigma = (Math.log(length.p95Tokens) - mu) / Z95;
  const normal = normalSampler(stream(seed, 'lengths'));
  for (let k = 0; k < count; k++) {
    const tokens = Math.round(Math.exp(mu + sigma * normal()));
    out[k] = Math.min(length.maxTokens, Math.max(length.minTokens, tokens));
  }
  return out;
}

/**
 * A variant other than `home`, by weight among the others, from one uniform `u`: scale `u` to
 * the mass outside `home` and step over `home`'s slice of the CDF. Validation guarantees another
 * variant of positive weight exists.
 */
export function pickOther(cdf: Float64Array, home: number, u: number): number {
  const lo = home === 0 ? 0 : (cdf[home - 1] as number);
  const hi = cdf[home] as number;
  let x = u * (1 - (hi - lo));
  if (x >= lo) x += hi - lo;
  const v = searchCdf(cdf, x);
  if (v !== home && cdfWeight(cdf, v) > 0) return v;
  // Float round-off landed on `home` or past the end (probability ~1e-16): take the next variant of positive weight.
  for (let i = 1; i < cdf.length; i++) {
    const j = (home + i) % cdf.length;
    if (cdfWeight(cdf, j) > 0) return j;
  }
  return home;
}

/** The weight of entry `j` of a cumulative distribution. */
function cdfWeight(cdf: Float64Array, j: number): number {
  return (cdf[j] as number) - (j === 0 ? 0 : (cdf[j - 1] as number));
}
