/**
 * Planning a fetch (docs/design.md: `fetchCost(host, object)`; src/fabric/fetch.ts describes the
 * model): the fetch vocabulary (source, stripes, result) and `planFetch`, which turns a source
 * into stripes — each with its route's flow resources and first-byte latency — from memory
 * devices (directly or through relay hosts, src/fabric/fetch-relay.ts), the consumer's own
 * memory, or another host over RDMA, without running them. The simulator starts the stripes as
 * flows; `fetchCost` runs them on an idle fabric. Re-exported by src/fabric/fetch.ts.
 */
import { InputError } from '../errors/index.ts';
import type { Bytes } from '../units/index.ts';
import { linkResource, requireNode, type Fabric } from './compile.ts';
import { hostLegs, relayStripe, reverse } from './fetch-relay.ts';
import {
  gpuDirectNic,
  hostGpus,
  hostNics,
  internalLink,
  loadLatencyNs,
  networkRoute,
  routeResources,
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

/** The result of a fetch that cannot run. */
export function unreachableResult(
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
  if (g === undefined)
    return unreachablePlan(consumer, '', size, `host ${consumer} has no GPU in service`);
  if (f.ownerHost[g] !== h)
    throw new InputError([
      {
        code: 'fetch.gpu-not-on-host',
        path: ['gpu'],
        message: `GPU ${f.nodes[g]} belongs to ${f.nodes[f.ownerHost[g] ?? 0]}, not ${consumer}`,
      },
    ]);
  const gpu = f.nodes[g] ?? '';
  if (f.nodeUp[h] === 0) return unreachablePlan(consumer, gpu, size, `host ${consumer} is down`);
  if (source.kind === 'devices') return devicesPlan(f, consumer, h, g, gpu, source.devices, size);
  const r = requireNode(f, source.host, ['host'], ['source', 'host']);
  if (r === h) return ownMemoryPlan(f, h, g, gpu, source, size);
  return rdmaPlan(f, consumer, h, r, g, gpu, source, size);
}

/** A plan that cannot run, with the reason. */
function unreachablePlan(consumer: string, gpu: string, size: Bytes, reason: string): FetchPlan {
  return { ok: false, result: unreachableResult(consumer, gpu, size, reason) };
}

/** From memory devices: one stripe per device, read directly or through relay hosts, then PCIe into GPU `g`. */
function devicesPlan(
  f: Fabric,
  consumer: string,
  h: number,
  g: number,
  gpu: string,
  devices: readonly string[],
  size: Bytes,
): FetchPlan {
  const pcie = internalLink(f, h, g);
  const pcieLatency = f.linkLatencyNs[pcie] ?? 0;
  const planned: PlannedStripe[] = [];
  if (devices.length === 0) return unreachablePlan(consumer, gpu, size, 'no memory device given');
  const paths = hostLegs(f, h).byDevice;
  const share = size / devices.length;
  for (const [k, id] of devices.entries()) {
    const d = requireNode(f, id, ['mhd', 'memory-device'], ['devices', k]);
    const p = paths.get(d)?.path;
    if (p === undefined) {
      const relayed = f.nodeUp[d] === 0 ? undefined : relayStripe(f, h, d);
      if (relayed === undefined)
        return unreachablePlan(
          consumer,
          gpu,
          size,
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
  return { ok: true, gpu, stripes: planned };
}

/** From the consumer's own memory: DRAM → PCIe → GPU, another of its GPUs → host → PCIe → GPU, or the GPU itself at no cost. */
function ownMemoryPlan(
  f: Fabric,
  h: number,
  g: number,
  gpu: string,
  source: Extract<FetchSource, { kind: 'host' }>,
  size: Bytes,
): FetchPlan {
  const pcie = internalLink(f, h, g);
  const pcieLatency = f.linkLatencyNs[pcie] ?? 0;
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

/** From another host's DRAM or GPU memory over RDMA, striped over NIC pairs (NIC k to NIC k). */
function rdmaPlan(
  f: Fabric,
  consumer: string,
  h: number,
  r: number,
  g: number,
  gpu: string,
  source: Extract<FetchSource, { kind: 'host' }>,
  size: Bytes,
): FetchPlan {
  const pcie = internalLink(f, h, g);
  const pcieLatency = f.linkLatencyNs[pcie] ?? 0;
  const planned: PlannedStripe[] = [];
  if (f.nodeUp[r] === 0)
    return unreachablePlan(consumer, gpu, size, `source host ${source.host} is down`);
  const remoteNics = hostNics(f, r);
  const localNics = hostNics(f, h);
  const pairs = Math.min(remoteNics.length, localNics.length);
  if (pairs === 0)
    return unreachablePlan(
      consumer,
      gpu,
      size,
      `${remoteNics.length === 0 ? source.host : consumer} has no RDMA NIC cabled to a network`,
    );
  const remoteGpu = source.memory === 'gpu' ? hostGpus(f, r)[0] : undefined;
  if (source.memory === 'gpu' && remoteGpu === undefined)
    return unreachablePlan(consumer, gpu, size, `source host ${source.host} has no GPU in service`);
  const direct = gpuDirectNic(f, g);
  if (direct.nic !== -1) {
    const stripe = gpuDirectStripe(f, r, g, direct, remoteGpu, remoteNics, localNics);
    if (stripe !== undefined)
      return { ok: true, gpu, stripes: [{ ...stripe, source: source.host, bytes: size }] };
  }
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
    return unreachablePlan(
      consumer,
      gpu,
      size,
      `no network route between ${source.host} and ${consumer}`,
    );
  for (const s of planned) s.bytes = size / planned.length;
  return { ok: true, gpu, stripes: planned };
}

/**
 * GPUDirect RDMA into GPU `g` through its paired NIC: the data goes NIC → GPU over their common
 * PCIe switch, skipping the consumer's root complex and DRAM, so the stripe crosses neither the
 * host–NIC link nor the host–GPU link. The remote end is the source GPU's own paired NIC when it
 * has one (read straight from its memory), otherwise the remote NIC with the local NIC's index
 * (NIC k to NIC k) fed from the remote host (DRAM, or a GPU without GPUDirect through the host).
 * Latency as {@link rdmaPlan} counts it (a NIC traversal includes its PCIe DMA), minus the PCIe
 * hop into the GPU and, for a GPUDirect source GPU, minus the hop out of it. Undefined when the
 * two NICs have no network route (the caller falls back to the path through the host).
 */
function gpuDirectStripe(
  f: Fabric,
  r: number,
  g: number,
  direct: { nic: number; link: number },
  remoteGpu: number | undefined,
  remoteNics: readonly number[],
  localNics: readonly number[],
): Omit<PlannedStripe, 'source' | 'bytes'> | undefined {
  const ln = direct.nic;
  const remoteDirect = remoteGpu === undefined ? undefined : gpuDirectNic(f, remoteGpu);
  const rn =
    remoteDirect !== undefined && remoteDirect.nic !== -1
      ? remoteDirect.nic
      : (remoteNics[Math.max(0, localNics.indexOf(ln))] ?? remoteNics[0] ?? 0);
  const net = networkRoute(f, rn, ln);
  if (net === undefined) return undefined;
  let head: { nodes: number[]; resources: number[]; ns: number };
  if (remoteGpu !== undefined && remoteDirect !== undefined && remoteDirect.nic !== -1)
    head = {
      nodes: [remoteGpu],
      resources: [linkResource(f, remoteDirect.link, remoteGpu)],
      ns: 0,
    };
  else {
    const viaGpu = remoteGpu === undefined ? [] : [remoteGpu];
    const gpuLink = remoteGpu === undefined ? -1 : internalLink(f, r, remoteGpu);
    head = {
      nodes: [...viaGpu, r],
      resources: [
        ...(remoteGpu === undefined ? [] : [linkResource(f, gpuLink, remoteGpu)]),
        linkResource(f, internalLink(f, r, rn), r),
      ],
      ns: remoteGpu === undefined ? 0 : (f.linkLatencyNs[gpuLink] ?? 0),
    };
  }
  const oneWay = (f.nodeTraversalNs[rn] ?? 0) + net.oneWayNs + (f.nodeTraversalNs[ln] ?? 0);
  return {
    nodes: [...head.nodes, ...net.nodes, g],
    resources: [...head.resources, ...routeResources(f, net), linkResource(f, direct.link, ln)],
    // RDMA READ: post, request and data each cross NICs and network, completion; no host hop.
    latencyNs: 2 * f.profile.rdmaSoftwareLatencyNs + 2 * oneWay + head.ns,
  };
}
