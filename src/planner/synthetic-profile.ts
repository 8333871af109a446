/**
 * Synthetic pair profiles following DroidSpeak's statistics (docs/references.md §3, Findings
 * 1–3), deterministic per seed and pair, for scenarios that name no measured profile.
 */
import { GeneratorError, type Issue } from '../errors/index.ts';
import { mulberry32, randomInt, shuffleInPlace, type Random } from '../units/index.ts';
import { buildFrontier } from './frontier.ts';
import {
  PROFILE_DEFAULTS,
  type PairProfile,
  type PairProfileModel,
  type SyntheticProfileOptions,
} from './profile-types.ts';

/** FNV-1a of a string, folded into a 32-bit seed. */
function mixSeed(seed: number, text: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function uniform(rand: Random, [low, high]: readonly [number, number]): number {
  return low + (high - low) * rand();
}

/**
 * A synthetic pair profile following DroidSpeak's statistics, deterministic for
 * (seed, receiver, sender, layers, options):
 * - the number of critical layers k has mean `criticalFraction × layers` (≈ 11 %, Finding 2):
 *   k = ⌊f·l·(0.6 + 0.8u₁) + u₂⌋ with u uniform in [0, 1);
 * - they form 1–4 runs (random composition of k) separated by 1…`maxRunGapLayers`
 *   non-critical layers, placed at a random offset — clustered as in the paper's example;
 * - critical sensitivities uniform in (0.10, 0.40]; layers within 2 of a critical layer
 *   ("shoulders") in [0.005, 0.03); all others in [0, 0.001);
 * - fullReuseLoss = 1 − (1 − I(all))(1 − share) with share uniform in [0.2, 0.6): greater than the
 *   noisy-OR of the sensitivities, and > 0.5 for most pairs (Finding 1).
 *
 * Finding 3 (critical layers stable across inputs) is why this is per pair, not per request.
 * The seed is mixed with the pair's names, so one scenario seed gives different pairs
 * different profiles. The frontier is built with {@link buildFrontier}.
 * @throws GeneratorError (code `generator.out-of-range`) for out-of-range options.
 */
export function syntheticProfile(options: SyntheticProfileOptions): PairProfile {
  const { receiver, sender, layers, seed } = options;
  const criticalFraction = options.criticalFraction ?? PROFILE_DEFAULTS.criticalFraction;
  const criticalRange = options.criticalSensitivity ?? PROFILE_DEFAULTS.criticalSensitivity;
  const shareRange = options.propagationShare ?? PROFILE_DEFAULTS.propagationShare;
  const maxRunGap = options.maxRunGapLayers ?? PROFILE_DEFAULTS.maxRunGapLayers;
  const threshold = options.frontier?.threshold ?? PROFILE_DEFAULTS.criticalThreshold;
  checkOptions(options, { criticalFraction, criticalRange, shareRange, maxRunGap, threshold });

  const rand = mulberry32(mixSeed(seed, `${receiver}\u0000${sender}\u0000${layers}`));
  const isCritical = placeCritical(rand, layers, criticalFraction, maxRunGap);
  const layerSensitivity = sensitivities(rand, isCritical, criticalRange);
  const keepAll = layerSensitivity.reduce((keep, s) => keep * (1 - s), 1);
  const fullReuseLoss = 1 - keepAll * (1 - uniform(rand, shareRange));
  const model: PairProfileModel = { receiver, sender, layers, layerSensitivity, fullReuseLoss };
  return { ...model, frontier: buildFrontier(model, options.frontier ?? {}) };
}

/** The options of {@link syntheticProfile} with their defaults filled in. */
interface Resolved {
  readonly criticalFraction: number;
  readonly criticalRange: readonly [number, number];
  readonly shareRange: readonly [number, number];
  readonly maxRunGap: number;
  readonly threshold: number;
}

/** @throws GeneratorError (code `generator.out-of-range`) listing every out-of-range option. */
function checkOptions(options: SyntheticProfileOptions, r: Resolved): void {
  const { receiver, sender, layers, seed } = options;
  const { criticalFraction, criticalRange, shareRange, maxRunGap, threshold } = r;
  const issues: Issue[] = [];
  const bad = (field: string, message: string): void => {
    issues.push({ code: 'generator.out-of-range', path: [field], message });
  };
  if (!Number.isInteger(layers) || layers < 1)
    bad('layers', `layers must be an integer ≥ 1, got ${layers}`);
  if (!Number.isInteger(seed)) bad('seed', `seed must be an integer, got ${seed}`);
  if (!(criticalFraction >= 0 && criticalFraction <= 1))
    bad('criticalFraction', `criticalFraction must be in [0, 1], got ${criticalFraction}`);
  if (!(
    criticalRange[0] >= threshold &&
    criticalRange[0] <= criticalRange[1] &&
    criticalRange[1] <= 1
  )) {
    bad(
      'criticalSensitivity',
      `criticalSensitivity must satisfy ${threshold} ≤ low ≤ high ≤ 1, got [${criticalRange.join(', ')}]`,
    );
  }
  if (!(shareRange[0] >= 0 && shareRange[0] <= shareRange[1] && shareRange[1] <= 1)) {
    bad(
      'propagationShare',
      `propagationShare must satisfy 0 ≤ low ≤ high ≤ 1, got [${shareRange.join(', ')}]`,
    );
  }
  if (!Number.isInteger(maxRunGap) || maxRunGap < 1)
    bad('maxRunGapLayers', `maxRunGapLayers must be an integer ≥ 1, got ${maxRunGap}`);
  if (receiver === sender)
    bad(
      'sender',
      `sender must differ from receiver (${receiver}): reusing one's own cache is exact reuse`,
    );
  if (issues.length > 0)
    throw new GeneratorError(
      issues,
      undefined,
      `cannot generate a profile for ${receiver} ← ${sender}:`,
    );
}

/** Which layers are critical: k of them in 1–4 runs separated by short gaps, at a random offset. */
function placeCritical(
  rand: Random,
  layers: number,
  criticalFraction: number,
  maxRunGap: number,
): Uint8Array {
  // Number of critical layers: mean f·l, spread ±40 %, stochastic rounding.
  const k = Math.min(layers, Math.floor(criticalFraction * layers * (0.6 + 0.8 * rand()) + rand()));
  let runs = k === 0 ? 0 : 1 + randomInt(rand, Math.min(k, PROFILE_DEFAULTS.maxCriticalRuns));
  if (k + runs - 1 > layers) runs = 1;
  // Run lengths: a random composition of k into `runs` positive parts.
  const cuts = shuffleInPlace(
    rand,
    Array.from({ length: Math.max(0, k - 1) }, (_, i) => i + 1),
  )
    .slice(0, Math.max(0, runs - 1))
    .sort((a, b) => a - b);
  const lengths = [...cuts, k].map((c, i) => c - (i === 0 ? 0 : (cuts[i - 1] ?? 0)));
  let gaps = Array.from({ length: Math.max(0, runs - 1) }, () => 1 + randomInt(rand, maxRunGap));
  if (k + gaps.reduce((a, b) => a + b, 0) > layers) gaps = gaps.map(() => 1);
  const span = k + gaps.reduce((a, b) => a + b, 0);
  let at = runs === 0 ? 0 : randomInt(rand, layers - span + 1);
  const isCritical = new Uint8Array(layers);
  lengths.forEach((len, i) => {
    isCritical.fill(1, at, at + len);
    at += len + (gaps[i] ?? 0);
  });
  return isCritical;
}

/** Per-layer sensitivities: critical layers high, their shoulders (within 2) low, others near 0. */
function sensitivities(
  rand: Random,
  isCritical: Uint8Array,
  criticalRange: readonly [number, number],
): number[] {
  const layerSensitivity: number[] = [];
  for (let i = 0; i < isCritical.length; i++) {
    if (isCritical[i] === 1) {
      layerSensitivity.push(criticalRange[1] - (criticalRange[1] - criticalRange[0]) * rand()); // (low, high]
      continue;
    }
    const shoulder =
      isCritical[i - 1] === 1 ||
      isCritical[i - 2] === 1 ||
      isCritical[i + 1] === 1 ||
      isCritical[i + 2] === 1;
    layerSensitivity.push(
      uniform(
        rand,
        shoulder ? PROFILE_DEFAULTS.shoulderSensitivity : PROFILE_DEFAULTS.backgroundSensitivity,
      ),
    );
  }
  return layerSensitivity;
}
