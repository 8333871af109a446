/**
 * Cost of moving a cached object (a KV cache) into a host's GPU memory from where it lives
 * (architecture.md: `fetchCost(host, object)`):
 *
 * - **devices**: striped in equal parts over memory devices; each stripe is a DMA read device →
 *   (switches) → host → PCIe → GPU, or, for a device the host does not reach, a copy by a relay
 *   host into a device the two share (see `relayStripe`).
 * - **host**: another host's DRAM or GPU memory over RDMA, striped over NIC pairs (NIC k to NIC
 *   k, as Mooncake's Transfer Engine stripes over NICs, reference.md §2); the consumer's own DRAM
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
import { cxlPaths, hostGpus, hostNics, internalLink, loadLatencyNs, networkRoute, routeResources, storeLatencyNs, type CxlPath, type Route } from './paths.ts';

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

const reverse = (p: Route): Route => ({ ...p, nodes: [...p.nodes].reverse(), links: [...p.links].reverse() });

const relayCache = new WeakMap<Fabric, Map<string, { nodes: number[]; resources: number[]; latencyNs: number } | undefined>>();

/** Most relay hosts a relayed stripe may pass through. */
export const MAX_RELAYS = 3;

/**
 * A stripe on a device the consumer does not reach, carried by a chain of relay hosts
 * (architecture.md: hosts that share no device relay through hosts that share with both): the
 * first relay reads it from the device, each relay writes it into a device it shares with the
 * next (that device's media crossed twice, written then read) and the consumer reads it from the
 * last. The chain with the lowest latency (Dijkstra over hosts, at most {@link MAX_RELAYS}
 * relays): each relay adds its load, its forwarding cost and its store; the consumer adds its
 * load. Undefined when no chain exists.
 */
function relayStripe(f: Fabric, h: number, d: number): { nodes: number[]; resources: number[]; latencyNs: number } | undefined {
  let cache = relayCache.get(f);
  if (cache === undefined) {
    cache = new Map();
    relayCache.set(f, cache);
  }
  const key = `${h}>${d}`;
  if (cache.has(key)) return cache.get(key);
  const prof = f.profile;
  // Dijkstra over relay hosts: dist = time until the stripe sits in that relay's memory.
  const dist = new Map<number, number>();
  const hops = new Map<number, number>();
  const prev = new Map<number, { from: number; via: CxlPath; read: CxlPath } | { from: -1; via: undefined; read: CxlPath }>();
  const heap = new IndexedMinHeap(64);
  for (const r of f.hosts) {
    if (r === h || f.nodeUp[r] === 0) continue;
    const toD = cxlPaths(f, r).find((p) => p.device === d);
    if (toD === undefined) continue;
    dist.set(r, loadLatencyNs(f, toD));
    hops.set(r, 1);
    prev.set(r, { from: -1, via: undefined, read: toD });
    heap.set(r, dist.get(r) ?? 0);
  }
  const mine = new Map(cxlPaths(f, h).map((p) => [p.device, p]));
  let best: { r: number; ns: number; toS: CxlPath; hs: CxlPath } | undefined;
  const done = new Set<number>();
  while (heap.size > 0) {
    const r = heap.pop();
    done.add(r);
    const dr = dist.get(r) ?? 0;
    if (best !== undefined && dr >= best.ns) break;
    for (const toS of cxlPaths(f, r)) {
      if (toS.device === d) continue;
      const out = dr + prof.relayForwardLatencyNs + storeLatencyNs(f, toS);
      const hs = mine.get(toS.device);
      if (hs !== undefined) {
        const ns = out + loadLatencyNs(f, hs);
        if (best === undefined || ns < best.ns) best = { r, ns, toS, hs };
      }
      if ((hops.get(r) ?? 0) >= MAX_RELAYS) continue;
      // The next relay reads it from the shared device.
      for (const r2 of f.hosts) {
        if (r2 === h || done.has(r2) || f.nodeUp[r2] === 0) continue;
        const read = cxlPaths(f, r2).find((p) => p.device === toS.device);
        if (read === undefined) continue;
        const nd = out + loadLatencyNs(f, read);
        if (nd < (dist.get(r2) ?? Number.POSITIVE_INFINITY)) {
          dist.set(r2, nd);
          hops.set(r2, (hops.get(r) ?? 0) + 1);
          prev.set(r2, { from: r, via: toS, read });
          heap.set(r2, nd);
        }
      }
    }
  }
  let result: { nodes: number[]; resources: number[]; latencyNs: number } | undefined;
  if (best !== undefined) {
    // Rebuild: device → relay₁ → shared₁ → relay₂ → … → shared_k → consumer.
    const legs: { read: CxlPath; write?: CxlPath }[] = [];
    let r = best.r;
    let write: CxlPath | undefined = best.toS;
    for (;;) {
      const p = prev.get(r);
      if (p === undefined) break;
      legs.unshift({ read: p.read, ...(write === undefined ? {} : { write }) });
      if (p.from === -1) break;
      write = p.via;
      r = p.from;
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
    const down = reverse(best.hs);
    nodes.push(...down.nodes.slice(1));
    resources.push(f.mediaResource[best.hs.device] ?? 0, ...routeResources(f, down));
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

function unreachableResult(consumer: string, gpu: string, size: Bytes, reason: string): FetchResult {
  return { consumer, gpu, bytes: size, reachable: false, reason, totalNs: Number.POSITIVE_INFINITY, latencyNs: Number.POSITIVE_INFINITY, effectiveBandwidthBytesPerNs: 0, stripes: [] };
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
export type FetchPlan = { readonly ok: true; readonly gpu: string; readonly stripes: readonly PlannedStripe[] } | { readonly ok: false; readonly result: FetchResult };

/**
 * Time to bring `size` bytes from `source` into GPU `gpu` (default: the host's first GPU) of host
 * `consumer`.
 * @throws InputError for unknown ids or a negative size; unreachable sources are a result
 * @example fetchCost(f, 'h0', { kind: 'devices', devices: reachableDevices(f, 'h0') }, bytes(1.43e9))
 */
export function fetchCost(f: Fabric, consumer: string, source: FetchSource, size: Bytes, options: { gpu?: string } = {}): FetchResult {
  const p = planFetch(f, consumer, source, size, options);
  if (!p.ok) return p.result;
  const planned = p.stripes;
  const gpu = p.gpu;
  const results = simulateFlows(
    f.resourceCapacityBytesPerNs,
    planned.map((s, i) => ({ id: String(i).padStart(6, '0'), resources: s.resources, bytes: s.bytes, startNs: 0, latencyNs: s.latencyNs })),
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
  return { consumer, gpu, bytes: size, reachable: true, totalNs, latencyNs, effectiveBandwidthBytesPerNs: totalNs > latencyNs ? size / (totalNs - latencyNs) : Number.POSITIVE_INFINITY, stripes };
}

/**
 * The stripes a fetch of `size` bytes from `source` into a GPU of `consumer` would run, with
 * their resources and latencies, without running them (the simulator starts them as flows).
 * @throws InputError for unknown ids or a negative size; unreachable sources are a result
 */
export function planFetch(f: Fabric, consumer: string, source: FetchSource, size: Bytes, options: { gpu?: string } = {}): FetchPlan {
  const unreachable = (gpuId: string, reason: string): FetchPlan => ({ ok: false, result: unreachableResult(consumer, gpuId, size, reason) });
  if (!Number.isFinite(size) || size < 0) throw new InputError([{ code: 'fetch.bad-size', path: ['size'], message: `size must be a finite amount ≥ 0 B, got ${size}` }]);
  const h = requireNode(f, consumer, ['host'], ['host']);
  const gpus = hostGpus(f, h);
  const g = options.gpu === undefined ? gpus[0] : requireNode(f, options.gpu, ['gpu'], ['gpu']);
  if (g === undefined) return unreachable('', `host ${consumer} has no GPU in service`);
  if (f.ownerHost[g] !== h) throw new InputError([{ code: 'fetch.gpu-not-on-host', path: ['gpu'], message: `GPU ${f.nodes[g]} belongs to ${f.nodes[f.ownerHost[g] ?? 0]}, not ${consumer}` }]);
  const gpu = f.nodes[g] ?? '';
  if (f.nodeUp[h] === 0) return unreachable(gpu, `host ${consumer} is down`);
  const pcie = internalLink(f, h, g);
  const pcieLatency = f.linkLatencyNs[pcie] ?? 0;
  const planned: PlannedStripe[] = [];

  if (source.kind === 'devices') {
    if (source.devices.length === 0) return unreachable(gpu, 'no memory device given');
    const paths = new Map(cxlPaths(f, h).map((p) => [p.device, p]));
    const share = size / source.devices.length;
    for (const [k, id] of source.devices.entries()) {
      const d = requireNode(f, id, ['mhd', 'memory-device'], ['devices', k]);
      const p = paths.get(d);
      if (p === undefined) {
        const relayed = f.nodeUp[d] === 0 ? undefined : relayStripe(f, h, d);
        if (relayed === undefined) return unreachable(gpu, `${consumer} has no CXL path to ${id}${f.nodeUp[d] === 0 ? ' (device down)' : ', and no host that reaches it shares a device with ' + consumer}`);
        planned.push({ source: id, bytes: share, nodes: [...relayed.nodes, g], resources: [...relayed.resources, linkResource(f, pcie, h)], latencyNs: relayed.latencyNs + pcieLatency });
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
      if (source.memory === 'gpu' && other === undefined) return { ok: true, gpu, stripes: [{ source: source.host, bytes: size, nodes: [g], resources: [], latencyNs: 0 }] };
      const head = other === undefined ? { nodes: [h], resources: [] as number[], ns: f.profile.hostMemoryPathLatencyNs + f.profile.localDramLatencyNs } : { nodes: [other, h], resources: [linkResource(f, internalLink(f, h, other), other)], ns: f.linkLatencyNs[internalLink(f, h, other)] ?? 0 };
      return { ok: true, gpu, stripes: [{ source: source.host, bytes: size, nodes: [...head.nodes, g], resources: [...head.resources, linkResource(f, pcie, h)], latencyNs: head.ns + pcieLatency }] };
    }
    if (f.nodeUp[r] === 0) return unreachable(gpu, `source host ${source.host} is down`);
    const remoteNics = hostNics(f, r);
    const localNics = hostNics(f, h);
    const pairs = Math.min(remoteNics.length, localNics.length);
    if (pairs === 0) return unreachable(gpu, `${remoteNics.length === 0 ? source.host : consumer} has no RDMA NIC cabled to a network`);
    const remoteGpu = source.memory === 'gpu' ? hostGpus(f, r)[0] : undefined;
    if (source.memory === 'gpu' && remoteGpu === undefined) return unreachable(gpu, `source host ${source.host} has no GPU in service`);
    const prof = f.profile;
    for (let k = 0; k < pairs; k++) {
      const rn = remoteNics[k] ?? 0;
      const ln = localNics[k] ?? 0;
      const net = networkRoute(f, rn, ln);
      if (net === undefined) continue;
      const head: number[] = remoteGpu === undefined ? [r] : [remoteGpu, r];
      const headRes = remoteGpu === undefined ? [] : [linkResource(f, internalLink(f, r, remoteGpu), remoteGpu)];
      const oneWay = (f.nodeTraversalNs[rn] ?? 0) + net.oneWayNs + (f.nodeTraversalNs[ln] ?? 0);
      planned.push({
        source: source.host,
        bytes: 0,
        nodes: [...head, ...net.nodes, h, g],
        resources: [...headRes, linkResource(f, internalLink(f, r, rn), r), ...routeResources(f, net), linkResource(f, internalLink(f, h, ln), ln), linkResource(f, pcie, h)],
        // RDMA READ: post, request and data each cross NICs and network, completion, then PCIe into the GPU.
        latencyNs: 2 * prof.rdmaSoftwareLatencyNs + 2 * oneWay + pcieLatency + (remoteGpu === undefined ? 0 : pcieLatency),
      });
    }
    if (planned.length === 0) return unreachable(gpu, `no network route between ${source.host} and ${consumer}`);
    for (const s of planned) s.bytes = size / planned.length;
  }
  return { ok: true, gpu, stripes: planned };
}
