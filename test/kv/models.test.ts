/**
 * Model shapes and cache sizes against docs/references.md §3 (the shapes table and the worked
 * example), parameter counts against the published totals, the DroidSpeak byte strategies as
 * properties, and validateModelShape's "every problem at once, with a path" (docs/design.md convention §4).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BUILTIN_MODELS,
  BUILTIN_MODEL_IDS,
  cacheLayoutsMatch,
  eBytesPerTokenPerLayer,
  eCacheBytes,
  getModel,
  kvBytesPerToken,
  kvBytesPerTokenPerLayer,
  kvCacheBytes,
  kvLayerBytes,
  partialReuseBytes,
  sendAllBytes,
  shapeParameterCount,
  toModelShape,
  validateModelShape,
  type ModelShape,
} from '../../src/kv/index.ts';
import { InputError, type Issue } from '../../src/errors/index.ts';
import { GB, KiB, MB } from '../../src/units/index.ts';
import { expectApprox } from '../helpers/approx.ts';

const modelIds = fc.constantFrom(...BUILTIN_MODEL_IDS);
const tokenCounts = fc.integer({ min: 0, max: 1_000_000 });

describe('built-in shapes (docs/references.md §3 table)', () => {
  it.each([
    ['llama-3-8b', 128],
    ['llama-3.1-8b', 128],
    ['mistral-7b', 128],
    ['mistrallite', 128],
    ['mixtral-8x7b', 128],
    ['mistral-small-24b', 160],
    ['phi-3.5-mini', 384],
    ['llama-3-70b', 320],
    ['llama-3.1-70b', 320],
  ])('%s stores %i KiB of KV per token (fp16)', (id, kib) => {
    expect(kvBytesPerToken(getModel(id))).toBe(kib * KiB);
  });

  it('E cache per layer is 2× one layer of KV for the 8B GQA models and 4× for the 70B', () => {
    for (const id of ['llama-3-8b', 'llama-3.1-8b', 'mistral-7b']) {
      const m = getModel(id);
      expect(eBytesPerTokenPerLayer(m) / kvBytesPerTokenPerLayer(m)).toBe(2);
    }
    for (const id of ['llama-3-70b', 'llama-3.1-70b']) {
      const m = getModel(id);
      expect(eBytesPerTokenPerLayer(m) / kvBytesPerTokenPerLayer(m)).toBe(4);
    }
  });

  it('worked example: Llama-3-8B at 10,933 tokens ≈ 1.43 GB KV, 44.8 MB per layer, 89.6 MB per E cache', () => {
    const m = getModel('llama-3-8b');
    expectApprox(kvCacheBytes(m, 10_933) / GB, 1.43, 0.01);
    expectApprox(kvLayerBytes(m, 10_933) / MB, 44.8, 0.01);
    expectApprox(eCacheBytes(m, 10_933) / MB, 89.6, 0.01);
  });

  // Published totals (model cards; Mixtral from Mistral AI's announcement), kept here apart from
  // the table so that a typo in either shows up.
  it.each([
    ['llama-3-8b', 8.03e9, 8.03e9],
    ['llama-3.1-8b', 8.03e9, 8.03e9],
    ['mistral-7b', 7.24e9, 7.24e9],
    ['mistrallite', 7.24e9, 7.24e9],
    ['mixtral-8x7b', 46.7e9, 12.9e9],
    ['mistral-small-24b', 23.6e9, 23.6e9],
    ['phi-3.5-mini', 3.82e9, 3.82e9],
    ['llama-3-70b', 70.6e9, 70.6e9],
    ['llama-3.1-70b', 70.6e9, 70.6e9],
  ])(
    '%s: parameters derived from the shape are within 3 %% of the published %d (active %d)',
    (id, total, active) => {
      const m = getModel(id);
      expectApprox(shapeParameterCount(m, 'total'), total, 0.03);
      expectApprox(shapeParameterCount(m, 'active'), active, 0.03);
      expectApprox(m.parameterCount, total, 1e-9);
      expectApprox(m.activeParameterCount, active, 1e-9);
    },
  );

  it('the table is frozen, keyed by lowercase ids, and every entry validates', () => {
    expect(Object.isFrozen(BUILTIN_MODELS)).toBe(true);
    for (const id of BUILTIN_MODEL_IDS) {
      expect(id).toBe(id.toLowerCase());
      const m = getModel(id);
      expect(Object.isFrozen(m)).toBe(true);
      expect(validateModelShape(m, ['models', id])).toEqual([]);
    }
  });

  it('DroidSpeak pairs share a cache layout; different bases do not', () => {
    expect(cacheLayoutsMatch(getModel('mistrallite'), getModel('mistral-7b'))).toBe(true);
    expect(cacheLayoutsMatch(getModel('llama-3.1-70b'), getModel('llama-3-70b'))).toBe(true);
    expect(cacheLayoutsMatch(getModel('mistral-small-24b'), getModel('mistral-7b'))).toBe(false);
  });
});

describe('getModel', () => {
  it('is case-insensitive', () => {
    expect(getModel('Llama-3.1-8B')).toBe(BUILTIN_MODELS['llama-3.1-8b']);
  });
  it('throws InputError with a did-you-mean, the list of ids and the path', () => {
    try {
      getModel('llama3.1-8b', ['models', 0, 'base']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const err = e as InputError;
      expect(err.issues[0]?.code).toBe('kv.unknown-model');
      expect(err.issues[0]?.path).toEqual(['models', 0, 'base']);
      expect(err.message).toContain('"llama-3.1-8b"');
      for (const id of BUILTIN_MODEL_IDS) expect(err.message).toContain(id);
    }
  });
});

describe('cache-size laws', () => {
  it('every size is linear in tokens', () => {
    fc.assert(
      fc.property(modelIds, tokenCounts, tokenCounts, (id, a, b) => {
        const m = getModel(id);
        for (const size of [kvCacheBytes, kvLayerBytes, eCacheBytes]) {
          expectApprox(size(m, a + b), size(m, a) + size(m, b));
          expectApprox(size(m, 3 * a), 3 * size(m, a));
        }
        expect(kvCacheBytes(m, 0)).toBe(0);
        expectApprox(kvCacheBytes(m, a), m.layers * kvLayerBytes(m, a));
      }),
    );
  });

  const plans = fc
    .tuple(
      modelIds,
      tokenCounts,
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .map(([id, tokens, r, e]) => {
      const m = getModel(id);
      return {
        m,
        tokens,
        plan: { reusedLayers: Math.floor(r * m.layers), eCacheLoads: Math.floor(e * m.layers) },
      };
    });

  it('send reused never fetches more than send all, and equals it when every layer is reused', () => {
    fc.assert(
      fc.property(plans, ({ m, tokens, plan }) => {
        expect(partialReuseBytes(m, tokens, plan)).toBeLessThanOrEqual(
          sendAllBytes(m, tokens, plan),
        );
        const all = { ...plan, reusedLayers: m.layers };
        expectApprox(partialReuseBytes(m, tokens, all), sendAllBytes(m, tokens, all));
      }),
    );
  });

  it('send reused = reused layers × layer KV + loads × E cache, monotone in both', () => {
    fc.assert(
      fc.property(plans, ({ m, tokens, plan }) => {
        const expected =
          plan.reusedLayers * kvLayerBytes(m, tokens) + plan.eCacheLoads * eCacheBytes(m, tokens);
        expectApprox(partialReuseBytes(m, tokens, plan), expected);
        if (plan.reusedLayers < m.layers) {
          expect(
            partialReuseBytes(m, tokens, { ...plan, reusedLayers: plan.reusedLayers + 1 }),
          ).toBeGreaterThanOrEqual(partialReuseBytes(m, tokens, plan));
        }
      }),
    );
  });

  it('rejects impossible plans and token counts as programming errors (RangeError)', () => {
    const m = getModel('llama-3-8b');
    expect(() => partialReuseBytes(m, 100, { reusedLayers: 33, eCacheLoads: 1 })).toThrow(
      RangeError,
    );
    expect(() => sendAllBytes(m, 100, { reusedLayers: 4, eCacheLoads: -1 })).toThrow(RangeError);
    expect(() => kvCacheBytes(m, -1)).toThrow(RangeError);
    expect(() => eCacheBytes(m, Number.NaN)).toThrow(RangeError);
  });
});

describe('validateModelShape', () => {
  const good: ModelShape = { ...getModel('llama-3.1-8b'), name: 'my-llama' };
  const byCode = (issues: readonly Issue[]) =>
    issues.map((i) => `${i.code}@${i.path.join('.')}`).sort();

  it('accepts a sound custom shape, including headDim × heads ≠ hidden (Mistral-Small-24B style)', () => {
    expect(validateModelShape(good, ['models', 'mine'])).toEqual([]);
    expect(validateModelShape({ ...getModel('mistral-small-24b') })).toEqual([]);
    expect(toModelShape(good)).toEqual(good);
    expect(Object.isFrozen(toModelShape(good))).toBe(true);
  });

  it('reports every problem at once, each with its path under the given prefix', () => {
    const bad = {
      ...good,
      name: '',
      layers: 0,
      heads: 32,
      kvHeads: 6,
      headDim: 12.5,
      experts: 2,
      expertsPerToken: 3,
      dtypeBytes: 3,
      activeParameterCount: 9e9,
      tieWordEmbeddings: 'no',
      hidenSize: 4096,
    };
    const issues = validateModelShape(bad, ['models', 'x']);
    expect(byCode(issues)).toEqual(
      [
        'input.type@models.x.name',
        'input.integer@models.x.layers',
        'input.integer@models.x.headDim',
        'input.range@models.x.dtypeBytes',
        'input.type@models.x.tieWordEmbeddings',
        'input.unknown-key@models.x.hidenSize',
        'model.kv-heads@models.x.kvHeads',
        'model.experts@models.x.expertsPerToken',
        'model.parameter-count@models.x.activeParameterCount',
      ].sort(),
    );
    expect(issues.find((i) => i.code === 'input.unknown-key')?.message).toContain('hiddenSize');
  });

  it('reports missing fields and non-objects without throwing', () => {
    const missing: Record<string, unknown> = { ...good };
    delete missing['vocabSize'];
    delete missing['parameterCount'];
    expect(byCode(validateModelShape(missing))).toEqual([
      'input.required@parameterCount',
      'input.required@vocabSize',
    ]);
    for (const raw of [null, 42, 'llama', [good]]) {
      expect(validateModelShape(raw, ['m']).map((i) => i.code)).toEqual(['input.type']);
    }
  });

  it('flags a declared parameter count far from what the shape implies, and a dense model with active ≠ total', () => {
    expect(
      byCode(validateModelShape({ ...good, parameterCount: 12e9, activeParameterCount: 12e9 })),
    ).toEqual(['model.parameter-count@parameterCount']);
    expect(byCode(validateModelShape({ ...good, activeParameterCount: 7e9 }))).toEqual([
      'model.parameter-count@activeParameterCount',
    ]);
  });

  it('never throws, whatever the input (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.dictionary(
          fc.constantFrom('layers', 'heads', 'kvHeads', 'dtypeBytes', 'name', 'experts'),
          fc.anything(),
        ),
        (raw, patch) => {
          expect(Array.isArray(validateModelShape(raw))).toBe(true);
          expect(Array.isArray(validateModelShape({ ...good, ...patch }))).toBe(true);
        },
      ),
    );
  });

  it('toModelShape throws InputError carrying every issue and the file', () => {
    try {
      toModelShape({ ...good, layers: -1, kvHeads: 5 }, ['models', 'x'], 'scenarios/a.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues).toHaveLength(2);
      expect((e as InputError).file).toBe('scenarios/a.yaml');
    }
  });
});
