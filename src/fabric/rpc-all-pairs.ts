/**
 * RPC costs between every pair of hosts (`podsim fabric rpc --all`, the what-if's RPC rows): the
 * one-way cost matrices per medium — one Dijkstra over the host–device incidence per source
 * host, reusing one set of arrays — and their summary as round-trip distributions per medium
 * and of the cheapest medium per pair. Re-exported by src/fabric/rpc.ts.
 */
import { LimitError } from '../errors/index.ts';
import { LIMITS } from '../errors/limits.ts';
import type { Bytes } from '../units/index.ts';
import type { Fabric } from './compile.ts';
import { IndexedMinHeap } from './heap.ts';
import { hostNics } from './paths.ts';
import {
  chainsFrom,
  checkPayload,
  directNs,
  incidence,
  rdmaMessage,
  RPC_MEDIA,
  type Chains,
  type RpcMedium,
} from './rpc-messages.ts';

/** One-way costs of every ordered host pair on every medium (`Infinity` where a medium is missing). */
export interface RpcMatrices {
  /** Host ids in matrix order. */
  readonly hosts: readonly string[];
  /** `oneWayNs[medium][i * hosts + j]` = one-way message cost from host i to host j. */
  readonly oneWayNs: Readonly<Record<RpcMedium, Float64Array>>;
}

/**
 * Matrices already computed, per fabric and payload: the what-if and `podsim rpc` summarise the
 * same matrices twice (per medium, and by locality), and a fabric never changes once compiled.
 */
const matrixCache = new WeakMap<Fabric, Map<number, RpcMatrices>>();

/**
 * One-way message costs between every ordered pair of hosts in service, per medium. RTT of a
 * pair on a medium = `m[i·n + j] + m[j·n + i]`. Memory O(hosts²). The result is cached per fabric
 * and payload and shared between callers: read it, do not modify it.
 * @param onProgress called with (hosts done, hosts) after each source host (once, with all
 *   hosts done, when the matrices come from the cache)
 */
export function rpcOneWayMatrices(
  f: Fabric,
  payload: Bytes,
  onProgress?: (done: number, total: number) => void,
): RpcMatrices {
  checkPayload(payload);
  let perPayload = matrixCache.get(f);
  const hit = perPayload?.get(payload);
  if (hit !== undefined) {
    onProgress?.(hit.hosts.length, hit.hosts.length);
    return hit;
  }
  const m = computeMatrices(f, payload, onProgress);
  if (perPayload === undefined) matrixCache.set(f, (perPayload = new Map()));
  perPayload.set(payload, m);
  return m;
}

/**
 * Refuses all-pairs tables for more than LIMITS.allPairsHosts hosts (their memory grows with
 * hosts²). Callers that can tell the host count before compiling a fabric call it first.
 * @throws LimitError (`limit.all-pairs`)
 */
export function checkAllPairsHosts(hosts: number): void {
  if (hosts <= LIMITS.allPairsHosts) return;
  throw new LimitError([
    {
      code: 'limit.all-pairs',
      path: [],
      message: `all-pairs RPC on ${hosts.toLocaleString('en-US')} hosts needs ${((4 * 8 * hosts * hosts) / 1e9).toFixed(1)} GB of matrices, above the limit of ${LIMITS.allPairsHosts.toLocaleString('en-US')} hosts (limit allPairsHosts, docs/limits.md); ask for one pair with --from/--to, or a smaller pod`,
    },
  ]);
}

function computeMatrices(
  f: Fabric,
  payload: Bytes,
  onProgress?: (done: number, total: number) => void,
): RpcMatrices {
  const inc = incidence(f);

  const hosts = Array.from(inc.hosts);
  const n = hosts.length;
  checkAllPairsHosts(n);
  const inf = Number.POSITIVE_INFINITY;
  const ow: Record<RpcMedium, Float64Array> = {
    'cxl-mhd': new Float64Array(n * n).fill(inf),
    'cxl-switch': new Float64Array(n * n).fill(inf),
    'cxl-relay': new Float64Array(n * n).fill(inf),
    rdma: new Float64Array(n * n).fill(inf),
  };
  const heap = new IndexedMinHeap(n);
  const scratch: Chains = {
    dist: new Float64Array(n),
    prev: new Int32Array(n),
    via: new Int32Array(n),
    hops: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    for (let ku = inc.hostStart[i] ?? 0; ku < (inc.hostStart[i + 1] ?? 0); ku++) {
      const d = inc.device[ku] ?? 0;
      const m = inc.switched[ku] === 1 ? ow['cxl-switch'] : ow['cxl-mhd'];
      for (let j = inc.devStart[d] ?? 0; j < (inc.devStart[d + 1] ?? 0); j++) {
        const kv = inc.devEntries[j] ?? 0;
        const v = inc.entryHost[kv] ?? 0;
        if (v === i || inc.switched[kv] !== inc.switched[ku]) continue;
        const ns = directNs(inc, ku, kv, payload);
        if (ns < (m[i * n + v] ?? inf)) m[i * n + v] = ns;
      }
    }
    if (inc.path.length > 0) {
      const c = chainsFrom(f, inc, i, payload, heap, scratch);
      for (let j = 0; j < n; j++)
        if ((c.hops[j] ?? -1) > 0) ow['cxl-relay'][i * n + j] = c.dist[j] ?? inf;
    }
    const a = hosts[i] ?? 0;
    if (hostNics(f, a)[0] !== undefined) {
      hosts.forEach((b, j) => {
        if (b === a) return;
        const r = rdmaMessage(f, a, b, payload);
        if (r !== undefined) ow.rdma[i * n + j] = r.ns;
      });
    }
    onProgress?.(i + 1, n);
  }
  return { hosts: hosts.map((h) => f.nodes[h] ?? ''), oneWayNs: ow };
}

/** Distribution of round trips over host pairs. */
export interface RttStats {
  readonly pairs: number;
  readonly minNs: number;
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
}

/** All-pairs summary: per medium (pairs that have it) and of the cheapest medium per pair. */
export interface RpcSummary {
  readonly payloadBytes: Bytes;
  readonly hostPairs: number;
  readonly perMedium: Readonly<Partial<Record<RpcMedium, RttStats>>>;
  readonly cheapest: RttStats;
  /** How many pairs each medium wins. */
  readonly cheapestBy: Readonly<Partial<Record<RpcMedium, number>>>;
  readonly unreachablePairs: number;
}

function stats(values: Float64Array, count: number): RttStats | undefined {
  if (count === 0) return undefined;
  const v = values.subarray(0, count).sort();
  const q = (p: number): number =>
    v[Math.min(count - 1, Math.max(0, Math.ceil(p * count) - 1))] ?? 0;
  return {
    pairs: count,
    minNs: v[0] ?? 0,
    p50Ns: q(0.5),
    p99Ns: q(0.99),
    maxNs: v[count - 1] ?? 0,
  };
}

/**
 * RTT of every host pair on every medium, summarised. Cost: one Dijkstra over the host–device
 * incidence per host plus one network route per host; memory O(hosts²).
 * @param onProgress called with (hosts done, hosts) after each source host
 */
export function rpcAllPairs(
  f: Fabric,
  payload: Bytes,
  onProgress?: (done: number, total: number) => void,
): RpcSummary {
  const { hosts, oneWayNs: ow } = rpcOneWayMatrices(f, payload, onProgress);
  const n = hosts.length;
  const inf = Number.POSITIVE_INFINITY;
  const pairs = (n * (n - 1)) / 2;
  const buf: Record<RpcMedium, Float64Array> = {
    'cxl-mhd': new Float64Array(pairs),
    'cxl-switch': new Float64Array(pairs),
    'cxl-relay': new Float64Array(pairs),
    rdma: new Float64Array(pairs),
  };
  const counts: Record<RpcMedium, number> = {
    'cxl-mhd': 0,
    'cxl-switch': 0,
    'cxl-relay': 0,
    rdma: 0,
  };
  const best = new Float64Array(pairs);
  let bestCount = 0;
  const wins: Partial<Record<RpcMedium, number>> = {};
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let bestNs = inf;
      let bestMedium: RpcMedium | undefined;
      for (const medium of RPC_MEDIA) {
        const rtt = (ow[medium][i * n + j] ?? inf) + (ow[medium][j * n + i] ?? inf);
        if (!Number.isFinite(rtt)) continue;
        buf[medium][counts[medium]++] = rtt;
        if (rtt < bestNs) {
          bestNs = rtt;
          bestMedium = medium;
        }
      }
      if (bestMedium !== undefined) {
        best[bestCount++] = bestNs;
        wins[bestMedium] = (wins[bestMedium] ?? 0) + 1;
      }
    }
  const perMedium: Partial<Record<RpcMedium, RttStats>> = {};
  for (const medium of RPC_MEDIA) {
    const s = stats(buf[medium], counts[medium]);
    if (s !== undefined) perMedium[medium] = s;
  }
  return {
    payloadBytes: payload,
    hostPairs: pairs,
    perMedium,
    cheapest: stats(best, bestCount) ?? {
      pairs: 0,
      minNs: inf,
      p50Ns: inf,
      p99Ns: inf,
      maxNs: inf,
    },
    cheapestBy: wins,
    unreachablePairs: pairs - bestCount,
  };
}
