/**
 * What a what-if measures, per column: the shapes of its results. The runner that fills them is
 * src/app/whatif.ts; the shapes stay here, beside the {@link SimResult} they hold, because the
 * renderers in report/ (a layer below app/) take them (docs/design.md).
 */
import type { RpcLocality } from '../fabric/rpc.ts';
import type { FabricSummary } from '../fabric/summary.ts';
import type { TopologyMetrics } from '../topology/metrics.ts';
import type { PolicyName } from '../planner/planner.ts';
import type { SimResult } from './types.ts';

/** Hosts that lost pooled memory to the failures, compared with the same topology intact, and the cached objects the failures destroy. */
export interface ReachLoss {
  /** Cached objects (and bytes) lost if the elements fail at the end of a run of the intact topology. */
  readonly objectsLost: number;
  readonly bytesLost: number;
  readonly hostsAffected: number;
  /** Host ids losing the most, with the bytes they can no longer reach (at most 10). */
  readonly worst: readonly { readonly host: string; readonly lostBytes: number }[];
  readonly lostBytesTotal: number;
}

/** Everything measured for one column. */
export interface WhatIfColumn {
  readonly label: string;
  readonly metrics: TopologyMetrics;
  readonly costs: FabricSummary;
  /** 64 B RPC round trips split by locality under the what-if's traffic matrix (docs/rpc.md). */
  readonly rpcLocality: RpcLocality;
  readonly run: SimResult;
  /** Only for columns with failures. */
  readonly reachLoss?: ReachLoss;
  /** Which resource bounds the run (docs/whatif.md "What bounds a column"). */
  readonly bound: BoundVerdict;
  /** The gain of the scenario's policy over full prefill, when measured. */
  readonly reuseGain?: ReuseGain;
  /** Goodput and TTFT vs offered rate, one curve per policy, when a load axis was asked for. */
  readonly loadCurves?: readonly LoadCurve[];
}

/**
 * The SLO attainment (fraction) a run must reach to "meet the SLOs" unless the user says
 * otherwise (estimate: the usual p99 reading of a latency SLO; a scenario file has no attainment
 * target of its own — docs/whatif.md "The knee"). Here, below app/ and report/, so both use it.
 */
export const SLO_TARGET_SHARE = 0.99;

/** One offered rate of a load curve (src/app/load-sweep.ts). */
export interface LoadPoint {
  /** Offered Poisson rate, requests per second. */
  readonly ratePerS: number;
  readonly goodputPerS: number;
  readonly ttftP50Ns: number;
  readonly ttftP99Ns: number;
  /** Share of requests meeting both SLOs (fraction). */
  readonly sloAttainment: number;
  /** Whether `sloAttainment` reaches the curve's target share. */
  readonly meetsSlo: boolean;
  /** Busy share of the busiest serving GPU (fraction). */
  readonly gpuBusiest: number;
}

/** Goodput and TTFT vs offered rate on one fabric under one policy, with the knee. */
export interface LoadCurve {
  /** The fabric (column label). */
  readonly label: string;
  readonly policy: PolicyName;
  /** SLO attainment a rate must reach to meet the SLOs (fraction). */
  readonly targetShare: number;
  /** The scenario's TTFT SLO (ns), drawn on the load chart. */
  readonly ttftSloNs: number;
  /** Sorted by rate. */
  readonly points: readonly LoadPoint[];
  /** The highest rate such that it and every lower rate meet the SLOs; null when the lowest misses. */
  readonly kneeRatePerS: number | null;
}

/** The answer of a search for the highest rate meeting the SLOs. */
export interface RateSearch {
  /** Highest rate seen to meet the SLOs (requests per second; 0 when none did). */
  readonly ratePerS: number;
  /** Lowest rate seen to miss them; null when every rate tried met them. */
  readonly failsAtPerS: number | null;
  /** The bracket's final width relative to its upper end is at most this (fraction). */
  readonly relTolerance: number;
  /** Every run of the search, sorted by rate. */
  readonly points: readonly LoadPoint[];
}

/** The resource class that bounds a column (docs/whatif.md "What bounds a column"). */
export type BoundKind = 'gpu-compute' | 'gpu-link' | 'fabric-link' | 'device-media' | 'none';

/** A resource and its utilisation over the run (fraction of capacity × simulated time). */
export interface BusyResource {
  readonly id: string;
  readonly utilisation: number;
}

/** What bounds a column, and the figures the verdict rests on. */
export interface BoundVerdict {
  /** The busiest resource class when it is at or above the saturation threshold, else `none`. */
  readonly kind: BoundKind;
  /** Saturation threshold the verdict used (fraction). */
  readonly thresholdShare: number;
  /** Serving GPUs: mean and busiest replica busy share. */
  readonly gpuMean: number;
  readonly gpuBusiest: BusyResource;
  /** Busiest resource of each class among the run's busiest resources (null when none carried traffic). */
  readonly gpuLink: BusyResource | null;
  readonly fabricLink: BusyResource | null;
  readonly deviceMedia: BusyResource | null;
  /** The GPU's PCIe link bandwidth (bytes/ns) and whether it caps the reference KV fetch. */
  readonly gpuLinkBytesPerNs: number;
  readonly fetchCappedByGpuLink: boolean;
}

/** How much reuse gains over full prefill on one column (same fabric, same seed). */
export interface ReuseGain {
  /** The column's policy (the scenario's) and the baseline (`full-prefill`). */
  readonly policy: PolicyName;
  readonly baselinePolicy: PolicyName;
  /** Goodput at the scenario's rate (its Poisson rate, null for other arrivals) under each, and policy ÷ baseline (null when the baseline's is 0). */
  readonly ratePerS: number | null;
  readonly goodputPerS: number;
  readonly baselineGoodputPerS: number;
  readonly goodputRatio: number | null;
  /** Highest rate meeting the SLOs under each, and their ratio (absent when not searched). */
  readonly sustainable?: {
    readonly policy: RateSearch;
    readonly baseline: RateSearch;
    /** null when the baseline meets the SLOs at no rate tried. */
    readonly ratio: number | null;
  };
}
