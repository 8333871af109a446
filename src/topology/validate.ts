/**
 * Structural validation of a topology graph (docs/design.md convention §4: every problem at once, each with a
 * code and a path). Generators and the explicit-file loader both end here, so a wrong file and
 * a wrong generator are caught by the same rules:
 *
 * - ports: a host's CXL links ≤ its CXL ports; a device's, switch's or ToR's links ≤ its ports;
 *   a NIC has one network port and is cabled; a GPU or NIC hangs off exactly its own host.
 * - link kinds: CXL joins hosts, switches and memory devices; PCIe joins a host to its own GPUs
 *   and NICs; network cables join NICs and Ethernet/InfiniBand switches.
 * - physics: a CXL cable longer than the copper reach × (retimers + 1) is refused; PCIe
 *   generation 4–6, lane counts 1–16, positive bandwidths and capacities.
 * - reach: every host reaches pooled memory or a network; every memory device is cabled; all
 *   hosts lie in one connected fabric (relays and RDMA count).
 *
 * Issues carry a `subject` (the node or link they are about) so the loader can turn them into
 * file paths such as `links[14].length`; the default path is `nodes.<id>` / `links.<id>`.
 */
import { attachments, internalLinkProblem } from './validate-internal.ts';
import type { Issue } from '../errors/index.ts';
import { formatLength, metres, type Metres } from '../units/index.ts';
import { issueWithIds } from './keys.ts';
import type { LinkAttributes, NodeAttributes, NodeKind, TopologyGraph } from './types.ts';

/** What an issue is about: a node, a link, or the topology as a whole. */
export type IssueSubject =
  { readonly node: string } | { readonly link: string } | { readonly topology: true };

/** A validation issue with its subject and the field inside it, for the loader to locate. */
export interface TopologyIssue extends Issue {
  readonly subject: IssueSubject;
  /** Field of the subject the problem is in (e.g. `length`), when there is one. */
  readonly field?: string;
}

/** Node kinds a CXL cable may join. */
const CXL_ENDPOINTS: ReadonlySet<NodeKind> = new Set<NodeKind>([
  'host',
  'mhd',
  'cxl-switch',
  'memory-device',
]);
/** Node kinds a network cable may join. */
const NETWORK_ENDPOINTS: ReadonlySet<NodeKind> = new Set<NodeKind>(['nic', 'tor', 'spine']);
/** PCIe generations the component profile models. */
const GENERATIONS: ReadonlySet<number> = new Set([4, 5, 6]);
/** Lane counts of a PCIe/CXL port (PCIe base spec widths). */
const LANES: ReadonlySet<number> = new Set([1, 2, 4, 8, 16]);

const isMemory = (k: NodeKind): boolean => k === 'mhd' || k === 'memory-device';

/** Records an issue about a node or a link (and one of its fields), with its file path. */
function subjectIssue(
  issues: TopologyIssue[],
  subject: { readonly node: string } | { readonly link: string },
  code: string,
  message: string,
  field?: string,
): void {
  const at: (string | number)[] =
    'node' in subject ? ['nodes', subject.node] : ['links', subject.link];
  issues.push({
    code,
    path: field === undefined ? at : [...at, field],
    message,
    subject,
    ...(field === undefined ? {} : { field }),
  });
}

/** Records an issue about node `node` (and one of its fields). */
function nodeIssue(
  issues: TopologyIssue[],
  node: string,
  code: string,
  message: string,
  field?: string,
): void {
  subjectIssue(issues, { node }, code, message, field);
}

/** Records an issue about link `link` (and one of its fields). */
function linkIssue(
  issues: TopologyIssue[],
  link: string,
  code: string,
  message: string,
  field?: string,
): void {
  subjectIssue(issues, { link }, code, message, field);
}

/**
 * Checks a topology graph and returns every problem found (empty when it is sound).
 * Does not mutate the graph.
 * @example validateTopology(generate('octopus-bibd', { hostPorts: 4, devicePorts: 4 })) // []
 */
export function validateTopology(graph: TopologyGraph): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  checkLinks(graph, issues);
  checkNodes(graph, issues);
  checkReach(graph, issues);
  return issues.map(issueWithIds); // the checks walk graph keys; issues name node ids
}

/** Links: endpoints allowed for their kind, and physics. */
function checkLinks(graph: TopologyGraph, issues: TopologyIssue[]): void {
  const profile = graph.getAttribute('components');
  graph.forEachEdge((id, l: LinkAttributes, s, t, sa: NodeAttributes, ta: NodeAttributes) => {
    const pair = `${s} (${sa.kind}) – ${t} (${ta.kind})`;
    if (!(l.bandwidthBytesPerNs > 0) || !Number.isFinite(l.bandwidthBytesPerNs))
      linkIssue(
        issues,
        id,
        'topology.bad-value',
        `bandwidth must be positive and finite, got ${l.bandwidthBytesPerNs} B/ns`,
        'bandwidth',
      );
    switch (l.kind) {
      case 'cxl': {
        checkCxlLink(issues, profile.copperReachM, id, l, sa, ta, pair);
        break;
      }
      case 'pcie':
      case 'c2c': {
        const problem = internalLinkProblem(l.kind, s, sa, t, ta, pair);
        if (problem !== undefined) linkIssue(issues, id, 'topology.bad-link', problem);
        if (l.kind === 'c2c') break;
        if (!GENERATIONS.has(l.generation))
          linkIssue(
            issues,
            id,
            'topology.bad-value',
            `PCIe generation ${l.generation} is not modelled; allowed: 4, 5, 6`,
            'generation',
          );
        break;
      }
      case 'network':
        if (!NETWORK_ENDPOINTS.has(sa.kind) || !NETWORK_ENDPOINTS.has(ta.kind)) {
          linkIssue(
            issues,
            id,
            'topology.bad-link',
            `a network cable cannot join ${pair}; allowed: NIC, ToR or spine to NIC, ToR or spine`,
          );
        }
        break;
    }
  });
}

/** Most retimers on one CXL cable (the topology schema's bound on `retimers`): 17 copper segments. */
export const MAX_RETIMERS = 16;

/** A CXL cable: its endpoints, PCIe generation, lanes, retimers and length within copper reach. */
function checkCxlLink(
  issues: TopologyIssue[],
  copperReachM: Metres,
  id: string,
  l: Extract<LinkAttributes, { kind: 'cxl' }>,
  sa: NodeAttributes,
  ta: NodeAttributes,
  pair: string,
): void {
  if (
    !CXL_ENDPOINTS.has(sa.kind) ||
    !CXL_ENDPOINTS.has(ta.kind) ||
    (sa.kind === 'host' && ta.kind === 'host') ||
    (isMemory(sa.kind) && isMemory(ta.kind))
  ) {
    linkIssue(
      issues,
      id,
      'topology.bad-link',
      `a CXL cable cannot join ${pair}; allowed: host, cxl-switch or memory device to a cxl-switch or memory device`,
    );
  }
  if (!GENERATIONS.has(l.generation))
    linkIssue(
      issues,
      id,
      'topology.bad-value',
      `PCIe generation ${l.generation} is not modelled; allowed: 4, 5, 6`,
      'generation',
    );
  if (!LANES.has(l.lanes))
    linkIssue(
      issues,
      id,
      'topology.bad-value',
      `${l.lanes} lanes; allowed: 1, 2, 4, 8, 16`,
      'lanes',
    );
  if (!Number.isInteger(l.retimers) || l.retimers < 0)
    linkIssue(
      issues,
      id,
      'topology.bad-value',
      `retimers must be a whole number ≥ 0, got ${l.retimers}`,
      'retimers',
    );
  const reach = copperReachM * (l.retimers + 1);
  if (l.retimers > MAX_RETIMERS)
    linkIssue(
      issues,
      id,
      'topology.cable-too-long',
      `${formatLength(l.lengthM)} of copper needs ${l.retimers} retimers (one per ${formatLength(copperReachM)} of reach); podsim models at most ${MAX_RETIMERS} on one cable — a CXL link that long would be optical, which podsim does not model`,
      'length',
    );
  else if (Number.isInteger(l.retimers) && l.retimers >= 0 && l.lengthM > reach + 1e-9) {
    const need = Math.ceil(l.lengthM / copperReachM) - 1;
    linkIssue(
      issues,
      id,
      'topology.cable-too-long',
      `${formatLength(l.lengthM)} exceeds copper reach ${formatLength(copperReachM)}${l.retimers > 0 ? ` × ${l.retimers + 1} segments (${l.retimers} retimer${l.retimers > 1 ? 's' : ''})` : ''}; ${need > MAX_RETIMERS ? `shorten it to at most ${formatLength(metres(copperReachM * (MAX_RETIMERS + 1)))} (${MAX_RETIMERS} retimers)` : `shorten it or declare retimers: ${need}`}`,
      'length',
    );
  }
}

/** Nodes: ports used within ports available, and how GPUs and NICs attach. */
function checkNodes(graph: TopologyGraph, issues: TopologyIssue[]): void {
  graph.forEachNode((id, a) => {
    const { cxl, network, pcieToOwnHost, gpuDirect } = attachments(graph, id, a);
    const ports = (used: number, have: number, what: string): void => {
      if (used > have)
        nodeIssue(
          issues,
          id,
          'topology.ports-exceeded',
          `${used} ${what} cabled but the ${a.kind} has ${have} port${have === 1 ? '' : 's'}`,
          'ports',
        );
    };
    switch (a.kind) {
      case 'host':
        ports(cxl, a.cxlPorts, 'CXL links');
        if (!LANES.has(a.cxlPortLanes))
          nodeIssue(
            issues,
            id,
            'topology.bad-value',
            `${a.cxlPortLanes} lanes per CXL port; allowed: 1, 2, 4, 8, 16`,
            'cxlPortLanes',
          );
        break;
      case 'mhd':
      case 'memory-device':
        ports(cxl, a.ports, 'CXL links');
        checkDevice(issues, id, a, cxl);
        break;
      case 'cxl-switch':
        ports(cxl, a.ports, 'CXL links');
        break;
      case 'tor':
      case 'spine':
        ports(network, a.ports, 'network cables');
        break;
      case 'nic':
        ports(network, 1, 'network cables');
        if (network === 0)
          nodeIssue(
            issues,
            id,
            'topology.uncabled-nic',
            `NIC ${id} is not cabled to any network; cable it to a ToR or give ${a.host} fewer NICs`,
          );
        if (pcieToOwnHost !== 1)
          nodeIssue(
            issues,
            id,
            'topology.bad-attachment',
            `NIC ${id} must hang off its host ${a.host} by one PCIe link (found ${pcieToOwnHost})`,
            'host',
          );
        break;
      case 'gpu':
        if (pcieToOwnHost !== 1 || gpuDirect > 1 || graph.degree(id) !== 1 + gpuDirect)
          nodeIssue(
            issues,
            id,
            'topology.bad-attachment',
            `GPU ${id} must hang off its host ${a.host} by exactly one PCIe or C2C link, plus at most one GPUDirect link to a NIC of that host, and nothing else`,
            'host',
          );
        break;
    }
  });
}

/** A memory device (its ports are checked with every node's): positive capacity and media bandwidth, and at least one CXL link. */
function checkDevice(
  issues: TopologyIssue[],
  id: string,
  a: Extract<NodeAttributes, { kind: 'mhd' | 'memory-device' }>,
  cxl: number,
): void {
  if (!(a.capacityBytes > 0))
    nodeIssue(
      issues,
      id,
      'topology.bad-value',
      `capacity must be positive, got ${a.capacityBytes} B`,
      'capacity',
    );
  if (!(a.mediaBandwidthBytesPerNs > 0))
    nodeIssue(
      issues,
      id,
      'topology.bad-value',
      `media bandwidth must be positive, got ${a.mediaBandwidthBytesPerNs} B/ns`,
      'mediaBandwidth',
    );
  if (cxl === 0)
    nodeIssue(
      issues,
      id,
      'topology.orphan-device',
      `memory device ${id} has no CXL link: no host can use it`,
    );
}

/** Reach: every host reaches memory or a network, and all hosts lie in one connected fabric. */
function checkReach(graph: TopologyGraph, issues: TopologyIssue[]): void {
  const hosts: string[] = [];
  graph.forEachNode((id, a) => {
    if (a.kind !== 'host') return;
    hosts.push(id);
    let fabric = false;
    graph.forEachNeighbor(id, (n, na) => {
      if (na.kind === 'nic') {
        if (graph.someNeighbor(n, (_m, ma) => ma.kind !== 'host')) fabric = true;
      } else if (na.kind !== 'gpu') fabric = true;
    });
    if (!fabric)
      nodeIssue(
        issues,
        id,
        'topology.disconnected-host',
        `host ${id} has no CXL link and no cabled NIC: it cannot reach pooled memory or any other host`,
      );
  });
  if (hosts.length > 1) checkConnected(graph, hosts, issues);
}

/** All hosts in one connected fabric (CXL, relays and RDMA all count). */
function checkConnected(
  graph: TopologyGraph,
  hosts: readonly string[],
  issues: TopologyIssue[],
): void {
  const component = new Map<string, number>();
  let components = 0;
  for (const start of hosts) {
    if (component.has(start)) continue;
    const c = components++;
    component.set(start, c);
    const stack = [start];
    while (stack.length > 0) {
      const v = stack.pop() as string;
      graph.forEachNeighbor(v, (n) => {
        if (!component.has(n)) {
          component.set(n, c);
          stack.push(n);
        }
      });
    }
  }
  if (components > 1) {
    const groups = new Map<number, string[]>();
    for (const h of hosts) {
      const c = component.get(h) ?? 0;
      const g = groups.get(c) ?? [];
      g.push(h);
      groups.set(c, g);
    }
    const sample = [...groups.values()].map((g) =>
      g.length > 4 ? `{${g.slice(0, 3).join(', ')}, … ${g.length} hosts}` : `{${g.join(', ')}}`,
    );
    issues.push({
      code: 'topology.disconnected',
      path: [],
      subject: { topology: true },
      message: `hosts form ${components} separate fabrics that cannot reach each other by CXL, relay or RDMA: ${sample.join(' ')}; join them with links or a network`,
    });
  }
}
