/**
 * Compiles the graph of record once into dense arrays for the cost engine's hot loops
 * (docs/design.md convention §8, after graphology's ForceAtlas2 `graphToByteArrays`): node and link indices,
 * per-direction link bandwidth and one-way latency, an adjacency list in CSR form, and the
 * numbered resources the flow engine shares (two per link, one per memory device's media).
 *
 * A *failure view* compiles the same graph with links, devices or hosts marked down: down
 * elements stay in the arrays (ids keep their indices) but routes never use them, so an
 * unreachable pair is a result, not an exception.
 */
import { InputError, type Issue } from '../errors/index.ts';
import type { ComponentProfile } from '../topology/defaults.ts';
import { nodeId } from '../topology/keys.ts';
import type { LinkKind, NodeAttributes, NodeKind, TopologyGraph } from '../topology/types.ts';
import { linkLatencyNs } from './components.ts';
import { mediaResourceId, resourceId } from './resources.ts';

/** Elements taken out of service for a what-if. */
export interface Failures {
  readonly links?: readonly string[];
  readonly devices?: readonly string[];
  readonly hosts?: readonly string[];
}

/** The compiled fabric. Arrays are indexed by node or link index; treat as read-only. */
export interface Fabric {
  readonly graph: TopologyGraph;
  readonly profile: ComponentProfile;
  /** Node ids as the user wrote them (graph keys decoded, `src/topology/keys.ts`). */
  readonly nodes: readonly string[];
  /** Index of each node id. */
  readonly nodeIndex: ReadonlyMap<string, number>;
  readonly nodeKind: readonly NodeKind[];
  readonly nodeAttrs: readonly NodeAttributes[];
  /** For GPUs and NICs: index of their host; −1 otherwise. */
  readonly ownerHost: Int32Array;
  /** One-way latency of passing through the node (switch pass, NIC traversal), 0 for others. */
  readonly nodeTraversalNs: Float64Array;
  readonly links: readonly string[];
  readonly linkIndex: ReadonlyMap<string, number>;
  readonly linkKind: readonly LinkKind[];
  /** Graph source and target of each link. */
  readonly linkA: Int32Array;
  readonly linkB: Int32Array;
  /** Per-direction bandwidth (bytes/ns) and one-way latency (ns) of each link. */
  readonly linkBandwidthBytesPerNs: Float64Array;
  readonly linkLatencyNs: Float64Array;
  /** CSR adjacency: the links and neighbours of node v are at `adjStart[v] … adjStart[v+1]`. */
  readonly adjStart: Int32Array;
  readonly adjLink: Int32Array;
  readonly adjNode: Int32Array;
  /** Flow resources: `2l` = link l forward (A→B), `2l+1` = reverse, then one per memory device. */
  readonly resources: readonly string[];
  readonly resourceCapacityBytesPerNs: Float64Array;
  /** Media resource index of a memory device node, −1 for other nodes. */
  readonly mediaResource: Int32Array;
  /** 1 when in service. */
  readonly nodeUp: Uint8Array;
  readonly linkUp: Uint8Array;
  readonly failures: Failures;
  /** Host node indices in graph order. */
  readonly hosts: Int32Array;
}

/** Resource index of link `l` traversed from node `from`. */
export function linkResource(f: Fabric, l: number, from: number): number {
  return 2 * l + (f.linkA[l] === from ? 0 : 1);
}

/**
 * Compiles a topology, optionally with elements down.
 * @throws InputError when a failure names an element the topology does not have (all such names at once)
 */
export function compileFabric(graph: TopologyGraph, failures: Failures = {}): Fabric {
  const profile = graph.getAttribute('components');
  const nodes = compileNodes(graph);
  const links = compileLinks(graph, nodes.nodeIndex);
  const res = compileResources(nodes, links);
  const { nodeUp, linkUp } = applyFailures(graph, nodes, links, failures);
  return {
    graph,
    profile,
    nodes: nodes.nodes,
    nodeIndex: nodes.nodeIndex,
    nodeKind: nodes.nodeKind,
    nodeAttrs: nodes.nodeAttrs,
    ownerHost: nodes.ownerHost,
    nodeTraversalNs: nodes.nodeTraversalNs,
    links: links.links,
    linkIndex: links.linkIndex,
    linkKind: links.linkKind,
    linkA: links.linkA,
    linkB: links.linkB,
    linkBandwidthBytesPerNs: links.linkBandwidthBytesPerNs,
    linkLatencyNs: links.linkLatencyNs,
    adjStart: links.adjStart,
    adjLink: links.adjLink,
    adjNode: links.adjNode,
    resources: res.resources,
    resourceCapacityBytesPerNs: res.resourceCapacityBytesPerNs,
    mediaResource: res.mediaResource,
    nodeUp,
    linkUp,
    failures,
    hosts: Int32Array.from(nodes.hosts),
  };
}

/** The node arrays of a fabric, before failures. */
type CompiledNodes = Pick<
  Fabric,
  'nodes' | 'nodeIndex' | 'nodeKind' | 'nodeAttrs' | 'ownerHost' | 'nodeTraversalNs'
> & { readonly hosts: readonly number[] };

/** The link arrays and adjacency (CSR) of a fabric, before failures. */
type CompiledLinks = Pick<
  Fabric,
  | 'links'
  | 'linkIndex'
  | 'linkKind'
  | 'linkA'
  | 'linkB'
  | 'linkBandwidthBytesPerNs'
  | 'linkLatencyNs'
  | 'adjStart'
  | 'adjLink'
  | 'adjNode'
>;

/**
 * Nodes in graph order: ids (decoded from graph keys), kinds, attributes, owning host of GPUs and
 * NICs, traversal latency.
 */
function compileNodes(graph: TopologyGraph): CompiledNodes {
  const nodes: string[] = [];
  const nodeIndex = new Map<string, number>();
  const nodeKind: NodeKind[] = [];
  const nodeAttrs: NodeAttributes[] = [];
  graph.forEachNode((key, a) => {
    const id = nodeId(key);
    nodeIndex.set(id, nodes.length);
    nodes.push(id);
    nodeKind.push(a.kind);
    nodeAttrs.push(a);
  });
  const n = nodes.length;
  const ownerHost = new Int32Array(n).fill(-1);
  const nodeTraversalNs = new Float64Array(n);
  const hosts: number[] = [];
  nodeAttrs.forEach((a, i) => {
    if (a.kind === 'gpu' || a.kind === 'nic') ownerHost[i] = nodeIndex.get(nodeId(a.host)) ?? -1;
    if (a.kind === 'host') hosts.push(i);
    if (a.kind === 'cxl-switch') nodeTraversalNs[i] = a.traversalLatencyNs;
    else if (a.kind === 'tor' || a.kind === 'spine' || a.kind === 'nic')
      nodeTraversalNs[i] = a.latencyNs;
  });
  return { nodes, nodeIndex, nodeKind, nodeAttrs, ownerHost, nodeTraversalNs, hosts };
}

/** Links in graph order with their ends, bandwidth and latency, and the adjacency in CSR form. */
function compileLinks(graph: TopologyGraph, nodeIndex: ReadonlyMap<string, number>): CompiledLinks {
  const profile = graph.getAttribute('components');
  const n = graph.order;
  const links: string[] = [];
  const linkIndex = new Map<string, number>();
  const linkKind: LinkKind[] = [];
  const m = graph.size;
  const linkA = new Int32Array(m);
  const linkB = new Int32Array(m);
  const linkBandwidth = new Float64Array(m);
  const linkLatency = new Float64Array(m);
  const degree = new Int32Array(n + 1);
  graph.forEachEdge((id, l, s, t) => {
    const i = links.length;
    linkIndex.set(id, i);
    links.push(id);
    linkKind.push(l.kind);
    const a = nodeIndex.get(nodeId(s)) ?? 0;
    const b = nodeIndex.get(nodeId(t)) ?? 0;
    linkA[i] = a;
    linkB[i] = b;
    linkBandwidth[i] = l.bandwidthBytesPerNs;
    linkLatency[i] = linkLatencyNs(profile, l);
    degree[a] = (degree[a] ?? 0) + 1;
    degree[b] = (degree[b] ?? 0) + 1;
  });
  const adjStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) adjStart[v + 1] = (adjStart[v] ?? 0) + (degree[v] ?? 0);
  const fill = adjStart.slice(0, n);
  const adjLink = new Int32Array(2 * m);
  const adjNode = new Int32Array(2 * m);
  for (let l = 0; l < m; l++) {
    const a = linkA[l] ?? 0;
    const b = linkB[l] ?? 0;
    const pa = fill[a] ?? 0;
    fill[a] = pa + 1;
    adjLink[pa] = l;
    adjNode[pa] = b;
    const pb = fill[b] ?? 0;
    fill[b] = pb + 1;
    adjLink[pb] = l;
    adjNode[pb] = a;
  }
  return {
    links,
    linkIndex,
    linkKind,
    linkA,
    linkB,
    linkBandwidthBytesPerNs: linkBandwidth,
    linkLatencyNs: linkLatency,
    adjStart,
    adjLink,
    adjNode,
  };
}

/** Flow resources: two directions per link, then the media of each memory device. */
function compileResources(
  { nodes, nodeAttrs }: CompiledNodes,
  { links, linkBandwidthBytesPerNs: linkBandwidth }: CompiledLinks,
): Pick<Fabric, 'resources' | 'resourceCapacityBytesPerNs' | 'mediaResource'> {
  const n = nodes.length;
  const m = links.length;
  const resources: string[] = [];
  const capacities: number[] = [];
  for (let l = 0; l < m; l++) {
    const id = links[l] ?? '';
    resources.push(resourceId(id, 'fwd'), resourceId(id, 'rev'));
    capacities.push(linkBandwidth[l] ?? 0, linkBandwidth[l] ?? 0);
  }
  const mediaResource = new Int32Array(n).fill(-1);
  nodeAttrs.forEach((a, i) => {
    if (a.kind === 'mhd' || a.kind === 'memory-device') {
      mediaResource[i] = resources.length;
      resources.push(mediaResourceId(nodes[i] ?? ''));
      capacities.push(a.mediaBandwidthBytesPerNs);
    }
  });
  return {
    resources,
    resourceCapacityBytesPerNs: Float64Array.from(capacities),
    mediaResource,
  };
}

/**
 * Which nodes and links are in service: failed devices, switches and hosts (with a host's GPUs
 * and NICs), failed links, and every link touching a node that is down.
 * @throws InputError naming every failure the topology does not have
 */
function applyFailures(
  graph: TopologyGraph,
  { nodeIndex, nodeKind, ownerHost, nodes }: CompiledNodes,
  { linkIndex, linkA, linkB, adjStart, adjNode, links }: CompiledLinks,
  failures: Failures,
): { nodeUp: Uint8Array; linkUp: Uint8Array } {
  const n = nodes.length;
  const m = links.length;
  // ---- failures ----
  const nodeUp = new Uint8Array(n).fill(1);
  const linkUp = new Uint8Array(m).fill(1);
  const issues: Issue[] = [];
  const known = (
    kinds: readonly NodeKind[],
    what: string,
    list: readonly string[] | undefined,
    key: string,
  ): void => {
    (list ?? []).forEach((id, k) => {
      const v = nodeIndex.get(id);
      if (v === undefined || !kinds.includes(nodeKind[v] as NodeKind)) {
        issues.push({
          code: 'failure.unknown',
          path: ['fail', key, k],
          message: `${key.slice(0, -1)} "${id}" is not a ${what} of ${graph.getAttribute('name')}`,
        });
        return;
      }
      nodeUp[v] = 0;
      if (nodeKind[v] === 'host')
        for (let j = adjStart[v] ?? 0; j < (adjStart[v + 1] ?? 0); j++)
          if (ownerHost[adjNode[j] ?? 0] === v) nodeUp[adjNode[j] ?? 0] = 0;
    });
  };
  known(
    ['mhd', 'memory-device', 'cxl-switch', 'tor', 'spine'],
    'memory device or switch',
    failures.devices,
    'devices',
  );
  known(['host'], 'host', failures.hosts, 'hosts');
  (failures.links ?? []).forEach((id, k) => {
    const l = linkIndex.get(id);
    if (l === undefined)
      issues.push({
        code: 'failure.unknown',
        path: ['fail', 'links', k],
        message: `link "${id}" is not a link of ${graph.getAttribute('name')} (link ids look like "h0--d3")`,
      });
    else linkUp[l] = 0;
  });
  if (issues.length > 0) throw new InputError(issues);
  for (let l = 0; l < m; l++)
    if (nodeUp[linkA[l] ?? 0] === 0 || nodeUp[linkB[l] ?? 0] === 0) linkUp[l] = 0;
  return { nodeUp, linkUp };
}

/** Index of a node id, or an InputError naming the flag or field and the kind expected. */
export function requireNode(
  f: Fabric,
  id: string,
  kinds: readonly NodeKind[],
  path: readonly (string | number)[],
): number {
  const v = f.nodeIndex.get(id);
  if (v === undefined || !kinds.includes(f.nodeKind[v] as NodeKind)) {
    const examples = f.nodes
      .filter((_x, i) => kinds.includes(f.nodeKind[i] as NodeKind))
      .slice(0, 4);
    throw new InputError([
      {
        code: 'fabric.unknown-node',
        path,
        message: `"${id}" is not a ${kinds.join(' or ')} of ${f.graph.getAttribute('name')}${v === undefined ? '' : ` (it is a ${f.nodeKind[v]})`}; e.g. ${examples.join(', ')}`,
      },
    ]);
  }
  return v;
}
