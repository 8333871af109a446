/**
 * Cost of moving a cached object (a KV cache) into a host's GPU memory from where it lives
 * (docs/design.md: `fetchCost(host, object)`):
 *
 * - **devices**: striped in equal parts over memory devices; each stripe is a DMA read device →
 *   (switches) → host → PCIe → GPU, or, for a device the host does not reach, a copy by a relay
 *   host into a device the two share (see `relayStripe`).
 * - **host**: another host's DRAM or GPU memory over RDMA, striped over NIC pairs (NIC k to NIC
 *   k, as Mooncake's Transfer Engine stripes over NICs, docs/references.md §2); the consumer's own DRAM
 *   or another of its GPUs over PCIe; the consuming GPU's own memory at no cost.
 *
 * Each stripe's unloaded latency is its first byte's; its bytes then move as a flow through the
 * max-min flow engine on an otherwise idle fabric, so stripes that meet on a shared bottleneck
 * (typically the GPU's PCIe link) share it exactly rather than adding up their bandwidths.
 */
import type { Bytes } from '../units/index.ts';
import { bytes as toBytes } from '../units/index.ts';
import { InputError } from '../errors/index.ts';
import { requireNode, linkResource, type Fabric } from './compile.ts';
import { simulateFlows } from './flows.ts';
import { IndexedMinHeap } from './heap.ts';
import {
  cxlPaths,
  hostGpus,
  hostNics,
  internalLink,
  loadLatencyNs,
  networkRoute,
  routeResources,
  storeLatencyNs,
  type CxlPath,
  type Route,
} from './paths.ts';

/** Where the object lives. */
export type FetchSource =
  | { readonly kind: 'devices'; readonly devices: readonly string[] }
  | { readonly kind: 'host'; readonly host: string; readonly memory: 'dram' | 'gpu' };

/** One stripe of a fetch. */
export interface FetchStripe {
  readonly source: string;
  readonly bytes: Bytes;
  /** Node ids from the source to the consumer's GPU. */
  readonly path: readonly string[];
  /** Flow resources crossed (ids as in `topology export`). */
  readonly resources: readonly string[];
  /** Unloaded time to the first byte (ns). */
  readonly latencyNs: number;
  /** Smallest capacity on the stripe's path (bytes/ns). */
  readonly bottleneckBytesPerNs: number;
  /** When its last byte lands, with all stripes moving together (ns). */
  readonly finishNs: number;
}

/** A fetch's cost; `reachable: false` with a reason when the source cannot be reached. */
export interface FetchResult {
  readonly consumer: string;
  readonly gpu: string;
  readonly bytes: Bytes;
  readonly reachable: boolean;
  readonly reason?: string;
  /** Time until the last byte is in GPU memory (ns). */
  readonly totalNs: number;
  /** Largest stripe first-byte latency (ns). */
  readonly latencyNs: number;
  /** bytes ÷ (total − latency): the bandwidth the fetch achieved once moving (bytes/ns). */
  readonly effectiveBandwidthBytesPerNs: number;
  readonly stripes: readonly FetchStripe[];
}

const reverse = (p: Route): Route => ({
  ...p,
  nodes: [...p.nodes].reverse(),
  links: [...p.links].reverse(),
});

/** A host's CXL path to one device, with the latencies the relay search adds up precomputed. */
interface Leg {
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
function hostLegs(f: Fabric, h: number): HostLegs {
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

type Relayed = { nodes: number[]; resources: number[]; latencyNs: number };

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
function relayStripe(f: Fabric, h: number, d: number): Relayed | undefined {
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
  let best: { r: number; ns: number; toS: Leg; hs: Leg } | undefined;
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
  let result: Relayed | undefined;
  if (best !== undefined) {
    // Rebuild: device → relay₁ → shared₁ → relay₂ → … → shared_k → consumer.
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
    result = { nodes, resources, latencyNs: best.ns };
  }
  cache.set(key, result);
  return result;
}

/** The devices a host reaches over CXL (the default `stripe` placement). */
export function reachableDevices(f: Fabric, host: string): string[] {
  const h = requireNode(f, host, ['host'], ['host']);
  return cxlPaths(f, h).map((p) => f.nodes[p.device] ?? '');
}

function unreachableResult(
  consumer: string,
  gpu: string,
  size: Bytes,
  reason: string,
): FetchResult {
  return {
    consumer,
    gpu,
    bytes: size,
    reachable: false,
    reason,
    totalNs: Number.POSITIVE_INFINITY,
    latencyNs: Number.POSITIVE_INFINITY,
    effectiveBandwidthBytesPerNs: 0,
    stripes: [],
  };
}

/** A stripe of a fetch before it runs: its route's resources and first-byte latency. */
export interface PlannedStripe {
  source: string;
  bytes: number;
  /** Node indices from the source to the GPU. */
  nodes: number[];
  /** Flow resource indices in travel order. */
  resources: number[];
  latencyNs: number;
}

/** The stripes of a fetch, or why it cannot run. */
export type FetchPlan =
  | { readonly ok: true; readonly gpu: string; readonly stripes: readonly PlannedStripe[] }
  | { readonly ok: false; readonly result: FetchResult };

/**
 * Time to bring `size` bytes from `source` into GPU `gpu` (default: the host's first GPU) of host
 * `consumer`.
 * @throws InputError for unknown ids or a negative size; unreachable sources are a result
 * @example fetchCost(f, 'h0', { kind: 'devices', devices: reachableDevices(f, 'h0') }, bytes(1.43e9))
 */
export function fetchCost(
  f: Fabric,
  consumer: string,
  source: FetchSource,
  size: Bytes,
  options: { gpu?: string } = {},
): FetchResult {
  const p = planFetch(f, consumer, source, size, options);
  if (!p.ok) return p.result;
  const planned = p.stripes;
  const gpu = p.gpu;
  const results = simulateFlows(
    f.resourceCapacityBytesPerNs,
    planned.map((s, i) => ({
      id: String(i).padStart(6, '0'),
      resources: s.resources,
      bytes: s.bytes,
      startNs: 0,
      latencyNs: s.latencyNs,
    })),
  );
  const stripes: FetchStripe[] = planned.map((s, i) => ({
    source: s.source,
    bytes: toBytes(s.bytes),
    path: s.nodes.map((v) => f.nodes[v] ?? ''),
    resources: s.resources.map((x) => f.resources[x] ?? ''),
    latencyNs: s.latencyNs,
    bottleneckBytesPerNs: Math.min(...s.resources.map((x) => f.resourceCapacityBytesPerNs[x] ?? 0)),
    finishNs: results[i]?.finishNs ?? Number.POSITIVE_INFINITY,
  }));
  const totalNs = Math.max(...stripes.map((s) => s.finishNs));
  const latencyNs = Math.max(...stripes.map((s) => s.latencyNs));
  return {
    consumer,
    gpu,
    bytes: size,
    reachable: true,
    totalNs,
    latencyNs,
    effectiveBandwidthBytesPerNs:
      totalNs > latencyNs ? size / (totalNs - latencyNs) : Number.POSITIVE_INFINITY,
    stripes,
  };
}

/**
 * The stripes a fetch of `size` bytes from `source` into a GPU of `consumer` would run, with
 * their resources and latencies, without running them (the simulator starts them as flows).
 * @throws InputError for unknown ids or a negative size; unreachable sources are a result
 */
export function planFetch(
  f: Fabric,
  consumer: string,
  source: FetchSource,
  size: Bytes,
  options: { gpu?: string } = {},
): FetchPlan {
  const unreachable = (gpuId: string, reason: string): FetchPlan => ({
    ok: false,
    result: unreachableResult(consumer, gpuId, size, reason),
  });
  if (!Number.isFinite(size) || size < 0)
    throw new InputError([
      {
        code: 'fetch.bad-size',
        path: ['size'],
        message: `size must be a finite amount ≥ 0 B, got ${size}`,
      },
    ]);
  const h = requireNode(f, consumer, ['host'], ['host']);
  const gpus = hostGpus(f, h);
  const g = options.gpu === undefined ? gpus[0] : requireNode(f, options.gpu, ['gpu'], ['gpu']);
  if (g === undefined) return unreachable('', `host ${consumer} has no GPU in service`);
  if (f.ownerHost[g] !== h)
    throw new InputError([
      {
        code: 'fetch.gpu-not-on-host',
        path: ['gpu'],
        message: `GPU ${f.nodes[g]} belongs to ${f.nodes[f.ownerHost[g] ?? 0]}, not ${consumer}`,
      },
    ]);
  const gpu = f.nodes[g] ?? '';
  if (f.nodeUp[h] === 0) return unreachable(gpu, `host ${consumer} is down`);
  const pcie = internalLink(f, h, g);
  const pcieLatency = f.linkLatencyNs[pcie] ?? 0;
  const planned: PlannedStripe[] = [];

  if (source.kind === 'devices') {
    if (source.devices.length === 0) return unreachable(gpu, 'no memory device given');
    const paths = hostLegs(f, h).byDevice;
    const share = size / source.devices.length;
    for (const [k, id] of source.devices.entries()) {
      const d = requireNode(f, id, ['mhd', 'memory-device'], ['devices', k]);
      const p = paths.get(d)?.path;
      if (p === undefined) {
        const relayed = f.nodeUp[d] === 0 ? undefined : relayStripe(f, h, d);
        if (relayed === undefined)
          return unreachable(
            gpu,
            `${consumer} has no CXL path to ${id}${f.nodeUp[d] === 0 ? ' (device down)' : ', and no host that reaches it shares a device with ' + consumer}`,
          );
        planned.push({
          source: id,
          bytes: share,
          nodes: [...relayed.nodes, g],
          resources: [...relayed.resources, linkResource(f, pcie, h)],
          latencyNs: relayed.latencyNs + pcieLatency,
        });
        continue;
      }
      // Data travels device → host: the reverse of the host's path to the device.
      const back: Route = reverse(p);
      planned.push({
        source: id,
        bytes: share,
        nodes: [...back.nodes, g],
        resources: [f.mediaResource[d] ?? 0, ...routeResources(f, back), linkResource(f, pcie, h)],
        latencyNs: loadLatencyNs(f, p) + pcieLatency,
      });
    }
  } else {
    const r = requireNode(f, source.host, ['host'], ['source', 'host']);
    if (r === h) {
      // The consumer's own memory: DRAM → PCIe → GPU, or another of its GPUs → host → PCIe → GPU.
      const other = source.memory === 'gpu' ? hostGpus(f, h).find((x) => x !== g) : undefined;
      if (source.memory === 'gpu' && other === undefined)
        return {
          ok: true,
          gpu,
          stripes: [{ source: source.host, bytes: size, nodes: [g], resources: [], latencyNs: 0 }],
        };
      const head =
        other === undefined
          ? {
              nodes: [h],
              resources: [] as number[],
              ns: f.profile.hostMemoryPathLatencyNs + f.profile.localDramLatencyNs,
            }
          : {
              nodes: [other, h],
              resources: [linkResource(f, internalLink(f, h, other), other)],
              ns: f.linkLatencyNs[internalLink(f, h, other)] ?? 0,
            };
      return {
        ok: true,
        gpu,
        stripes: [
          {
            source: source.host,
            bytes: size,
            nodes: [...head.nodes, g],
            resources: [...head.resources, linkResource(f, pcie, h)],
            latencyNs: head.ns + pcieLatency,
          },
        ],
      };
    }
    if (f.nodeUp[r] === 0) return unreachable(gpu, `source host ${source.host} is down`);
    const remoteNics = hostNics(f, r);
    const localNics = hostNics(f, h);
    const pairs = Math.min(remoteNics.length, localNics.length);
    if (pairs === 0)
      return unreachable(
        gpu,
        `${remoteNics.length === 0 ? source.host : consumer} has no RDMA NIC cabled to a network`,
      );
    const remoteGpu = source.memory === 'gpu' ? hostGpus(f, r)[0] : undefined;
    if (source.memory === 'gpu' && remoteGpu === undefined)
      return unreachable(gpu, `source host ${source.host} has no GPU in service`);
    const prof = f.profile;
    for (let k = 0; k < pairs; k++) {
      const rn = remoteNics[k] ?? 0;
      const ln = localNics[k] ?? 0;
      const net = networkRoute(f, rn, ln);
      if (net === undefined) continue;
      const head: number[] = remoteGpu === undefined ? [r] : [remoteGpu, r];
      const headRes =
        remoteGpu === undefined ? [] : [linkResource(f, internalLink(f, r, remoteGpu), remoteGpu)];
      const oneWay = (f.nodeTraversalNs[rn] ?? 0) + net.oneWayNs + (f.nodeTraversalNs[ln] ?? 0);
      planned.push({
        source: source.host,
        bytes: 0,
        nodes: [...head, ...net.nodes, h, g],
        resources: [
          ...headRes,
          linkResource(f, internalLink(f, r, rn), r),
          ...routeResources(f, net),
          linkResource(f, internalLink(f, h, ln), ln),
          linkResource(f, pcie, h),
        ],
        // RDMA READ: post, request and data each cross NICs and network, completion, then PCIe into the GPU.
        latencyNs:
          2 * prof.rdmaSoftwareLatencyNs +
          2 * oneWay +
          pcieLatency +
          (remoteGpu === undefined ? 0 : pcieLatency),
      });
    }
    if (planned.length === 0)
      return unreachable(gpu, `no network route between ${source.host} and ${consumer}`);
    for (const s of planned) s.bytes = size / planned.length;
  }
  return { ok: true, gpu, stripes: planned };
}
