/**
 * DroidSpeak's figures that come from the pair profiles and the planner's prices of one lone
 * request (docs/references.md §3 "Findings", "Results", "Three ways to run a partial reuse",
 * "Motivating numbers"): the critical-layer share, whole-cache reuse's loss, prefill delay against
 * a full prefill at the paper's context lengths, the order of the three strategies, and the 40 K
 * prefill and load times. Each is computed on a given fabric and scenario, so the same code gives
 * the paper's testbed rows and the CXL-pod rows beyond it.
 */
import type { Fabric } from '../../fabric/compile.ts';
import { fetchCost, reachableDevices, type FetchSource } from '../../fabric/fetch.ts';
import { prefillTimeNs } from '../../kv/compute.ts';
import { ownEntry } from '../../kv/lookup.ts';
import { kvCacheBytes, type ModelShape } from '../../kv/models.ts';
import { explainRequest } from '../../planner/explain.ts';
import type { PartialReuseOption, PlanOption } from '../../planner/planner.ts';
import { criticalLayers, type PairProfile } from '../../planner/profiles.ts';
import { LONGBENCH_PRESETS } from '../../sim/workload.ts';
import type { SimConfig } from '../../sim/types.ts';
import { bytes, formatTime, ns } from '../../units/index.ts';

/** The published figures these rows compare with (docs/references.md §3). */
export const DROIDSPEAK_PUBLISHED = Object.freeze({
  /** Finding 2: about 11 % of layers are critical. */
  criticalShare: 0.11,
  /** Finding 1: reusing the whole cache loses more than half of the quality. */
  fullReuseLoss: 0.5,
  /** Results: prefill 1.7–3.1× faster than a full prefill (2.1× on average). */
  prefillSpeedup: { low: 1.7, high: 3.1, mean: 2.1 },
  /** Motivating numbers: Llama-3.1-8B on one A100, 40 K tokens: prefill ≈ 4 s, load ≈ 0.08 s. */
  longContextTokens: 40_000,
  longPrefillNs: 4e9,
  longLoadNs: 0.08e9,
});

/** A fabric and the paper scenario set up on it, with the hosts a lone request uses. */
export interface Setting {
  /** Label for the report, e.g. `droidspeak-testbed (IB, caches in GPU memory)`. */
  readonly label: string;
  readonly fabric: Fabric;
  readonly config: SimConfig;
  /** Host of the receiving GPU and the host that produced the cache. */
  readonly consumer: string;
  readonly producer: string;
}

/** The scenario's (first) pair and its model. */
export function pairOf(cfg: SimConfig): { pair: PairProfile; model: ModelShape } {
  const pair = cfg.profiles[0];
  if (pair === undefined) throw new Error(`${cfg.name}: reproduce droidspeak needs a pair profile`);
  const modelId = cfg.variants.find((v) => v.id === pair.receiver)?.model ?? '';
  return { pair, model: ownEntry(cfg.models, modelId) as ModelShape };
}

/** Where the setting's pool keeps a cache the producer made, as a fetch source. */
export function cacheSource(s: Setting): FetchSource {
  const p = s.config.pool.placement;
  return p.kind === 'host-memory'
    ? { kind: 'host', host: s.producer, memory: p.memory }
    : { kind: 'devices', devices: reachableDevices(s.fabric, s.producer) };
}

/** Share of critical layers of every pair profile (a layer is critical when reusing it alone costs more than the threshold), pooled over the pairs. */
export function criticalShare(profiles: readonly PairProfile[]): number {
  let critical = 0;
  let layers = 0;
  for (const p of profiles) {
    critical += criticalLayers(p).length;
    layers += p.layers;
  }
  return layers > 0 ? critical / layers : Number.NaN;
}

/** One lone request's prices at a context length: full prefill, DroidSpeak's choice, and the three strategies at that choice. */
export interface LonePrices {
  readonly tokens: number;
  readonly fullNs: number;
  /** DroidSpeak's choice with a request waiting: the fewest recomputed layers within the quality budget. */
  readonly chosen: PartialReuseOption;
  /** TTFT of each strategy at the chosen point (same sender, replica and recomputed layers). */
  readonly byStrategyNs: Readonly<Record<PartialReuseOption['strategy'], number>>;
}

/**
 * Prices a lone receiver request for a `tokens`-token context whose sender cache exists, by
 * `podsim explain`'s planning on the setting's fabric. One request is queued, so DroidSpeak takes
 * the fewest recomputed layers within the quality budget (its busy rule, docs/references.md §3
 * "Online choice") — the configuration the paper's prefill figure measures.
 * @throws Error when DroidSpeak chooses no partial reuse (no usable frontier point)
 */
export function lonePrices(s: Setting, tokens: number): LonePrices {
  const { pair } = pairOf(s.config);
  const ex = explainRequest(s.fabric, s.config, {
    variant: pair.receiver,
    context: 'c0',
    tokens,
    suffixTokens: s.config.workload.suffixTokens,
    host: s.consumer,
    producer: s.producer,
    senders: [pair.sender],
    exact: false,
    queueLength: 1,
    ttftSloNs: s.config.slo.ttftNs,
  });
  const decided = ex.decisions.find((d) => d.policy === 'droidspeak')?.chosen;
  const chosen =
    decided?.kind === 'partial' ? decided : busyRule(ex.options, s.config.qualityBudget);
  const full = ex.options.find((o) => o.kind === 'full-prefill');
  if (chosen === undefined || full === undefined)
    throw new Error(`${s.label}: no partial reuse within the quality budget at ${tokens} tokens`);
  const byStrategyNs = { 'send-all': Number.NaN, 'send-reused': Number.NaN, pipelined: Number.NaN };
  for (const o of ex.options)
    if (
      o.kind === 'partial' &&
      o.sourceVariant === chosen.sourceVariant &&
      o.replica === chosen.replica &&
      o.recomputedLayers === chosen.recomputedLayers
    )
      byStrategyNs[o.strategy] = o.ttftNs;
  return { tokens, fullNs: full.ttftNs, chosen, byStrategyNs };
}

/**
 * DroidSpeak's busy rule applied to a list of options directly — the fewest recomputed layers
 * within the quality budget, the fastest of those — for when the policy itself picks something
 * else (a planner that weighs more than the paper's rule).
 */
export function busyRule(
  options: readonly PlanOption[],
  budget: number,
): PartialReuseOption | undefined {
  let best: PartialReuseOption | undefined;
  for (const o of options) {
    if (o.kind !== 'partial' || o.qualityLoss > budget) continue;
    if (
      best === undefined ||
      o.recomputedLayers < best.recomputedLayers ||
      (o.recomputedLayers === best.recomputedLayers && o.ttftNs < best.ttftNs)
    )
      best = o;
  }
  return best;
}

/** The median context lengths of the LongBench sets the paper evaluates (docs/references.md §3). */
export function paperContextLengths(): { readonly set: string; readonly tokens: number }[] {
  return Object.entries(LONGBENCH_PRESETS).map(([set, spec]) => ({
    set,
    tokens: spec.medianTokens,
  }));
}

/** Prefill speedup (full ÷ DroidSpeak TTFT) at each paper context length, and the strategy order. */
export interface PrefillSweep {
  readonly rows: readonly (LonePrices & { readonly set: string; readonly speedup: number })[];
  readonly meanSpeedup: number;
  /** Share (0…1) of lengths where pipelined ≤ send-reused ≤ send-all. */
  readonly orderedShare: number;
}

/** Prices lone requests at every paper context length on a setting. */
export function prefillSweep(s: Setting): PrefillSweep {
  const rows = paperContextLengths().map(({ set, tokens }) => {
    const p = lonePrices(s, tokens);
    return { ...p, set, speedup: p.fullNs / p.chosen.ttftNs };
  });
  const meanSpeedup = rows.reduce((a, r) => a + r.speedup, 0) / rows.length;
  const ordered = rows.filter(
    (r) =>
      r.byStrategyNs.pipelined <= r.byStrategyNs['send-reused'] &&
      r.byStrategyNs['send-reused'] <= r.byStrategyNs['send-all'],
  ).length;
  return { rows, meanSpeedup, orderedShare: ordered / rows.length };
}

/** The 40 K-token prefill on one GPU of the setting's scenario (ns). */
export function longPrefillNs(s: Setting): number {
  const { model } = pairOf(s.config);
  return prefillTimeNs(model, s.config.gpu, DROIDSPEAK_PUBLISHED.longContextTokens, {
    tp: s.config.tensorParallel,
  });
}

/** Loading a 40 K-token KV cache from where the setting's pool keeps it into the consumer's GPU. */
export interface LongLoad {
  readonly totalNs: number;
  readonly bytes: number;
  readonly bandwidthBytesPerNs: number;
  /** The narrowest link any stripe crosses (bytes/ns). */
  readonly bottleneckBytesPerNs: number;
}

/** Prices {@link LongLoad} on an otherwise idle fabric (src/fabric/fetch.ts). */
export function longLoad(s: Setting): LongLoad {
  const { model } = pairOf(s.config);
  const size = kvCacheBytes(model, DROIDSPEAK_PUBLISHED.longContextTokens);
  const r = fetchCost(s.fabric, s.consumer, cacheSource(s), bytes(size));
  return {
    totalNs: r.totalNs,
    bytes: size,
    bandwidthBytesPerNs: r.effectiveBandwidthBytesPerNs,
    bottleneckBytesPerNs: Math.min(...r.stripes.map((x) => x.bottleneckBytesPerNs)),
  };
}

/** "198 ms vs 753 ms" for a lone-request row. */
export function ttftPair(partialNs: number, fullNs: number): string {
  return `${formatTime(ns(partialNs))} vs ${formatTime(ns(fullNs))}`;
}
