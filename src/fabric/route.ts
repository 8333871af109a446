/**
 * Data routes between any two endpoints (hosts, GPUs, memory devices) for bulk flows, as
 * `podsim flows` and the simulator need them: the ordered flow resources crossed and the
 * route's unloaded one-way latency.
 *
 * - device ↔ host or GPU: the host's lowest-latency CXL path (plus the host's PCIe link to a GPU).
 * - host or GPU ↔ host or GPU on another host: through a shared device (written, then read:
 *   the device's media is crossed twice) or over RDMA (first NIC of each host), whichever moves
 *   the bytes sooner unloaded (latency + bytes ÷ bottleneck). Hosts that share no device and
 *   have no network have no route (hosts do not forward bulk data). A GPU with GPUDirect RDMA
 *   sends and receives through its paired NIC directly, without its host.
 * - GPU ↔ its own host: the PCIe link.
 *
 * One-way latency sums the components crossed once: host memory path and root port at a CXL
 * host end, links, switch/NIC passes, device controller and media, PCIe hops.
 */
import type { NodeKind } from '../topology/types.ts';
import { linkResource, requireNode, type Fabric } from './compile.ts';
import {
  cxlPaths,
  deviceAccessNs,
  gpuDirectNic,
  hostNics,
  internalLink,
  networkRoute,
  routeResources,
  type CxlPath,
} from './paths.ts';

/** A route for a bulk flow. */
export interface DataRoute {
  readonly medium: 'cxl' | 'cxl-shared-device' | 'rdma' | 'pcie';
  /** Node indices in travel order. */
  readonly nodes: readonly number[];
  /** Flow resource indices in travel order (a device's media twice when written then read). */
  readonly resources: readonly number[];
  readonly latencyNs: number;
  readonly bottleneckBytesPerNs: number;
}

const ENDPOINTS: readonly NodeKind[] = ['host', 'gpu', 'mhd', 'memory-device'];

function capacityOf(f: Fabric, resources: readonly number[]): number {
  let m = Number.POSITIVE_INFINITY;
  for (const r of resources) m = Math.min(m, f.resourceCapacityBytesPerNs[r] ?? 0);
  return m;
}

/** Host → device resources along `p` (forward), or device → host (reverse). */
function cxlLeg(
  f: Fabric,
  p: CxlPath,
  towardsDevice: boolean,
): { nodes: number[]; resources: number[]; ns: number } {
  const nodes = towardsDevice ? [...p.nodes] : [...p.nodes].reverse();
  const links = towardsDevice ? [...p.links] : [...p.links].reverse();
  return {
    nodes,
    resources: routeResources(f, {
      nodes,
      links,
      oneWayNs: p.oneWayNs,
      bottleneckBytesPerNs: p.bottleneckBytesPerNs,
    }),
    ns: f.profile.hostMemoryPathLatencyNs + f.profile.cxlRootPortLatencyNs + p.oneWayNs,
  };
}

/** A piece of a route: nodes, flow resources and latency. */
interface Leg {
  nodes: number[];
  resources: number[];
  ns: number;
}

const isDev = (f: Fabric, v: number): boolean => f.mediaResource[v] !== -1;
const hostOf = (f: Fabric, v: number): number =>
  f.nodeKind[v] === 'gpu' ? (f.ownerHost[v] ?? -1) : v;

/** The PCIe hop out of a GPU source into its host (empty for a host). */
function gpuHead(f: Fabric, v: number): Leg {
  return f.nodeKind[v] === 'gpu'
    ? {
        nodes: [v],
        resources: [linkResource(f, internalLink(f, hostOf(f, v), v), v)],
        ns: f.linkLatencyNs[internalLink(f, hostOf(f, v), v)] ?? 0,
      }
    : { nodes: [], resources: [], ns: 0 };
}

/** The PCIe hop from its host into a GPU destination (empty for a host). */
function gpuTail(f: Fabric, v: number): Leg {
  return f.nodeKind[v] === 'gpu'
    ? {
        nodes: [v],
        resources: [linkResource(f, internalLink(f, hostOf(f, v), v), hostOf(f, v))],
        ns: f.linkLatencyNs[internalLink(f, hostOf(f, v), v)] ?? 0,
      }
    : { nodes: [], resources: [], ns: 0 };
}

/** A route with its bottleneck computed from its resources. */
function makeRoute(
  f: Fabric,
  medium: DataRoute['medium'],
  nodes: number[],
  resources: number[],
  ns: number,
): DataRoute {
  return {
    medium,
    nodes,
    resources,
    latencyNs: ns,
    bottleneckBytesPerNs: capacityOf(f, resources),
  };
}

/**
 * The route a bulk flow of `bytes` takes from `src` to `dst` (node ids), or undefined when none exists.
 * @throws InputError when an id is unknown or not an endpoint kind (host, GPU, memory device)
 */
export function dataRoute(
  f: Fabric,
  src: string,
  dst: string,
  bytes: number,
  path: readonly (string | number)[] = [],
): DataRoute | undefined {
  const s = requireNode(f, src, ENDPOINTS, [...path, 'src']);
  const t = requireNode(f, dst, ENDPOINTS, [...path, 'dst']);
  if (f.nodeUp[s] === 0 || f.nodeUp[t] === 0 || s === t) return undefined;
  if (isDev(f, s) && isDev(f, t)) return undefined;
  if (isDev(f, s) || isDev(f, t)) return deviceRoute(f, s, t);
  const hs = hostOf(f, s);
  const ht = hostOf(f, t);
  const head = gpuHead(f, s);
  const tail = gpuTail(f, t);
  if (hs === ht)
    return makeRoute(
      f,
      'pcie',
      [...head.nodes, hs, ...tail.nodes],
      [...head.resources, ...tail.resources],
      head.ns + tail.ns,
    );
  const candidates = sharedDeviceRoutes(f, hs, ht, head, tail);
  const rdma = rdmaRoute(f, s, t);
  if (rdma !== undefined) candidates.push(rdma);
  let best: DataRoute | undefined;
  let bestNs = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const ns2 = c.latencyNs + bytes / c.bottleneckBytesPerNs;
    if (ns2 < bestNs) {
      best = c;
      bestNs = ns2;
    }
  }
  return best;
}

/** Between a memory device and a host or GPU (either way): the host's CXL path to the device. */
function deviceRoute(f: Fabric, s: number, t: number): DataRoute | undefined {
  const fromDevice = isDev(f, s);
  const dev = fromDevice ? s : t;
  const end = fromDevice ? t : s;
  const h = hostOf(f, end);
  const p = cxlPaths(f, h).find((x) => x.device === dev);
  if (p === undefined) return undefined;
  const media = f.mediaResource[dev] ?? 0;
  if (fromDevice) {
    const leg = cxlLeg(f, p, false);
    const tail = gpuTail(f, t);
    return makeRoute(
      f,
      'cxl',
      [...leg.nodes, ...tail.nodes],
      [media, ...leg.resources, ...tail.resources],
      deviceAccessNs(f, dev) + leg.ns + tail.ns,
    );
  }
  const leg = cxlLeg(f, p, true);
  const head = gpuHead(f, s);
  return makeRoute(
    f,
    'cxl',
    [...head.nodes, ...leg.nodes],
    [...head.resources, ...leg.resources, media],
    head.ns + leg.ns + deviceAccessNs(f, dev),
  );
}

/** Host `hs` to host `ht` through each device both reach: written, then read (media crossed twice). */
function sharedDeviceRoutes(f: Fabric, hs: number, ht: number, head: Leg, tail: Leg): DataRoute[] {
  const candidates: DataRoute[] = [];
  const targetPaths = new Map(cxlPaths(f, ht).map((p) => [p.device, p]));
  for (const ps of cxlPaths(f, hs)) {
    const pt = targetPaths.get(ps.device);
    if (pt === undefined) continue;
    const up = cxlLeg(f, ps, true);
    const down = cxlLeg(f, pt, false);
    const media = f.mediaResource[ps.device] ?? 0;
    candidates.push(
      makeRoute(
        f,
        'cxl-shared-device',
        [...head.nodes, ...up.nodes, ...down.nodes.slice(1), ...tail.nodes],
        [...head.resources, ...up.resources, media, media, ...down.resources, ...tail.resources],
        head.ns + up.ns + 2 * deviceAccessNs(f, ps.device) + down.ns + tail.ns,
      ),
    );
  }
  return candidates;
}

/**
 * One end of an RDMA route: the NIC used and the leg between it and the endpoint, its latency as
 * parts in travel order (summed in route order, so a route's total is the same float whichever way
 * it is assembled).
 */
interface RdmaEnd {
  nic: number;
  nodes: number[];
  resources: number[];
  nsParts: number[];
}

/**
 * The RDMA end at endpoint `v` (a host, or a GPU with its host): a GPU with a GPUDirect NIC uses
 * that NIC over their direct link; anything else goes through its host to the host's first NIC.
 * `out`: the data leaves `v` (nodes and resources in travel order either way).
 */
function rdmaEnd(f: Fabric, v: number, out: boolean): RdmaEnd | undefined {
  const direct = f.nodeKind[v] === 'gpu' ? gpuDirectNic(f, v) : undefined;
  if (direct !== undefined && direct.nic !== -1)
    return {
      nic: direct.nic,
      nodes: [v],
      resources: [linkResource(f, direct.link, out ? v : direct.nic)],
      nsParts: [f.linkLatencyNs[direct.link] ?? 0],
    };
  const h = hostOf(f, v);
  const nic = hostNics(f, h)[0];
  if (nic === undefined) return undefined;
  const l = internalLink(f, h, nic);
  const gpu = out ? gpuHead(f, v) : gpuTail(f, v);
  const hostLeg = { resource: linkResource(f, l, out ? h : nic), ns: f.linkLatencyNs[l] ?? 0 };
  return out
    ? {
        nic,
        nodes: [...gpu.nodes, h],
        resources: [...gpu.resources, hostLeg.resource],
        nsParts: [gpu.ns, hostLeg.ns],
      }
    : {
        nic,
        nodes: [h, ...gpu.nodes],
        resources: [hostLeg.resource, ...gpu.resources],
        nsParts: [hostLeg.ns, gpu.ns],
      };
}

/**
 * Endpoint `s` to endpoint `t` (hosts or GPUs on different hosts) over RDMA, or undefined without
 * a network route: each end through its host to the host's first NIC, or — a GPU with GPUDirect
 * RDMA — straight to its paired NIC.
 */
function rdmaRoute(f: Fabric, s: number, t: number): DataRoute | undefined {
  const from = rdmaEnd(f, s, true);
  const to = rdmaEnd(f, t, false);
  if (from === undefined || to === undefined) return undefined;
  const net = networkRoute(f, from.nic, to.nic);
  if (net === undefined) return undefined;
  const parts = [
    ...from.nsParts,
    f.nodeTraversalNs[from.nic] ?? 0,
    net.oneWayNs,
    f.nodeTraversalNs[to.nic] ?? 0,
    ...to.nsParts,
    2 * f.profile.rdmaSoftwareLatencyNs,
  ];
  let ns = 0;
  for (const x of parts) ns += x;
  return makeRoute(
    f,
    'rdma',
    [...from.nodes, ...net.nodes, ...to.nodes],
    [...from.resources, ...routeResources(f, net), ...to.resources],
    ns,
  );
}
