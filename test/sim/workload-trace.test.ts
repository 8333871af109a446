/**
 * Per-row traces in the sim layer (src/sim/trace-stream.ts): row i is request i, with the row's
 * arrival, variant, context and tokens, whatever the seed; rows without a variant draw one by
 * weight (same seed, same draw); stops at `requests` and `durationNs`; bad rows are refused
 * with their row and column.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import {
  generateRequests,
  type Request,
  type TraceRows,
  type WorkloadSpec,
} from '../../src/sim/workload.ts';

const rows = (over: Partial<TraceRows> = {}): TraceRows => ({
  variantIds: ['a', 'b'],
  contextIds: ['x', 'y'],
  variant: Int32Array.of(0, 1, 0),
  context: Int32Array.of(0, 0, 1),
  contextTokens: Int32Array.of(1000, 1000, 500),
  suffixTokens: Int32Array.of(10, 0, 20),
  outputTokens: Int32Array.of(5, 6, 7),
  ...over,
});

const spec = (over: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  arrival: { kind: 'trace', arrivalsNs: [0, 1e6, 3e6] },
  contexts: { count: 1, length: { kind: 'fixed', tokens: 1 } },
  popularity: { kind: 'uniform' },
  variants: [
    { id: 'a', weight: 1 },
    { id: 'b', weight: 3 },
  ],
  crossVariantShare: 0,
  suffixTokens: 0,
  output: { kind: 'fixed', tokens: 1 },
  rows: rows(),
  ...over,
});

const all = (w: WorkloadSpec, seed: number): Request[] => [...generateRequests(w, seed)];

describe('per-row trace replay', () => {
  it('replays every row exactly, the same for every seed', () => {
    const want = [
      {
        id: 0,
        arrivalNs: 0,
        variant: 'a',
        context: 'x',
        contextTokens: 1000,
        suffixTokens: 10,
        outputTokens: 5,
      },
      {
        id: 1,
        arrivalNs: 1e6,
        variant: 'b',
        context: 'x',
        contextTokens: 1000,
        suffixTokens: 0,
        outputTokens: 6,
      },
      {
        id: 2,
        arrivalNs: 3e6,
        variant: 'a',
        context: 'y',
        contextTokens: 500,
        suffixTokens: 20,
        outputTokens: 7,
      },
    ];
    expect(all(spec(), 1)).toEqual(want);
    expect(all(spec(), 999)).toEqual(want);
  });

  it('stops after `requests` rows, or at the first row at or after `durationNs`', () => {
    expect(all(spec({ requests: 2 }), 1).map((r) => r.id)).toEqual([0, 1]);
    // Rows at 0 and 1 ms come before 3 ms; the row at 3 ms does not.
    expect(all(spec({ durationNs: 3e6 }), 1).map((r) => r.id)).toEqual([0, 1]);
  });

  it('rows naming no variant draw one by weight, from the seed', () => {
    const n = 4000;
    const w = spec({
      arrival: { kind: 'trace', arrivalsNs: Array.from({ length: n }, (_, i) => i) },
      rows: rows({
        variantIds: [],
        contextIds: ['x'],
        variant: new Int32Array(n).fill(-1),
        context: new Int32Array(n),
        contextTokens: new Int32Array(n).fill(100),
        suffixTokens: new Int32Array(n),
        outputTokens: new Int32Array(n).fill(1),
      }),
    });
    const a = all(w, 3).map((r) => r.variant);
    expect(all(w, 3).map((r) => r.variant)).toEqual(a);
    // Weights 1 : 3 → b with probability 0.75; 4,000 draws: σ = √(0.75 · 0.25 / 4000) ≈ 0.0068.
    const shareB = a.filter((v) => v === 'b').length / n;
    expect(Math.abs(shareB - 0.75)).toBeLessThan(4 * 0.0069);
  });

  it('refuses rows that do not match the arrivals, bad indices and tokens, a context with two lengths', () => {
    const codes = (w: WorkloadSpec): string[][] => {
      try {
        generateRequests(w, 1);
        return [];
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as InputError).issues.map((i) => [i.code, i.path.join('.')]);
      }
    };
    expect(codes(spec({ arrival: { kind: 'trace', arrivalsNs: [0, 1] } }))).toEqual([
      ['workload.rows-length', 'rows'],
    ]);
    expect(
      codes(
        spec({
          rows: rows({ variant: Int32Array.of(0, 2, 0), outputTokens: Int32Array.of(5, 0, 7) }),
        }),
      ),
    ).toEqual([
      ['input.range', 'rows.variant.1'],
      ['input.range', 'rows.outputTokens.1'],
    ]);
    // Row 1 gives context x 900 tokens; row 0 gave it 1,000.
    expect(codes(spec({ rows: rows({ contextTokens: Int32Array.of(1000, 900, 500) }) }))).toEqual([
      ['workload.context-length', 'rows.contextTokens.1'],
    ]);
  });
});
