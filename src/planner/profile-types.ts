/**
 * The data model of DroidSpeak pair profiles (docs/references.md §3): layer groups, frontier
 * points, the profile itself and the options of the functions that build one, with every
 * default and its source ({@link PROFILE_DEFAULTS}). profiles.ts describes the model.
 */

/** A contiguous range of layers, inclusive at both ends, 0-based layer indices. */
export interface LayerGroup {
  /** First layer of the group (the *transition layer*, where the sender's E cache is loaded; none at layer 0). */
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
  /**
   * E-cache loads needed: one at each group's transition layer, except a group starting at
   * layer 0, whose input is the token embeddings (computed from the tokens, nothing to load).
   */
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
