/**
 * RPC round trips split by locality (docs/rpc.md): host pairs that share a memory device
 * (`direct`), pairs that reach each other over CXL only by relaying through other hosts
 * (`relayed`), pairs with no CXL path that fall back to RDMA (`rdmaOnly`), and all pairs — each
 * with its pair share, its share of a traffic matrix's RPCs, and p50/p99 weighted by that
 * matrix. An island design is judged by its direct pairs and by how much traffic stays on them;
 * a single all-pairs average hides both. Re-exported by src/fabric/rpc.ts.
 */
import { bytes, type Bytes } from '../units/index.ts';
import type { Fabric } from './compile.ts';
import { rpcOneWayMatrices, type RpcMatrices } from './rpc-all-pairs.ts';
import { RPC_MEDIA, type RpcMedium } from './rpc-messages.ts';
import { weightedStats } from './rpc-percentile.ts';
import { pairWeights, trafficLabel, UNIFORM_TRAFFIC, type TrafficMatrix } from './rpc-traffic.ts';

/** Locality classes of a host pair, in table order. */
export const RPC_LOCALITIES = ['direct', 'relayed', 'rdmaOnly'] as const;
/** Where a pair stands: shares a device, relays over CXL, or has only RDMA. */
export type RpcLocalityClass = (typeof RPC_LOCALITIES)[number];

/** Round trips of the pairs of one class, on each pair's cheapest medium. */
export interface LocalityStats {
  /** Unordered host pairs in the class. */
  readonly pairs: number;
  /** `pairs` ÷ all host pairs (0 without pairs). */
  readonly pairShare: number;
  /** Share of the traffic matrix's weight on these pairs (0 without traffic). */
  readonly trafficShare: number;
  /** Round trip, ns, weighted by traffic over the pairs that carry any (`null` when none does). */
  readonly minNs: number | null;
  readonly p50Ns: number | null;
  readonly p99Ns: number | null;
  readonly maxNs: number | null;
  /** How many of the class's pairs each medium serves cheapest. */
  readonly cheapestBy: Readonly<Partial<Record<RpcMedium, number>>>;
}

/** The locality split of one fabric under one traffic matrix. */
export interface RpcLocality {
  readonly payloadBytes: Bytes;
  /** The traffic matrix, as a label (`uniform`, `local:0.9`, `file pairs.csv`). */
  readonly traffic: string;
  /** Unordered pairs of hosts in service. */
  readonly hostPairs: number;
  readonly direct: LocalityStats;
  readonly relayed: LocalityStats;
  readonly rdmaOnly: LocalityStats;
  /** Every reachable pair. */
  readonly all: LocalityStats;
  /** Pairs with no medium, and traffic that cannot be carried (to them or to hosts out of service). */
  readonly unreachable: { readonly pairs: number; readonly trafficShare: number };
}

/** Options of {@link rpcByLocality}. */
export interface RpcLocalityOptions {
  /** Payload each way (default 64 B, one cache line, as the what-if's RPC rows). */
  readonly payload?: Bytes;
  /** Which pairs send how many RPCs (default uniform). */
  readonly traffic?: TrafficMatrix;
  /** Called with (hosts done, hosts) while the one-way matrices are computed. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Default payload of {@link rpcByLocality}: one 64-byte cache line (as src/fabric/summary.ts). */
const DEFAULT_PAYLOAD: Bytes = bytes(64);

/**
 * RPC round trips of a fabric split by locality, under a traffic matrix — the API
 * `podsim rpc --traffic` and the what-if use, and what a reproduction of the Octopus ratios
 * calls (direct p50 on an Octopus pod against all-pairs p50 on a switched or RDMA fabric).
 * @throws InputError for a bad payload, or traffic entries naming hosts the topology lacks
 * @example rpcByLocality(compileFabric(loadTopology('octopus-96').graph)).direct.p50Ns
 */
export function rpcByLocality(f: Fabric, opts: RpcLocalityOptions = {}): RpcLocality {
  const payload = opts.payload ?? DEFAULT_PAYLOAD;
  const m = rpcOneWayMatrices(f, payload, opts.onProgress);
  const allHosts = Array.from(f.hosts, (h) => f.nodes[h] ?? '');
  return rpcLocalityOf(m, payload, opts.traffic ?? UNIFORM_TRAFFIC, allHosts);
}

/** Per pair (i < j row order): cheapest round trip, its medium, and the class. */
interface PairTable {
  readonly rtt: Float64Array;
  readonly medium: Int8Array;
  /** Index into RPC_LOCALITIES, −1 when unreachable. */
  readonly cls: Int8Array;
  /** `direct[i·n + j]` = 1 when i and j share a device. */
  readonly direct: Uint8Array;
}

function pairTable(m: RpcMatrices): PairTable {
  const n = m.hosts.length;
  const ow = m.oneWayNs;
  const pairs = (n * (n - 1)) / 2;
  const rtt = new Float64Array(pairs).fill(Number.POSITIVE_INFINITY);
  const medium = new Int8Array(pairs).fill(-1);
  const cls = new Int8Array(pairs).fill(-1);
  const direct = new Uint8Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++, k++) {
      const has: Partial<Record<RpcMedium, boolean>> = {};
      RPC_MEDIA.forEach((md, x) => {
        const r = (ow[md][i * n + j] ?? Infinity) + (ow[md][j * n + i] ?? Infinity);
        if (!Number.isFinite(r)) return;
        has[md] = true;
        if (r < (rtt[k] ?? Infinity)) {
          rtt[k] = r;
          medium[k] = x;
        }
      });
      if (has['cxl-mhd'] === true || has['cxl-switch'] === true) {
        cls[k] = 0;
        direct[i * n + j] = 1;
        direct[j * n + i] = 1;
      } else if (has['cxl-relay'] === true) cls[k] = 1;
      else if (has.rdma === true) cls[k] = 2;
    }
  return { rtt, medium, cls, direct };
}

/**
 * The locality split from one-way matrices already computed (pure; {@link rpcByLocality} is the
 * usual entry point).
 * @param allHosts every host id of the topology, in service or not (for traffic entries)
 * @throws InputError for traffic entries naming hosts the topology lacks
 */
export function rpcLocalityOf(
  m: RpcMatrices,
  payload: Bytes,
  traffic: TrafficMatrix,
  allHosts: readonly string[] = m.hosts,
): RpcLocality {
  const t = pairTable(m);
  const { weights, toHostsDownWeight } = pairWeights(traffic, m.hosts, t.direct, allHosts);
  const pairs = t.rtt.length;
  let total = toHostsDownWeight;
  let unreachableWeight = toHostsDownWeight;
  let unreachablePairs = 0;
  for (let k = 0; k < pairs; k++) {
    total += weights[k] ?? 0;
    if ((t.cls[k] ?? -1) < 0) {
      unreachablePairs++;
      unreachableWeight += weights[k] ?? 0;
    }
  }
  const share = (w: number): number => (total > 0 ? w / total : 0);
  const statsOf = (keep: (c: number) => boolean): LocalityStats => {
    const rtt: number[] = [];
    const w: number[] = [];
    const cheapestBy: Partial<Record<RpcMedium, number>> = {};
    let weight = 0;
    for (let k = 0; k < pairs; k++) {
      if (!keep(t.cls[k] ?? -1)) continue;
      rtt.push(t.rtt[k] ?? Infinity);
      w.push(weights[k] ?? 0);
      weight += weights[k] ?? 0;
      const md = RPC_MEDIA[t.medium[k] ?? -1];
      if (md !== undefined) cheapestBy[md] = (cheapestBy[md] ?? 0) + 1;
    }
    return {
      pairs: rtt.length,
      pairShare: pairs > 0 ? rtt.length / pairs : 0,
      trafficShare: share(weight),
      ...weightedStats(rtt, w),
      cheapestBy,
    };
  };
  return {
    payloadBytes: payload,
    traffic: trafficLabel(traffic),
    hostPairs: pairs,
    direct: statsOf((c) => c === 0),
    relayed: statsOf((c) => c === 1),
    rdmaOnly: statsOf((c) => c === 2),
    all: statsOf((c) => c >= 0),
    unreachable: { pairs: unreachablePairs, trafficShare: share(unreachableWeight) },
  };
}
