/**
 * The Pareto frontier of a pair profile (recomputed layers ↑, quality loss ↓): built from the
 * loss model by scoring contiguous-group recompute sets, and read within a quality budget by
 * the planner and DroidSpeak's own rule.
 */
import {
  countOn,
  criticalLayers,
  eCacheLoadsOf,
  groupCritical,
  groupsOfMask,
  makeLossModel,
  type LossModel,
} from './loss-model.ts';
import {
  PROFILE_DEFAULTS,
  type FrontierOptions,
  type FrontierPoint,
  type LayerGroup,
  type PairProfile,
  type PairProfileModel,
} from './profile-types.ts';

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
  const best: Best = new Array<Candidate | undefined>(layers + 1).fill(undefined);
  // 1. Nothing, and every single contiguous group.
  consider(best, model, new Uint8Array(layers));
  for (let a = 0; a < layers; a++) {
    for (let b = a; b < layers; b++) {
      const mask = new Uint8Array(layers);
      mask.fill(1, a, b + 1);
      consider(best, model, mask);
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
  for (const grouping of groupings.values()) greedyUnions(best, model, grouping, unions);
  // 3. Greedy growth by one edge layer at a time from each union.
  const seen = new Set<string>();
  for (const union of unions) {
    const key = union.join('');
    if (seen.has(key)) continue;
    seen.add(key);
    greedyGrowth(best, model, union);
  }
  return paretoFilter(best, layers);
}

/** The best candidate found so far for each number of recomputed layers. */
type Best = (Candidate | undefined)[];

/** Scores `mask` (its loss given, or computed) and keeps it when it beats its layer count's best. */
function consider(best: Best, model: LossModel, mask: Uint8Array, loss = model.loss(mask)): void {
  const recomputed = countOn(mask);
  const candidate: Candidate = { mask, recomputed, groups: groupsOfMask(mask), loss };
  const current = best[recomputed];
  if (current === undefined || better(candidate, current)) best[recomputed] = candidate;
}

/**
 * Step 2 of {@link buildFrontier} for one grouping: from nothing, adds the group with the largest
 * loss reduction per newly recomputed layer (ties: lower start) until none is left, considering
 * and appending to `unions` every prefix.
 */
function greedyUnions(
  best: Best,
  model: LossModel,
  grouping: readonly LayerGroup[],
  unions: Uint8Array[],
): void {
  let current: Uint8Array = new Uint8Array(model.layers);
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
    consider(best, model, current, currentLoss);
    unions.push(current);
  }
}

/**
 * Step 3 of {@link buildFrontier} from one union: extends one group by one layer at either edge
 * (never opening a new group), the extension with the largest loss reduction first (ties: lower
 * layer), until every layer is recomputed, considering every step.
 */
function greedyGrowth(best: Best, model: LossModel, union: Uint8Array): void {
  const layers = model.layers;
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
    consider(best, model, current, pickLoss);
  }
}

/** The Pareto filter of {@link buildFrontier}: strictly lower loss than every smaller set, plus all layers. */
function paretoFilter(best: Best, layers: number): FrontierPoint[] {
  const frontier: FrontierPoint[] = [];
  let lowest = Number.POSITIVE_INFINITY;
  for (let n = 0; n <= layers; n++) {
    const c = best[n];
    if (c === undefined) continue;
    if (c.loss < lowest || n === layers) {
      frontier.push({
        groups: c.groups,
        recomputedLayers: c.recomputed,
        eCacheLoads: eCacheLoadsOf(c.groups),
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
