/**
 * Relayed fetch stripes (docs/design.md: hosts that share no device relay through hosts that
 * share with both): a consumer that does not reach a device gets its stripe through a chain of
 * relay hosts, found by a Dijkstra over hosts and cached per (consumer, device). Also each
 * host's CXL paths as precomputed legs, which direct stripes use too. Per-fabric caches and
 * search arrays keep the thousands of pod-scale searches cheap. Used by src/fabric/fetch-plan.ts.
 */
import type { Fabric } from './compile.ts';
import { IndexedMinHeap } from './heap.ts';
import {
  cxlPaths,
  loadLatencyNs,
  routeResources,
  storeLatencyNs,
  type CxlPath,
  type Route,
} from './paths.ts';

/** A route walked the other way (data travels device → host on a host's path to a device). */
export const reverse = (p: Route): Route => ({
  ...p,
  nodes: [...p.nodes].reverse(),
  links: [...p.links].reverse(),
});

/** A host's CXL path to one device, with the latencies the relay search adds up precomputed. */
export interface Leg {
  readonly host: number;
  readonly path: CxlPath;
  /** {@link loadLatencyNs} of `path`. */
  readonly loadNs: number;
  /** {@link storeLatencyNs} of `path`. */
  readonly storeNs: number;
}

/** A host's legs in `cxlPaths` order, and the same legs by device. */
interface HostLegs {
  readonly list: readonly Leg[];
  readonly byDevice: ReadonlyMap<number, Leg>;
}

// Failures are compiled into the Fabric (compile.ts: a failure view is its own object with its
// own `nodeUp`), so per-Fabric caches never mix views, as with `cxlPaths`' own cache.
const hostLegCache = new WeakMap<Fabric, (HostLegs | undefined)[]>();
const readerCache = new WeakMap<Fabric, readonly (readonly Leg[] | undefined)[]>();

/**
 * Host `h`'s CXL paths as legs, cached per fabric: `planFetch` looks up one device at a time and
 * the relay search one per relay port, so a Map beats scanning `cxlPaths` each time.
 */
export function hostLegs(f: Fabric, h: number): HostLegs {
  let cache = hostLegCache.get(f);
  if (cache === undefined) {
    cache = [];
    hostLegCache.set(f, cache);
  }
  const hit = cache[h];
  if (hit !== undefined) return hit;
  const list = cxlPaths(f, h).map((path): Leg => ({
    host: h,
    path,
    loadNs: loadLatencyNs(f, path),
    storeNs: storeLatencyNs(f, path),
  }));
  const legs: HostLegs = { list, byDevice: new Map(list.map((l) => [l.path.device, l])) };
  cache[h] = legs;
  return legs;
}

/**
 * For each device node, the legs of the in-service hosts that reach it, in `f.hosts` order (so
 * among equal-latency updates the relay search keeps the host that comes first in `f.hosts`);
 * undefined for nodes no host reaches. Built once per fabric: it turns the search's
 * "which hosts can read this device" from a scan of every host into a list lookup.
 */
function deviceReaders(f: Fabric): readonly (readonly Leg[] | undefined)[] {
  const hit = readerCache.get(f);
  if (hit !== undefined) return hit;
  const readers: Leg[][] = [];
  for (const r of f.hosts) {
    if (f.nodeUp[r] === 0) continue;
    for (const leg of hostLegs(f, r).list) (readers[leg.path.device] ??= []).push(leg);
  }
  readerCache.set(f, readers);
  return readers;
}

/** A relayed stripe: its nodes and flow resources from the device to the consumer host, and its first-byte latency. */
export type Relayed = { nodes: number[]; resources: number[]; latencyNs: number };

/**
 * The relay search's state, indexed by node and kept per fabric between searches: allocating
 * node-sized arrays and growing a heap to node ids on each of thousands of searches cost more
 * than the search itself. A search marks the relays it touches, and the next one resets only those.
 */
interface RelaySearch {
  /** Time until the stripe sits in each relay's memory (∞ when not reached). */
  readonly dist: Float64Array;
  readonly hops: Int32Array;
  readonly done: Uint8Array;
  /** The relay each relay got the stripe from (−1: it read the source device itself). */
  readonly prevFrom: Int32Array;
  /** Each relay's read, and the previous relay's write (none for a first relay). */
  readonly prevRead: (Leg | undefined)[];
  readonly prevWrite: (Leg | undefined)[];
  readonly heap: IndexedMinHeap;
  /** Relays whose entries the current search set. */
  readonly touched: number[];
}

const searchCache = new WeakMap<Fabric, RelaySearch>();

/** The fabric's relay search state; {@link resetSearch} it before use. */
function relaySearch(f: Fabric): RelaySearch {
  let s = searchCache.get(f);
  if (s === undefined) {
    const n = f.nodes.length;
    s = {
      dist: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
      hops: new Int32Array(n),
      done: new Uint8Array(n),
      prevFrom: new Int32Array(n).fill(-1),
      prevRead: new Array<Leg | undefined>(n).fill(undefined),
      prevWrite: new Array<Leg | undefined>(n).fill(undefined),
      heap: new IndexedMinHeap(n),
      touched: [],
    };
    searchCache.set(f, s);
  }
  return s;
}

/** Returns the touched entries of `s` to the reset form. */
function resetSearch(s: RelaySearch): void {
  for (const r of s.touched) {
    s.dist[r] = Number.POSITIVE_INFINITY;
    s.hops[r] = 0;
    s.done[r] = 0;
    s.prevFrom[r] = -1;
    s.prevRead[r] = undefined;
    s.prevWrite[r] = undefined;
  }
  s.touched.length = 0;
  s.heap.clear();
}

/** The best chain so far: its last relay, latency, the last relay's write and the consumer's read. */
interface BestChain {
  readonly r: number;
  readonly ns: number;
  readonly toS: Leg;
  readonly hs: Leg;
}

const relayCache = new WeakMap<Fabric, Map<number, Relayed | undefined>>();

/** Most relay hosts a relayed stripe may pass through. */
export const MAX_RELAYS = 3;

/**
 * A stripe on a device the consumer does not reach, carried by a chain of relay hosts
 * (docs/design.md: hosts that share no device relay through hosts that share with both): the
 * first relay reads it from the device, each relay writes it into a device it shares with the
 * next (that device's media crossed twice, written then read) and the consumer reads it from the
 * last. The chain with the lowest latency (Dijkstra over hosts, at most {@link MAX_RELAYS}
 * relays): each relay adds its load, its forwarding cost and its store; the consumer adds its
 * load. Undefined when no chain exists.
 *
 * The next relays after a write are only the hosts that read the written device
 * ({@link deviceReaders}), not every host, and the search state lives in arrays indexed by node:
 * the pod-scale fabrics ask this for thousands of pairs.
 */
export function relayStripe(f: Fabric, h: number, d: number): Relayed | undefined {
  let cache = relayCache.get(f);
  if (cache === undefined) {
    cache = new Map();
    relayCache.set(f, cache);
  }
  const n = f.nodes.length;
  const key = h * n + d;
  if (cache.has(key)) return cache.get(key);
  const fwdNs = f.profile.relayForwardLatencyNs;
  const readers = deviceReaders(f);
  // Dijkstra over relay hosts: dist = time until the stripe sits in that relay's memory.
  const search = relaySearch(f);
  resetSearch(search);
  const { dist, hops, done, prevFrom, prevRead, prevWrite, heap, touched } = search;
  for (const toD of readers[d] ?? []) {
    const r = toD.host;
    if (r === h) continue;
    touched.push(r);
    dist[r] = toD.loadNs;
    hops[r] = 1;
    prevRead[r] = toD;
    heap.set(r, toD.loadNs);
  }
  const mine = hostLegs(f, h).byDevice;
  let best: BestChain | undefined;
  while (heap.size > 0) {
    const r = heap.pop();
    done[r] = 1;
    const dr = dist[r] ?? 0;
    if (best !== undefined && dr >= best.ns) break;
    const more = (hops[r] ?? 0) < MAX_RELAYS;
    for (const toS of hostLegs(f, r).list) {
      const s = toS.path.device;
      if (s === d) continue;
      const out = dr + fwdNs + toS.storeNs;
      const hs = mine.get(s);
      if (hs !== undefined) {
        const ns = out + hs.loadNs;
        if (best === undefined || ns < best.ns) best = { r, ns, toS, hs };
      }
      if (!more) continue;
      // The next relay reads it from the shared device.
      for (const read of readers[s] ?? []) {
        const r2 = read.host;
        if (r2 === h || done[r2] === 1) continue;
        const nd = out + read.loadNs;
        // A relay reached no sooner than the best chain so far would be popped at or after the
        // search stops (`best` only decreases), so queueing it changes nothing but the cost.
        if (best !== undefined && nd >= best.ns) continue;
        const was = dist[r2] ?? Number.POSITIVE_INFINITY;
        if (nd < was) {
          if (was === Number.POSITIVE_INFINITY) touched.push(r2);
          dist[r2] = nd;
          hops[r2] = (hops[r] ?? 0) + 1;
          prevFrom[r2] = r;
          prevRead[r2] = read;
          prevWrite[r2] = toS;
          heap.set(r2, nd);
        }
      }
    }
  }
  const result = best === undefined ? undefined : rebuildChain(f, d, search, best);
  cache.set(key, result);
  return result;
}

/**
 * The chain the search found, rebuilt from its predecessors: device → relay₁ → shared₁ →
 * relay₂ → … → shared_k → consumer, with every node and flow resource in travel order.
 */
function rebuildChain(f: Fabric, d: number, search: RelaySearch, best: BestChain): Relayed {
  const { prevRead, prevFrom, prevWrite } = search;
  const legs: { read: CxlPath; write?: CxlPath }[] = [];
  let r = best.r;
  let write: CxlPath | undefined = best.toS.path;
  for (;;) {
    const read = prevRead[r];
    if (read === undefined) break;
    legs.unshift({ read: read.path, ...(write === undefined ? {} : { write }) });
    const from = prevFrom[r] ?? -1;
    if (from === -1) break;
    write = prevWrite[r]?.path;
    r = from;
  }
  const nodes: number[] = [];
  const resources: number[] = [];
  legs.forEach((leg, i) => {
    const back = reverse(leg.read);
    if (i === 0) resources.push(f.mediaResource[d] ?? 0);
    else resources.push(f.mediaResource[leg.read.device] ?? 0);
    nodes.push(...(i === 0 ? back.nodes : back.nodes.slice(1)));
    resources.push(...routeResources(f, back));
    if (leg.write !== undefined) {
      nodes.push(...leg.write.nodes.slice(1));
      resources.push(...routeResources(f, leg.write), f.mediaResource[leg.write.device] ?? 0);
    }
  });
  const down = reverse(best.hs.path);
  nodes.push(...down.nodes.slice(1));
  resources.push(f.mediaResource[best.hs.path.device] ?? 0, ...routeResources(f, down));
  return { nodes, resources, latencyNs: best.ns };
}
