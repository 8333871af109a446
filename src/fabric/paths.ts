/**
 * Routes on the compiled fabric and their unloaded latency (docs/design.md "Latency"):
 *
 * - **CXL paths** from a host to each memory device it reaches: lowest one-way latency through
 *   CXL switches only (hosts never forward CXL traffic). A load from device memory crosses the
 *   path twice: `hostMemoryPath + 2 × (rootPort + Σ links + Σ switch passes) + controller + media`.
 * - **Network paths** between RDMA NICs through ToR and spine switches, lowest latency first.
 *
 * Dijkstra with an indexed heap; results are cached per fabric (a WeakMap), so repeated queries
 * on one compiled fabric cost nothing after the first.
 */
import { IndexedMinHeap } from './heap.ts';
import { linkResource, type Fabric } from './compile.ts';
import type { NodeKind } from '../topology/types.ts';

/** One named part of a latency, for breakdowns (`component` is a short human label). */
export interface CostComponent {
  readonly component: string;
  readonly ns: number;
}

/** A route through the fabric: nodes and links in travel order. */
export interface Route {
  /** Node indices, first = origin, last = destination. */
  readonly nodes: readonly number[];
  /** Link indices between consecutive nodes. */
  readonly links: readonly number[];
  /** Σ link one-way latency + Σ traversal latency of intermediate nodes, one direction. */
  readonly oneWayNs: number;
  /** Smallest per-direction link bandwidth on the route (bytes/ns). */
  readonly bottleneckBytesPerNs: number;
}

/** A host's CXL route to one memory device. */
export interface CxlPath extends Route {
  readonly device: number;
  /** CXL switches passed. */
  readonly switches: number;
}

/**
 * Lowest-latency routes from `source` to every node reachable while passing only through
 * intermediate nodes of the `transit` kinds over links of the `linkKinds` kinds. Down nodes and
 * links are skipped. Returns predecessor arrays (−1 = unreached).
 */
export function shortestRoutes(
  f: Fabric,
  source: number,
  linkKinds: ReadonlySet<string>,
  transit: ReadonlySet<NodeKind>,
): { dist: Float64Array; prevNode: Int32Array; prevLink: Int32Array } {
  const n = f.nodes.length;
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const prevNode = new Int32Array(n).fill(-1);
  const prevLink = new Int32Array(n).fill(-1);
  const heap = new IndexedMinHeap(64);
  dist[source] = 0;
  heap.set(source, 0);
  while (heap.size > 0) {
    const v = heap.pop();
    if (v !== source && !transit.has(f.nodeKind[v] as NodeKind)) continue;
    const dv = dist[v] ?? 0;
    const pass = v === source ? 0 : (f.nodeTraversalNs[v] ?? 0);
    for (let j = f.adjStart[v] ?? 0; j < (f.adjStart[v + 1] ?? 0); j++) {
      const l = f.adjLink[j] ?? 0;
      const u = f.adjNode[j] ?? 0;
      if (f.linkUp[l] === 0 || f.nodeUp[u] === 0 || !linkKinds.has(f.linkKind[l] as string))
        continue;
      const du = dv + pass + (f.linkLatencyNs[l] ?? 0);
      if (du < (dist[u] ?? Number.POSITIVE_INFINITY)) {
        dist[u] = du;
        prevNode[u] = v;
        prevLink[u] = l;
        heap.set(u, du);
      }
    }
  }
  return { dist, prevNode, prevLink };
}

/** Rebuilds the route to `target` from predecessor arrays. */
export function routeTo(
  f: Fabric,
  prevNode: Int32Array,
  prevLink: Int32Array,
  source: number,
  target: number,
): Route | undefined {
  if (target !== source && prevNode[target] === -1) return undefined;
  const nodes = [target];
  const links: number[] = [];
  let v = target;
  while (v !== source) {
    links.push(prevLink[v] ?? 0);
    v = prevNode[v] ?? source;
    nodes.push(v);
  }
  nodes.reverse();
  links.reverse();
  let oneWay = 0;
  let bw = Number.POSITIVE_INFINITY;
  for (const l of links) {
    oneWay += f.linkLatencyNs[l] ?? 0;
    bw = Math.min(bw, f.linkBandwidthBytesPerNs[l] ?? 0);
  }
  for (let i = 1; i < nodes.length - 1; i++) oneWay += f.nodeTraversalNs[nodes[i] ?? 0] ?? 0;
  return { nodes, links, oneWayNs: oneWay, bottleneckBytesPerNs: bw };
}

const CXL = new Set(['cxl']);
const NETWORK = new Set(['network']);
const SWITCHES = new Set<NodeKind>(['cxl-switch']);
const NET_SWITCHES = new Set<NodeKind>(['tor', 'spine']);

const cxlCache = new WeakMap<Fabric, (readonly CxlPath[] | undefined)[]>();

/** Every memory device host `h` reaches over CXL, with the lowest-latency route, by device index. */
export function cxlPaths(f: Fabric, h: number): readonly CxlPath[] {
  let cache = cxlCache.get(f);
  if (cache === undefined) {
    cache = [];
    cxlCache.set(f, cache);
  }
  const hit = cache[h];
  if (hit !== undefined) return hit;
  const out: CxlPath[] = [];
  if (f.nodeUp[h] === 1) {
    const { prevNode, prevLink } = shortestRoutes(f, h, CXL, SWITCHES);
    for (let d = 0; d < f.nodes.length; d++) {
      if (f.mediaResource[d] === -1 || f.nodeUp[d] === 0 || prevNode[d] === -1) continue;
      const r = routeTo(f, prevNode, prevLink, h, d);
      if (r !== undefined) out.push({ ...r, device: d, switches: r.nodes.length - 2 });
    }
  }
  cache[h] = out;
  return out;
}

/** Memory attributes of a device node (controller and media latency, media bandwidth). */
function deviceAttrs(
  f: Fabric,
  d: number,
): { controllerLatencyNs: number; mediaLatencyNs: number; mediaBandwidthBytesPerNs: number } {
  const a = f.nodeAttrs[d];
  if (a === undefined || (a.kind !== 'mhd' && a.kind !== 'memory-device'))
    throw new Error(`node ${f.nodes[d]} is not a memory device`);
  return a;
}

/** Media bandwidth of a memory device (bytes/ns). */
export function mediaBandwidth(f: Fabric, d: number): number {
  return deviceAttrs(f, d).mediaBandwidthBytesPerNs;
}

/**
 * Unloaded latency of one cache-line load from device memory over a CXL path, with its parts:
 * host memory path, then request and response each crossing the root port, the links and the
 * switches, then the device controller and media.
 */
export function loadBreakdown(f: Fabric, p: CxlPath): CostComponent[] {
  const prof = f.profile;
  const d = deviceAttrs(f, p.device);
  let links = 0;
  let retimers = 0;
  for (const l of p.links) links += f.linkLatencyNs[l] ?? 0;
  let switches = 0;
  for (let i = 1; i < p.nodes.length - 1; i++) switches += f.nodeTraversalNs[p.nodes[i] ?? 0] ?? 0;
  for (const l of p.links) {
    const a = f.graph.getEdgeAttributes(f.links[l] ?? '');
    if (a.kind === 'cxl') retimers += a.retimers * prof.retimerLatencyNs;
  }
  const parts: CostComponent[] = [
    { component: 'host memory path', ns: prof.hostMemoryPathLatencyNs },
    { component: 'CXL root port ×2', ns: 2 * prof.cxlRootPortLatencyNs },
    {
      component: `CXL links ×2 (${p.links.length} link${p.links.length > 1 ? 's' : ''}: link layer, cable${retimers > 0 ? ', retimers' : ''})`,
      ns: 2 * links,
    },
  ];
  if (p.switches > 0)
    parts.push({
      component: `CXL switch passes ×2 (${p.switches} switch${p.switches > 1 ? 'es' : ''})`,
      ns: 2 * switches,
    });
  parts.push(
    { component: 'device controller', ns: d.controllerLatencyNs },
    { component: 'device media', ns: d.mediaLatencyNs },
  );
  return parts;
}

/** Device controller plus media access of a memory device node (ns); 0 for any other node. */
export function deviceAccessNs(f: Fabric, d: number): number {
  const a = f.nodeAttrs[d];
  return a !== undefined && (a.kind === 'mhd' || a.kind === 'memory-device')
    ? a.controllerLatencyNs + a.mediaLatencyNs
    : 0;
}

/** Unloaded latency of one load from device memory over `p` (ns): the path crossed twice. */
export function loadLatencyNs(f: Fabric, p: CxlPath): number {
  return (
    f.profile.hostMemoryPathLatencyNs +
    2 * (f.profile.cxlRootPortLatencyNs + p.oneWayNs) +
    deviceAccessNs(f, p.device)
  );
}

/** Unloaded time for a store from the host to land in device memory over `p` (ns): the path crossed once. */
export function storeLatencyNs(f: Fabric, p: CxlPath): number {
  return (
    f.profile.hostMemoryPathLatencyNs +
    f.profile.cxlRootPortLatencyNs +
    p.oneWayNs +
    deviceAccessNs(f, p.device)
  );
}

/** Bottleneck bandwidth of moving data between a host and a device over `p`: links and media. */
export function pathBandwidth(f: Fabric, p: CxlPath): number {
  return Math.min(p.bottleneckBytesPerNs, mediaBandwidth(f, p.device));
}

/** The host-internal NICs of host `h` that are in service and cabled to a network, in id order. */
export function hostNics(f: Fabric, h: number): number[] {
  const out: number[] = [];
  for (let j = f.adjStart[h] ?? 0; j < (f.adjStart[h + 1] ?? 0); j++) {
    const v = f.adjNode[j] ?? 0;
    if (f.nodeKind[v] !== 'nic' || f.nodeUp[v] === 0 || f.linkUp[f.adjLink[j] ?? 0] === 0) continue;
    let cabled = false;
    for (let k = f.adjStart[v] ?? 0; k < (f.adjStart[v + 1] ?? 0); k++)
      if (f.linkKind[f.adjLink[k] ?? 0] === 'network' && f.linkUp[f.adjLink[k] ?? 0] === 1)
        cabled = true;
    if (cabled) out.push(v);
  }
  return out.sort((a, b) => a - b);
}

/** The host-internal GPUs of host `h` in service, in id order. */
export function hostGpus(f: Fabric, h: number): number[] {
  const out: number[] = [];
  for (let j = f.adjStart[h] ?? 0; j < (f.adjStart[h + 1] ?? 0); j++) {
    const v = f.adjNode[j] ?? 0;
    if (f.nodeKind[v] === 'gpu' && f.nodeUp[v] === 1 && f.linkUp[f.adjLink[j] ?? 0] === 1)
      out.push(v);
  }
  return out.sort((a, b) => a - b);
}

/**
 * GPUDirect RDMA: the link joining GPU `g` to its paired NIC (same PCIe switch), and that NIC,
 * when both are in service and the NIC is cabled to a network; `{ nic: -1, link: -1 }` otherwise
 * (the GPU's RDMA traffic then goes through its host).
 */
export function gpuDirectNic(f: Fabric, g: number): { nic: number; link: number } {
  for (let j = f.adjStart[g] ?? 0; j < (f.adjStart[g + 1] ?? 0); j++) {
    const v = f.adjNode[j] ?? 0;
    const l = f.adjLink[j] ?? 0;
    if (f.nodeKind[v] !== 'nic' || f.nodeUp[v] === 0 || f.linkUp[l] === 0) continue;
    for (let k = f.adjStart[v] ?? 0; k < (f.adjStart[v + 1] ?? 0); k++)
      if (f.linkKind[f.adjLink[k] ?? 0] === 'network' && f.linkUp[f.adjLink[k] ?? 0] === 1)
        return { nic: v, link: l };
  }
  return { nic: -1, link: -1 };
}

/** The host-internal PCIe link joining host `h` to its GPU or NIC `v`. */
export function internalLink(f: Fabric, h: number, v: number): number {
  for (let j = f.adjStart[h] ?? 0; j < (f.adjStart[h + 1] ?? 0); j++)
    if (f.adjNode[j] === v) return f.adjLink[j] ?? -1;
  return -1;
}

const netCache = new WeakMap<
  Fabric,
  Map<number, { dist: Float64Array; prevNode: Int32Array; prevLink: Int32Array }>
>();

/** Lowest-latency network route between two NICs through ToR/spine switches (NIC traversals excluded from `oneWayNs`). */
export function networkRoute(f: Fabric, fromNic: number, toNic: number): Route | undefined {
  let cache = netCache.get(f);
  if (cache === undefined) {
    cache = new Map();
    netCache.set(f, cache);
  }
  let sp = cache.get(fromNic);
  if (sp === undefined) {
    sp = shortestRoutes(f, fromNic, NETWORK, NET_SWITCHES);
    cache.set(fromNic, sp);
  }
  return routeTo(f, sp.prevNode, sp.prevLink, fromNic, toNic);
}

/** Flow resources crossed by travelling along `route` (links in travel direction). */
export function routeResources(f: Fabric, route: Route): number[] {
  return route.links.map((l, i) => linkResource(f, l, route.nodes[i] ?? 0));
}
