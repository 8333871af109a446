/**
 * DroidSpeak pair profiles (docs/references.md §3): for a (receiver ← sender) pair of fine-tuned
 * variants of one base model, how much quality the receiver loses when it reuses the sender's
 * prefix KV cache while recomputing some layers, and the Pareto frontier of recomputed layers
 * vs quality loss that the reuse planner chooses from.
 *
 * **From the paper.** Finding 1: reusing every layer of another variant's KV cache destroys
 * quality (most pairs lose > 50 %). Finding 2: only ≈ 11 % of layers are *critical* — a layer
 * is critical when reusing it alone (all others recomputed) drops quality by more than 10 %.
 * Finding 3: the critical set is stable across inputs, so a profile belongs to the *pair*, not
 * to a request: podsim keeps one profile per pair and applies it to every request (no
 * per-request variation is modelled). DroidSpeak recomputes *contiguous groups* of layers,
 * each needing the sender's E cache at its first (transition) layer, and merges nearby
 * critical layers into one group (critical 16–18, 20, 25–27 → recompute 16–27, one E-cache
 * load). It profiles contiguous groups offline (O(l²)), keeps the Pareto frontier and picks the
 * fewest layers whose quality stays within 5 % of the receiver's own.
 *
 * **podsim's own modelling** (the paper gives no closed form; these are assumptions):
 * - *Loss of a recompute set* ({@link qualityLoss}): with R the reused layers, an independent
 *   part I(R) = 1 − Π_{i∈R}(1 − sᵢ) (noisy-OR of the per-layer sensitivities, so reusing layer i
 *   alone costs exactly sᵢ) and a propagation part: the error of a reused layer i is carried
 *   into the following layers while they are also reused, weighted ρᵏ at distance k
 *   (ρ = {@link PROFILE_DEFAULTS}.propagationDecayPerLayer) and cut off by the first recomputed
 *   layer; P(R) = Σ_{i∈R} sᵢ · Σ_{k=1..runᵢ} ρᵏ, normalised π(R) = P(R) / P(all layers). The
 *   propagation share c is calibrated so that reusing every layer gives exactly
 *   `fullReuseLoss`: loss(R) = min(F, 1 − (1 − I(R))(1 − c·π(R))), c = 1 − (1 − F)/(1 − I(all))
 *   when F ≥ I(all), else 0 (then the cap at F does the calibration). Every factor is monotone
 *   in R, so recomputing a superset never increases the loss; recomputing everything gives 0.
 * - The transition layer's E-cache mismatch is not modelled separately: it is folded into the
 *   sensitivities and the propagation term. What favours contiguous groups in podsim is that
 *   they cut propagation and cost one E-cache load each (the fabric-aware planner prices the
 *   loads).
 * - *Grouping*: {@link groupCritical} merges consecutive critical layers when at most `maxGap`
 *   non-critical layers separate them; the default 4 is the smallest value that reproduces the
 *   paper's example.
 * - *Synthetic profiles* ({@link syntheticProfile}) follow the paper's statistics; their
 *   distributions (sensitivity ranges, run counts, propagation share) are estimates.
 *
 * A frontier read from a scenario file is data (it may be measured); {@link choosePoint} and
 * {@link frontierWithin} use its stored losses. {@link qualityLoss} is the model for arbitrary
 * recompute sets.
 */
import { GeneratorError, type Issue } from '../errors/index.ts';
import { mulberry32, randomInt, shuffleInPlace, type Random } from '../units/index.ts';

// ---------------------------------------------------------------------------------------------
// Data model
// ---------------------------------------------------------------------------------------------

/** A contiguous range of layers, inclusive at both ends, 0-based layer indices. */
export interface LayerGroup {
  /** First layer of the group (the *transition layer*, where the sender's E cache is loaded). */
  readonly start: number;
  /** Last layer of the group (inclusive). */
  readonly end: number;
}

/** One point of a profile's Pareto frontier: a recompute set and its expected quality loss. */
export interface FrontierPoint {
  /** Recomputed layers as sorted, non-overlapping, non-adjacent contiguous groups. */
  readonly groups: readonly LayerGroup[];
  /** Number of recomputed layers (sum of the groups' sizes). */
  readonly recomputedLayers: number;
  /** E-cache loads needed (= `groups.length`: one at each group's transition layer). */
  readonly eCacheLoads: number;
  /** Expected quality loss, as a fraction of the receiver's own score (0..1). */
  readonly qualityLoss: number;
}

/** A pair profile without its frontier: what the loss model needs (and what {@link buildFrontier} takes). */
export interface PairProfileModel {
  /** The model that reuses the cache. */
  readonly receiver: string;
  /** The model whose prefix KV cache is reused. */
  readonly sender: string;
  /** Number of transformer layers (same architecture for both). */
  readonly layers: number;
  /** Quality drop (fraction of the receiver's own score, 0..1) when reusing layer i alone from the sender (all others recomputed). */
  readonly layerSensitivity: readonly number[];
  /** Quality drop (0..1) when reusing every layer (no recompute) — DroidSpeak Finding 1: > 0.5 for most pairs. */
  readonly fullReuseLoss: number;
}

/** A (receiver ← sender) pair profile: the loss model's inputs plus the Pareto frontier. */
export interface PairProfile extends PairProfileModel {
  /**
   * Pareto frontier of (recomputed layers ↑, expected quality loss ↓): recomputed layers strictly
   * ascending, loss non-increasing (strictly decreasing except that the final all-layers point
   * may tie at 0); starts at 0 layers (loss = fullReuseLoss) and ends at all layers (loss 0).
   */
  readonly frontier: readonly FrontierPoint[];
}

/** Options of {@link buildFrontier}. */
export interface FrontierOptions {
  /** Critical-layer threshold (fraction, 0..1); default {@link PROFILE_DEFAULTS}.criticalThreshold. */
  readonly threshold?: number;
  /** Largest gap (non-critical layers) merged by {@link groupCritical}; default {@link PROFILE_DEFAULTS}.maxGapLayers. */
  readonly maxGap?: number;
}

/** Options of {@link syntheticProfile}. Ranges are `[low, high]` fractions. */
export interface SyntheticProfileOptions {
  /** Receiver model name. */
  readonly receiver: string;
  /** Sender model name. */
  readonly sender: string;
  /** Number of layers (integer ≥ 1). */
  readonly layers: number;
  /** Seed (integer); mixed with the pair's names so different pairs under one seed differ. */
  readonly seed: number;
  /** Expected fraction of critical layers; default 0.11 (DroidSpeak Finding 2). */
  readonly criticalFraction?: number;
  /** Sensitivity of a critical layer, drawn in (low, high]; low must be ≥ the critical threshold. */
  readonly criticalSensitivity?: readonly [number, number];
  /** Share of the full-reuse loss due to error propagation, drawn in [low, high). */
  readonly propagationShare?: readonly [number, number];
  /** Most non-critical layers between two runs of critical layers (integer ≥ 1). */
  readonly maxRunGapLayers?: number;
  /** Options for the frontier built into the profile. */
  readonly frontier?: FrontierOptions;
}

/**
 * Every default of this file, with its source (docs/design.md convention §9). *(estimate)* marks podsim's own
 * modelling choices, not published figures.
 */
export const PROFILE_DEFAULTS = Object.freeze({
  /** A layer is critical when reusing it alone drops quality by more than this (ref §3, Finding 2: "F1 drops by > 10 %"). */
  criticalThreshold: 0.1,
  /** Non-critical layers merged between critical layers: 4 is the smallest gap that reproduces ref §3's example (20 → 25). */
  maxGapLayers: 4,
  /** DroidSpeak's quality budget: "within 5 % of the receiver's own" (ref §3). */
  qualityBudget: 0.05,
  /** Fraction of a reused layer's error carried one layer further while the next layer is also reused *(estimate)*. */
  propagationDecayPerLayer: 0.5,
  /** Mean fraction of critical layers (ref §3, Finding 2: ≈ 11 %). */
  criticalFraction: 0.11,
  /** Sensitivity of a critical layer, uniform in (low, high] *(estimate; low = the critical threshold)*. */
  criticalSensitivity: Object.freeze([0.1, 0.4] as const),
  /** Sensitivity of a layer within 2 of a critical layer, uniform in [low, high) *(estimate)*. */
  shoulderSensitivity: Object.freeze([0.005, 0.03] as const),
  /** Sensitivity of any other layer, uniform in [low, high) *(estimate)*. */
  backgroundSensitivity: Object.freeze([0, 0.001] as const),
  /** Share of the full-reuse loss due to propagation, uniform in [low, high) *(estimate; keeps most full-reuse losses > 0.5, Finding 1)*. */
  propagationShare: Object.freeze([0.2, 0.6] as const),
  /** Most runs of critical layers in a synthetic profile *(estimate; ref §3's example shows three runs)*. */
  maxCriticalRuns: 4,
  /** Most non-critical layers between two runs of critical layers *(estimate; the example's gaps are 1 and 4)*. */
  maxRunGapLayers: 6,
});

// ---------------------------------------------------------------------------------------------
// Critical layers and grouping
// ---------------------------------------------------------------------------------------------

/**
 * Layers whose lone reuse drops quality by more than `threshold` (DroidSpeak's definition of a
 * critical layer), ascending.
 * @param threshold quality-drop fraction (0..1), default 0.10.
 */
export function criticalLayers(
  profile: Pick<PairProfileModel, 'layerSensitivity'>,
  threshold: number = PROFILE_DEFAULTS.criticalThreshold,
): number[] {
  const out: number[] = [];
  profile.layerSensitivity.forEach((s, i) => {
    if (s > threshold) out.push(i);
  });
  return out;
}

/**
 * Merges critical layers into contiguous recompute groups, one E-cache load each. Two
 * consecutive critical layers a < b fall in the same group when at most `maxGap` non-critical
 * layers separate them (b − a − 1 ≤ maxGap); the group then also covers the layers between.
 * Input may be unsorted or contain duplicates.
 * @param critical 0-based layer indices (integers ≥ 0).
 * @param maxGap largest number of non-critical layers bridged (integer ≥ 0); default 4.
 * @example groupCritical([16, 17, 18, 20, 25, 26, 27], 4) // [{ start: 16, end: 27 }]
 */
export function groupCritical(
  critical: readonly number[],
  maxGap: number = PROFILE_DEFAULTS.maxGapLayers,
): LayerGroup[] {
  if (!Number.isInteger(maxGap) || maxGap < 0)
    throw new RangeError(`maxGap must be an integer ≥ 0, got ${maxGap}`);
  for (const c of critical) {
    if (!Number.isInteger(c) || c < 0)
      throw new RangeError(`critical layers must be integers ≥ 0, got ${c}`);
  }
  const sorted = [...new Set(critical)].sort((a, b) => a - b);
  const groups: LayerGroup[] = [];
  let start: number | undefined;
  let end = 0;
  for (const c of sorted) {
    if (start !== undefined && c - end - 1 <= maxGap) {
      end = c;
      continue;
    }
    if (start !== undefined) groups.push({ start, end });
    start = c;
    end = c;
  }
  if (start !== undefined) groups.push({ start, end });
  return groups;
}

// ---------------------------------------------------------------------------------------------
// Loss model
// ---------------------------------------------------------------------------------------------

/** Precomputed constants of the loss model for one profile; evaluates recompute masks. */
interface LossModel {
  readonly layers: number;
  /** Loss when `recompute[i] === 1` marks the recomputed layers. */
  loss(recompute: Uint8Array): number;
}

function makeLossModel(model: PairProfileModel): LossModel {
  const { layers, layerSensitivity: s, fullReuseLoss: fullLoss } = model;
  if (!Number.isInteger(layers) || layers < 1)
    throw new RangeError(`layers must be an integer ≥ 1, got ${layers}`);
  if (s.length !== layers)
    throw new RangeError(`layerSensitivity has ${s.length} entries for ${layers} layers`);
  for (const x of s)
    if (!(x >= 0 && x <= 1))
      throw new RangeError(`layer sensitivities must be in [0, 1], got ${x}`);
  if (!(fullLoss >= 0 && fullLoss <= 1))
    throw new RangeError(`fullReuseLoss must be in [0, 1], got ${fullLoss}`);
  const rho = PROFILE_DEFAULTS.propagationDecayPerLayer;
  // carried[r] = Σ_{k=1..r} ρᵏ, built by accumulation so it is monotone in r even after rounding.
  const carried = new Float64Array(layers + 1);
  let power = 1;
  for (let r = 1; r <= layers; r++) {
    power *= rho;
    carried[r] = (carried[r - 1] ?? 0) + power;
  }
  /** [keep, P]: Π_{reused}(1 − sᵢ) and the propagation sum, for a recompute mask. */
  const parts = (recompute: Uint8Array): [number, number] => {
    let keep = 1;
    let propagation = 0;
    let runAfter = 0; // reused layers immediately after i
    for (let i = layers - 1; i >= 0; i--) {
      if (recompute[i] === 1) {
        runAfter = 0;
        continue;
      }
      const si = s[i] ?? 0;
      keep *= 1 - si;
      propagation += si * (carried[runAfter] ?? 0);
      runAfter++;
    }
    return [keep, propagation];
  };
  const [keepAll, propagationAll] = parts(new Uint8Array(layers));
  const independentAll = 1 - keepAll;
  const share =
    fullLoss >= independentAll && keepAll > 0
      ? Math.min(1, Math.max(0, 1 - (1 - fullLoss) / keepAll))
      : 0;
  return {
    layers,
    loss(recompute) {
      let reused = 0;
      for (let i = 0; i < layers; i++) if (recompute[i] !== 1) reused++;
      if (reused === 0) return 0;
      if (reused === layers) return fullLoss;
      const [keep, propagation] = parts(recompute);
      // With no propagation anywhere (P(all) = 0), π is the indicator of "every layer reused".
      const pi = propagationAll > 0 ? propagation / propagationAll : 0;
      const raw = 1 - keep * (1 - share * pi);
      return Math.min(fullLoss, Math.max(0, raw));
    },
  };
}

/** Recompute mask of `groups` (union), checking every index. */
function maskOf(layers: number, groups: readonly LayerGroup[]): Uint8Array {
  const mask = new Uint8Array(layers);
  for (const g of groups) {
    if (
      !Number.isInteger(g.start) ||
      !Number.isInteger(g.end) ||
      g.start < 0 ||
      g.end < g.start ||
      g.end >= layers
    ) {
      throw new RangeError(
        `recompute group ${g.start}–${g.end} is not a range within 0–${layers - 1}`,
      );
    }
    mask.fill(1, g.start, g.end + 1);
  }
  return mask;
}

/** Maximal runs of recomputed layers in a mask: sorted, non-overlapping, non-adjacent groups. */
function groupsOfMask(mask: Uint8Array): LayerGroup[] {
  const groups: LayerGroup[] = [];
  let start = -1;
  for (let i = 0; i <= mask.length; i++) {
    const on = i < mask.length && mask[i] === 1;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      groups.push({ start, end: i - 1 });
      start = -1;
    }
  }
  return groups;
}

function countOn(mask: Uint8Array): number {
  let n = 0;
  for (const x of mask) n += x;
  return n;
}

/**
 * Expected quality loss (fraction of the receiver's own score, 0..1) when the receiver
 * recomputes `recompute` and reuses the sender's KV cache for every other layer. Groups may
 * overlap or touch (their union counts). See the file header for the model; guaranteed:
 * recomputing every layer → 0, recomputing none → `fullReuseLoss`, recomputing a superset
 * never increases the loss, and the result is in [0, 1].
 * @throws RangeError when a group is not an integer range within the profile's layers, or the
 * profile's numbers are out of range (validate file data with {@link validatePairProfile} first).
 */
export function qualityLoss(profile: PairProfileModel, recompute: readonly LayerGroup[]): number {
  const model = makeLossModel(profile);
  return model.loss(maskOf(profile.layers, recompute));
}

/**
 * Scores one recompute set as a {@link FrontierPoint}: the union of `recompute` in canonical
 * groups (touching groups merge, so they need one E-cache load), its size and its modelled loss.
 * @throws RangeError as {@link qualityLoss}.
 */
export function evaluateRecompute(
  profile: PairProfileModel,
  recompute: readonly LayerGroup[],
): FrontierPoint {
  const mask = maskOf(profile.layers, recompute);
  const groups = groupsOfMask(mask);
  return {
    groups,
    recomputedLayers: countOn(mask),
    eCacheLoads: groups.length,
    qualityLoss: makeLossModel(profile).loss(mask),
  };
}

// ---------------------------------------------------------------------------------------------
// Frontier
// ---------------------------------------------------------------------------------------------

interface Candidate {
  readonly mask: Uint8Array;
  readonly recomputed: number;
  readonly groups: LayerGroup[];
  readonly loss: number;
}

/** True when `a` is a better representative than `b` for the same number of recomputed layers. */
function better(a: Candidate, b: Candidate): boolean {
  if (a.loss !== b.loss) return a.loss < b.loss;
  if (a.groups.length !== b.groups.length) return a.groups.length < b.groups.length;
  for (let i = 0; i < a.groups.length; i++) {
    const ga = a.groups[i] as LayerGroup;
    const gb = b.groups[i] as LayerGroup;
    if (ga.start !== gb.start) return ga.start < gb.start;
  }
  return false;
}

/**
 * Scores contiguous-group recompute sets and keeps their Pareto frontier. Enumerated sets:
 * 1. nothing (full reuse) and every single contiguous group [a, b], 0 ≤ a ≤ b < layers —
 *    DroidSpeak's O(l²) profiling; this includes all layers;
 * 2. for each distinct grouping of the critical layers by {@link groupCritical} with gap
 *    0, 1, …, `maxGap`: greedy unions — start empty, repeatedly add the group with the largest
 *    loss reduction per newly recomputed layer (ties: lower start), keeping every prefix;
 * 3. from each of those unions, greedy growth: repeatedly extend one group by one layer at
 *    either edge (never opening a new group), the extension with the largest loss reduction
 *    first (ties: lower layer), until every layer is recomputed, keeping every step.
 *
 * For each number of recomputed layers the lowest loss is kept (ties: fewer E-cache loads, then
 * earlier groups); then a point is kept only when its loss is strictly lower than that of every
 * point with fewer layers. The result is sorted by recomputed layers (strictly ascending) with
 * loss strictly descending, and always starts at 0 layers (loss = fullReuseLoss) and ends at all
 * layers (loss 0) — that endpoint is kept even when a smaller set already reaches loss 0.
 */
export function buildFrontier(
  profile: PairProfileModel,
  options: FrontierOptions = {},
): FrontierPoint[] {
  const model = makeLossModel(profile);
  const layers = profile.layers;
  const threshold = options.threshold ?? PROFILE_DEFAULTS.criticalThreshold;
  const maxGap = options.maxGap ?? PROFILE_DEFAULTS.maxGapLayers;
  if (!Number.isInteger(maxGap) || maxGap < 0)
    throw new RangeError(`maxGap must be an integer ≥ 0, got ${maxGap}`);

  const best = new Array<Candidate | undefined>(layers + 1).fill(undefined);
  const consider = (mask: Uint8Array, loss = model.loss(mask)): void => {
    const recomputed = countOn(mask);
    const candidate: Candidate = { mask, recomputed, groups: groupsOfMask(mask), loss };
    const current = best[recomputed];
    if (current === undefined || better(candidate, current)) best[recomputed] = candidate;
  };

  // 1. Nothing, and every single contiguous group.
  consider(new Uint8Array(layers));
  for (let a = 0; a < layers; a++) {
    for (let b = a; b < layers; b++) {
      const mask = new Uint8Array(layers);
      mask.fill(1, a, b + 1);
      consider(mask);
    }
  }

  // 2. Greedy unions of critical groups, for every distinct grouping.
  const critical = criticalLayers(profile, threshold);
  const groupings = new Map<string, LayerGroup[]>();
  for (let gap = 0; gap <= maxGap; gap++) {
    const grouping = groupCritical(critical, gap);
    groupings.set(grouping.map((g) => `${g.start}-${g.end}`).join(','), grouping);
  }
  const unions: Uint8Array[] = [];
  for (const grouping of groupings.values()) {
    let current: Uint8Array = new Uint8Array(layers);
    let currentLoss = model.loss(current);
    const remaining = [...grouping];
    while (remaining.length > 0) {
      let pick = -1;
      let pickRate = Number.NEGATIVE_INFINITY;
      let pickMask: Uint8Array | undefined;
      let pickLoss = 0;
      for (let j = 0; j < remaining.length; j++) {
        const g = remaining[j] as LayerGroup;
        const mask = current.slice();
        mask.fill(1, g.start, g.end + 1);
        const added = countOn(mask) - countOn(current);
        if (added === 0) continue;
        const loss = model.loss(mask);
        const rate = (currentLoss - loss) / added;
        if (rate > pickRate) {
          pick = j;
          pickRate = rate;
          pickMask = mask;
          pickLoss = loss;
        }
      }
      if (pick < 0 || pickMask === undefined) break;
      remaining.splice(pick, 1);
      current = pickMask;
      currentLoss = pickLoss;
      consider(current, currentLoss);
      unions.push(current);
    }
  }

  // 3. Greedy growth by one edge layer at a time from each union.
  const seen = new Set<string>();
  for (const union of unions) {
    const key = union.join('');
    if (seen.has(key)) continue;
    seen.add(key);
    let current: Uint8Array = union;
    while (countOn(current) < layers) {
      let pickLayer = -1;
      let pickLoss = Number.POSITIVE_INFINITY;
      let pickMask: Uint8Array | undefined;
      for (const g of groupsOfMask(current)) {
        for (const layer of [g.start - 1, g.end + 1]) {
          if (layer < 0 || layer >= layers || current[layer] === 1) continue;
          const mask = current.slice();
          mask[layer] = 1;
          const loss = model.loss(mask);
          if (loss < pickLoss || (loss === pickLoss && layer < pickLayer)) {
            pickLayer = layer;
            pickLoss = loss;
            pickMask = mask;
          }
        }
      }
      if (pickMask === undefined) break;
      current = pickMask;
      consider(current, pickLoss);
    }
  }

  // Pareto filter.
  const frontier: FrontierPoint[] = [];
  let lowest = Number.POSITIVE_INFINITY;
  for (let n = 0; n <= layers; n++) {
    const c = best[n];
    if (c === undefined) continue;
    if (c.loss < lowest || n === layers) {
      frontier.push({
        groups: c.groups,
        recomputedLayers: c.recomputed,
        eCacheLoads: c.groups.length,
        qualityLoss: c.loss,
      });
      lowest = Math.min(lowest, c.loss);
    }
  }
  return frontier;
}

function checkBudget(qualityBudget: number): void {
  if (!(qualityBudget >= 0) || !Number.isFinite(qualityBudget)) {
    throw new RangeError(`quality budget must be a finite fraction ≥ 0, got ${qualityBudget}`);
  }
}

/**
 * Every frontier point whose loss is within `qualityBudget` (loss ≤ budget), fewest recomputed
 * layers first — the candidates the fabric-aware planner chooses among.
 * @param qualityBudget largest acceptable quality loss, fraction of the receiver's own score (≥ 0).
 * @throws RangeError when the budget is negative or not finite.
 */
export function frontierWithin(
  profile: Pick<PairProfile, 'frontier'>,
  qualityBudget: number,
): FrontierPoint[] {
  checkBudget(qualityBudget);
  return profile.frontier.filter((p) => p.qualityLoss <= qualityBudget);
}

/**
 * DroidSpeak's choice: the frontier point with the fewest recomputed layers whose loss is within
 * `qualityBudget` (0.05 = "within 5 % of the receiver's own"). A valid profile's frontier ends at
 * loss 0, so a point always exists.
 * @param qualityBudget largest acceptable quality loss, fraction of the receiver's own score (≥ 0).
 * @throws RangeError when the budget is negative or not finite; Error when the frontier has no
 * point within the budget (an unvalidated profile).
 */
export function choosePoint(
  profile: Pick<PairProfile, 'frontier'>,
  qualityBudget: number = PROFILE_DEFAULTS.qualityBudget,
): FrontierPoint {
  const within = frontierWithin(profile, qualityBudget);
  const first = within[0];
  if (first === undefined)
    throw new Error(
      `no frontier point within quality budget ${qualityBudget}; validate the profile first`,
    );
  return first;
}

// ---------------------------------------------------------------------------------------------
// Synthetic profiles
// ---------------------------------------------------------------------------------------------

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

  const rand = mulberry32(mixSeed(seed, `${receiver}\u0000${sender}\u0000${layers}`));
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

  const layerSensitivity: number[] = [];
  for (let i = 0; i < layers; i++) {
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
  const keepAll = layerSensitivity.reduce((keep, s) => keep * (1 - s), 1);
  const fullReuseLoss = 1 - keepAll * (1 - uniform(rand, shareRange));
  const model: PairProfileModel = { receiver, sender, layers, layerSensitivity, fullReuseLoss };
  return { ...model, frontier: buildFrontier(model, options.frontier ?? {}) };
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const PROFILE_KEYS = [
  'receiver',
  'sender',
  'layers',
  'layerSensitivity',
  'fullReuseLoss',
  'frontier',
] as const;
const POINT_KEYS = ['groups', 'recomputedLayers', 'eCacheLoads', 'qualityLoss'] as const;
const GROUP_KEYS = ['start', 'end'] as const;
/** Tolerance when comparing a frontier's first loss with `fullReuseLoss` (written files round). */
const LOSS_TOLERANCE = 1e-9;

type Path = readonly (string | number)[];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return 'a list';
  if (x === null) return 'null';
  return typeof x === 'string' ? `"${x}"` : typeof x === 'object' ? 'an object' : String(x);
}

/**
 * Checks a pair profile read from a scenario file and returns every problem (never throws for
 * bad data). Codes:
 *
 * | code | meaning |
 * |---|---|
 * | `input.type` | wrong JSON type (object, list, string, number expected) |
 * | `input.required` | a required key is missing |
 * | `input.unknown-key` | a key the format does not have |
 * | `input.integer` | `layers`, a group bound or a count is not a whole number in range |
 * | `input.range` | a sensitivity, `fullReuseLoss` or a point's loss is outside [0, 1] |
 * | `profile.same-model` | receiver and sender are the same model |
 * | `profile.length` | `layerSensitivity` does not have `layers` entries |
 * | `profile.group-range` | a group's start/end is outside 0…layers−1 or end < start |
 * | `profile.group-order` | groups are not sorted and separated (overlapping or touching) |
 * | `profile.point-mismatch` | `recomputedLayers` ≠ sum of group sizes, or `eCacheLoads` ≠ number of groups |
 * | `profile.frontier-order` | recomputed layers not strictly ascending, or loss increasing |
 * | `profile.frontier-ends` | the frontier does not start at 0 layers with loss `fullReuseLoss`, or end at all layers with loss 0 |
 *
 * @param raw parsed YAML/JSON value.
 * @param path where `raw` sits in its file, prefixed to every issue's path.
 */
export function validatePairProfile(
  raw: unknown,
  path: readonly (string | number)[] = [],
): Issue[] {
  const issues: Issue[] = [];
  const add = (code: string, at: Path, message: string): void => {
    issues.push({ code, path: [...at], message });
  };
  if (!isRecord(raw)) {
    add('input.type', path, `expected a pair profile object, got ${describe(raw)}`);
    return issues;
  }
  for (const key of Object.keys(raw)) {
    if (!(PROFILE_KEYS as readonly string[]).includes(key)) {
      add(
        'input.unknown-key',
        [...path, key],
        `unknown key "${key}"; allowed: ${PROFILE_KEYS.join(', ')}`,
      );
    }
  }
  const requireKey = (obj: Record<string, unknown>, key: string, at: Path): unknown => {
    if (!(key in obj) || obj[key] === undefined)
      add('input.required', [...at, key], `"${key}" is required`);
    return obj[key];
  };

  // Names.
  const names: string[] = [];
  for (const key of ['receiver', 'sender'] as const) {
    const v = requireKey(raw, key, path);
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0)
      add('input.type', [...path, key], `expected a non-empty model name, got ${describe(v)}`);
    else names.push(v);
  }
  if (names.length === 2 && names[0] === names[1]) {
    add(
      'profile.same-model',
      [...path, 'sender'],
      `sender must differ from receiver ("${names[0]}"): reusing one's own cache is exact reuse`,
    );
  }

  // Layers.
  const layersRaw = requireKey(raw, 'layers', path);
  let layers: number | undefined;
  if (layersRaw !== undefined) {
    if (typeof layersRaw !== 'number')
      add(
        'input.type',
        [...path, 'layers'],
        `expected a number of layers, got ${describe(layersRaw)}`,
      );
    else if (!Number.isInteger(layersRaw) || layersRaw < 1)
      add('input.integer', [...path, 'layers'], `expected an integer ≥ 1, got ${layersRaw}`);
    else layers = layersRaw;
  }

  const fraction = (v: unknown, at: Path, what: string): number | undefined => {
    if (typeof v !== 'number' || Number.isNaN(v)) {
      add('input.type', at, `expected ${what} as a number, got ${describe(v)}`);
      return undefined;
    }
    if (!(v >= 0 && v <= 1)) {
      add('input.range', at, `expected ${what} in [0, 1], got ${v}`);
      return undefined;
    }
    return v;
  };

  // Sensitivities.
  const sensRaw = requireKey(raw, 'layerSensitivity', path);
  if (sensRaw !== undefined) {
    if (!Array.isArray(sensRaw))
      add(
        'input.type',
        [...path, 'layerSensitivity'],
        `expected a list of fractions, got ${describe(sensRaw)}`,
      );
    else {
      if (layers !== undefined && sensRaw.length !== layers) {
        add(
          'profile.length',
          [...path, 'layerSensitivity'],
          `expected ${layers} sensitivities (one per layer), got ${sensRaw.length}`,
        );
      }
      sensRaw.forEach((v, i) => fraction(v, [...path, 'layerSensitivity', i], 'a quality drop'));
    }
  }

  // Full-reuse loss.
  const fullRaw = requireKey(raw, 'fullReuseLoss', path);
  const fullReuseLoss =
    fullRaw === undefined
      ? undefined
      : fraction(fullRaw, [...path, 'fullReuseLoss'], 'a quality drop');

  // Frontier.
  const frontierRaw = requireKey(raw, 'frontier', path);
  if (frontierRaw === undefined) return issues;
  const frontierPath = [...path, 'frontier'];
  if (!Array.isArray(frontierRaw)) {
    add(
      'input.type',
      frontierPath,
      `expected a list of frontier points, got ${describe(frontierRaw)}`,
    );
    return issues;
  }
  if (frontierRaw.length === 0) {
    add(
      'profile.frontier-ends',
      frontierPath,
      'expected at least the full-reuse and recompute-all points, got an empty frontier',
    );
    return issues;
  }
  /** Per point: [recomputedLayers, qualityLoss] when both are usable. */
  const summary: ({ layers: number; loss: number } | undefined)[] = [];
  frontierRaw.forEach((point, p) => {
    const at = [...frontierPath, p];
    if (!isRecord(point)) {
      add('input.type', at, `expected a frontier point object, got ${describe(point)}`);
      summary.push(undefined);
      return;
    }
    for (const key of Object.keys(point)) {
      if (!(POINT_KEYS as readonly string[]).includes(key))
        add(
          'input.unknown-key',
          [...at, key],
          `unknown key "${key}"; allowed: ${POINT_KEYS.join(', ')}`,
        );
    }
    const groupsRaw = requireKey(point, 'groups', at);
    let groupLayers: number | undefined;
    let groupCount: number | undefined;
    if (groupsRaw !== undefined && !Array.isArray(groupsRaw)) {
      add(
        'input.type',
        [...at, 'groups'],
        `expected a list of {start, end} groups, got ${describe(groupsRaw)}`,
      );
    } else if (Array.isArray(groupsRaw)) {
      let ok = true;
      let total = 0;
      let previousEnd: number | undefined;
      groupsRaw.forEach((g, j) => {
        const gAt = [...at, 'groups', j];
        if (!isRecord(g)) {
          add('input.type', gAt, `expected a {start, end} group, got ${describe(g)}`);
          ok = false;
          return;
        }
        for (const key of Object.keys(g)) {
          if (!(GROUP_KEYS as readonly string[]).includes(key))
            add('input.unknown-key', [...gAt, key], `unknown key "${key}"; allowed: start, end`);
        }
        const bounds: number[] = [];
        for (const key of GROUP_KEYS) {
          const v = requireKey(g, key, gAt);
          if (v === undefined) continue;
          if (typeof v !== 'number' || !Number.isInteger(v))
            add(
              'input.integer',
              [...gAt, key],
              `expected a layer index (integer), got ${describe(v)}`,
            );
          else bounds.push(v);
        }
        const [start, end] = bounds;
        if (bounds.length !== 2 || start === undefined || end === undefined) {
          ok = false;
          return;
        }
        if (start < 0 || end < start || (layers !== undefined && end >= layers)) {
          add(
            'profile.group-range',
            gAt,
            `group ${start}–${end} must satisfy 0 ≤ start ≤ end ≤ ${layers === undefined ? 'layers − 1' : layers - 1}`,
          );
          ok = false;
          return;
        }
        if (previousEnd !== undefined && start <= previousEnd + 1) {
          add(
            'profile.group-order',
            gAt,
            `group ${start}–${end} must start after ${previousEnd + 1} (groups sorted, neither overlapping nor touching)`,
          );
          ok = false;
        }
        previousEnd = Math.max(previousEnd ?? end, end);
        total += end - start + 1;
      });
      if (ok) {
        groupLayers = total;
        groupCount = groupsRaw.length;
      }
    }
    const count = (
      key: 'recomputedLayers' | 'eCacheLoads',
      expected: number | undefined,
      what: string,
    ): number | undefined => {
      const v = requireKey(point, key, at);
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        add('input.integer', [...at, key], `expected ${what} (integer ≥ 0), got ${describe(v)}`);
        return undefined;
      }
      if (expected !== undefined && v !== expected)
        add(
          'profile.point-mismatch',
          [...at, key],
          `${key} is ${v} but the groups give ${expected}`,
        );
      return v;
    };
    const recomputed = count('recomputedLayers', groupLayers, 'a number of layers');
    count('eCacheLoads', groupCount, 'a number of E-cache loads');
    const lossRaw = requireKey(point, 'qualityLoss', at);
    const loss =
      lossRaw === undefined
        ? undefined
        : fraction(lossRaw, [...at, 'qualityLoss'], 'a quality loss');
    summary.push(
      recomputed !== undefined && loss !== undefined ? { layers: recomputed, loss } : undefined,
    );
  });

  // Order: recomputed layers strictly ascending, loss non-increasing (checked between usable neighbours).
  let previous: { layers: number; loss: number; index: number } | undefined;
  summary.forEach((s, i) => {
    if (s === undefined) return;
    if (previous !== undefined) {
      if (s.layers <= previous.layers) {
        add(
          'profile.frontier-order',
          [...frontierPath, i, 'recomputedLayers'],
          `expected more than ${previous.layers} recomputed layers (frontier[${previous.index}]), got ${s.layers}`,
        );
      }
      if (s.loss > previous.loss) {
        add(
          'profile.frontier-order',
          [...frontierPath, i, 'qualityLoss'],
          `expected a loss ≤ ${previous.loss} (frontier[${previous.index}]) for more recomputed layers, got ${s.loss}`,
        );
      }
    }
    previous = { ...s, index: i };
  });

  // Ends.
  const first = summary[0];
  if (first !== undefined) {
    if (first.layers !== 0)
      add(
        'profile.frontier-ends',
        [...frontierPath, 0, 'recomputedLayers'],
        `the frontier must start at 0 recomputed layers (full reuse), got ${first.layers}`,
      );
    else if (fullReuseLoss !== undefined && Math.abs(first.loss - fullReuseLoss) > LOSS_TOLERANCE) {
      add(
        'profile.frontier-ends',
        [...frontierPath, 0, 'qualityLoss'],
        `the full-reuse point's loss must equal fullReuseLoss ${fullReuseLoss}, got ${first.loss}`,
      );
    }
  }
  const lastIndex = summary.length - 1;
  const last = summary[lastIndex];
  if (last !== undefined && layers !== undefined) {
    if (last.layers !== layers) {
      add(
        'profile.frontier-ends',
        [...frontierPath, lastIndex, 'recomputedLayers'],
        `the frontier must end at all ${layers} layers recomputed, got ${last.layers}`,
      );
    } else if (last.loss !== 0) {
      add(
        'profile.frontier-ends',
        [...frontierPath, lastIndex, 'qualityLoss'],
        `recomputing every layer must lose nothing (0), got ${last.loss}`,
      );
    }
  }
  return issues;
}
