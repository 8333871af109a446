/**
 * The quality-loss model of a pair profile (docs/design.md "Quality model"): critical layers and
 * their grouping, the loss of any recompute set, and the recompute masks the frontier search
 * works on.
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
 * - *Synthetic profiles* (synthetic-profile.ts) follow the paper's statistics; their
 *   distributions (sensitivity ranges, run counts, propagation share) are estimates.
 */
import {
  PROFILE_DEFAULTS,
  type FrontierPoint,
  type LayerGroup,
  type PairProfileModel,
} from './profile-types.ts';

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

/** Precomputed constants of the loss model for one profile; evaluates recompute masks. */
export interface LossModel {
  readonly layers: number;
  /** Loss when `recompute[i] === 1` marks the recomputed layers. */
  loss(recompute: Uint8Array): number;
}

export function makeLossModel(model: PairProfileModel): LossModel {
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
export function groupsOfMask(mask: Uint8Array): LayerGroup[] {
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

/**
 * E-cache loads a recompute set needs: one per group that does not start at the first layer.
 * A group's input is the hidden state entering its first layer — the sender's E cache there —
 * except at layer 0, whose input is the token embeddings, computed from the tokens themselves
 * (docs/references.md §3, "Three ways to run a partial reuse"; docs/planner.md).
 * @example eCacheLoadsOf([{ start: 0, end: 3 }, { start: 10, end: 12 }]) // 1
 */
export function eCacheLoadsOf(groups: readonly LayerGroup[]): number {
  let n = 0;
  for (const g of groups) if (g.start > 0) n++;
  return n;
}

export function countOn(mask: Uint8Array): number {
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
 * groups (touching groups merge; each needs one E-cache load unless it starts at layer 0), its size and its modelled loss.
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
    eCacheLoads: eCacheLoadsOf(groups),
    qualityLoss: makeLossModel(profile).loss(mask),
  };
}
