/**
 * The shared KV-cache pool (src/kv/pool.ts): placement of every policy on the bundled pods
 * (including the RDMA fallback to host DRAM), capacities, LRU and GDSF eviction order on hand
 * cases, tie order across slot compaction, replacement and rejection, failures, and a
 * model-based run (`fc.commands` / `fc.modelRun`, docs/design.md convention §12) that checks the capacity
 * invariant and the byte accounting after every command.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import { compileFabric, type Fabric } from '../../src/fabric/compile.ts';
import { reachableDevices } from '../../src/fabric/fetch.ts';
import { loadTopology } from '../../src/io/index.ts';
import {
  cacheKey,
  KvPool,
  locationId,
  replicaSource,
  type CacheEntryInput,
  type EvictionPolicy,
  type InsertResult,
  type Location,
  type PlacementPolicy,
  type PoolConfig,
} from '../../src/kv/index.ts';
import { bytes, GiB } from '../../src/units/index.ts';

const fabrics = new Map<string, Fabric>();
const preset = (name: string): Fabric => {
  let f = fabrics.get(name);
  if (f === undefined) {
    f = compileFabric(loadTopology(name).graph);
    fabrics.set(name, f);
  }
  return f;
};

const config = (placement: PlacementPolicy, eviction: EvictionPolicy = 'lru'): PoolConfig => ({
  placement,
  eviction,
  hostDramFraction: 0.25,
  gpuCacheFraction: 0.3,
});

/** An entry of `sizeBytes` with no E caches. */
const entry = (
  variant: string,
  context: string,
  sizeBytes: number,
  model = 'llama-3.1-8b',
): CacheEntryInput => ({
  variant,
  context,
  model,
  tokens: 1000,
  kvBytes: bytes(sizeBytes),
  eLayers: [],
  eBytesPerLayer: bytes(0),
});

const dev = (device: string): Location => ({ kind: 'device', device });
const stored = (r: InsertResult) => {
  if (r.stored === undefined) throw new Error(`not stored: ${r.rejected}`);
  return r.stored;
};
const ids = (r: readonly { location: Location }[]): string[] =>
  r.map((s) => locationId(s.location));

describe('locations and capacities', () => {
  it('names locations and turns replicas into fetch sources', () => {
    expect(locationId(dev('d3'))).toBe('d3');
    expect(locationId({ kind: 'host', host: 'h5', memory: 'dram' })).toBe('h5:dram');
    expect(locationId({ kind: 'host', host: 'h5', memory: 'gpu' })).toBe('h5:gpu');
    expect(
      replicaSource([
        { location: dev('d1'), bytes: bytes(1) },
        { location: dev('d0'), bytes: bytes(1) },
      ]),
    ).toEqual({ kind: 'devices', devices: ['d1', 'd0'] });
    expect(
      replicaSource([{ location: { kind: 'host', host: 'h2', memory: 'gpu' }, bytes: bytes(1) }]),
    ).toEqual({ kind: 'host', host: 'h2', memory: 'gpu' });
    expect(cacheKey('a@b', 'c')).not.toBe(cacheKey('a', 'b@c'));
  });

  it('device capacity, DRAM share and GPU share come from the node attributes', () => {
    const f = preset('octopus-96');
    const pool = new KvPool(f, config({ kind: 'stripe' }));
    expect(pool.capacityBytes(dev('d0'))).toBe(256 * GiB);
    expect(pool.capacityBytes({ kind: 'host', host: 'h0', memory: 'dram' })).toBe(
      Math.floor(0.25 * 512 * GiB),
    );
    expect(pool.capacityBytes({ kind: 'host', host: 'h0', memory: 'gpu' })).toBe(
      Math.floor(0.3 * 8 * 80 * GiB),
    );
    expect(pool.usedBytes(dev('d0'))).toBe(0);
    const s = pool.stats();
    expect(s.perLocation.length).toBe(192 + 2 * 96);
    expect(s.capacityBytes).toBe(s.perLocation.reduce((a, l) => a + l.capacityBytes, 0));
    expect(() => pool.usedBytes(dev('nope'))).toThrow(InputError);
  });

  it('a device down in the fabric view has no capacity and receives nothing', () => {
    const f = compileFabric(loadTopology('prototype-3').graph, { devices: ['d0'] });
    const pool = new KvPool(f, config({ kind: 'local' }));
    expect(pool.capacityBytes(dev('d0'))).toBe(0);
    const r = pool.insert(entry('v', 'c', GiB), 'h0', 0);
    expect(r.placement.applied).toBe('host-memory');
    expect(ids(stored(r).replicas[0] ?? [])).toEqual(['h0:dram']);
  });

  it('rejects invalid configurations with every problem and its path', () => {
    const f = preset('prototype-3');
    try {
      new KvPool(f, {
        placement: { kind: 'spread', devices: 0 },
        eviction: 'lru',
        hostDramFraction: 2,
        gpuCacheFraction: -1,
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues.map((i) => i.path.join('.'))).toEqual([
        'placement.devices',
        'hostDramFraction',
        'gpuCacheFraction',
      ]);
    }
  });
});

describe('placement', () => {
  it('local on prototype-3 puts the object on d0', () => {
    const pool = new KvPool(preset('prototype-3'), config({ kind: 'local' }));
    const r = pool.insert(entry('v', 'c', 10 * GiB), 'h1', 0);
    expect(r.placement).toEqual({ applied: 'local' });
    expect(stored(r).replicas).toHaveLength(1);
    expect(ids(stored(r).replicas[0] ?? [])).toEqual(['d0']);
    expect(pool.usedBytes(dev('d0'))).toBe(10 * GiB);
    expect(r.writes).toEqual([{ location: dev('d0'), bytes: 10 * GiB }]);
  });

  it('local picks the least-used device the producer reaches, ties by id', () => {
    const f = preset('octopus-96');
    const reach = reachableDevices(f, 'h0');
    const pool = new KvPool(f, config({ kind: 'local' }));
    const sorted = [...reach].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    const first = stored(pool.insert(entry('v', 'c0', GiB), 'h0', 0));
    expect(ids(first.replicas[0] ?? [])).toEqual([sorted[0]]);
    const second = stored(pool.insert(entry('v', 'c1', GiB), 'h0', 0));
    expect(ids(second.replicas[0] ?? [])).toEqual([sorted[1]]);
  });

  it('stripe on octopus-96 from h0: 8 equal stripes over the devices h0 reaches', () => {
    const f = preset('octopus-96');
    const pool = new KvPool(f, config({ kind: 'stripe' }));
    const size = 1.43e9;
    const o = stored(pool.insert(entry('v', 'c', size), 'h0', 0));
    const r = o.replicas[0] ?? [];
    expect(r).toHaveLength(8);
    expect(new Set(ids(r))).toEqual(new Set(reachableDevices(f, 'h0')));
    for (const s of r) expect(s.bytes).toBe(Math.ceil(size / 8));
    expect(replicaSource(r)).toEqual({ kind: 'devices', devices: ids(r) });
  });

  it('spread picks the least-used devices of the whole pod', () => {
    const f = preset('octopus-96');
    const pool = new KvPool(f, config({ kind: 'spread', devices: 4 }));
    const a = stored(pool.insert(entry('v', 'a', 4 * GiB), 'h0', 0));
    expect(ids(a.replicas[0] ?? [])).toEqual(['d0', 'd1', 'd2', 'd3']);
    const b = stored(pool.insert(entry('v', 'b', 4 * GiB), 'h7', 0));
    expect(ids(b.replicas[0] ?? [])).toEqual(['d4', 'd5', 'd6', 'd7']);
    // Removing a frees d0–d3 completely; the next object takes them first (most free, then id).
    pool.remove(a.key);
    const c = stored(pool.insert(entry('v', 'c', 8 * GiB), 'h0', 0));
    expect(ids(c.replicas[0] ?? [])).toEqual(['d0', 'd1', 'd2', 'd3']);
    const d = stored(pool.insert(entry('v', 'd', 8 * GiB), 'h0', 0));
    expect(ids(d.replicas[0] ?? [])).toEqual(['d8', 'd9', 'd10', 'd11']);
  });

  it('replicas: 2 on octopus-96 gives two disjoint replicas reached by different hosts', () => {
    const f = preset('octopus-96');
    const pool = new KvPool(f, config({ kind: 'replicas', count: 2 }));
    const o = stored(pool.insert(entry('v', 'c', 16 * GiB), 'h0', 0));
    expect(o.replicas).toHaveLength(2);
    const [r0, r1] = [ids(o.replicas[0] ?? []), ids(o.replicas[1] ?? [])];
    expect(new Set(r0)).toEqual(new Set(reachableDevices(f, 'h0')));
    expect(r0.filter((d) => r1.includes(d))).toEqual([]);
    const hosts = f.nodes.filter((_x, i) => f.nodeKind[i] === 'host' && f.nodes[i] !== 'h0');
    const reacher = hosts.find((h) => r1.every((d) => reachableDevices(f, h).includes(d)));
    expect(reacher).toBeDefined();
    for (const r of o.replicas)
      for (const s of r) expect(s.bytes).toBe(Math.ceil((16 * GiB) / r.length));
  });

  it('replicas beyond what the pod allows are reported, not invented', () => {
    const pool = new KvPool(preset('prototype-3'), config({ kind: 'replicas', count: 2 }));
    const r = pool.insert(entry('v', 'c', GiB), 'h0', 0);
    expect(stored(r).replicas).toHaveLength(1);
    expect(r.placement.note).toMatch(/1 of 2/);
  });

  it('stripe on rdma-96x3 falls back to the producer’s DRAM and says so', () => {
    const pool = new KvPool(preset('rdma-96x3'), config({ kind: 'stripe' }));
    const r = pool.insert(entry('v', 'c', GiB), 'h3', 0);
    expect(r.placement.applied).toBe('host-memory');
    expect(r.placement.note).toBeDefined();
    const rep = stored(r).replicas[0] ?? [];
    expect(ids(rep)).toEqual(['h3:dram']);
    expect(replicaSource(rep)).toEqual({ kind: 'host', host: 'h3', memory: 'dram' });
  });

  it('host-memory gpu uses the producer’s GPU share', () => {
    const pool = new KvPool(preset('rdma-96x3'), config({ kind: 'host-memory', memory: 'gpu' }));
    const r = pool.insert(entry('v', 'c', GiB), 'h1', 0);
    expect(r.placement).toEqual({ applied: 'host-memory' });
    expect(ids(stored(r).replicas[0] ?? [])).toEqual(['h1:gpu']);
  });

  it('E caches count in the size', () => {
    const pool = new KvPool(preset('prototype-3'), config({ kind: 'local' }));
    const o = stored(
      pool.insert(
        { ...entry('v', 'c', 1000), eLayers: [3, 16], eBytesPerLayer: bytes(250) },
        'h0',
        0,
      ),
    );
    expect(o.totalBytes).toBe(1500);
    expect(pool.usedBytes(dev('d0'))).toBe(1500);
  });

  it('an unknown producer is an InputError', () => {
    const pool = new KvPool(preset('prototype-3'), config({ kind: 'local' }));
    expect(() => pool.insert(entry('v', 'c', 1), 'd0', 0)).toThrow(InputError);
  });
});

describe('lookups', () => {
  it('get, related (same base model and context, sorted by variant), touch and stats', () => {
    const pool = new KvPool(preset('prototype-3'), config({ kind: 'local' }));
    pool.insert(entry('v2', 'c', GiB), 'h0', 0);
    pool.insert(entry('v10', 'c', GiB), 'h0', 0);
    pool.insert(entry('v1', 'c', GiB), 'h0', 0);
    pool.insert(entry('m', 'c', GiB, 'mistral-7b'), 'h0', 0);
    pool.insert(entry('v3', 'other', GiB), 'h0', 0);
    expect(pool.get('v2', 'c')?.key).toBe(cacheKey('v2', 'c'));
    expect(pool.get('v2', 'other')).toBeUndefined();
    expect(pool.related('llama-3.1-8b', 'c', 'v2').map((o) => o.variant)).toEqual(['v1', 'v10']);
    expect(pool.touch(cacheKey('v1', 'c'), 5, 'cross-variant')).toBe(true);
    expect(pool.touch(cacheKey('v2', 'c'), 6, 'exact')).toBe(true);
    expect(pool.touch('missing', 7, 'exact')).toBe(false);
    pool.recordMiss();
    expect(pool.get('v1', 'c')).toMatchObject({ hits: 1, lastUsedNs: 5, createdNs: 0 });
    expect(pool.stats()).toMatchObject({
      objects: 5,
      hits: { exact: 1, crossVariant: 1, miss: 1 },
      inserts: 5,
      evictions: 0,
      rejected: 0,
    });
    expect([...pool.objects()].map((o) => o.variant)).toEqual(['v2', 'v10', 'v1', 'm', 'v3']);
  });
});

describe('eviction, replacement, rejection', () => {
  const cap = 256 * GiB; // prototype-3's d0

  it('lru evicts the least recently used; ties go to the object stored first', () => {
    const pool = new KvPool(preset('prototype-3'), config({ kind: 'local' }, 'lru'));
    pool.insert(entry('v', 'a', 100 * GiB), 'h0', 0);
    pool.insert(entry('v', 'b', 100 * GiB), 'h0', 1);
    pool.touch(cacheKey('v', 'a'), 2, 'exact');
    const r = pool.insert(entry('v', 'c', 100 * GiB), 'h0', 3);
    expect(r.evicted.map((o) => o.context)).toEqual(['b']);
    const r2 = pool.insert(entry('v', 'd', 100 * GiB), 'h0', 4);
    expect(r2.evicted.map((o) => o.context)).toEqual(['a']);
    expect(pool.usedBytes(dev('d0'))).toBe(200 * GiB);
    expect(pool.stats().evictions).toBe(2);

    const ties = new KvPool(preset('prototype-3'), config({ kind: 'local' }, 'lru'));
    for (const c of ['z', 'y', 'x']) ties.insert(entry('v', c, 100 * GiB), 'h0', 0);
    expect(ties.stats().evictions).toBe(1);
    expect(ties.get('v', 'z')).toBeUndefined();
    expect(ties.insert(entry('v', 'w', 100 * GiB), 'h0', 0).evicted.map((o) => o.context)).toEqual([
      'y',
    ]);
  });

  it('lru across producers: a shared device evicts the least recently used of both hosts’ objects', () => {
    const f = preset('octopus-96');
    const mine = reachableDevices(f, 'h0');
    const hosts = f.nodes.filter((_x, i) => f.nodeKind[i] === 'host' && f.nodes[i] !== 'h0');
    const other = hosts.find((h) => reachableDevices(f, h).some((d) => mine.includes(d)));
    if (other === undefined) throw new Error('octopus-96: no host shares a device with h0');
    const pool = new KvPool(f, config({ kind: 'stripe' }, 'lru'));
    pool.insert(entry('v', 'a', 800 * GiB), 'h0', 0);
    pool.insert(entry('v', 'b', 800 * GiB), other, 1);
    pool.touch(cacheKey('v', 'a'), 2, 'exact');
    // The shared device holds a (h0's stripe group) and b (other's); c needs room there.
    const r = pool.insert(entry('v', 'c', 800 * GiB), 'h0', 3);
    expect(r.evicted.map((o) => o.context)).toEqual(['b']);
    expect(pool.get('v', 'a')).toBeDefined();
  });

  it('ties keep insertion order across slot compaction', () => {
    const pool = new KvPool(preset('prototype-3'), config({ kind: 'local' }, 'lru'));
    const name = (i: number) => `k${String(i).padStart(3, '0')}`;
    for (let i = 0; i < 150; i++) pool.insert(entry('v', name(i), GiB), 'h0', 0);
    for (let i = 0; i < 150; i++) if (i % 4 !== 0) pool.remove(cacheKey('v', name(i)));
    const live = pool.stats().objects;
    for (let i = 0; live * GiB + i * GiB < cap; i++)
      expect(pool.insert(entry('v', `fill${i}`, GiB), 'h0', 0).evicted).toEqual([]);
    const r = pool.insert(entry('v', 'x', 3 * GiB), 'h0', 0);
    expect(r.evicted.map((o) => o.context)).toEqual(['k000', 'k004', 'k008']);
  });

  it('gdsf evicts the lowest value per byte, weighs hits, and ages by its clock', () => {
    const f = preset('prototype-3');
    const size = 100 * GiB;
    const pool = new KvPool(f, config({ kind: 'local' }, 'gdsf'));
    pool.insert(entry('v', 'hi', size), 'h0', 0, 1e10); // stored first: LRU would evict it
    pool.insert(entry('v', 'lo', size), 'h0', 1, 1e9);
    const r = pool.insert(entry('v', 'mid', size), 'h0', 2, 5e9);
    expect(r.evicted.map((o) => o.context)).toEqual(['lo']);
    // With p = 1e9 ns ÷ size: hi = 10p (clock 0), lo = p, so lo went and the clock is p;
    // mid = p + 5p = 6p. The next insert evicts mid (6p < 10p) and the clock rises to 6p, so
    // new = 6p + 4p = 10p: hi, never used again, has aged to new's level and, stored first,
    // goes next although its value is the highest.
    const r2 = pool.insert(entry('v', 'new', size), 'h0', 3, 4e9);
    expect(r2.evicted.map((o) => o.context)).toEqual(['mid']);
    const r3 = pool.insert(entry('v', 'newer', size), 'h0', 4, 6e9);
    expect(r3.evicted.map((o) => o.context)).toEqual(['hi']);

    // Frequency: two equal objects, the one hit twice stays.
    const freq = new KvPool(f, config({ kind: 'local' }, 'gdsf'));
    freq.insert(entry('v', 'a', size), 'h0', 0, 1e9);
    freq.insert(entry('v', 'b', size), 'h0', 0, 1e9);
    freq.touch(cacheKey('v', 'a'), 1, 'exact');
    freq.touch(cacheKey('v', 'a'), 2, 'exact');
    expect(freq.insert(entry('v', 'c', size), 'h0', 3, 1e9).evicted.map((o) => o.context)).toEqual([
      'b',
    ]);

    // Size: equal values, the larger object (less value per byte) goes first.
    const bySize = new KvPool(f, config({ kind: 'local' }, 'gdsf'));
    bySize.insert(entry('v', 'small', 60 * GiB), 'h0', 0, 1e9);
    bySize.insert(entry('v', 'large', 150 * GiB), 'h0', 0, 1e9);
    expect(
      bySize.insert(entry('v', 'c', 60 * GiB), 'h0', 1, 1e9).evicted.map((o) => o.context),
    ).toEqual(['large']);
  });

  it('replaces an object of the same key', () => {
    const pool = new KvPool(preset('prototype-3'), config({ kind: 'local' }));
    const first = stored(pool.insert(entry('v', 'c', 10 * GiB), 'h0', 0));
    const r = pool.insert(entry('v', 'c', 20 * GiB), 'h1', 5);
    expect(r.replaced).toBe(first);
    expect(r.evicted).toEqual([]);
    expect(pool.get('v', 'c')).toMatchObject({
      producer: 'h1',
      createdNs: 5,
      totalBytes: 20 * GiB,
    });
    expect(pool.stats().objects).toBe(1);
    expect(pool.usedBytes(dev('d0'))).toBe(20 * GiB);
  });

  it('rejects an object larger than its locations can ever hold, storing and evicting nothing', () => {
    const pool = new KvPool(preset('prototype-3'), config({ kind: 'local' }));
    pool.insert(entry('v', 'keep', 100 * GiB), 'h0', 0);
    const r = pool.insert(entry('v', 'huge', cap + 1), 'h0', 1);
    expect(r.stored).toBeUndefined();
    expect(r.rejected).toBeDefined();
    expect(r.evicted).toEqual([]);
    expect(r.writes).toEqual([]);
    expect(pool.get('v', 'huge')).toBeUndefined();
    expect(pool.get('v', 'keep')).toBeDefined();
    expect(pool.stats()).toMatchObject({ objects: 1, rejected: 1 });
    // Exactly the capacity fits (after evicting everything else).
    const fit = pool.insert(entry('v', 'full', cap), 'h0', 2);
    expect(fit.evicted.map((o) => o.context)).toEqual(['keep']);
    expect(pool.usedBytes(dev('d0'))).toBe(cap);
  });
});

describe('lose', () => {
  it('drops replicas on failed devices and removes objects left with none', () => {
    const f = preset('octopus-96');
    const pool = new KvPool(f, config({ kind: 'replicas', count: 2 }));
    const o = stored(pool.insert(entry('v', 'c', 16 * GiB), 'h0', 0));
    const [r0, r1] = [ids(o.replicas[0] ?? []), ids(o.replicas[1] ?? [])];
    expect(pool.lose({ devices: [r0[2] ?? ''] })).toEqual([]);
    expect(o.replicas.map(ids)).toEqual([r1]);
    for (const d of r0) expect(pool.usedBytes(dev(d))).toBe(0);
    expect(pool.capacityBytes(dev(r0[2] ?? ''))).toBe(0);
    const gone = pool.lose({ devices: [r1[0] ?? ''] });
    expect(gone.map((x) => x.key)).toEqual([o.key]);
    expect(pool.get('v', 'c')).toBeUndefined();
    expect(pool.stats()).toMatchObject({
      objects: 0,
      bytesUsed: 0,
      lostReplicas: 2,
      lostObjects: 1,
    });
  });

  it('drops host-memory replicas of failed hosts and refuses unknown ids', () => {
    const pool = new KvPool(preset('rdma-96x3'), config({ kind: 'host-memory', memory: 'dram' }));
    pool.insert(entry('v', 'a', GiB), 'h0', 0);
    pool.insert(entry('v', 'b', GiB), 'h1', 0);
    expect(pool.lose({ hosts: ['h0'] }).map((o) => o.context)).toEqual(['a']);
    expect(pool.get('v', 'b')).toBeDefined();
    expect(pool.insert(entry('v', 'c', GiB), 'h0', 1).rejected).toMatch(/out of service/);
    expect(() => pool.lose({ hosts: ['nope'], devices: ['h1'] })).toThrow(InputError);
  });
});

// ---- model-based run -------------------------------------------------------------------------

interface Model {
  keys: Set<string>;
  now: number;
}
interface Real {
  pool: KvPool;
  fabric: Fabric;
}

const VARIANTS = ['va', 'vb', 'vc', 'vd'];
const CONTEXTS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
const vcArb = fc.record({ v: fc.constantFrom(...VARIANTS), c: fc.constantFrom(...CONTEXTS) });

/** Fails with `message` unless `ok` (cheap enough for the per-location loops below). */
function ensure(ok: boolean, message: string): void {
  if (!ok) expect.fail(message);
}

/** Checks the invariant and the accounting against the model. */
function checkAll(m: Model, r: Real): void {
  const { pool } = r;
  const sums = new Map<string, number>();
  for (const key of m.keys) {
    const o = pool.getByKey(key);
    ensure(o !== undefined, `the model has ${key}, the pool does not`);
    if (o === undefined) continue;
    ensure(
      pool.get(o.variant, o.context) === o,
      `get(${o.variant}, ${o.context}) disagrees with getByKey`,
    );
    ensure(o.replicas.length > 0, `${key} has no replica`);
    const seen = new Set<string>();
    for (const rep of o.replicas) {
      ensure(rep.length > 0, `${key} has an empty replica`);
      for (const s of rep) {
        const id = locationId(s.location);
        ensure(!seen.has(id), `replicas of ${key} share ${id}`);
        seen.add(id);
        ensure(
          s.bytes >= o.totalBytes / rep.length && Number.isInteger(s.bytes),
          `stripe of ${key} at ${id} is ${s.bytes} B for ${o.totalBytes} B over ${rep.length}`,
        );
        sums.set(id, (sums.get(id) ?? 0) + s.bytes);
      }
    }
  }
  for (const l of pool.locations()) {
    const used = pool.usedBytes(l);
    const id = locationId(l);
    ensure(
      used <= pool.capacityBytes(l),
      `${id} holds ${used} B > capacity ${pool.capacityBytes(l)} B`,
    );
    ensure(
      used === (sums.get(id) ?? 0),
      `${id}: usedBytes ${used} ≠ Σ stripes ${sums.get(id) ?? 0}`,
    );
  }
  const s = pool.stats();
  ensure(s.objects === m.keys.size, `stats.objects ${s.objects} ≠ ${m.keys.size} keys`);
  ensure([...pool.objects()].length === m.keys.size, 'objects() disagrees with the model');
}

class InsertCmd implements fc.Command<Model, Real> {
  constructor(
    readonly v: string,
    readonly c: string,
    /** Size as thousandths of the pool's largest location (so every topology and policy sees fits, evictions and rejections). */
    readonly permille: number,
    readonly halfByte: boolean,
    readonly eLayers: number,
    readonly producer: number,
    readonly dtNs: number,
    readonly valueNs: number | undefined,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    m.now += this.dtNs;
    const hosts = r.fabric.hosts;
    const producer = r.fabric.nodes[hosts[this.producer % hosts.length] ?? 0] ?? '';
    const scale = Math.max(GiB, ...r.pool.stats().perLocation.map((l) => l.capacityBytes));
    const kvBytes = Math.floor((this.permille / 1000) * scale) + (this.halfByte ? 0.5 : 0);
    const e: CacheEntryInput = {
      variant: this.v,
      context: this.c,
      model: 'm',
      tokens: 1000,
      kvBytes: bytes(kvBytes),
      eLayers: Array.from({ length: this.eLayers }, (_x, i) => i),
      eBytesPerLayer: bytes(GiB / 4),
    };
    const res = r.pool.insert(e, producer, m.now, this.valueNs);
    const key = cacheKey(this.v, this.c);
    if (res.replaced !== undefined) {
      expect(res.replaced.key).toBe(key);
      expect(m.keys.delete(key)).toBe(true);
    } else expect(m.keys.has(key)).toBe(false);
    for (const o of res.evicted)
      expect(m.keys.delete(o.key), `evicted ${o.key} was present`).toBe(true);
    if (res.stored !== undefined) {
      expect(res.rejected).toBeUndefined();
      expect(res.stored.key).toBe(key);
      expect(res.writes.length).toBe(res.stored.replicas.reduce((a, x) => a + x.length, 0));
      m.keys.add(key);
    } else {
      expect(res.rejected).toBeDefined();
      expect(res.writes).toEqual([]);
    }
    checkAll(m, r);
  }
  toString(): string {
    return `insert(${this.v},${this.c},${this.permille}‰${this.halfByte ? '+½B' : ''}+${this.eLayers}E,p${this.producer},+${this.dtNs},${this.valueNs})`;
  }
}

class GetCmd implements fc.Command<Model, Real> {
  constructor(
    readonly v: string,
    readonly c: string,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const o = r.pool.get(this.v, this.c);
    expect(o !== undefined).toBe(m.keys.has(cacheKey(this.v, this.c)));
    for (const x of r.pool.related('m', this.c, this.v)) expect(m.keys.has(x.key)).toBe(true);
    checkAll(m, r);
  }
  toString(): string {
    return `get(${this.v},${this.c})`;
  }
}

class TouchCmd implements fc.Command<Model, Real> {
  constructor(
    readonly v: string,
    readonly c: string,
    readonly kind: 'exact' | 'cross-variant',
    readonly dtNs: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    m.now += this.dtNs;
    expect(r.pool.touch(cacheKey(this.v, this.c), m.now, this.kind)).toBe(
      m.keys.has(cacheKey(this.v, this.c)),
    );
    checkAll(m, r);
  }
  toString(): string {
    return `touch(${this.v},${this.c},${this.kind})`;
  }
}

class RemoveCmd implements fc.Command<Model, Real> {
  constructor(
    readonly v: string,
    readonly c: string,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const key = cacheKey(this.v, this.c);
    expect(r.pool.remove(key) !== undefined).toBe(m.keys.delete(key));
    checkAll(m, r);
  }
  toString(): string {
    return `remove(${this.v},${this.c})`;
  }
}

class LoseCmd implements fc.Command<Model, Real> {
  constructor(
    readonly what: 'device' | 'host',
    readonly index: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const f = r.fabric;
    const kind = this.what === 'host' ? ['host'] : ['mhd', 'memory-device'];
    const candidates = f.nodes.filter((_x, i) => kind.includes(f.nodeKind[i] ?? ''));
    const id = candidates[this.index % Math.max(1, candidates.length)];
    if (id === undefined) return;
    const gone = r.pool.lose(this.what === 'host' ? { hosts: [id] } : { devices: [id] });
    for (const o of gone) expect(m.keys.delete(o.key)).toBe(true);
    const lost = this.what === 'host' ? [`${id}:dram`, `${id}:gpu`] : [id];
    for (const key of m.keys)
      for (const rep of r.pool.getByKey(key)?.replicas ?? [])
        for (const s of rep) expect(lost).not.toContain(locationId(s.location));
    checkAll(m, r);
  }
  toString(): string {
    return `lose(${this.what} #${this.index})`;
  }
}

const policyArb: fc.Arbitrary<PlacementPolicy> = fc.oneof(
  fc.constant({ kind: 'local' } as const),
  fc.constant({ kind: 'stripe' } as const),
  fc.integer({ min: 1, max: 5 }).map((devices) => ({ kind: 'spread', devices }) as const),
  fc.integer({ min: 1, max: 3 }).map((count) => ({ kind: 'replicas', count }) as const),
  fc.constantFrom('dram', 'gpu').map((memory) => ({ kind: 'host-memory', memory }) as const),
);

const insertArb = fc
  .tuple(
    vcArb,
    fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 600 }), weight: 8 },
      { arbitrary: fc.integer({ min: 600, max: 1500 }), weight: 1 },
    ),
    fc.boolean(),
    fc.integer({ min: 0, max: 3 }),
    fc.nat(200),
    fc.nat(1000),
    fc.option(fc.integer({ min: 0, max: 1e10 }), { nil: undefined }),
  )
  .map(
    ([{ v, c }, permille, half, e, p, dt, value]) =>
      new InsertCmd(v, c, permille, half, e, p, dt, value),
  );

const commandsArb = fc.commands(
  [
    insertArb,
    insertArb,
    fc
      .tuple(
        vcArb,
        fc.constantFrom('exact', 'cross-variant') as fc.Arbitrary<'exact' | 'cross-variant'>,
        fc.nat(1000),
      )
      .map(([{ v, c }, k, dt]) => new TouchCmd(v, c, k, dt)),
    vcArb.map(({ v, c }) => new RemoveCmd(v, c)),
    // Gets, and rarely a failure (it takes locations out for the rest of the run).
    fc.oneof(
      { arbitrary: vcArb.map(({ v, c }): fc.Command<Model, Real> => new GetCmd(v, c)), weight: 8 },
      {
        arbitrary: fc
          .tuple(fc.constantFrom('device', 'host') as fc.Arbitrary<'device' | 'host'>, fc.nat(200))
          .map(([w, i]): fc.Command<Model, Real> => new LoseCmd(w, i)),
        weight: 1,
      },
    ),
  ],
  { maxCommands: 80, size: 'max' },
);

describe('model-based run (fc.commands / fc.modelRun)', () => {
  it('never exceeds a capacity; used bytes equal the stripes stored; lookups agree with the model', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'prototype-3',
          'octopus-bibd-25',
          'prototype-3-switched',
          'rdma-32x1',
          'hybrid-4x13',
        ),
        policyArb,
        fc.constantFrom<EvictionPolicy>('lru', 'gdsf'),
        fc.constantFrom(0, 0.02, 0.25),
        commandsArb,
        (topo, placement, eviction, hostDramFraction, cmds) => {
          const fabric = preset(topo);
          const setup = () => ({
            model: { keys: new Set<string>(), now: 0 },
            real: {
              pool: new KvPool(fabric, {
                placement,
                eviction,
                hostDramFraction,
                gpuCacheFraction: 0.2,
              }),
              fabric,
            },
          });
          fc.modelRun(setup, cmds);
        },
      ),
      { numRuns: 200 },
    );
  });
});
