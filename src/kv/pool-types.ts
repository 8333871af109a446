/**
 * The KV-cache pool's public vocabulary (docs/design.md: `KvPool`): locations, stripes and
 * replicas, the cached object and what a producer hands in, the placement and eviction policies,
 * the configuration and its check, and the insert result and stats the pool returns. Split from
 * the pool itself (src/kv/pool.ts, which re-exports all of it) so the types read on their own.
 */
import type { Issue } from '../errors/index.ts';
import type { FetchSource } from '../fabric/fetch.ts';
import type { Bytes } from '../units/index.ts';

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
