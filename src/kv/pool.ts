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
 */
import { InputError, type Issue } from '../errors/index.ts';
import { requireNode, type Fabric } from '../fabric/compile.ts';
import type { FetchSource } from '../fabric/fetch.ts';
import { IndexedMinHeap } from '../fabric/heap.ts';
import { cxlPaths, hostGpus } from '../fabric/paths.ts';
import { bytes, type Bytes } from '../units/index.ts';

// ---------------------------------------------------------------------------------------------
// Defaults (docs/design.md convention §9)
// ---------------------------------------------------------------------------------------------

/** The pool's fixed figures, each with its unit and source. */
export const POOL_DEFAULTS = Object.freeze({
  /**
   * Default reuse value of a cached object when `insert` gets no `valueNs`: the prefill time a hit
   * saves, taken as proportional to the context's tokens at 100 000 ns per token — the DroidSpeak
   * calibration point (Llama-3.1-8B, 40 K tokens ≈ 4 s on one A100; docs/references.md §3). Only
   * ratios matter to GDSF, so the constant's exact value does not change eviction order when
   * every object uses the default.
   */
  valueNsPerToken: 100_000,
  /** A location's slot numbers are compacted once more than `2 × live + slack` are allocated. */
  slotCompactionSlack: 64,
});

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** Where bytes of a cached object live: a memory device, or a host's DRAM or GPU-memory share. */
export type Location =
  | { readonly kind: 'device'; readonly device: string }
  | { readonly kind: 'host'; readonly host: string; readonly memory: 'dram' | 'gpu' };

/**
 * Stable id of a location, as used in stats and reports.
 * @example locationId({ kind: 'device', device: 'd3' }) // "d3"
 * @example locationId({ kind: 'host', host: 'h5', memory: 'gpu' }) // "h5:gpu"
 */
export function locationId(l: Location): string {
  return l.kind === 'device' ? l.device : `${l.host}:${l.memory}`;
}

/** One stripe of a replica: `bytes` stored at `location`. */
export interface Stripe {
  readonly location: Location;
  readonly bytes: Bytes;
}

/** A full copy of an object, striped in equal parts over its locations (all devices, or one host memory). */
export type Replica = readonly Stripe[];

/**
 * The fabric's view of a replica, for `fetchCost`: devices → `{kind: 'devices', devices}` in
 * stripe order; a host memory → `{kind: 'host', host, memory}`.
 * @throws Error for an empty replica or one mixing devices and host memory (never built by the pool)
 */
export function replicaSource(r: Replica): FetchSource {
  const first = r[0];
  if (first === undefined) throw new Error('an empty replica has no fetch source');
  if (first.location.kind === 'host') {
    if (r.length !== 1) throw new Error('a host-memory replica has exactly one stripe');
    return { kind: 'host', host: first.location.host, memory: first.location.memory };
  }
  const devices: string[] = [];
  for (const s of r) {
    if (s.location.kind !== 'device') throw new Error('a replica mixes devices and host memory');
    devices.push(s.location.device);
  }
  return { kind: 'devices', devices };
}

/** What a producer hands the pool to cache. */
export interface CacheEntryInput {
  /** Model variant (fine-tune) id that produced the cache. */
  readonly variant: string;
  /** Context (document, prompt prefix) id. */
  readonly context: string;
  /** Base model id; variants of one base model can reuse each other's caches (DroidSpeak). */
  readonly model: string;
  /** Context length, tokens (≥ 0). */
  readonly tokens: number;
  /** Bytes of the whole prefix KV cache (all layers). */
  readonly kvBytes: Bytes;
  /** Transition layers whose E cache is stored too (0-based layer indices). */
  readonly eLayers: readonly number[];
  /** Bytes of one layer's E cache for this context. */
  readonly eBytesPerLayer: Bytes;
}

/**
 * A cached object as the pool holds it. Returned objects are live views: `replicas`, `lastUsedNs`
 * and `hits` change as the pool works; copy what must not change.
 */
export interface CachedObject extends CacheEntryInput {
  /** `cacheKey(variant, context)`. */
  readonly key: string;
  /** Logical size: kvBytes + eLayers.length × eBytesPerLayer (each replica stores ≥ this, rounded up to whole bytes per stripe). */
  readonly totalBytes: Bytes;
  /** Copies, first = the producer's; disjoint locations. */
  readonly replicas: readonly Replica[];
  /** Host that produced (wrote) the object. */
  readonly producer: string;
  /** Simulated time of the insert (ns). */
  readonly createdNs: number;
  /** Simulated time of the last insert or touch (ns). */
  readonly lastUsedNs: number;
  /** Touches since the insert (exact and cross-variant). */
  readonly hits: number;
  /** Reuse value (ns of prefill a hit saves) used by GDSF. */
  readonly valueNs: number;
}

/**
 * Where new objects go.
 * - `local`: one device the producing host reaches, the least used (most free bytes; ties by id).
 * - `stripe`: striped equally over every device the producer reaches.
 * - `spread`: striped over the `devices` least-used devices of the whole pod (pooling across hosts).
 * - `replicas`: `count` replicas, each striped over devices reached by a different host: the
 *   producer first, then greedily the host reaching the most devices not yet used, its replica
 *   using only those new devices (ties: the host whose devices carry the fewest further replicas
 *   of other producers, then the next after the producer in host order), so partners spread.
 * - `host-memory`: the producer's own DRAM or GPU-memory share (RDMA fabrics; DroidSpeak keeps
 *   caches in GPU memory).
 *
 * A producer that reaches no device in service under `local`, `stripe` or `replicas` (an RDMA
 * rack), or a pod without devices under `spread`, falls back to `host-memory` DRAM, and the
 * insert result says so.
 */
export type PlacementPolicy =
  | { readonly kind: 'local' }
  | { readonly kind: 'stripe' }
  | { readonly kind: 'spread'; readonly devices: number }
  | { readonly kind: 'replicas'; readonly count: number }
  | { readonly kind: 'host-memory'; readonly memory: 'dram' | 'gpu' };

/**
 * Which object to evict first from a full location.
 * - `lru`: the least recently used (smallest `lastUsedNs`).
 * - `gdsf`: GreedyDual-Size-Frequency (Cherkasova 1998), the "reuse value" policy: priority =
 *   clock + (hits + 1) × valueNs ÷ totalBytes, lowest evicted first; the clock rises to each
 *   evicted priority, so objects not used for a while age out. Objects that save much prefill
 *   time per byte and are hit often stay.
 *
 * Ties go to the object stored first.
 */
export type EvictionPolicy = 'lru' | 'gdsf';

/** Resolved pool configuration. */
export interface PoolConfig {
  readonly placement: PlacementPolicy;
  readonly eviction: EvictionPolicy;
  /** Share of each host's local DRAM given to the pool (0…1). */
  readonly hostDramFraction: number;
  /**
   * Share of each in-service GPU's HBM given to cached KV (0…1), summed per host. An estimate of
   * vLLM-style KV space: the HBM left after weights and activations, as a flat fraction.
   */
  readonly gpuCacheFraction: number;
}

/** What an insert did. */
export interface InsertResult {
  /** The stored object; absent when rejected. */
  readonly stored?: CachedObject;
  /** The object of the same key that the insert replaced (removed first, even if the insert is then rejected: its contents are stale). */
  readonly replaced?: CachedObject;
  /** Objects evicted to make room, in eviction order. */
  readonly evicted: readonly CachedObject[];
  /** Stripes written (every replica), for the simulator to charge to the fabric; empty when rejected. */
  readonly writes: readonly Stripe[];
  /** Why nothing was stored. */
  readonly rejected?: string;
  /** The placement actually applied, and a note when it differs from the configured one. */
  readonly placement: { readonly applied: PlacementPolicy['kind']; readonly note?: string };
}

/** Bytes used and available at one location. */
export interface LocationStats {
  readonly id: string;
  readonly usedBytes: Bytes;
  readonly capacityBytes: Bytes;
}

/** Pool counters and occupancy. */
export interface PoolStats {
  /** Objects stored. */
  readonly objects: number;
  /** Bytes stored over every location (all replicas). */
  readonly bytesUsed: Bytes;
  /** Total capacity of the locations in service. */
  readonly capacityBytes: Bytes;
  /** Every location in service, in id order. */
  readonly perLocation: readonly LocationStats[];
  /** Hits counted by {@link KvPool.touch} and misses by {@link KvPool.recordMiss}. */
  readonly hits: { readonly exact: number; readonly crossVariant: number; readonly miss: number };
  readonly inserts: number;
  readonly evictions: number;
  readonly rejected: number;
  /** Replicas dropped by {@link KvPool.lose}, and objects that lost every replica. */
  readonly lostReplicas: number;
  readonly lostObjects: number;
  /** Bytes written by stored inserts (all replicas). */
  readonly bytesWritten: Bytes;
}

/**
 * Key of the object of (variant, context): both parts URI-encoded and joined by `@`, so distinct
 * pairs never collide and ordinary ids stay readable.
 * @example cacheKey('mistrallite', 'hotpotqa-17') // "mistrallite@hotpotqa-17"
 */
export function cacheKey(variant: string, context: string): string {
  return `${encodeURIComponent(variant)}@${encodeURIComponent(context)}`;
}

/**
 * Checks a pool configuration and returns every problem with its path (docs/design.md convention §4).
 * @param path - where the configuration sits in the input, e.g. `['pool']`.
 */
export function validatePoolConfig(
  config: PoolConfig,
  path: readonly (string | number)[] = [],
): Issue[] {
  const issues: Issue[] = [];
  const p = config.placement;
  if (p.kind === 'spread' && (!Number.isInteger(p.devices) || p.devices < 1)) {
    issues.push({
      code: 'pool.placement',
      path: [...path, 'placement', 'devices'],
      message: `spread needs an integer number of devices ≥ 1, got ${p.devices}`,
    });
  }
  if (p.kind === 'replicas' && (!Number.isInteger(p.count) || p.count < 1)) {
    issues.push({
      code: 'pool.placement',
      path: [...path, 'placement', 'count'],
      message: `replicas needs an integer count ≥ 1, got ${p.count}`,
    });
  }
  if (!['local', 'stripe', 'spread', 'replicas', 'host-memory'].includes(p.kind)) {
    issues.push({
      code: 'pool.placement',
      path: [...path, 'placement', 'kind'],
      message: `unknown placement "${String(p.kind)}"; one of local, stripe, spread, replicas, host-memory`,
    });
  }
  if (p.kind === 'host-memory' && p.memory !== 'dram' && p.memory !== 'gpu') {
    issues.push({
      code: 'pool.placement',
      path: [...path, 'placement', 'memory'],
      message: `host-memory needs memory "dram" or "gpu", got ${String(p.memory)}`,
    });
  }
  if (config.eviction !== 'lru' && config.eviction !== 'gdsf') {
    issues.push({
      code: 'pool.eviction',
      path: [...path, 'eviction'],
      message: `unknown eviction policy "${String(config.eviction)}"; one of lru, gdsf`,
    });
  }
  for (const key of ['hostDramFraction', 'gpuCacheFraction'] as const) {
    const v = config[key];
    if (!Number.isFinite(v) || v < 0 || v > 1)
      issues.push({
        code: 'input.range',
        path: [...path, key],
        message: `${key} must be a fraction in [0, 1], got ${v}`,
      });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

/**
 * A set of locations that objects occupy together — the devices one host stripes over, a replica's
 * devices, or a single location — with the eviction heap of the objects in it. Grouping keeps an
 * insert, touch or eviction at one heap operation per replica however wide the stripe (48
 * devices on a switched pool), instead of one per location. Heap ids are slots allocated in
 * insertion order (see `compact`).
 */
interface Group {
  readonly locs: readonly number[];
  heap: IndexedMinHeap;
  slots: (Member | undefined)[];
  nextSlot: number;
  live: number;
}

/** An object's part in one group: `bytes` at each of the group's locations, for replica `replica`. */
interface Member {
  readonly entry: Entry;
  readonly group: Group;
  readonly bytes: number;
  slot: number;
  replica: number;
}

/** The mutable record behind a {@link CachedObject}. */
type ObjectRecord = { -readonly [K in keyof CachedObject]: CachedObject[K] } & {
  replicas: Replica[];
};

interface Entry {
  readonly obj: ObjectRecord;
  members: Member[];
  /** Key in every heap the object is in. */
  priority: number;
  /** Insertion sequence number: the tie-break between groups (within one, slot order is the same order). */
  readonly seq: number;
}

/** A placement decision: per replica, its groups and whole bytes per stripe. */
type Plan =
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

/** Natural order of ids: digit runs compare as numbers ("d2" < "d10"), then plain text. */
function compareIds(a: string, b: string): number {
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

function requireFinite(what: string, v: number): void {
  if (!Number.isFinite(v) || v < 0)
    throw new RangeError(`${what} must be a finite number ≥ 0, got ${v}`);
}

// ---------------------------------------------------------------------------------------------
// The pool
// ---------------------------------------------------------------------------------------------

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

  // ---- locations (struct of arrays, indexed by location number) ----
  private readonly locs: Location[] = [];
  private readonly locIds: string[] = [];
  private readonly locById = new Map<string, number>();
  private readonly capacity: Float64Array;
  private readonly used: Float64Array;
  private readonly up: Uint8Array;
  /** Tie-break rank of each location: natural order of its id. */
  private readonly rank: Int32Array;
  /** Locations in id order. */
  private readonly byRank: number[];
  /** Location of each memory-device node, −1 for other nodes. */
  private readonly deviceLoc: Int32Array;
  /** DRAM location of each host node (GPU location = DRAM location + 1), −1 for other nodes. */
  private readonly hostLoc: Int32Array;
  private readonly deviceLocs: number[] = [];

  // ---- groups ----
  private readonly groups = new Map<string, Group>();
  /** Groups containing each location. */
  private readonly groupsAt: Group[][] = [];
  /** Per producer node: devices reached, its stripe group, its replica groups (static until `lose`). */
  private readonly reachCache = new Map<number, number[]>();
  private readonly stripeCache = new Map<number, Group>();
  private readonly replicaCache = new Map<
    number,
    { readonly groups: readonly Group[]; readonly note?: string }
  >();

  // ---- objects ----
  private readonly byVariant = new Map<string, Map<string, Entry>>();
  private readonly byKey = new Map<string, Entry>();
  /** Entries of each context, sorted by variant id. */
  private readonly byContext = new Map<string, Entry[]>();
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
    const n = fabric.nodes.length;
    this.deviceLoc = new Int32Array(n).fill(-1);
    this.hostLoc = new Int32Array(n).fill(-1);
    const caps: number[] = [];
    const ups: number[] = [];
    const add = (l: Location, cap: number, upNow: boolean): number => {
      const i = this.locs.length;
      this.locs.push(Object.freeze(l));
      const id = locationId(l);
      this.locIds.push(id);
      this.locById.set(id, i);
      caps.push(upNow ? cap : 0);
      ups.push(upNow ? 1 : 0);
      this.groupsAt.push([]);
      return i;
    };
    for (let v = 0; v < n; v++) {
      const a = fabric.nodeAttrs[v];
      if (a === undefined) continue;
      if (a.kind === 'mhd' || a.kind === 'memory-device') {
        const i = add(
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
        this.hostLoc[v] = add(
          { kind: 'host', host, memory: 'dram' },
          Math.floor(config.hostDramFraction * a.localDramBytes),
          upNow,
        );
        add(
          { kind: 'host', host, memory: 'gpu' },
          Math.floor(config.gpuCacheFraction * hbm),
          upNow,
        );
      }
    }
    const m = this.locs.length;
    this.capacity = Float64Array.from(caps);
    this.used = new Float64Array(m);
    this.up = Uint8Array.from(ups);
    this.rank = new Int32Array(m);
    this.byRank = [...this.locIds.keys()].sort((x, y) =>
      compareIds(this.locIds[x] ?? '', this.locIds[y] ?? ''),
    );
    this.byRank.forEach((loc, r) => (this.rank[loc] = r));
  }

  /** Every location (devices and host memories, in service or not), in fabric node order. */
  locations(): readonly Location[] {
    return this.locs;
  }

  /**
   * Capacity of a location (0 when out of service or lost).
   * @throws InputError when the location is not one of this pool's
   */
  capacityBytes(l: Location): Bytes {
    return bytes(this.capacity[this.locIndex(l)] ?? 0);
  }

  /**
   * Bytes stored at a location (all objects' stripes there).
   * @throws InputError when the location is not one of this pool's
   */
  usedBytes(l: Location): Bytes {
    return bytes(this.used[this.locIndex(l)] ?? 0);
  }

  /**
   * Caches an object produced on host `producer` at simulated time `nowNs`, replacing any object
   * of the same (variant, context). Places it by the configured policy, evicts by the configured
   * policy from exactly the locations it needs, and rejects it (storing nothing) when it is larger
   * than those locations can ever hold.
   * @param valueNs - reuse value for GDSF: the prefill time a hit saves (ns); default
   *   `tokens × POOL_DEFAULTS.valueNsPerToken`.
   * @throws InputError when `producer` is not a host; RangeError for negative or non-finite sizes
   */
  insert(entry: CacheEntryInput, producer: string, nowNs: number, valueNs?: number): InsertResult {
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

    const old = this.byVariant.get(entry.variant)?.get(entry.context);
    let replaced: CachedObject | undefined;
    if (old !== undefined) {
      this.removeEntry(old);
      replaced = old.obj;
    }
    const plan = this.plan(h, total);
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

    // Evict from the planned locations until each fits (capacity ≥ stripe was checked by plan).
    const evicted: CachedObject[] = [];
    for (let r = 0; r < plan.replicas.length; r++) {
      const need = plan.stripeBytes[r] ?? 0;
      for (const g of plan.replicas[r] ?? []) {
        for (const loc of g.locs) {
          while ((this.used[loc] ?? 0) + need > (this.capacity[loc] ?? 0)) {
            const victim = this.lowestAt(loc);
            if (victim === undefined)
              throw new Error(
                `pool invariant broken: ${this.locIds[loc]} is full but has nothing to evict`,
              );
            if (this.config.eviction === 'gdsf') this.clock = Math.max(this.clock, victim.priority);
            this.removeEntry(victim);
            this.evictions++;
            evicted.push(victim.obj);
          }
        }
      }
    }

    const replicas: Replica[] = [];
    const writes: Stripe[] = [];
    for (let r = 0; r < plan.replicas.length; r++) {
      const b = bytes(plan.stripeBytes[r] ?? 0);
      const rep: Stripe[] = [];
      for (const g of plan.replicas[r] ?? []) {
        for (const loc of g.locs) {
          const s: Stripe = { location: this.locs[loc] as Location, bytes: b };
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
    const e: Entry = { obj, members: [], priority: 0, seq: this.seq++ };
    e.priority = this.priorityOf(e);
    for (let r = 0; r < plan.replicas.length; r++) {
      const b = plan.stripeBytes[r] ?? 0;
      for (const g of plan.replicas[r] ?? []) {
        const m: Member = { entry: e, group: g, bytes: b, slot: 0, replica: r };
        this.addMember(m);
        e.members.push(m);
        for (const loc of g.locs) this.used[loc] = (this.used[loc] ?? 0) + b;
        this.written += b * g.locs.length;
      }
    }
    this.index(e);
    return {
      stored: obj,
      ...(replaced === undefined ? {} : { replaced }),
      evicted,
      writes,
      placement,
    };
  }

  /** The object of (variant, context), or undefined. Does not count a hit (see {@link touch}). */
  get(variant: string, context: string): CachedObject | undefined {
    return this.byVariant.get(variant)?.get(context)?.obj;
  }

  /** The object with this key (see {@link cacheKey}), or undefined. */
  getByKey(key: string): CachedObject | undefined {
    return this.byKey.get(key)?.obj;
  }

  /**
   * Other variants' caches of the same base model and context — the senders a DroidSpeak partial
   * reuse can draw on — sorted by variant id (natural order: "v2" before "v10").
   */
  related(model: string, context: string, exceptVariant: string): CachedObject[] {
    const list = this.byContext.get(context);
    if (list === undefined) return [];
    const out: CachedObject[] = [];
    for (const e of list)
      if (e.obj.model === model && e.obj.variant !== exceptVariant) out.push(e.obj);
    return out;
  }

  /**
   * Records a use of a cached object at `nowNs`: counts an exact or cross-variant hit, updates
   * `lastUsedNs` and `hits`, and re-queues it for eviction (LRU: last use; GDSF: clock +
   * frequency × value ÷ size at the current clock).
   * @returns false (and counts nothing) when no object has this key
   */
  touch(key: string, nowNs: number, kind: 'exact' | 'cross-variant'): boolean {
    const e = this.byKey.get(key);
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
    const e = this.byKey.get(key);
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
    const f = this.fabric;
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
      } else if ((this.deviceLoc[v] ?? -1) >= 0) failed.push(this.deviceLoc[v] ?? 0);
    });
    (failures.hosts ?? []).forEach((id, k) => {
      const v = f.nodeIndex.get(id);
      if (v === undefined || f.nodeKind[v] !== 'host')
        issues.push({
          code: 'failure.unknown',
          path: ['hosts', k],
          message: `"${id}" is not a host of ${f.graph.getAttribute('name')}`,
        });
      else failed.push(this.hostLoc[v] ?? 0, (this.hostLoc[v] ?? 0) + 1);
    });
    if (issues.length > 0) throw new InputError(issues);

    const deadGroups = new Set<Group>();
    for (const loc of failed) for (const g of this.groupsAt[loc] ?? []) deadGroups.add(g);
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
        continue;
      }
      const renumber = new Map<number, number>();
      const kept: Replica[] = [];
      e.obj.replicas.forEach((r, i) => {
        if (dead.has(i)) return;
        renumber.set(i, kept.length);
        kept.push(r);
      });
      const members: Member[] = [];
      for (const m of e.members) {
        const to = renumber.get(m.replica);
        if (to === undefined) this.dropMember(m);
        else {
          m.replica = to;
          members.push(m);
        }
      }
      e.members = members;
      e.obj.replicas = kept;
    }
    for (const loc of failed) {
      this.up[loc] = 0;
      this.capacity[loc] = 0;
    }
    this.reachCache.clear();
    this.stripeCache.clear();
    this.replicaCache.clear();
    return gone.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Every stored object, in insertion order. */
  objects(): IterableIterator<CachedObject> {
    const it = this.byKey.values();
    return (function* () {
      for (const e of it) yield e.obj;
    })();
  }

  /** Occupancy and counters. O(locations). */
  stats(): PoolStats {
    const perLocation: LocationStats[] = [];
    let usedTotal = 0;
    let capTotal = 0;
    for (const i of this.byRank) {
      usedTotal += this.used[i] ?? 0;
      if (this.up[i] === 0 || (this.capacity[i] ?? 0) <= 0) continue;
      capTotal += this.capacity[i] ?? 0;
      perLocation.push({
        id: this.locIds[i] ?? '',
        usedBytes: bytes(this.used[i] ?? 0),
        capacityBytes: bytes(this.capacity[i] ?? 0),
      });
    }
    return {
      objects: this.byKey.size,
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

  // ---- placement ----

  private locIndex(l: Location): number {
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
  private free(loc: number): number {
    return (this.capacity[loc] ?? 0) - (this.used[loc] ?? 0);
  }

  /** Whether `a` is less used than `b`: more free bytes, ties by id. */
  private lessUsed(a: number, b: number): boolean {
    const fa = this.free(a);
    const fb = this.free(b);
    return fa > fb || (fa === fb && (this.rank[a] ?? 0) < (this.rank[b] ?? 0));
  }

  /** In-service device locations host node `h` reaches over CXL, in fabric path order (cached until `lose`). */
  private reached(h: number): number[] {
    const hit = this.reachCache.get(h);
    if (hit !== undefined) return hit;
    const out: number[] = [];
    for (const p of cxlPaths(this.fabric, h)) {
      const loc = this.deviceLoc[p.device] ?? -1;
      if (loc >= 0 && this.up[loc] === 1 && (this.capacity[loc] ?? 0) > 0) out.push(loc);
    }
    this.reachCache.set(h, out);
    return out;
  }

  /** The group of exactly these locations, in this order (created on first use). */
  private group(locs: readonly number[]): Group {
    const key = locs.join(',');
    let g = this.groups.get(key);
    if (g === undefined) {
      g = {
        locs: Object.freeze([...locs]),
        heap: new IndexedMinHeap(16),
        slots: [],
        nextSlot: 0,
        live: 0,
      };
      this.groups.set(key, g);
      for (const loc of locs) this.groupsAt[loc]?.push(g);
    }
    return g;
  }

  private plan(h: number, total: number): Plan {
    const p = this.config.placement;
    const producer = this.fabric.nodes[h] ?? '';
    if (this.fabric.nodeUp[h] === 0 || this.up[this.hostLoc[h] ?? 0] === 0)
      return { ok: false, reason: `producer ${producer} is out of service`, applied: p.kind };
    if (p.kind === 'host-memory') return this.hostPlan(h, p.memory, total, 'host-memory');
    if (p.kind === 'spread') {
      let devicesUp = 0;
      for (const loc of this.deviceLocs)
        if (this.up[loc] === 1 && (this.capacity[loc] ?? 0) > 0) devicesUp++;
      if (devicesUp === 0)
        return this.hostPlan(
          h,
          'dram',
          total,
          'host-memory',
          `the pod has no memory device in service; placed in ${producer}'s DRAM (host-memory fallback)`,
        );
      const n = Math.min(p.devices, devicesUp);
      const stripe = Math.ceil(total / n);
      const best: number[] = [];
      for (const loc of this.deviceLocs) {
        if (this.up[loc] === 0 || (this.capacity[loc] ?? 0) < stripe) continue;
        if (best.length === n && !this.lessUsed(loc, best[n - 1] ?? 0)) continue;
        let i = best.length === n ? n - 1 : best.length;
        while (i > 0 && this.lessUsed(loc, best[i - 1] ?? 0)) {
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
        n < p.devices
          ? `only ${n} memory devices in service; striped over ${n} instead of ${p.devices}`
          : undefined;
      // Spread sets change with every insert: one single-location group per stripe.
      return {
        ok: true,
        replicas: [best.map((loc) => this.group([loc]))],
        stripeBytes: [stripe],
        applied: 'spread',
        ...(note === undefined ? {} : { note }),
      };
    }
    const reach = this.reached(h);
    if (reach.length === 0)
      return this.hostPlan(
        h,
        'dram',
        total,
        'host-memory',
        `${producer} reaches no memory device in service; placed in its DRAM (host-memory fallback)`,
      );
    if (p.kind === 'local') {
      let best = -1;
      const size = Math.ceil(total);
      for (const loc of reach)
        if ((this.capacity[loc] ?? 0) >= size && (best < 0 || this.lessUsed(loc, best))) best = loc;
      if (best < 0)
        return {
          ok: false,
          reason: `${size} B is larger than every device ${producer} reaches`,
          applied: 'local',
        };
      return { ok: true, replicas: [[this.group([best])]], stripeBytes: [size], applied: 'local' };
    }
    let groups: readonly Group[];
    let note: string | undefined;
    if (p.kind === 'stripe') {
      let g = this.stripeCache.get(h);
      if (g === undefined) {
        g = this.group(reach);
        this.stripeCache.set(h, g);
      }
      groups = [g];
    } else ({ groups, note } = this.replicaGroups(h, p.count));
    const stripeBytes: number[] = [];
    for (const g of groups) {
      const stripe = Math.ceil(total / g.locs.length);
      for (const loc of g.locs) {
        if ((this.capacity[loc] ?? 0) < stripe)
          return {
            ok: false,
            reason: `a stripe of ${stripe} B is larger than device ${this.locIds[loc]} (${this.capacity[loc]} B)`,
            applied: p.kind,
          };
      }
      stripeBytes.push(stripe);
    }
    return {
      ok: true,
      replicas: groups.map((g) => [g]),
      stripeBytes,
      applied: p.kind,
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
    const loc = (this.hostLoc[h] ?? 0) + (memory === 'gpu' ? 1 : 0);
    const size = Math.ceil(total);
    const extra = note === undefined ? {} : { note };
    if ((this.capacity[loc] ?? 0) < size) {
      const knob = memory === 'gpu' ? 'gpuCacheFraction' : 'hostDramFraction';
      return {
        ok: false,
        reason: `${size} B is larger than ${this.locIds[loc]} (${this.capacity[loc]} B; ${knob} = ${this.config[knob]})`,
        applied,
        ...extra,
      };
    }
    return { ok: true, replicas: [[this.group([loc])]], stripeBytes: [size], applied, ...extra };
  }

  /**
   * Groups of up to `count` replicas for producer `h`: its own reach first; each further replica is
   * striped over the devices of another host's reach that no earlier replica uses. The other host
   * is the one adding the most such devices, then the one whose devices carry the fewest further
   * replicas already (so partners spread over the pod instead of piling onto a few devices), then
   * the nearest after the producer in host order. Computed for every producer at once, in host
   * order, so the result does not depend on the order of inserts; cached until `lose`.
   */
  private replicaGroups(
    h: number,
    count: number,
  ): { readonly groups: readonly Group[]; readonly note?: string } {
    if (this.replicaCache.size === 0) {
      const hosts = this.fabric.hosts;
      const load = new Float64Array(this.locs.length);
      for (let me = 0; me < hosts.length; me++) {
        const p = hosts[me] ?? 0;
        const own = this.reached(p);
        if (own.length === 0) continue;
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
        const groups = sets.map((x) => this.group(x));
        const note =
          sets.length < count
            ? `only ${sets.length} of ${count} replicas: no other host reaches a device the earlier replicas do not use`
            : undefined;
        this.replicaCache.set(p, note === undefined ? { groups } : { groups, note });
      }
    }
    return this.replicaCache.get(h) ?? { groups: [this.group(this.reached(h))] };
  }

  // ---- bookkeeping ----

  private priorityOf(e: Entry): number {
    if (this.config.eviction === 'lru') return e.obj.lastUsedNs;
    return this.clock + ((e.obj.hits + 1) * e.obj.valueNs) / Math.max(1, e.obj.totalBytes);
  }

  /** The entry to evict first among those with a stripe at `loc`: lowest (priority, insertion order). */
  private lowestAt(loc: number): Entry | undefined {
    let best: Entry | undefined;
    for (const g of this.groupsAt[loc] ?? []) {
      if (g.live === 0) continue;
      const e = g.slots[g.heap.peek()]?.entry;
      if (
        e !== undefined &&
        (best === undefined ||
          e.priority < best.priority ||
          (e.priority === best.priority && e.seq < best.seq))
      )
        best = e;
    }
    return best;
  }

  private index(e: Entry): void {
    const o = e.obj;
    let inner = this.byVariant.get(o.variant);
    if (inner === undefined) {
      inner = new Map();
      this.byVariant.set(o.variant, inner);
    }
    inner.set(o.context, e);
    this.byKey.set(o.key, e);
    let list = this.byContext.get(o.context);
    if (list === undefined) {
      list = [];
      this.byContext.set(o.context, list);
    }
    let i = list.length;
    list.push(e);
    while (i > 0 && compareIds((list[i - 1] as Entry).obj.variant, o.variant) > 0) {
      list[i] = list[i - 1] as Entry;
      i--;
    }
    list[i] = e;
  }

  private removeEntry(e: Entry): void {
    const o = e.obj;
    for (const m of e.members) this.dropMember(m);
    e.members = [];
    const inner = this.byVariant.get(o.variant);
    inner?.delete(o.context);
    if (inner?.size === 0) this.byVariant.delete(o.variant);
    this.byKey.delete(o.key);
    const list = this.byContext.get(o.context);
    if (list !== undefined) {
      const i = list.indexOf(e);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byContext.delete(o.context);
    }
  }

  private dropMember(m: Member): void {
    const g = m.group;
    g.heap.delete(m.slot);
    g.slots[m.slot] = undefined;
    g.live--;
    for (const loc of g.locs) this.used[loc] = (this.used[loc] ?? 0) - m.bytes;
  }

  /** Gives `m` the next slot of its group and queues it; compacts the group's slots first when over half are dead. */
  private addMember(m: Member): void {
    const g = m.group;
    if (g.nextSlot >= 2 * g.live + POOL_DEFAULTS.slotCompactionSlack) this.compact(g);
    m.slot = g.nextSlot++;
    g.live++;
    g.slots[m.slot] = m;
    g.heap.set(m.slot, m.entry.priority);
  }

  /** Renumbers a group's live slots 0… in their order (so ties keep going to the earliest stored) and rebuilds its heap. */
  private compact(g: Group): void {
    const next: Member[] = [];
    const heap = new IndexedMinHeap(Math.max(16, 2 * g.live));
    for (const m of g.slots) {
      if (m === undefined) continue;
      m.slot = next.length;
      heap.set(m.slot, m.entry.priority);
      next.push(m);
    }
    g.slots = next;
    g.heap = heap;
    g.nextSlot = next.length;
    g.live = next.length;
  }
}
