/**
 * What one RPC message costs on each medium (docs/design.md "RPC"; src/fabric/rpc.ts describes
 * the model): the host–device incidence compiled once per fabric, a message through a shared
 * device (`cxl-mhd`, `cxl-switch`), the cheapest relay chain through other hosts (`cxl-relay`,
 * by Dijkstra over the incidence) and an RDMA message. `rpcCost` (src/fabric/rpc.ts) and the
 * all-pairs summaries (src/fabric/rpc-all-pairs.ts) build on these.
 */
import { InputError } from '../errors/index.ts';
import type { Fabric } from './compile.ts';
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

/**
 * The host–device incidence compiled for the shortest-chain searches: per (host, device) entry
 * the sender part of a message (`send`: software, store to the device), the receiver part
 * (`recv`: poll wait, response back, software) and the path bandwidth, in typed arrays. Host
 * positions index `hosts` (hosts in service, graph order).
 */
export interface Incidence {
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

/** The fabric's host–device incidence, compiled on first use and cached per fabric. */
export function incidence(f: Fabric): Incidence {
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
export function directMessage(
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
export function directNs(inc: Incidence, ku: number, kv: number, payload: number): number {
  const bw = Math.min(inc.bw[ku] ?? 0, inc.bw[kv] ?? 0);
  return (inc.send[ku] ?? 0) + (inc.recv[kv] ?? 0) + (payload > 0 ? payload / bw : 0);
}

/** Result of {@link chainsFrom}, indexed by host position. */
export interface Chains {
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
export function chainsFrom(
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
export function chainMessage(
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
export function rdmaMessage(
  f: Fabric,
  a: number,
  b: number,
  payload: number,
): OneWayCost | undefined {
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

/**
 * Checks an RPC payload size.
 * @throws InputError (code `rpc.bad-size`) unless it is a finite size ≥ 0 B
 */
export function checkPayload(payload: number): void {
  if (!Number.isFinite(payload) || payload < 0)
    throw new InputError([
      {
        code: 'rpc.bad-size',
        path: ['size'],
        message: `payload must be a finite size ≥ 0 B, got ${payload}`,
      },
    ]);
}
