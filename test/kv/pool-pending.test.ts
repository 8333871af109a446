/**
 * A cache whose write is in flight (KvPool.insert with `pending`): it takes its space and evicts
 * at once, but lookups see it only after `land` (docs/serving.md "Cache writes: visibility and pacing").
 */
import { describe, expect, it } from 'vitest';
import { compileFabric } from '../../src/fabric/compile.ts';
import { loadTopology } from '../../src/io/index.ts';
import { KvPool } from '../../src/kv/pool.ts';
import { bytes } from '../../src/units/index.ts';

const f = compileFabric(loadTopology('octopus-96').graph);
const config = {
  placement: { kind: 'stripe' },
  eviction: 'lru',
  hostDramFraction: 0.5,
  gpuCacheFraction: 0.3,
} as const;
const entry = (variant: string) => ({
  variant,
  context: 'c1',
  model: 'm',
  tokens: 100,
  kvBytes: bytes(1e6),
  eLayers: [],
  eBytesPerLayer: bytes(0),
});

describe('KvPool pending writes', () => {
  it('hides a pending object from get and related until it lands, while it holds its bytes', () => {
    const pool = new KvPool(f, config);
    const r = pool.insert(entry('a'), 'h0', 0, undefined, true);
    pool.insert(entry('b'), 'h0', 0);
    expect(pool.get('a', 'c1')).toBeUndefined();
    expect(pool.related('m', 'c1', 'b')).toEqual([]);
    expect(pool.stats().bytesUsed).toBeGreaterThanOrEqual(2e6);
    pool.land(r.stored as NonNullable<typeof r.stored>);
    expect(pool.get('a', 'c1')).toBe(r.stored);
    expect(pool.related('m', 'c1', 'b').map((o) => o.variant)).toEqual(['a']);
  });

  it('landing a replaced object leaves its replacement pending', () => {
    const pool = new KvPool(f, config);
    const first = pool.insert(entry('a'), 'h0', 0, undefined, true);
    pool.insert(entry('a'), 'h0', 1, undefined, true);
    pool.land(first.stored as NonNullable<typeof first.stored>);
    expect(pool.get('a', 'c1')).toBeUndefined();
  });
});
