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
import type { NodeKind, TopologyGraph } from './types.ts';
import { NODE_KINDS } from './types.ts';

/** Work budget (BFS edge visits) for exact all-pairs relay hops; larger pods are sampled. */
export const RELAY_EXACT_WORK = 40_000_000;

/** Per host: the memory devices it reaches over CXL, as indices into `devices`. */
export interface CxlReach {
  /** Host ids, in graph order. */
  readonly hosts: readonly string[];
  /** Memory device ids (MHDs and devices behind switches), in graph order. */
  readonly devices: readonly string[];
  /** CSR offsets: devices reached by host i are `hostDevices[hostStart[i] … hostStart[i+1])`. */
  readonly hostStart: Int32Array;
  readonly hostDevices: Int32Array;
}

/**
 * Which memory devices each host reaches over CXL (through switches, never through hosts).
 * Does not mutate the graph.
 */
export function cxlReach(graph: TopologyGraph): CxlReach {
  const hosts: string[] = [];
  const devices: string[] = [];
  const deviceIndex = new Map<string, number>();
  graph.forEachNode((id, a) => {
    if (a.kind === 'host') hosts.push(id);
    else if (a.kind === 'mhd' || a.kind === 'memory-device') {
      deviceIndex.set(id, devices.length);
      devices.push(id);
    }
  });
  const hostStart = new Int32Array(hosts.length + 1);
  const out: number[] = [];
  const seen = new Set<string>();
  hosts.forEach((h, i) => {
    hostStart[i] = out.length;
    seen.clear();
    const stack = [h];
    seen.add(h);
    while (stack.length > 0) {
      const v = stack.pop() as string;
      graph.forEachEdge(v, (_e, l, s, t) => {
        if (l.kind !== 'cxl') return;
        const n = s === v ? t : s;
        if (seen.has(n)) return;
        seen.add(n);
        const kind = graph.getNodeAttribute(n, 'kind');
        const d = deviceIndex.get(n);
        if (d !== undefined) out.push(d);
        else if (kind === 'cxl-switch') stack.push(n);
      });
    }
    const from = hostStart[i] ?? 0;
    const mine = out.splice(from).sort((a, b) => a - b);
    out.push(...mine);
  });
  hostStart[hosts.length] = out.length;
  return { hosts, devices, hostStart, hostDevices: Int32Array.from(out) };
}

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
  readonly relayHops: {
    /** `byHops[k]` = ordered pairs (a→b, a ≠ b) needing k relays, over the sources examined. */
    readonly byHops: readonly number[];
    /** Ordered pairs with no CXL chain at all (RDMA only), over the sources examined. */
    readonly unreachable: number;
    /** Largest relay count seen. */
    readonly maxHops: number;
    readonly meanHops: number;
    /** Source hosts examined; equals `hosts` when exact. */
    readonly sampledSources: number;
    readonly exact: boolean;
  };
  /** Pooled CXL memory each host reaches (excluding its local DRAM). */
  readonly reachableMemory: {
    readonly minBytes: Bytes;
    readonly meanBytes: Bytes;
    readonly maxBytes: Bytes;
  };
  /** Memory devices each host reaches. */
  readonly reachableDevices: { readonly min: number; readonly mean: number; readonly max: number };
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

/** Device groups: devices serving identical host sets merged; CSR both ways. */
interface Groups {
  readonly count: number;
  readonly hostStart: Int32Array;
  readonly hostGroups: Int32Array;
  readonly groupStart: Int32Array;
  readonly groupHosts: Int32Array;
}

function deviceGroups(reach: CxlReach): Groups {
  const nHosts = reach.hosts.length;
  const deviceHosts: number[][] = reach.devices.map(() => []);
  for (let h = 0; h < nHosts; h++)
    for (let k = reach.hostStart[h] ?? 0; k < (reach.hostStart[h + 1] ?? 0); k++)
      deviceHosts[reach.hostDevices[k] ?? 0]?.push(h);
  const groupOf = new Map<string, number>();
  const groupHostsList: number[][] = [];
  const deviceGroup = new Int32Array(reach.devices.length).fill(-1);
  deviceHosts.forEach((hs, d) => {
    if (hs.length === 0) return;
    const key = hs.join(',');
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groupHostsList.length;
      groupOf.set(key, g);
      groupHostsList.push(hs);
    }
    deviceGroup[d] = g;
  });
  const hostGroupsList: number[][] = Array.from({ length: nHosts }, () => []);
  groupHostsList.forEach((hs, g) => {
    for (const h of hs) hostGroupsList[h]?.push(g);
  });
  const csr = (lists: number[][]): [Int32Array, Int32Array] => {
    const start = new Int32Array(lists.length + 1);
    let total = 0;
    lists.forEach((l, i) => {
      start[i] = total;
      total += l.length;
    });
    start[lists.length] = total;
    return [start, Int32Array.from(lists.flat())];
  };
  const [hostStart, hostGroups] = csr(hostGroupsList);
  const [groupStart, groupHosts] = csr(groupHostsList);
  return { count: groupHostsList.length, hostStart, hostGroups, groupStart, groupHosts };
}

/**
 * Computes the inspect metrics of a topology. Does not mutate the graph.
 * @param options.relayWorkBudget BFS edge visits allowed for exact relay hops (default {@link RELAY_EXACT_WORK})
 */
export function topologyMetrics(
  graph: TopologyGraph,
  options: { relayWorkBudget?: number } = {},
): TopologyMetrics {
  const nodeCounts = Object.fromEntries(NODE_KINDS.map((k) => [k, 0])) as Record<NodeKind, number>;
  const ports = {
    hostCxl: { used: 0, total: 0 },
    device: { used: 0, total: 0 },
    cxlSwitch: { used: 0, total: 0 },
    network: { used: 0, total: 0 },
  };
  let localDram = 0;
  let pooled = 0;
  const bomCounts = new Map<string, number>();
  const bom = (item: string, n = 1): void => {
    bomCounts.set(item, (bomCounts.get(item) ?? 0) + n);
  };
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

  // ---- sharing and relay hops ----
  const reach = cxlReach(graph);
  const n = reach.hosts.length;
  const groups = deviceGroups(reach);
  const caps = reach.devices.map((d) => {
    const a = graph.getNodeAttributes(d);
    return a.kind === 'mhd' || a.kind === 'memory-device' ? a.capacityBytes : 0;
  });
  let minMem = Number.POSITIVE_INFINITY;
  let maxMem = 0;
  let sumMem = 0;
  let minDev = Number.POSITIVE_INFINITY;
  let maxDev = 0;
  for (let h = 0; h < n; h++) {
    let mem = 0;
    const from = reach.hostStart[h] ?? 0;
    const to = reach.hostStart[h + 1] ?? 0;
    for (let k = from; k < to; k++) mem += caps[reach.hostDevices[k] ?? 0] ?? 0;
    minMem = Math.min(minMem, mem);
    maxMem = Math.max(maxMem, mem);
    sumMem += mem;
    minDev = Math.min(minDev, to - from);
    maxDev = Math.max(maxDev, to - from);
  }

  // Level 0 for every host (exact pair sharing), full BFS for the chosen sources.
  const mark = new Int32Array(n).fill(-1);
  const groupMark = new Int32Array(groups.count).fill(-1);
  let sharingOrdered = 0;
  for (let h = 0; h < n; h++) {
    mark[h] = h;
    for (let k = groups.hostStart[h] ?? 0; k < (groups.hostStart[h + 1] ?? 0); k++) {
      const g = groups.hostGroups[k] ?? 0;
      for (let j = groups.groupStart[g] ?? 0; j < (groups.groupStart[g + 1] ?? 0); j++) {
        const o = groups.groupHosts[j] ?? 0;
        if (mark[o] !== h) {
          mark[o] = h;
          sharingOrdered++;
        }
      }
    }
  }
  const incidence = groups.groupHosts.length + groups.hostGroups.length;
  const budget = options.relayWorkBudget ?? RELAY_EXACT_WORK;
  const exact = n * Math.max(1, incidence) <= budget;
  const sources = exact ? n : Math.max(1, Math.min(n, Math.floor(budget / Math.max(1, incidence))));
  const byHops: number[] = [];
  let unreachable = 0;
  let hopSum = 0;
  let hopPairs = 0;
  mark.fill(-1);
  groupMark.fill(-1);
  const dist = new Int32Array(n);
  const queue = new Int32Array(n);
  for (let s = 0; s < sources; s++) {
    const src = exact ? s : Math.floor((s * n) / sources);
    let head = 0;
    let tail = 0;
    queue[tail++] = src;
    mark[src] = s;
    dist[src] = -1;
    let reached = 0;
    while (head < tail) {
      const v = queue[head++] ?? 0;
      const dv = dist[v] ?? 0;
      for (let k = groups.hostStart[v] ?? 0; k < (groups.hostStart[v + 1] ?? 0); k++) {
        const g = groups.hostGroups[k] ?? 0;
        if (groupMark[g] === s) continue;
        groupMark[g] = s;
        for (let j = groups.groupStart[g] ?? 0; j < (groups.groupStart[g + 1] ?? 0); j++) {
          const o = groups.groupHosts[j] ?? 0;
          if (mark[o] === s) continue;
          mark[o] = s;
          dist[o] = dv + 1;
          queue[tail++] = o;
          reached++;
          const hops = dv + 1;
          byHops[hops] = (byHops[hops] ?? 0) + 1;
          hopSum += hops;
          hopPairs++;
        }
      }
    }
    unreachable += n - 1 - reached;
  }
  const hostPairs = (n * (n - 1)) / 2;
  const c = (k: NodeKind): number => nodeCounts[k];
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
    links: cxlLengths.length + netLengths.length,
    cxlLinks: cxlLengths.length,
    networkLinks: netLengths.length,
    racks: graph.getAttribute('layout').racks,
    nodeCounts,
    ports,
    sharingPairs: sharingOrdered / 2,
    hostPairs,
    pairSharingFraction: hostPairs === 0 ? 0 : sharingOrdered / 2 / hostPairs,
    relayHops: {
      byHops: Array.from({ length: byHops.length }, (_, k) => byHops[k] ?? 0),
      unreachable,
      maxHops: Math.max(0, byHops.length - 1),
      meanHops: hopPairs === 0 ? 0 : hopSum / hopPairs,
      sampledSources: sources,
      exact,
    },
    reachableMemory: {
      minBytes: bytes(n === 0 ? 0 : minMem),
      meanBytes: bytes(n === 0 ? 0 : sumMem / n),
      maxBytes: bytes(maxMem),
    },
    reachableDevices: {
      min: n === 0 ? 0 : minDev,
      mean: n === 0 ? 0 : reach.hostDevices.length / n,
      max: maxDev,
    },
    pooledCapacityBytes: bytes(pooled),
    localDramBytes: bytes(localDram),
    cables: {
      cxl: lengthStats(cxlLengths),
      network: lengthStats(netLengths),
      cxlBeyondCopperReach: beyond,
      retimers,
    },
    bom: [...bomCounts.entries()].map(([item, count]) => ({ item, count })),
  };
}
