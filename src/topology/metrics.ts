/**
 * What `podsim topology inspect` shows: sizes, ports used and free, how many host pairs share a
 * memory device (Octopus's "overlap"), how many relay hosts a message needs between hosts that
 * share none, pooled memory each host reaches, cable lengths and a bill of materials (counts;
 * prices belong to the cost layer).
 *
 * Definitions:
 * - A host *reaches* a memory device when a path of CXL links joins them without passing
 *   through another host (switches may sit in between). Two hosts *share* a device when they
 *   reach a common one; they can then exchange messages through it (docs/references.md §1).
 * - *Relay hops* between two hosts: 0 when they share a device, k when the cheapest chain of
 *   sharing hosts between them has k intermediate hosts, none when no CXL chain exists (RDMA
 *   only). Computed by breadth-first search over the host–device incidence, with devices that
 *   serve identical host sets merged (a switched pool then costs one group, not one per device).
 *   Exact up to {@link RELAY_EXACT_WORK} units of work; beyond that, from evenly spaced sample
 *   source hosts, and the result says so (`sampledSources`).
 */
import type { Bytes, Metres } from '../units/index.ts';
import { bytes, metres } from '../units/index.ts';
import {
  cxlReach,
  deviceGroups,
  reachSpread,
  relayHops,
  RELAY_EXACT_WORK,
  sharingOrderedPairs,
  type ReachSpread,
  type RelayHops,
} from './metrics-reach.ts';
import type { NodeKind, TopologyGraph } from './types.ts';
import { NODE_KINDS } from './types.ts';

// The reach computations live in metrics-reach.ts; re-exported so this stays the one import.
export {
  cxlReach,
  RELAY_EXACT_WORK,
  type CxlReach,
  type ReachSpread,
  type RelayHops,
} from './metrics-reach.ts';

/** Used and total ports of one kind of equipment. */
export interface PortUse {
  readonly used: number;
  readonly total: number;
}

/** Summary statistics of a list of lengths. */
export interface LengthStats {
  readonly count: number;
  readonly minM: Metres;
  readonly medianM: Metres;
  readonly maxM: Metres;
  readonly totalM: Metres;
}

/** One line of the bill of materials. */
export interface BomLine {
  readonly item: string;
  readonly count: number;
}

/** Everything `topology inspect` reports; `--json` prints this object. */
export interface TopologyMetrics {
  readonly name: string;
  readonly family: string;
  readonly description: string;
  readonly hosts: number;
  /** Memory devices: MHDs plus devices behind switches. */
  readonly devices: number;
  readonly mhds: number;
  readonly memoryDevices: number;
  /** CXL switches. */
  readonly switches: number;
  readonly tors: number;
  readonly spines: number;
  readonly gpus: number;
  readonly nics: number;
  /** Cables: CXL plus network links (host-internal PCIe not counted). */
  readonly links: number;
  readonly cxlLinks: number;
  readonly networkLinks: number;
  readonly racks: number;
  readonly nodeCounts: Readonly<Record<NodeKind, number>>;
  /** Ports per kind of equipment: host CXL ports, device ports, switch ports, ToR/spine ports. */
  readonly ports: {
    readonly hostCxl: PortUse;
    readonly device: PortUse;
    readonly cxlSwitch: PortUse;
    readonly network: PortUse;
  };
  /** Host pairs that share at least one memory device, and their fraction of all pairs. */
  readonly sharingPairs: number;
  readonly hostPairs: number;
  readonly pairSharingFraction: number;
  /** Distribution of relay hops between host pairs (see file header). */
  readonly relayHops: RelayHops;
  /** Pooled CXL memory each host reaches (excluding its local DRAM). */
  readonly reachableMemory: ReachSpread['reachableMemory'];
  /** Memory devices each host reaches. */
  readonly reachableDevices: ReachSpread['reachableDevices'];
  readonly pooledCapacityBytes: Bytes;
  readonly localDramBytes: Bytes;
  readonly cables: {
    readonly cxl: LengthStats;
    readonly network: LengthStats;
    /** CXL cables longer than copper reach (they carry retimers). */
    readonly cxlBeyondCopperReach: number;
    readonly retimers: number;
  };
  readonly bom: readonly BomLine[];
  /** Copper reach of a CXL cable in this topology's component profile. */
  readonly copperReachM: Metres;
  /** Longest CXL cable (0 without CXL cables). */
  readonly longestCableM: Metres;
  /** Retimers on all CXL cables. */
  readonly retimers: number;
  /** Whether every CXL cable fits copper reach, so no retimer is needed (docs/layout.md). */
  readonly fitsReach: boolean;
}

function lengthStats(lengths: number[]): LengthStats {
  lengths.sort((a, b) => a - b);
  const n = lengths.length;
  const total = lengths.reduce((s, x) => s + x, 0);
  const median =
    n === 0
      ? 0
      : n % 2 === 1
        ? (lengths[(n - 1) / 2] ?? 0)
        : ((lengths[n / 2 - 1] ?? 0) + (lengths[n / 2] ?? 0)) / 2;
  const r = (x: number): Metres => metres(Number(x.toFixed(4)));
  return {
    count: n,
    minM: r(lengths[0] ?? 0),
    medianM: r(median),
    maxM: r(lengths[n - 1] ?? 0),
    totalM: r(total),
  };
}

/**
 * Computes the inspect metrics of a topology. Does not mutate the graph.
 * @param options.relayWorkBudget BFS edge visits allowed for exact relay hops (default {@link RELAY_EXACT_WORK})
 */
export function topologyMetrics(
  graph: TopologyGraph,
  options: { relayWorkBudget?: number } = {},
): TopologyMetrics {
  const bomCounts = new Map<string, number>();
  const nodes = countNodes(graph, bomCounts);
  const cables = countCables(graph, bomCounts);
  const reach = cxlReach(graph);
  const n = reach.hosts.length;
  const groups = deviceGroups(reach);
  const sharingOrdered = sharingOrderedPairs(groups, n);
  const hostPairs = (n * (n - 1)) / 2;
  const c = (k: NodeKind): number => nodes.nodeCounts[k];
  return {
    name: graph.getAttribute('name'),
    family: graph.getAttribute('family'),
    description: graph.getAttribute('description'),
    hosts: c('host'),
    devices: c('mhd') + c('memory-device'),
    mhds: c('mhd'),
    memoryDevices: c('memory-device'),
    switches: c('cxl-switch'),
    tors: c('tor'),
    spines: c('spine'),
    gpus: c('gpu'),
    nics: c('nic'),
    links: cables.cxlLengths.length + cables.netLengths.length,
    cxlLinks: cables.cxlLengths.length,
    networkLinks: cables.netLengths.length,
    racks: graph.getAttribute('layout').racks,
    nodeCounts: nodes.nodeCounts,
    ports: nodes.ports,
    sharingPairs: sharingOrdered / 2,
    hostPairs,
    pairSharingFraction: hostPairs === 0 ? 0 : sharingOrdered / 2 / hostPairs,
    relayHops: relayHops(groups, n, options.relayWorkBudget ?? RELAY_EXACT_WORK),
    ...reachSpread(graph, reach),
    pooledCapacityBytes: bytes(nodes.pooled),
    localDramBytes: bytes(nodes.localDram),
    cables: {
      cxl: lengthStats(cables.cxlLengths),
      network: lengthStats(cables.netLengths),
      cxlBeyondCopperReach: cables.beyond,
      retimers: cables.retimers,
    },
    bom: [...bomCounts.entries()].map(([item, count]) => ({ item, count })),
    copperReachM: graph.getAttribute('components').copperReachM,
    longestCableM: metres(Number(cables.cxlLengths.reduce((a, x) => Math.max(a, x), 0).toFixed(4))),
    retimers: cables.retimers,
    fitsReach: cables.beyond === 0 && cables.retimers === 0,
  };
}

/** Adds `n` of `item` to the bill of materials. */
function addBom(bomCounts: Map<string, number>, item: string, n = 1): void {
  bomCounts.set(item, (bomCounts.get(item) ?? 0) + n);
}

/** Node counts, ports used and total, local DRAM and pooled capacity; adds each node to the bill of materials. */
function countNodes(
  graph: TopologyGraph,
  bomCounts: Map<string, number>,
): {
  nodeCounts: Record<NodeKind, number>;
  ports: TopologyMetrics['ports'];
  localDram: number;
  pooled: number;
} {
  const bom = (item: string, n = 1): void => addBom(bomCounts, item, n);
  const nodeCounts = Object.fromEntries(NODE_KINDS.map((k) => [k, 0])) as Record<NodeKind, number>;
  const ports = {
    hostCxl: { used: 0, total: 0 },
    device: { used: 0, total: 0 },
    cxlSwitch: { used: 0, total: 0 },
    network: { used: 0, total: 0 },
  };
  let localDram = 0;
  let pooled = 0;
  graph.forEachNode((id, a) => {
    nodeCounts[a.kind]++;
    let cxl = 0;
    let net = 0;
    graph.forEachEdge(id, (_e, l) => {
      if (l.kind === 'cxl') cxl++;
      else if (l.kind === 'network') net++;
    });
    switch (a.kind) {
      case 'host':
        ports.hostCxl.used += cxl;
        ports.hostCxl.total += a.cxlPorts;
        localDram += a.localDramBytes;
        bom(`host (${a.sockets}-socket, ${a.cxlPorts} CXL ports)`);
        break;
      case 'gpu':
        bom(`GPU ${a.model}`);
        break;
      case 'nic':
        bom(`RDMA NIC ${(a.rateBytesPerNs * 8).toFixed(0)} Gb/s`);
        break;
      case 'mhd':
      case 'memory-device':
        ports.device.used += cxl;
        ports.device.total += a.ports;
        pooled += a.capacityBytes;
        bom(
          a.kind === 'mhd'
            ? `MHD ${a.ports}-port ${Math.round(a.capacityBytes / 2 ** 30)} GiB`
            : `CXL memory device ${Math.round(a.capacityBytes / 2 ** 30)} GiB`,
        );
        break;
      case 'cxl-switch':
        ports.cxlSwitch.used += cxl;
        ports.cxlSwitch.total += a.ports;
        bom(`CXL switch ${a.ports}-port`);
        break;
      case 'tor':
      case 'spine':
        ports.network.used += net;
        ports.network.total += a.ports;
        bom(`${a.kind === 'tor' ? 'ToR' : 'spine'} switch ${a.ports}-port`);
        break;
    }
  });

  return { nodeCounts, ports, localDram, pooled };
}

/** Cable lengths, retimers and CXL cables beyond copper reach; adds each cable to the bill of materials. */
function countCables(
  graph: TopologyGraph,
  bomCounts: Map<string, number>,
): { cxlLengths: number[]; netLengths: number[]; retimers: number; beyond: number } {
  const bom = (item: string, n = 1): void => addBom(bomCounts, item, n);
  const profile = graph.getAttribute('components');
  const cxlLengths: number[] = [];
  const netLengths: number[] = [];
  let retimers = 0;
  let beyond = 0;
  graph.forEachEdge((_e, l) => {
    if (l.kind === 'cxl') {
      cxlLengths.push(l.lengthM);
      retimers += l.retimers;
      if (l.lengthM > profile.copperReachM) beyond++;
      bom(`CXL cable x${l.lanes}${l.retimers > 0 ? ' with retimer' : ' copper'}`);
    } else if (l.kind === 'network') {
      netLengths.push(l.lengthM);
      bom(
        `${l.protocol === 'infiniband' ? 'InfiniBand' : 'Ethernet'} cable ${(l.bandwidthBytesPerNs * 8).toFixed(0)} Gb/s`,
      );
    }
  });
  if (retimers > 0) bom('CXL retimer', retimers);

  return { cxlLengths, netLengths, retimers, beyond };
}
