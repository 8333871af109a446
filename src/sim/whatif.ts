/**
 * What a what-if measures, per column: the shapes of its results. The runner that fills them is
 * src/app/whatif.ts; the shapes stay here, beside the {@link SimResult} they hold, because the
 * renderers in report/ (a layer below app/) take them (docs/design.md).
 */
import type { RpcLocality } from '../fabric/rpc.ts';
import type { FabricSummary } from '../fabric/summary.ts';
import type { TopologyMetrics } from '../topology/metrics.ts';
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
}
