/**
 * RPC cost between two hosts over every medium they have (docs/design.md "RPC"):
 *
 * - **Shared device** (`cxl-mhd` when the device is cabled to both hosts, `cxl-switch` when the
 *   path crosses CXL switches): an Oasis-style channel in device memory (docs/references.md §1). One
 *   message = sender software, the sender's store travelling to device memory (memory path, root
 *   port, links, switches, controller, media), the receiver noticing it — it polls the line
 *   back-to-back with `pollIntervalNs` pauses, so on average the next poll samples the device
 *   half a poll period (one load plus the pause) later and its response then travels back
 *   (root port, links, switches) — then receiver software, plus payload ÷ the bottleneck of
 *   sender path, device media and receiver path.
 * - **Relay** (`cxl-relay`): hosts that share no device chain shared-device messages through
 *   intermediate hosts, each adding `relayForwardLatencyNs`; the cheapest chain by Dijkstra.
 * - **RDMA** (`rdma`): software, NIC, cables, ToR/spine passes, NIC, software, plus payload ÷
 *   the bottleneck link; each host uses its first NIC in service.
 *
 * A round trip is a request and a response of the same size (an echo), so RTT = one-way(a→b) +
 * one-way(b→a). `rpcCost` explains one pair; `rpcAllPairs` summarises every pair per medium.
 */
import { InputError } from '../errors/index.ts';
import type { Bytes } from '../units/index.ts';
import { requireNode, type Fabric } from './compile.ts';
import { IndexedMinHeap } from './heap.ts';
import {
  cxlPaths,
  hostNics,
  loadLatencyNs,
  networkRoute,
  pathBandwidth,
  storeLatencyNs,
  type CostComponent,
  type CxlPath,
} from './paths.ts';

/** The ways two hosts can exchange an RPC. */
export type RpcMedium = 'cxl-mhd' | 'cxl-switch' | 'cxl-relay' | 'rdma';
/** Media in a stable order (tables, summaries). */
export const RPC_MEDIA: readonly RpcMedium[] = ['cxl-mhd', 'cxl-switch', 'cxl-relay', 'rdma'];

/** One direction of an RPC on one medium. */
export interface OneWayCost {
  readonly ns: number;
  /** Node ids in travel order (hosts, devices, switches, NICs). */
  readonly path: readonly string[];
  readonly breakdown: readonly CostComponent[];
}

/** One medium's round trip. */
export interface RpcOption {
  readonly medium: RpcMedium;
  readonly roundTripNs: number;
  readonly request: OneWayCost;
  readonly response: OneWayCost;
}

/** Every option for one pair, cheapest first, and the cheapest. */
export interface RpcResult {
  readonly from: string;
  readonly to: string;
  readonly payloadBytes: Bytes;
  readonly reachable: boolean;
  readonly best: RpcOption | undefined;
  readonly options: readonly RpcOption[];
}

/**
 * The host–device incidence compiled for the shortest-chain searches: per (host, device) entry
 * the sender part of a message (`send`: software, store to the device), the receiver part
 * (`recv`: poll wait, response back, software) and the path bandwidth, in typed arrays. Host
 * positions index `hosts` (hosts in service, graph order).
 */
interface Incidence {
  readonly hosts: Int32Array;
  /** Node index → host position, −1 for non-hosts and hosts down. */
  readonly pos: Int32Array;
  readonly hostStart: Int32Array;
  readonly device: Int32Array;
  readonly path: CxlPath[];
  readonly send: Float64Array;
  readonly recv: Float64Array;
  readonly bw: Float64Array;
  readonly switched: Uint8Array;
  /** Entries of each device node: `devEntries[devStart[d] … devStart[d+1])` (entry indices). */
  readonly devStart: Int32Array;
  readonly devEntries: Int32Array;
  readonly entryHost: Int32Array;
}
const incidenceCache = new WeakMap<Fabric, Incidence>();

function incidence(f: Fabric): Incidence {
  const hit = incidenceCache.get(f);
  if (hit !== undefined) return hit;
  const prof = f.profile;
  const hosts = Int32Array.from(Array.from(f.hosts).filter((h) => f.nodeUp[h] === 1));
  const pos = new Int32Array(f.nodes.length).fill(-1);
  hosts.forEach((h, i) => (pos[h] = i));
  const hostStart = new Int32Array(hosts.length + 1);
  const path: CxlPath[] = [];
  const entryHost: number[] = [];
  hosts.forEach((h, i) => {
    hostStart[i] = path.length;
    for (const p of cxlPaths(f, h)) {
      path.push(p);
      entryHost.push(i);
    }
  });
  hostStart[hosts.length] = path.length;
  const m = path.length;
  const device = new Int32Array(m);
  const send = new Float64Array(m);
  const recv = new Float64Array(m);
  const bw = new Float64Array(m);
  const switched = new Uint8Array(m);
  const devCount = new Int32Array(f.nodes.length + 1);
  path.forEach((p, k) => {
    device[k] = p.device;
    send[k] = prof.cxlMessageSoftwareLatencyNs + storeLatencyNs(f, p);
    recv[k] =
      (loadLatencyNs(f, p) + prof.pollIntervalNs) / 2 +
      prof.cxlRootPortLatencyNs +
      p.oneWayNs +
      prof.cxlMessageSoftwareLatencyNs;
    bw[k] = pathBandwidth(f, p);
    switched[k] = p.switches > 0 ? 1 : 0;
    devCount[p.device + 1] = (devCount[p.device + 1] ?? 0) + 1;
  });
  const devStart = new Int32Array(f.nodes.length + 1);
  for (let d = 0; d < f.nodes.length; d++)
    devStart[d + 1] = (devStart[d] ?? 0) + (devCount[d + 1] ?? 0);
  const fill = devStart.slice();
  const devEntries = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const d = device[k] ?? 0;
    const at = fill[d] ?? 0;
    devEntries[at] = k;
    fill[d] = at + 1;
  }
  const inc = {
    hosts,
    pos,
    hostStart,
    device,
    path,
    send,
    recv,
    bw,
    switched,
    devStart,
    devEntries,
    entryHost: Int32Array.from(entryHost),
  };
  incidenceCache.set(f, inc);
  return inc;
}

/** Parts of one shared-device message from the sender's path `ps` to the receiver's path `pr`. */
function deviceMessage(f: Fabric, ps: CxlPath, pr: CxlPath, payload: number): CostComponent[] {
  const prof = f.profile;
  const bw = Math.min(pathBandwidth(f, ps), pathBandwidth(f, pr));
  const parts: CostComponent[] = [
    { component: 'sender software', ns: prof.cxlMessageSoftwareLatencyNs },
    {
      component: `store to ${f.nodes[ps.device]} (memory path, root port, ${ps.switches > 0 ? 'links, switches' : 'link'}, controller, media)`,
      ns: storeLatencyNs(f, ps),
    },
    {
      component: 'receiver poll: wait for next sample (½ × (load + pause))',
      ns: (loadLatencyNs(f, pr) + prof.pollIntervalNs) / 2,
    },
    {
      component: 'receiver poll: response back (root port, links)',
      ns: prof.cxlRootPortLatencyNs + pr.oneWayNs,
    },
    { component: 'receiver software', ns: prof.cxlMessageSoftwareLatencyNs },
  ];
  if (payload > 0)
    parts.push({ component: `payload ${payload} B at ${bw.toFixed(1)} GB/s`, ns: payload / bw });
  return parts;
}

const total = (parts: readonly CostComponent[]): number => parts.reduce((s, p) => s + p.ns, 0);

/** Cheapest direct one-way message a→b through a shared device of the given medium (switches or not). */
function directMessage(
  f: Fabric,
  a: number,
  b: number,
  payload: number,
  switched: boolean,
): OneWayCost | undefined {
  const pb = new Map<number, CxlPath>();
  for (const p of cxlPaths(f, b)) pb.set(p.device, p);
  let best: OneWayCost | undefined;
  for (const pa of cxlPaths(f, a)) {
    if (pa.switches > 0 !== switched) continue;
    const pr = pb.get(pa.device);
    if (pr === undefined || pr.switches > 0 !== switched) continue;
    const parts = deviceMessage(f, pa, pr, payload);
    const ns = total(parts);
    if (best === undefined || ns < best.ns)
      best = {
        ns,
        breakdown: parts,
        path: [...pa.nodes, ...[...pr.nodes].reverse().slice(1)].map((v) => f.nodes[v] ?? ''),
      };
  }
  return best;
}

/** One-way cost of a direct message from entry `ku` (sender, device) to entry `kv` (receiver, same device). */
function directNs(inc: Incidence, ku: number, kv: number, payload: number): number {
  const bw = Math.min(inc.bw[ku] ?? 0, inc.bw[kv] ?? 0);
  return (inc.send[ku] ?? 0) + (inc.recv[kv] ?? 0) + (payload > 0 ? payload / bw : 0);
}

/** Result of {@link chainsFrom}, indexed by host position. */
interface Chains {
  readonly dist: Float64Array;
  /** Previous host position on the cheapest chain, −1 at the source or when unreached. */
  readonly prev: Int32Array;
  /** Device node used on the last hop. */
  readonly via: Int32Array;
  /** Relays on the chain (0 = direct), −1 at the source or when unreached. */
  readonly hops: Int32Array;
}

/**
 * One-way shared-memory chains from host position `a` to every host (Dijkstra over hosts; edge =
 * cheapest direct message, plus `relayForwardLatencyNs` at every intermediate host). `into`, when
 * given, is overwritten and returned: the all-pairs table runs one search per host and reads
 * each result at once, so it reuses one set of arrays instead of four new ones per host.
 */
function chainsFrom(
  f: Fabric,
  inc: Incidence,
  a: number,
  payload: number,
  heap = new IndexedMinHeap(inc.hosts.length),
  into?: Chains,
): Chains {
  const n = inc.hosts.length;
  const dist = (into?.dist ?? new Float64Array(n)).fill(Number.POSITIVE_INFINITY);
  const prev = (into?.prev ?? new Int32Array(n)).fill(-1);
  const via = (into?.via ?? new Int32Array(n)).fill(-1);
  const hops = (into?.hops ?? new Int32Array(n)).fill(-1);
  const forward = f.profile.relayForwardLatencyNs;
  heap.clear();
  dist[a] = 0;
  heap.set(a, 0);
  while (heap.size > 0) {
    const u = heap.pop();
    const base = (dist[u] ?? 0) + (u === a ? 0 : forward);
    const hu = hops[u] ?? -1;
    for (let ku = inc.hostStart[u] ?? 0; ku < (inc.hostStart[u + 1] ?? 0); ku++) {
      const d = inc.device[ku] ?? 0;
      const sendBase = base + (inc.send[ku] ?? 0);
      const bwu = inc.bw[ku] ?? 0;
      for (let j = inc.devStart[d] ?? 0; j < (inc.devStart[d + 1] ?? 0); j++) {
        const kv = inc.devEntries[j] ?? 0;
        const v = inc.entryHost[kv] ?? 0;
        if (v === u || v === a) continue;
        const dv =
          sendBase +
          (inc.recv[kv] ?? 0) +
          (payload > 0 ? payload / Math.min(bwu, inc.bw[kv] ?? 0) : 0);
        if (dv < (dist[v] ?? Number.POSITIVE_INFINITY)) {
          dist[v] = dv;
          prev[v] = u;
          via[v] = d;
          hops[v] = hu + 1;
          heap.set(v, dv);
        }
      }
    }
  }
  return { dist, prev, via, hops };
}

/** The chain a→b with a breakdown per hop, rebuilt from Dijkstra's predecessors. */
function chainMessage(
  f: Fabric,
  inc: Incidence,
  a: number,
  b: number,
  payload: number,
  chains: Chains,
): OneWayCost | undefined {
  if (!Number.isFinite(chains.dist[b] ?? Number.POSITIVE_INFINITY)) return undefined;
  const posRev: number[] = [b];
  let v = b;
  while (v !== a) {
    v = chains.prev[v] ?? a;
    posRev.push(v);
  }
  const seq = posRev.reverse().map((p) => inc.hosts[p] ?? 0);
  const viaOf = posRev.map((p) => chains.via[p] ?? -1);
  const parts: CostComponent[] = [];
  const path: string[] = [f.nodes[seq[0] ?? 0] ?? ''];
  for (let i = 0; i + 1 < seq.length; i++) {
    const u = seq[i] ?? 0;
    const w = seq[i + 1] ?? 0;
    const d = viaOf[i + 1] ?? -1;
    const pu = cxlPaths(f, u).find((p) => p.device === d);
    const pw = cxlPaths(f, w).find((p) => p.device === d);
    if (pu === undefined || pw === undefined) return undefined;
    if (i > 0)
      parts.push({
        component: `relay ${f.nodes[u]}: forward`,
        ns: f.profile.relayForwardLatencyNs,
      });
    for (const p of deviceMessage(f, pu, pw, payload))
      parts.push({ component: `${f.nodes[u]}→${f.nodes[w]}: ${p.component}`, ns: p.ns });
    path.push(
      ...[...pu.nodes.slice(1), ...[...pw.nodes].reverse().slice(1)].map((x) => f.nodes[x] ?? ''),
    );
  }
  return { ns: total(parts), breakdown: parts, path };
}

/** RDMA one-way a→b over each host's first NIC, or undefined without a network route. */
function rdmaMessage(f: Fabric, a: number, b: number, payload: number): OneWayCost | undefined {
  const na = hostNics(f, a)[0];
  const nb = hostNics(f, b)[0];
  if (na === undefined || nb === undefined) return undefined;
  const route = networkRoute(f, na, nb);
  if (route === undefined) return undefined;
  const prof = f.profile;
  let links = 0;
  for (const l of route.links) links += f.linkLatencyNs[l] ?? 0;
  const switches = route.oneWayNs - links;
  const nicBw = Math.min(route.bottleneckBytesPerNs, nicRate(f, na), nicRate(f, nb));
  const parts: CostComponent[] = [
    { component: 'sender RDMA software (post)', ns: prof.rdmaSoftwareLatencyNs },
    { component: `sender NIC ${f.nodes[na]}`, ns: f.nodeTraversalNs[na] ?? 0 },
    { component: `cables (${route.links.length})`, ns: links },
  ];
  if (switches > 0)
    parts.push({ component: `switch passes (${route.nodes.length - 2})`, ns: switches });
  parts.push(
    { component: `receiver NIC ${f.nodes[nb]}`, ns: f.nodeTraversalNs[nb] ?? 0 },
    { component: 'receiver RDMA software (poll completion)', ns: prof.rdmaSoftwareLatencyNs },
  );
  if (payload > 0)
    parts.push({
      component: `payload ${payload} B at ${nicBw.toFixed(1)} GB/s`,
      ns: payload / nicBw,
    });
  return {
    ns: total(parts),
    breakdown: parts,
    path: [f.nodes[a] ?? '', ...route.nodes.map((x) => f.nodes[x] ?? ''), f.nodes[b] ?? ''],
  };
}

function nicRate(f: Fabric, nic: number): number {
  const a = f.nodeAttrs[nic];
  return a !== undefined && a.kind === 'nic' ? a.rateBytesPerNs : Number.POSITIVE_INFINITY;
}

function checkPayload(payload: number): void {
  if (!Number.isFinite(payload) || payload < 0)
    throw new InputError([
      {
        code: 'rpc.bad-size',
        path: ['size'],
        message: `payload must be a finite size ≥ 0 B, got ${payload}`,
      },
    ]);
}

/**
 * Every way hosts `from` and `to` can exchange an RPC of `payload` bytes each way, cheapest first.
 * Unreachable (no medium) is a result with `reachable: false`, not an exception.
 * @throws InputError when an id is not a host of the fabric
 * @example rpcCost(compileFabric(g), 'h0', 'h1', bytes(64)).best?.roundTripNs
 */
export function rpcCost(f: Fabric, from: string, to: string, payload: Bytes): RpcResult {
  checkPayload(payload);
  const a = requireNode(f, from, ['host'], ['from']);
  const b = requireNode(f, to, ['host'], ['to']);
  const options: RpcOption[] = [];
  const push = (
    medium: RpcMedium,
    req: OneWayCost | undefined,
    res: OneWayCost | undefined,
  ): void => {
    if (req !== undefined && res !== undefined)
      options.push({ medium, roundTripNs: req.ns + res.ns, request: req, response: res });
  };
  if (a !== b && f.nodeUp[a] === 1 && f.nodeUp[b] === 1) {
    push('cxl-mhd', directMessage(f, a, b, payload, false), directMessage(f, b, a, payload, false));
    push(
      'cxl-switch',
      directMessage(f, a, b, payload, true),
      directMessage(f, b, a, payload, true),
    );
    const inc = incidence(f);
    const pa = inc.pos[a] ?? -1;
    const pb = inc.pos[b] ?? -1;
    const ca = chainsFrom(f, inc, pa, payload);
    const cb = chainsFrom(f, inc, pb, payload);
    if ((ca.hops[pb] ?? -1) > 0 || (cb.hops[pa] ?? -1) > 0)
      push(
        'cxl-relay',
        chainMessage(f, inc, pa, pb, payload, ca),
        chainMessage(f, inc, pb, pa, payload, cb),
      );
    push('rdma', rdmaMessage(f, a, b, payload), rdmaMessage(f, b, a, payload));
  }
  options.sort(
    (x, y) =>
      x.roundTripNs - y.roundTripNs || RPC_MEDIA.indexOf(x.medium) - RPC_MEDIA.indexOf(y.medium),
  );
  return {
    from,
    to,
    payloadBytes: payload,
    reachable: options.length > 0,
    best: options[0],
    options,
  };
}

/** One-way costs of every ordered host pair on every medium (`Infinity` where a medium is missing). */
export interface RpcMatrices {
  /** Host ids in matrix order. */
  readonly hosts: readonly string[];
  /** `oneWayNs[medium][i * hosts + j]` = one-way message cost from host i to host j. */
  readonly oneWayNs: Readonly<Record<RpcMedium, Float64Array>>;
}

/**
 * One-way message costs between every ordered pair of hosts in service, per medium. RTT of a
 * pair on a medium = `m[i·n + j] + m[j·n + i]`. Memory O(hosts²).
 * @param onProgress called with (hosts done, hosts) after each source host
 */
export function rpcOneWayMatrices(
  f: Fabric,
  payload: Bytes,
  onProgress?: (done: number, total: number) => void,
): RpcMatrices {
  checkPayload(payload);
  const inc = incidence(f);

  const hosts = Array.from(inc.hosts);
  const n = hosts.length;
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
