/**
 * The shared KV-cache pool (docs/design.md: `KvPool`). It holds cached objects keyed by
 * (model variant, context) — a variant's prefix KV cache for one context plus the E caches at
 * the transition layers a DroidSpeak partial-reuse plan may need (docs/references.md §3) — decides
 * where each object lives, keeps the bytes used per location within capacity, evicts, and
 * answers "where is (variant, context), or a related variant's cache of that context".
 *
 * **Locations** are the memory devices of a CXL pod (multi-headed devices and devices behind
 * switches) and, per host, a share of its DRAM and of its GPUs' HBM (RDMA fabrics keep caches
 * there; DroidSpeak keeps them in GPU memory). An object is stored as one or more *replicas*;
 * a replica is striped in equal whole-byte parts over its locations (`fetchCost` splits a fetch
 * the same way), and replicas of one object never share a location, so losing one location
 * costs at most one replica.
 *
 * **The invariant**: no location ever holds more bytes than its capacity. Placement picks the
 * locations first; eviction then frees exactly those locations, lowest priority first, where
 * priority is LRU (last use) or GDSF (GreedyDual-Size-Frequency, Cherkasova 1998: clock +
 * frequency × reuse value ÷ size). Objects that occupy the same set of locations together (the
 * devices one host stripes over, a replica's devices, one device or host memory) share a *group*
 * whose {@link IndexedMinHeap} (fabric/heap.ts) orders them; the next victim at a location is the
 * lowest head among the few groups that contain it. So insert, touch and evict cost O(replicas ×
 * log n + stripes), however wide the stripe, and a location never needs a scan of its objects.
 * Heap ids are per-group slots allocated in insertion order and compacted when half are dead, so
 * eviction ties go to the object stored first. Nothing is random.
 *
 * The planner turns a {@link Replica} into a `FetchSource` with {@link replicaSource} and asks the
 * fabric for the fetch cost; the simulator charges {@link InsertResult.writes} to the fabric.
 *
 * This file holds the pool's object index, insert, touch, loss and counters. Its parts:
 * pool-types.ts (the public vocabulary, re-exported here), pool-locations.ts (locations and
 * groups), pool-placement.ts (placement policies), pool-groups.ts (eviction heaps), pool-index.ts (lookups).
 * The class itself stays whole (≈ 350 lines of code): insert, eviction, touch and loss all update
 * the same private index, groups and counters, and a split would have to expose that state.
 */
import { InputError } from '../errors/index.ts';
import { requireNode, type Fabric } from '../fabric/compile.ts';
import { bytes, type Bytes } from '../units/index.ts';
import {
  addMember,
  dropMember,
  dropReplicas,
  lowestIn,
  type Entry,
  type Group,
  type Member,
  type ObjectRecord,
} from './pool-groups.ts';
import { PoolIndex } from './pool-index.ts';
import { PoolLocations } from './pool-locations.ts';
import { PoolPlacer, type Plan } from './pool-placement.ts';
import {
  cacheKey,
  POOL_DEFAULTS,
  validatePoolConfig,
  type CachedObject,
  type CacheEntryInput,
  type InsertResult,
  type Location,
  type LocationStats,
  type PoolConfig,
  type PoolStats,
  type Replica,
  type Stripe,
} from './pool-types.ts';

// The pool's vocabulary lives in pool-types.ts; re-exported so `kv/pool.ts` stays the one import.
export * from './pool-types.ts';

function requireFinite(what: string, v: number): void {
  if (!Number.isFinite(v) || v < 0)
    throw new RangeError(`${what} must be a finite number ≥ 0, got ${v}`);
}

/**
 * The shared KV-cache pool on one compiled fabric.
 *
 * @example
 * const pool = new KvPool(fabric, { placement: { kind: 'stripe' }, eviction: 'lru', hostDramFraction: 0.25, gpuCacheFraction: 0.3 });
 * const r = pool.insert({ variant: 'mistrallite', context: 'c1', model: 'mistral-7b', tokens: 10_933, kvBytes: bytes(1.43e9), eLayers: [16], eBytesPerLayer: bytes(89.6e6) }, 'h0', 0);
 * pool.get('mistrallite', 'c1')?.replicas[0] // 8 stripes on octopus-96
 */
export class KvPool {
  private readonly fabric: Fabric;
  private readonly config: PoolConfig;
  /** Locations, their capacity and use, and the groups over them. */
  private readonly at: PoolLocations;
  private readonly placer: PoolPlacer;

  // ---- objects ----
  private readonly index = new PoolIndex();
  private clock = 0;
  private seq = 0;

  // ---- counters ----
  private exactHits = 0;
  private crossHits = 0;
  private misses = 0;
  private inserts = 0;
  private evictions = 0;
  private rejections = 0;
  private lostReplicas = 0;
  private lostObjects = 0;
  private written = 0;

  /**
   * Builds an empty pool over `fabric`'s locations: every memory device (capacity
   * `capacityBytes`, 0 when out of service) and per host a DRAM share
   * (`hostDramFraction × localDramBytes`) and a GPU-memory share (`gpuCacheFraction × Σ hbmBytes`
   * of its GPUs in service), both floored to whole bytes and 0 for a host out of service.
   * @throws InputError when the configuration is invalid (every problem, with its path)
   */
  constructor(fabric: Fabric, config: PoolConfig) {
    const issues = validatePoolConfig(config);
    if (issues.length > 0) throw new InputError(issues);
    this.fabric = fabric;
    this.config = config;
    this.at = new PoolLocations(fabric, config);
    this.placer = new PoolPlacer(fabric, config, this.at);
  }

  /** Every location (devices and host memories, in service or not), in fabric node order. */
  locations(): readonly Location[] {
    return this.at.locs;
  }

  /**
   * Capacity of a location (0 when out of service or lost).
   * @throws InputError when the location is not one of this pool's
   */
  capacityBytes(l: Location): Bytes {
    return bytes(this.at.capacity[this.at.index(l)] ?? 0);
  }

  /**
   * Bytes stored at a location (all objects' stripes there).
   * @throws InputError when the location is not one of this pool's
   */
  usedBytes(l: Location): Bytes {
    return bytes(this.at.used[this.at.index(l)] ?? 0);
  }

  /**
   * Caches an object produced on host `producer` at simulated time `nowNs`, replacing any object
   * of the same (variant, context). Places it by the configured policy, evicts by the configured
   * policy from exactly the locations it needs, and rejects it (storing nothing) when it is larger
   * than those locations can ever hold.
   * @param valueNs - reuse value for GDSF: the prefill time a hit saves (ns); default
   *   `tokens × POOL_DEFAULTS.valueNsPerToken`.
   * @param pending - the object's write is still in flight: it takes its space (and evicts) now,
   *   but {@link get} and {@link related} do not see it until {@link land} (default false).
   * @throws InputError when `producer` is not a host; RangeError for negative or non-finite sizes
   */
  insert(
    entry: CacheEntryInput,
    producer: string,
    nowNs: number,
    valueNs?: number,
    pending = false,
  ): InsertResult {
    requireFinite('tokens', entry.tokens);
    requireFinite('kvBytes', entry.kvBytes);
    requireFinite('eBytesPerLayer', entry.eBytesPerLayer);
    for (const l of entry.eLayers)
      if (!Number.isInteger(l) || l < 0)
        throw new RangeError(`eLayers must hold layer indices ≥ 0, got ${l}`);
    if (!Number.isFinite(nowNs)) throw new RangeError(`nowNs must be finite, got ${nowNs}`);
    const value = valueNs ?? entry.tokens * POOL_DEFAULTS.valueNsPerToken;
    requireFinite('valueNs', value);
    const h = requireNode(this.fabric, producer, ['host'], ['producer']);
    const total = entry.kvBytes + entry.eLayers.length * entry.eBytesPerLayer;
    requireFinite('totalBytes', total);
    this.inserts++;
    const old = this.index.get(entry.variant, entry.context);
    let replaced: CachedObject | undefined;
    if (old !== undefined) {
      this.removeEntry(old);
      replaced = old.obj;
    }
    const plan = this.placer.plan(h, total);
    const placement =
      plan.note === undefined
        ? { applied: plan.applied }
        : { applied: plan.applied, note: plan.note };
    if (!plan.ok) {
      this.rejections++;
      return {
        ...(replaced === undefined ? {} : { replaced }),
        evicted: [],
        writes: [],
        rejected: plan.reason,
        placement,
      };
    }
    const evicted = this.evictFor(plan);
    const writes: Stripe[] = [];
    const obj = this.store(entry, plan, producer, nowNs, value, total, writes, pending);
    return {
      stored: obj,
      ...(replaced === undefined ? {} : { replaced }),
      evicted,
      writes,
      placement,
    };
  }

  /** Evicts from the planned locations until each fits (capacity ≥ stripe was checked by the plan). */
  private evictFor(plan: Plan & { readonly ok: true }): CachedObject[] {
    const { used, capacity, locIds, groupsAt } = this.at;
    const evicted: CachedObject[] = [];
    for (let r = 0; r < plan.replicas.length; r++) {
      const need = plan.stripeBytes[r] ?? 0;
      for (const g of plan.replicas[r] ?? []) {
        for (const loc of g.locs) {
          while ((used[loc] ?? 0) + need > (capacity[loc] ?? 0)) {
            const victim = lowestIn(groupsAt[loc] ?? []);
            if (victim === undefined)
              throw new Error(
                `pool invariant broken: ${locIds[loc]} is full but has nothing to evict`,
              );
            if (this.config.eviction === 'gdsf') this.clock = Math.max(this.clock, victim.priority);
            this.removeEntry(victim);
            this.evictions++;
            evicted.push(victim.obj);
          }
        }
      }
    }
    return evicted;
  }

  /** Stores the object at the planned (now free) locations, appending every stripe written to `writes`. */
  private store(
    entry: CacheEntryInput,
    plan: Plan & { readonly ok: true },
    producer: string,
    nowNs: number,
    value: number,
    total: number,
    writes: Stripe[],
    pending: boolean,
  ): ObjectRecord {
    const { locs, used } = this.at;
    const replicas: Replica[] = [];
    for (let r = 0; r < plan.replicas.length; r++) {
      const b = bytes(plan.stripeBytes[r] ?? 0);
      const rep: Stripe[] = [];
      for (const g of plan.replicas[r] ?? []) {
        for (const loc of g.locs) {
          const s: Stripe = { location: locs[loc] as Location, bytes: b };
          rep.push(s);
          writes.push(s);
        }
      }
      replicas.push(rep);
    }
    const obj: ObjectRecord = {
      variant: entry.variant,
      context: entry.context,
      model: entry.model,
      tokens: entry.tokens,
      kvBytes: entry.kvBytes,
      eLayers: Object.freeze([...entry.eLayers]),
      eBytesPerLayer: entry.eBytesPerLayer,
      key: cacheKey(entry.variant, entry.context),
      totalBytes: bytes(total),
      replicas,
      producer,
      createdNs: nowNs,
      lastUsedNs: nowNs,
      hits: 0,
      valueNs: value,
    };
    const e: Entry = { obj, members: [], priority: 0, seq: this.seq++, pending };
    e.priority = this.priorityOf(e);
    for (let r = 0; r < plan.replicas.length; r++) {
      const b = plan.stripeBytes[r] ?? 0;
      for (const g of plan.replicas[r] ?? []) {
        const m: Member = { entry: e, group: g, bytes: b, slot: 0, replica: r };
        addMember(m);
        e.members.push(m);
        for (const loc of g.locs) used[loc] = (used[loc] ?? 0) + b;
        this.written += b * g.locs.length;
      }
    }
    this.index.add(e);
    return obj;
  }

  /** The object of (variant, context), or undefined (also while its write is pending). Does not count a hit (see {@link touch}). */
  get(variant: string, context: string): CachedObject | undefined {
    const e = this.index.get(variant, context);
    return e === undefined || e.pending ? undefined : e.obj;
  }

  /**
   * The write of `obj` has landed: lookups see it from now on. Nothing happens when the pool no
   * longer holds this very object (evicted, replaced or lost while its write was in flight).
   */
  land(obj: CachedObject): void {
    const e = this.index.getByKey(obj.key);
    if (e !== undefined && e.obj === obj) e.pending = false;
  }

  /** The object with this key (see {@link cacheKey}), or undefined. */
  getByKey(key: string): CachedObject | undefined {
    return this.index.getByKey(key)?.obj;
  }

  /**
   * Other variants' caches of the same base model and context — the senders a DroidSpeak partial
   * reuse can draw on — sorted by variant id (natural order: "v2" before "v10"); objects whose
   * write is pending are left out.
   */
  related(model: string, context: string, exceptVariant: string): CachedObject[] {
    return this.index.related(model, context, exceptVariant);
  }

  /**
   * Records a use of a cached object at `nowNs`: counts an exact or cross-variant hit, updates
   * `lastUsedNs` and `hits`, and re-queues it for eviction (LRU: last use; GDSF: clock +
   * frequency × value ÷ size at the current clock).
   * @returns false (and counts nothing) when no object has this key
   */
  touch(key: string, nowNs: number, kind: 'exact' | 'cross-variant'): boolean {
    const e = this.index.getByKey(key);
    if (e === undefined) return false;
    if (kind === 'exact') this.exactHits++;
    else this.crossHits++;
    e.obj.hits++;
    e.obj.lastUsedNs = nowNs;
    e.priority = this.priorityOf(e);
    for (const m of e.members) m.group.heap.set(m.slot, e.priority);
    return true;
  }

  /** Counts a request that found neither its own nor a related cache. */
  recordMiss(): void {
    this.misses++;
  }

  /** Removes an object (not counted as an eviction); returns it, or undefined when absent. */
  remove(key: string): CachedObject | undefined {
    const e = this.index.getByKey(key);
    if (e === undefined) return undefined;
    this.removeEntry(e);
    return e.obj;
  }

  /**
   * Takes failed memory devices and hosts out of the pool: every replica with a stripe on a failed
   * device or in a failed host's DRAM/GPU memory is dropped, the locations' capacity becomes 0
   * (nothing is placed there again), and objects left with no replica are removed. Switches may be
   * named (they hold no data; their effect on reachability belongs to a fabric failure view).
   * @returns the objects that lost every replica, sorted by key
   * @throws InputError naming every id that is not a device, switch or host of the fabric
   */
  lose(failures: {
    readonly devices?: readonly string[];
    readonly hosts?: readonly string[];
  }): CachedObject[] {
    const failed = this.at.failedLocations(this.fabric, failures);
    const at = this.at;
    const deadGroups = new Set<Group>();
    for (const loc of failed) for (const g of at.groupsAt[loc] ?? []) deadGroups.add(g);
    const affected = new Set<Entry>();
    for (const g of deadGroups) for (const m of g.slots) if (m !== undefined) affected.add(m.entry);
    const gone: CachedObject[] = [];
    for (const e of affected) {
      const dead = new Set<number>();
      for (const m of e.members) if (deadGroups.has(m.group)) dead.add(m.replica);
      this.lostReplicas += dead.size;
      if (dead.size === e.obj.replicas.length) {
        this.removeEntry(e);
        this.lostObjects++;
        gone.push(e.obj);
      } else dropReplicas(e, dead, this.at.used);
    }
    for (const loc of failed) {
      at.up[loc] = 0;
      at.capacity[loc] = 0;
    }
    this.placer.forget();
    return gone.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Every stored object, in insertion order. */
  objects(): IterableIterator<CachedObject> {
    const it = this.index.values();
    return (function* () {
      for (const e of it) yield e.obj;
    })();
  }

  /** Occupancy and counters. O(locations). */
  stats(): PoolStats {
    const perLocation: LocationStats[] = [];
    let usedTotal = 0;
    let capTotal = 0;
    const { byRank, used, up, capacity, locIds } = this.at;
    for (const i of byRank) {
      usedTotal += used[i] ?? 0;
      if (up[i] === 0 || (capacity[i] ?? 0) <= 0) continue;
      capTotal += capacity[i] ?? 0;
      perLocation.push({
        id: locIds[i] ?? '',
        usedBytes: bytes(used[i] ?? 0),
        capacityBytes: bytes(capacity[i] ?? 0),
      });
    }
    return {
      objects: this.index.size,
      bytesUsed: bytes(usedTotal),
      capacityBytes: bytes(capTotal),
      perLocation,
      hits: { exact: this.exactHits, crossVariant: this.crossHits, miss: this.misses },
      inserts: this.inserts,
      evictions: this.evictions,
      rejected: this.rejections,
      lostReplicas: this.lostReplicas,
      lostObjects: this.lostObjects,
      bytesWritten: bytes(this.written),
    };
  }

  // ---- bookkeeping ----

  private priorityOf(e: Entry): number {
    if (this.config.eviction === 'lru') return e.obj.lastUsedNs;
    return this.clock + ((e.obj.hits + 1) * e.obj.valueNs) / Math.max(1, e.obj.totalBytes);
  }

  private removeEntry(e: Entry): void {
    for (const m of e.members) dropMember(m, this.at.used);
    e.members = [];
    this.index.delete(e);
  }
}
