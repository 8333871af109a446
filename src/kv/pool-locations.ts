/**
 * Where the KV-cache pool can put bytes (docs/design.md: `KvPool`): every memory device of the
 * fabric and, per host, a DRAM share and a GPU-memory share, kept as a struct of arrays indexed
 * by location number (capacity, bytes used, in service, tie-break rank), with the groups of
 * locations that objects occupy together. The pool (src/kv/pool.ts) and its placement
 * (src/kv/pool-placement.ts) read and update these arrays directly: they are the pool's state,
 * split out so each part reads on its own.
 */
import { InputError, type Issue } from '../errors/index.ts';
import type { Fabric } from '../fabric/compile.ts';
import { hostGpus } from '../fabric/paths.ts';
import { newGroup, type Group } from './pool-groups.ts';
import { locationId, type Location, type PoolConfig } from './pool-types.ts';

/** Natural order of ids: digit runs compare as numbers ("d2" < "d10"), then plain text. */
export function compareIds(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    }
    return x < y ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The pool's locations and groups on one fabric. */
export class PoolLocations {
  readonly locs: Location[] = [];
  readonly locIds: string[] = [];
  readonly locById = new Map<string, number>();
  readonly capacity: Float64Array;
  readonly used: Float64Array;
  readonly up: Uint8Array;
  /** Tie-break rank of each location: natural order of its id. */
  readonly rank: Int32Array;
  /** Locations in id order. */
  readonly byRank: number[];
  /** Location of each memory-device node, −1 for other nodes. */
  readonly deviceLoc: Int32Array;
  /** DRAM location of each host node (GPU location = DRAM location + 1), −1 for other nodes. */
  readonly hostLoc: Int32Array;
  readonly deviceLocs: number[] = [];
  /** Every group, by its locations joined with commas. */
  private readonly groups = new Map<string, Group>();
  /** Groups containing each location. */
  readonly groupsAt: Group[][] = [];
  private readonly caps: number[] = [];
  private readonly ups: number[] = [];

  /**
   * Lists `fabric`'s locations: every memory device (capacity `capacityBytes`, 0 when out of
   * service) and per host a DRAM share (`hostDramFraction × localDramBytes`) and a GPU-memory
   * share (`gpuCacheFraction × Σ hbmBytes` of its GPUs in service), both floored to whole bytes
   * and 0 for a host out of service.
   */
  constructor(
    private readonly fabric: Fabric,
    config: PoolConfig,
  ) {
    const n = fabric.nodes.length;
    this.deviceLoc = new Int32Array(n).fill(-1);
    this.hostLoc = new Int32Array(n).fill(-1);
    for (let v = 0; v < n; v++) {
      const a = fabric.nodeAttrs[v];
      if (a === undefined) continue;
      if (a.kind === 'mhd' || a.kind === 'memory-device') {
        const i = this.add(
          { kind: 'device', device: fabric.nodes[v] ?? '' },
          a.capacityBytes,
          fabric.nodeUp[v] === 1,
        );
        this.deviceLoc[v] = i;
        this.deviceLocs.push(i);
      } else if (a.kind === 'host') {
        const host = fabric.nodes[v] ?? '';
        const upNow = fabric.nodeUp[v] === 1;
        let hbm = 0;
        for (const g of hostGpus(fabric, v)) {
          const ga = fabric.nodeAttrs[g];
          if (ga?.kind === 'gpu') hbm += ga.hbmBytes;
        }
        this.hostLoc[v] = this.add(
          { kind: 'host', host, memory: 'dram' },
          Math.floor(config.hostDramFraction * a.localDramBytes),
          upNow,
        );
        this.add(
          { kind: 'host', host, memory: 'gpu' },
          Math.floor(config.gpuCacheFraction * hbm),
          upNow,
        );
      }
    }
    const m = this.locs.length;
    this.capacity = Float64Array.from(this.caps);
    this.used = new Float64Array(m);
    this.up = Uint8Array.from(this.ups);
    this.rank = new Int32Array(m);
    this.byRank = [...this.locIds.keys()].sort((x, y) =>
      compareIds(this.locIds[x] ?? '', this.locIds[y] ?? ''),
    );
    this.byRank.forEach((loc, r) => (this.rank[loc] = r));
  }

  private add(l: Location, cap: number, upNow: boolean): number {
    const i = this.locs.length;
    this.locs.push(Object.freeze(l));
    const id = locationId(l);
    this.locIds.push(id);
    this.locById.set(id, i);
    this.caps.push(upNow ? cap : 0);
    this.ups.push(upNow ? 1 : 0);
    this.groupsAt.push([]);
    return i;
  }

  /**
   * The number of a location.
   * @throws InputError when the location is not one of this pool's
   */
  index(l: Location): number {
    const id = locationId(l);
    const i = this.locById.get(id);
    if (i === undefined) {
      throw new InputError([
        {
          code: 'pool.unknown-location',
          path: ['location'],
          message: `"${id}" is not a location of the pool on ${this.fabric.graph.getAttribute('name')} (devices like "d3", host memories like "h5:dram", "h5:gpu")`,
        },
      ]);
    }
    return i;
  }

  /** Free bytes of a location. */
  free(loc: number): number {
    return (this.capacity[loc] ?? 0) - (this.used[loc] ?? 0);
  }

  /** Whether `a` is less used than `b`: more free bytes, ties by id. */
  lessUsed(a: number, b: number): boolean {
    const fa = this.free(a);
    const fb = this.free(b);
    return fa > fb || (fa === fb && (this.rank[a] ?? 0) < (this.rank[b] ?? 0));
  }

  /** The group of exactly these locations, in this order (created on first use). */
  group(locs: readonly number[]): Group {
    const key = locs.join(',');
    let g = this.groups.get(key);
    if (g === undefined) {
      g = newGroup(locs);
      this.groups.set(key, g);
      for (const loc of locs) this.groupsAt[loc]?.push(g);
    }
    return g;
  }

  /**
   * The locations of failed devices and hosts of fabric `f` (a host's DRAM and GPU shares).
   * @throws InputError naming every id that is not a device, switch or host of the fabric
   */
  failedLocations(
    f: Fabric,
    failures: {
      readonly devices?: readonly string[];
      readonly hosts?: readonly string[];
    },
  ): number[] {
    const { deviceLoc, hostLoc } = this;
    const failed: number[] = [];
    const issues: Issue[] = [];
    (failures.devices ?? []).forEach((id, k) => {
      const v = f.nodeIndex.get(id);
      const kind = v === undefined ? undefined : f.nodeKind[v];
      if (
        v === undefined ||
        kind === undefined ||
        !['mhd', 'memory-device', 'cxl-switch', 'tor', 'spine'].includes(kind)
      ) {
        issues.push({
          code: 'failure.unknown',
          path: ['devices', k],
          message: `"${id}" is not a memory device or switch of ${f.graph.getAttribute('name')}`,
        });
      } else if ((deviceLoc[v] ?? -1) >= 0) failed.push(deviceLoc[v] ?? 0);
    });
    (failures.hosts ?? []).forEach((id, k) => {
      const v = f.nodeIndex.get(id);
      if (v === undefined || f.nodeKind[v] !== 'host')
        issues.push({
          code: 'failure.unknown',
          path: ['hosts', k],
          message: `"${id}" is not a host of ${f.graph.getAttribute('name')}`,
        });
      else failed.push(hostLoc[v] ?? 0, (hostLoc[v] ?? 0) + 1);
    });
    if (issues.length > 0) throw new InputError(issues);
    return failed;
  }
}
