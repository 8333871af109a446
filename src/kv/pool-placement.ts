/**
 * Where the KV-cache pool puts a new object (docs/design.md: `KvPool`): turns the configured
 * {@link PlacementPolicy} into a plan — per replica, the groups of locations it is striped over
 * and the whole bytes per stripe — or a reason the object can never fit. Falls back to the
 * producer's DRAM when it reaches no device. The pool (src/kv/pool.ts) evicts from and writes to
 * the planned locations; the device sets each producer reaches are cached here until `forget`.
 */
import type { Fabric } from '../fabric/compile.ts';
import { cxlPaths } from '../fabric/paths.ts';
import type { Group } from './pool-groups.ts';
import type { PoolLocations } from './pool-locations.ts';
import type { PlacementPolicy, PoolConfig } from './pool-types.ts';

/** A placement decision: per replica, its groups and whole bytes per stripe. */
export type Plan =
  | {
      readonly ok: true;
      readonly replicas: readonly (readonly Group[])[];
      readonly stripeBytes: readonly number[];
      readonly applied: PlacementPolicy['kind'];
      readonly note?: string;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly applied: PlacementPolicy['kind'];
      readonly note?: string;
    };

/** Groups of one producer's replicas, and a note when fewer than asked could be formed. */
interface ReplicaGroups {
  readonly groups: readonly Group[];
  readonly note?: string;
}

/** Plans placements on one pool's locations. */
export class PoolPlacer {
  /** Per producer node: devices reached, its stripe group, its replica groups (static until `forget`). */
  private readonly reachCache = new Map<number, number[]>();
  private readonly stripeCache = new Map<number, Group>();
  private readonly replicaCache = new Map<number, ReplicaGroups>();

  constructor(
    private readonly fabric: Fabric,
    private readonly config: PoolConfig,
    private readonly at: PoolLocations,
  ) {}

  /** Drops the cached reach and groups (after locations are lost). */
  forget(): void {
    this.reachCache.clear();
    this.stripeCache.clear();
    this.replicaCache.clear();
  }

  /** Plans where an object of `total` bytes produced on host node `h` goes. */
  plan(h: number, total: number): Plan {
    const p = this.config.placement;
    const producer = this.fabric.nodes[h] ?? '';
    if (this.fabric.nodeUp[h] === 0 || this.at.up[this.at.hostLoc[h] ?? 0] === 0)
      return { ok: false, reason: `producer ${producer} is out of service`, applied: p.kind };
    if (p.kind === 'host-memory') return this.hostPlan(h, p.memory, total, 'host-memory');
    if (p.kind === 'spread') return this.spreadPlan(h, p.devices, total);
    const reach = this.reached(h);
    if (reach.length === 0)
      return this.hostPlan(
        h,
        'dram',
        total,
        'host-memory',
        `${producer} reaches no memory device in service; placed in its DRAM (host-memory fallback)`,
      );
    if (p.kind === 'local') return this.localPlan(reach, total, producer);
    let groups: readonly Group[];
    let note: string | undefined;
    if (p.kind === 'stripe') {
      let g = this.stripeCache.get(h);
      if (g === undefined) {
        g = this.at.group(reach);
        this.stripeCache.set(h, g);
      }
      groups = [g];
    } else ({ groups, note } = this.replicaGroups(h, p.count));
    return this.groupsPlan(groups, total, p.kind, note);
  }

  /** `spread`: the `devices` least-used devices of the pod that can hold a stripe. */
  private spreadPlan(h: number, devices: number, total: number): Plan {
    const at = this.at;
    let devicesUp = 0;
    for (const loc of at.deviceLocs)
      if (at.up[loc] === 1 && (at.capacity[loc] ?? 0) > 0) devicesUp++;
    if (devicesUp === 0)
      return this.hostPlan(
        h,
        'dram',
        total,
        'host-memory',
        `the pod has no memory device in service; placed in ${this.fabric.nodes[h] ?? ''}'s DRAM (host-memory fallback)`,
      );
    const n = Math.min(devices, devicesUp);
    const stripe = Math.ceil(total / n);
    const best: number[] = [];
    for (const loc of at.deviceLocs) {
      if (at.up[loc] === 0 || (at.capacity[loc] ?? 0) < stripe) continue;
      if (best.length === n && !at.lessUsed(loc, best[n - 1] ?? 0)) continue;
      let i = best.length === n ? n - 1 : best.length;
      while (i > 0 && at.lessUsed(loc, best[i - 1] ?? 0)) {
        best[i] = best[i - 1] ?? 0;
        i--;
      }
      best[i] = loc;
    }
    if (best.length < n)
      return {
        ok: false,
        reason: `${Math.ceil(total)} B striped over ${n} devices needs ${stripe} B on each; only ${best.length} devices can ever hold that`,
        applied: 'spread',
      };
    const note =
      n < devices
        ? `only ${n} memory devices in service; striped over ${n} instead of ${devices}`
        : undefined;
    // Spread sets change with every insert: one single-location group per stripe.
    return {
      ok: true,
      replicas: [best.map((loc) => at.group([loc]))],
      stripeBytes: [stripe],
      applied: 'spread',
      ...(note === undefined ? {} : { note }),
    };
  }

  /** `local`: the least-used reached device that can hold the whole object. */
  private localPlan(reach: readonly number[], total: number, producer: string): Plan {
    const at = this.at;
    let best = -1;
    const size = Math.ceil(total);
    for (const loc of reach)
      if ((at.capacity[loc] ?? 0) >= size && (best < 0 || at.lessUsed(loc, best))) best = loc;
    if (best < 0)
      return {
        ok: false,
        reason: `${size} B is larger than every device ${producer} reaches`,
        applied: 'local',
      };
    return { ok: true, replicas: [[at.group([best])]], stripeBytes: [size], applied: 'local' };
  }

  /** `stripe` and `replicas`: one replica per group, striped equally over its devices. */
  private groupsPlan(
    groups: readonly Group[],
    total: number,
    applied: PlacementPolicy['kind'],
    note: string | undefined,
  ): Plan {
    const at = this.at;
    const stripeBytes: number[] = [];
    for (const g of groups) {
      const stripe = Math.ceil(total / g.locs.length);
      for (const loc of g.locs) {
        if ((at.capacity[loc] ?? 0) < stripe)
          return {
            ok: false,
            reason: `a stripe of ${stripe} B is larger than device ${at.locIds[loc]} (${at.capacity[loc]} B)`,
            applied,
          };
      }
      stripeBytes.push(stripe);
    }
    return {
      ok: true,
      replicas: groups.map((g) => [g]),
      stripeBytes,
      applied,
      ...(note === undefined ? {} : { note }),
    };
  }

  private hostPlan(
    h: number,
    memory: 'dram' | 'gpu',
    total: number,
    applied: PlacementPolicy['kind'],
    note?: string,
  ): Plan {
    const at = this.at;
    const loc = (at.hostLoc[h] ?? 0) + (memory === 'gpu' ? 1 : 0);
    const size = Math.ceil(total);
    const extra = note === undefined ? {} : { note };
    if ((at.capacity[loc] ?? 0) < size) {
      const knob = memory === 'gpu' ? 'gpuCacheFraction' : 'hostDramFraction';
      return {
        ok: false,
        reason: `${size} B is larger than ${at.locIds[loc]} (${at.capacity[loc]} B; ${knob} = ${this.config[knob]})`,
        applied,
        ...extra,
      };
    }
    return { ok: true, replicas: [[at.group([loc])]], stripeBytes: [size], applied, ...extra };
  }

  /** In-service device locations host node `h` reaches over CXL, in fabric path order (cached until `forget`). */
  private reached(h: number): number[] {
    const hit = this.reachCache.get(h);
    if (hit !== undefined) return hit;
    const at = this.at;
    const out: number[] = [];
    for (const p of cxlPaths(this.fabric, h)) {
      const loc = at.deviceLoc[p.device] ?? -1;
      if (loc >= 0 && at.up[loc] === 1 && (at.capacity[loc] ?? 0) > 0) out.push(loc);
    }
    this.reachCache.set(h, out);
    return out;
  }

  /**
   * Groups of up to `count` replicas for producer `h`: its own reach first; each further replica is
   * striped over the devices of another host's reach that no earlier replica uses. The other host
   * is the one adding the most such devices, then the one whose devices carry the fewest further
   * replicas already (so partners spread over the pod instead of piling onto a few devices), then
   * the nearest after the producer in host order. Computed for every producer at once, in host
   * order, so the result does not depend on the order of inserts; cached until `forget`.
   */
  private replicaGroups(h: number, count: number): ReplicaGroups {
    if (this.replicaCache.size === 0) {
      const hosts = this.fabric.hosts;
      const load = new Float64Array(this.at.locs.length);
      for (let me = 0; me < hosts.length; me++) this.replicaSetsOf(me, count, load);
    }
    return this.replicaCache.get(h) ?? { groups: [this.at.group(this.reached(h))] };
  }

  /** Forms and caches the replica groups of the `me`-th host, adding its partners to `load`. */
  private replicaSetsOf(me: number, count: number, load: Float64Array): void {
    const hosts = this.fabric.hosts;
    const p = hosts[me] ?? 0;
    const own = this.reached(p);
    if (own.length === 0) return;
    const usedDevs = new Set<number>(own);
    const sets: (readonly number[])[] = [own];
    const taken = new Set<number>([p]);
    while (sets.length < count) {
      let bestHost = -1;
      let bestSet: number[] = [];
      let bestLoad = Number.POSITIVE_INFINITY;
      for (let k = 1; k < hosts.length; k++) {
        const other = hosts[(me + k) % hosts.length] ?? 0;
        if (taken.has(other)) continue;
        const fresh = this.reached(other).filter((d) => !usedDevs.has(d));
        if (fresh.length === 0 || fresh.length < bestSet.length) continue;
        let l = 0;
        for (const d of fresh) l += load[d] ?? 0;
        l /= fresh.length;
        if (fresh.length > bestSet.length || l < bestLoad) {
          bestHost = other;
          bestSet = fresh;
          bestLoad = l;
        }
      }
      if (bestHost < 0) break;
      taken.add(bestHost);
      sets.push(bestSet);
      for (const d of bestSet) {
        usedDevs.add(d);
        load[d] = (load[d] ?? 0) + 1;
      }
    }
    const groups = sets.map((x) => this.at.group(x));
    const note =
      sets.length < count
        ? `only ${sets.length} of ${count} replicas: no other host reaches a device the earlier replicas do not use`
        : undefined;
    this.replicaCache.set(p, note === undefined ? { groups } : { groups, note });
  }
}
