/**
 * Which memory devices each host reaches over CXL and what follows from it for
 * `podsim topology inspect` (src/topology/metrics.ts gives the definitions): the host–device
 * reach, devices merged into groups that serve identical host sets, the pooled memory and
 * devices per host, the host pairs that share a device, and the relay hops between hosts by
 * breadth-first search over the groups — exact within {@link RELAY_EXACT_WORK}, sampled beyond.
 */
import type { Bytes } from '../units/index.ts';
import { bytes } from '../units/index.ts';
import { nodeId, nodeKey } from './keys.ts';
import type { TopologyGraph } from './types.ts';

/** Work budget (BFS edge visits) for exact all-pairs relay hops; larger pods are sampled. */
export const RELAY_EXACT_WORK = 40_000_000;

/** Per host: the memory devices it reaches over CXL, as indices into `devices`. */
export interface CxlReach {
  /** Host ids (decoded from graph keys), in graph order. */
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
  graph.forEachNode((key, a) => {
    if (a.kind === 'host') hosts.push(nodeId(key));
    else if (a.kind === 'mhd' || a.kind === 'memory-device') {
      deviceIndex.set(key, devices.length);
      devices.push(nodeId(key));
    }
  });
  const hostStart = new Int32Array(hosts.length + 1);
  const out: number[] = [];
  const seen = new Set<string>();
  hosts.forEach((h, i) => {
    hostStart[i] = out.length;
    seen.clear();
    const stack = [nodeKey(h)];
    seen.add(nodeKey(h));
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

/** Distribution of relay hops between host pairs (see src/topology/metrics.ts). */
export interface RelayHops {
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
}

/** Pooled CXL memory (excluding local DRAM) and memory devices each host reaches. */
export interface ReachSpread {
  readonly reachableMemory: {
    readonly minBytes: Bytes;
    readonly meanBytes: Bytes;
    readonly maxBytes: Bytes;
  };
  readonly reachableDevices: { readonly min: number; readonly mean: number; readonly max: number };
}

/** Device groups: devices serving identical host sets merged; CSR both ways. */
export interface Groups {
  readonly count: number;
  readonly hostStart: Int32Array;
  readonly hostGroups: Int32Array;
  readonly groupStart: Int32Array;
  readonly groupHosts: Int32Array;
}

/** Merges devices that serve identical host sets into groups, with CSR offsets both ways. */
export function deviceGroups(reach: CxlReach): Groups {
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

/** Minimum, mean and maximum of the pooled memory and devices each host reaches. */
export function reachSpread(graph: TopologyGraph, reach: CxlReach): ReachSpread {
  const n = reach.hosts.length;
  const caps = reach.devices.map((d) => {
    const a = graph.getNodeAttributes(nodeKey(d));
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

  return {
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
  };
}

/** Ordered host pairs (a→b, a ≠ b) that share at least one device group (relay level 0). */
export function sharingOrderedPairs(groups: Groups, n: number): number {
  const mark = new Int32Array(n).fill(-1);
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
  return sharingOrdered;
}

/**
 * Relay hops from every host (or, beyond `budget` units of work, from evenly spaced sample
 * hosts) by breadth-first search over the device groups.
 */
export function relayHops(groups: Groups, n: number, budget: number): RelayHops {
  const mark = new Int32Array(n).fill(-1);
  const groupMark = new Int32Array(groups.count).fill(-1);
  const incidence = groups.groupHosts.length + groups.hostGroups.length;
  const exact = n * Math.max(1, incidence) <= budget;
  const sources = exact ? n : Math.max(1, Math.min(n, Math.floor(budget / Math.max(1, incidence))));
  const byHops: number[] = [];
  let unreachable = 0;
  let hopSum = 0;
  let hopPairs = 0;
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
  return {
    byHops: Array.from({ length: byHops.length }, (_, k) => byHops[k] ?? 0),
    unreachable,
    maxHops: Math.max(0, byHops.length - 1),
    meanHops: hopPairs === 0 ? 0 : hopSum / hopPairs,
    sampledSources: sources,
    exact,
  };
}
