/**
 * Scenario files: both bundled presets load with the expected variants and profiles and resolve
 * to complete SimConfigs (serving, workload, SLOs); defaults and every accepted form resolve as
 * documented; arrival traces are read relative to the scenario file; each kind of user mistake
 * becomes an InputError with the right issue code and path (not message text, docs/design.md convention §5);
 * several problems are reported at once; and the loader is fuzzed (docs/design.md convention §12): whatever the
 * text, it returns a Scenario or throws a PodsimError, and a mutated field is blamed by its own
 * path.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { PodsimError } from '../../src/errors/index.ts';
import { InputError, UnitError, formatPath } from '../../src/errors/index.ts';
import { mutationBlamesItsField, parsesOrPodsimError } from '../helpers/errors.ts';
import {
  SCENARIOS_DIR,
  SCENARIO_DEFAULTS,
  listScenarioPresets,
  loadScenario,
  parseRatePerSecond,
  parseScenarioText,
  scenarioJsonSchema,
  type Scenario,
} from '../../src/io/index.ts';
import {
  BUILTIN_GPUS,
  BUILTIN_MODELS,
  type GpuProfile,
  type ModelShape,
} from '../../src/kv/index.ts';
import { buildFrontier, syntheticProfile } from '../../src/planner/profiles.ts';
import type { SimConfig } from '../../src/sim/engine.ts';
import { LONGBENCH_PRESETS, validateWorkload } from '../../src/sim/workload.ts';

/** Parses `text`, expecting an InputError; returns it. */
function fails(text: string, file = 'bad.yaml', baseDir?: string): InputError {
  try {
    parseScenarioText(text, file, baseDir === undefined ? {} : { baseDir });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, none was thrown');
}

const where = (e: PodsimError): string[] =>
  e.issues.map((i) => `${i.code} @ ${formatPath(i.path)}`);

/** Two Llama-3.1-8B variants with a synthetic profile each way. */
const BASE = `models: [llama-3.1-8b]
variants:
  - { id: evolcode, model: llama-3.1-8b }
  - { id: toolace, model: llama-3.1-8b }
profiles:
  - { receiver: evolcode, sender: toolace, synthetic: {} }
  - { receiver: toolace, sender: evolcode, synthetic: { seed: 3 } }
`;

/** A Llama-2-13B-shaped custom model (published config: 40 layers, 5120 hidden, 13.0 B parameters). */
const CUSTOM_13B =
  '{ id: my-13b, layers: 40, hiddenSize: 5120, heads: 40, kvHeads: 40, headDim: 128, intermediateSize: 13824, vocabSize: 32000, parameterCount: 13.0e9 }';

const sensitivities = (n: number, first = 0.3): number[] =>
  Array.from({ length: n }, (_, i) => (i === 0 ? first : 0.001));

/** A temporary folder for trace files, removed after the file's tests. */
const TMP = mkdtempSync(join(tmpdir(), 'podsim-scenario-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const writeTmp = (name: string, text: string): string => {
  writeFileSync(join(TMP, name), text);
  return join(TMP, name);
};

describe('bundled scenarios', () => {
  it('lists exactly the two presets, sorted, each with a description', () => {
    const presets = listScenarioPresets();
    expect(presets.map((p) => p.name)).toEqual(['droidspeak-70b', 'droidspeak-8b']);
    for (const p of presets) expect(p.description.length).toBeGreaterThan(40);
  });

  it('droidspeak-8b: three base models, the paper’s pairs and their reverses, synthetic profiles', () => {
    const { scenario: s, file } = loadScenario('droidspeak-8b');
    expect(file).toBe(join(SCENARIOS_DIR, 'droidspeak-8b.yaml'));
    expect(s.name).toBe('droidspeak-8b');
    expect(Object.keys(s.models)).toEqual(['llama-3.1-8b', 'llama-3-8b', 'mistral-7b']);
    expect(s.variants.map((v) => `${v.id}:${v.model}`)).toEqual([
      'evolcode:llama-3.1-8b',
      'toolace:llama-3.1-8b',
      'llama-3-8b-sft-lora-ultrachat:llama-3-8b',
      'fingpt-llama-3-8b:llama-3-8b',
      'mistrallite:mistral-7b',
      'mistral-7b:mistral-7b',
    ]);
    expect(s.profiles.map((p) => `${p.receiver}<-${p.sender}`)).toEqual([
      'evolcode<-toolace',
      'llama-3-8b-sft-lora-ultrachat<-fingpt-llama-3-8b',
      'mistrallite<-mistral-7b',
      'toolace<-evolcode',
      'fingpt-llama-3-8b<-llama-3-8b-sft-lora-ultrachat',
      'mistral-7b<-mistrallite',
    ]);
    const base = new Map(s.variants.map((v) => [v.id, v.model]));
    for (const p of s.profiles) expect(base.get(p.receiver)).toBe(base.get(p.sender));
    expect(s.gpu).toBe(BUILTIN_GPUS['a100-80gb']);
    expect(s.tensorParallel).toBe(1);
    expect(s.qualityBudget).toBe(0.05);
  });

  it('droidspeak-70b: two 80-layer base models, 4-way tensor parallelism', () => {
    const { scenario: s } = loadScenario('droidspeak-70b');
    expect(Object.keys(s.models)).toEqual(['llama-3-70b', 'llama-3.1-70b']);
    expect(s.variants.map((v) => v.id)).toEqual([
      'llama-3-70b-instruct',
      'llama-3-70b',
      'llama-3.1-70b-instruct',
      'llama-3.1-70b',
    ]);
    expect(s.profiles.map((p) => `${p.receiver}<-${p.sender}`)).toEqual([
      'llama-3-70b-instruct<-llama-3-70b',
      'llama-3.1-70b-instruct<-llama-3.1-70b',
      'llama-3-70b<-llama-3-70b-instruct',
      'llama-3.1-70b<-llama-3.1-70b-instruct',
    ]);
    expect(s.tensorParallel).toBe(4);
    for (const p of s.profiles) expect(p.layers).toBe(80);
  });

  it('droidspeak-8b serves 8 replicas per Llama-3.1-8B variant, Poisson arrivals over hotpotQA, a 3 s TTFT SLO', () => {
    const s = loadScenario('droidspeak-8b').scenario;
    expect(s.serving.replicas.map((r) => `${r.variant}×${r.count}`)).toEqual([
      'evolcode×8',
      'toolace×8',
      'llama-3-8b-sft-lora-ultrachat×4',
      'fingpt-llama-3-8b×4',
      'mistrallite×4',
      'mistral-7b×4',
    ]);
    expect(s.serving.routing).toBe('round-robin');
    expect(s.workload.arrival.kind).toBe('poisson');
    expect(s.workload.contexts.length).toEqual(LONGBENCH_PRESETS.hotpotqa);
    expect(s.workload.crossVariantShare).toBeGreaterThanOrEqual(0.5);
    expect(s.workload.crossVariantShare).toBeLessThanOrEqual(0.7);
    expect(s.slo.ttftNs).toBe(3e9);
  });

  it('droidspeak-70b: 2 four-GPU replicas per variant over long code contexts', () => {
    const s = loadScenario('droidspeak-70b').scenario;
    expect(s.serving.replicas.map((r) => r.count)).toEqual([2, 2, 2, 2]);
    expect(s.serving.replicas.map((r) => r.variant)).toEqual(s.variants.map((v) => v.id));
    expect([LONGBENCH_PRESETS.lcc, LONGBENCH_PRESETS['repobench-p']]).toContainEqual(
      s.workload.contexts.length,
    );
  });

  it('every preset resolves to a complete, valid SimConfig that fits 256 GPUs (rdma-32x1) and so 768 (the 96-host pods)', () => {
    for (const { name } of listScenarioPresets()) {
      const cfg: SimConfig = loadScenario(name).scenario; // compiles: a Scenario is a SimConfig
      expect(cfg.serving.replicas.length).toBeGreaterThan(0);
      expect(cfg.slo.ttftNs).toBeGreaterThan(0);
      expect(cfg.slo.e2eNs).toBeGreaterThan(cfg.slo.ttftNs);
      expect(validateWorkload(cfg.workload)).toEqual([]);
      const served = new Set(cfg.serving.replicas.map((r) => r.variant));
      for (const v of cfg.workload.variants) expect(served.has(v.id), v.id).toBe(true);
      const gpus = cfg.serving.replicas.reduce((n, r) => n + r.count, 0) * cfg.tensorParallel;
      expect(gpus).toBeLessThanOrEqual(256);
      expect(cfg.workload.requests).toBeGreaterThan(0);
    }
  });

  it('every preset profile has a full frontier and is the synthetic profile of the scenario seed', () => {
    for (const { name } of listScenarioPresets()) {
      const s = loadScenario(name).scenario;
      for (const p of s.profiles) {
        expect(p.frontier.length).toBeGreaterThan(1);
        expect(p.frontier[0]?.recomputedLayers).toBe(0);
        expect(p.frontier.at(-1)?.recomputedLayers).toBe(p.layers);
        expect(p.layerSensitivity).toHaveLength(p.layers);
        expect(p).toEqual(
          syntheticProfile({
            receiver: p.receiver,
            sender: p.sender,
            layers: p.layers,
            seed: s.seed,
          }),
        );
      }
      expect(loadScenario(name).scenario).toEqual(s); // deterministic
    }
  });

  it('the committed JSON Schema equals the generated one', () => {
    const committed = readFileSync(join(SCENARIOS_DIR, 'scenario.schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  });

  it('exports a draft 2020-12 JSON Schema with the shared definitions', () => {
    const s = scenarioJsonSchema() as {
      $schema: string;
      required: string[];
      $defs: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.required).toEqual(['models', 'variants']);
    expect(s.additionalProperties).toBe(false);
    expect(Object.keys(s.$defs)).toEqual(
      expect.arrayContaining([
        'custom-model',
        'variant',
        'profile',
        'profile-data',
        'pool',
        'planner',
        'serving',
        'replica',
        'workload',
        'arrival',
        'context-length',
        'slo',
      ]),
    );
  });

  it('an unknown preset is an InputError (input.not-found)', () => {
    try {
      loadScenario('droidspeak-9b');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect(where(e as InputError)).toEqual(['input.not-found @ (root)']);
    }
  });
});

describe('resolution', () => {
  it('fills every default in from SCENARIO_DEFAULTS and names the scenario after the file', () => {
    const s = parseScenarioText(
      'models: [llama-3.1-8b]\nvariants: [{ id: a, model: llama-3.1-8b }]\n',
      'dir/minimal.yaml',
    );
    expect(s).toEqual({
      name: 'minimal',
      description: '',
      seed: SCENARIO_DEFAULTS.seed,
      gpu: BUILTIN_GPUS[SCENARIO_DEFAULTS.gpu] as GpuProfile,
      tensorParallel: 1,
      models: { 'llama-3.1-8b': BUILTIN_MODELS['llama-3.1-8b'] as ModelShape },
      variants: [{ id: 'a', model: 'llama-3.1-8b' }],
      profiles: [],
      qualityBudget: 0.05,
      planner: { policy: 'fabric-aware', strategy: 'best' },
      pool: {
        placement: { kind: 'stripe' },
        eviction: 'lru',
        hostDramFraction: 0.5,
        gpuCacheFraction: 0.3,
      },
      serving: { replicas: [{ variant: 'a', count: 1 }], routing: 'round-robin', maxBatch: 64 },
      workload: {
        arrival: { kind: 'poisson', ratePerSecond: 2 },
        requests: 1000,
        contexts: { count: 100, length: LONGBENCH_PRESETS.hotpotqa },
        popularity: { kind: 'zipf', exponent: 1 },
        variants: [{ id: 'a', weight: 1 }],
        crossVariantShare: 0, // one variant: nobody else to come from
        suffixTokens: 64,
        output: { kind: 'fixed', tokens: 128 },
      },
      slo: { ttftNs: 3e9, e2eNs: 60e9 },
    } satisfies Scenario);
    expect(Object.isFrozen(s) && Object.isFrozen(s.pool) && Object.isFrozen(s.variants)).toBe(true);
    expect(
      Object.isFrozen(s.serving.replicas) &&
        Object.isFrozen(s.workload) &&
        Object.isFrozen(s.workload.variants) &&
        Object.isFrozen(s.slo),
    ).toBe(true);
  });

  it('with several variants, the default workload weighs each served variant 1 and is half cross-variant', () => {
    const s = parseScenarioText(
      `${BASE}serving: { replicas: [{ variant: toolace, count: 3 }, { variant: evolcode, count: 2 }] }\n`,
      'd.yaml',
    );
    expect(s.serving.replicas).toEqual([
      { variant: 'toolace', count: 3 },
      { variant: 'evolcode', count: 2 },
    ]);
    expect(s.workload.variants).toEqual([
      { id: 'toolace', weight: 1 },
      { id: 'evolcode', weight: 1 },
    ]);
    expect(s.workload.crossVariantShare).toBe(SCENARIO_DEFAULTS.workload.crossVariantShare);
  });

  it('reads every serving, workload and SLO form', () => {
    const s = parseScenarioText(
      `${BASE}serving: { routing: least-loaded, maxBatch: 16 }
workload:
  arrival: { bursts: { rate: "240 /min", size: 8 } }
  duration: "10 min"
  contexts: { count: 7, length: { median: 1000, p95: 3000, max: 5000 } }
  popularity: uniform
  variants: { toolace: 3, evolcode: 0.5 }
  crossVariantShare: 70 %
  suffixTokens: 0
  output: { uniform: [64, 256] }
slo: { ttft: "500 ms", e2e: "2 min" }
`,
      'forms.yaml',
    );
    expect(s.serving).toEqual({
      replicas: [
        { variant: 'evolcode', count: 1 },
        { variant: 'toolace', count: 1 },
      ],
      routing: 'least-loaded',
      maxBatch: 16,
    });
    expect(s.workload).toEqual({
      arrival: { kind: 'bursts', ratePerSecond: 4, burstSize: 8 },
      durationNs: 600e9,
      contexts: {
        count: 7,
        length: {
          kind: 'lognormal',
          medianTokens: 1000,
          p95Tokens: 3000,
          minTokens: 256,
          maxTokens: 5000,
        },
      },
      popularity: { kind: 'uniform' },
      variants: [
        { id: 'toolace', weight: 3 },
        { id: 'evolcode', weight: 0.5 },
      ],
      crossVariantShare: 0.7,
      suffixTokens: 0,
      output: { kind: 'uniform', minTokens: 64, maxTokens: 256 },
    });
    expect(s.slo).toEqual({ ttftNs: 500e6, e2eNs: 120e9 });
    const w = (text: string) => parseScenarioText(`${BASE}workload: ${text}\n`, 'w.yaml').workload;
    expect(
      w('{ requests: 5, contexts: { length: { fixed: 8000 } }, output: { fixed: 3 } }'),
    ).toMatchObject({
      requests: 5,
      contexts: { length: { kind: 'fixed', tokens: 8000 } },
      output: { kind: 'fixed', tokens: 3 },
    });
    expect(
      w('{ requests: 5, contexts: { length: lcc }, popularity: { zipf: 0.8 } }'),
    ).toMatchObject({
      contexts: { length: LONGBENCH_PRESETS.lcc },
      popularity: { kind: 'zipf', exponent: 0.8 },
    });
    expect(w('{ requests: 5, arrival: { poisson: "7200 /h" } }').arrival).toEqual({
      kind: 'poisson',
      ratePerSecond: 2,
    });
    expect(w('{ requests: 5 }')).not.toHaveProperty('durationNs');
  });

  it('parses rates in every documented spelling and refuses the rest', () => {
    expect(parseRatePerSecond('4 /s')).toBe(4);
    expect(parseRatePerSecond('4/s')).toBe(4);
    expect(parseRatePerSecond('240 /min')).toBe(4);
    expect(parseRatePerSecond('7200/h')).toBe(2);
    expect(parseRatePerSecond('2 per second')).toBe(2);
    expect(parseRatePerSecond('0.5 requests per minute')).toBeCloseTo(1 / 120, 12);
    expect(parseRatePerSecond('3 req/s')).toBe(3);
    for (const bad of ['4', '4 GB/s', '4 /parsec', '/s', '0 /s', '-1 /s', '1e999 /s', ''])
      expect(() => parseRatePerSecond(bad), bad).toThrow(UnitError);
  });

  it('reads JSON too, and percentages and fractions alike', () => {
    const json = JSON.stringify({
      models: ['mistral-7b'],
      variants: [{ id: 'a', model: 'mistral-7b' }],
      qualityBudget: '12.5%',
      pool: { hostDramFraction: '40 %', gpuCacheFraction: 0.25 },
    });
    const s = parseScenarioText(json, 's.json');
    expect(s.qualityBudget).toBe(0.125);
    expect(s.pool.hostDramFraction).toBe(0.4);
    expect(s.pool.gpuCacheFraction).toBe(0.25);
    expect(parseScenarioText(`${BASE}qualityBudget: 5 %\n`, 'a.yaml').qualityBudget).toBe(
      parseScenarioText(`${BASE}qualityBudget: 0.05\n`, 'b.yaml').qualityBudget,
    );
  });

  it('resolves every placement form', () => {
    const placement = (p: string) =>
      parseScenarioText(`${BASE}pool: { placement: ${p} }\n`, 'p.yaml').pool.placement;
    expect(placement('local')).toEqual({ kind: 'local' });
    expect(placement('stripe')).toEqual({ kind: 'stripe' });
    expect(placement('{ spread: 8 }')).toEqual({ kind: 'spread', devices: 8 });
    expect(placement('{ replicas: 2 }')).toEqual({ kind: 'replicas', count: 2 });
    expect(placement('{ host-memory: gpu }')).toEqual({ kind: 'host-memory', memory: 'gpu' });
  });

  it('reads planner, gpu and tensorParallel', () => {
    const s = parseScenarioText(
      `${BASE}gpu: h100-80gb\ntensorParallel: 2\nplanner: { policy: droidspeak, strategy: pipelined }\n`,
      'p.yaml',
    );
    expect(s.gpu.name).toBe(BUILTIN_GPUS['h100-80gb']?.name);
    expect(s.tensorParallel).toBe(2);
    expect(s.planner).toEqual({ policy: 'droidspeak', strategy: 'pipelined' });
  });

  it('synthetic profiles take their own seed, else the scenario seed', () => {
    const s = parseScenarioText(`seed: 7\n${BASE}`, 's.yaml');
    const [a, b] = s.profiles;
    expect(a).toEqual(
      syntheticProfile({ receiver: 'evolcode', sender: 'toolace', layers: 32, seed: 7 }),
    );
    expect(b).toEqual(
      syntheticProfile({ receiver: 'toolace', sender: 'evolcode', layers: 32, seed: 3 }),
    );
    expect(parseScenarioText(`seed: 8\n${BASE}`, 's.yaml').profiles[0]).not.toEqual(a);
  });

  it('data profiles get their frontier from buildFrontier when it is absent, and keep a given one', () => {
    const layerSensitivity = sensitivities(32);
    const text = `models: [llama-3.1-8b]
variants: [{ id: a, model: llama-3.1-8b }, { id: b, model: llama-3.1-8b }]
profiles:
  - { receiver: a, sender: b, data: { layerSensitivity: ${JSON.stringify(layerSensitivity)}, fullReuseLoss: 0.6 } }
  - receiver: b
    sender: a
    data:
      layerSensitivity: ${JSON.stringify(layerSensitivity)}
      fullReuseLoss: 0.6
      frontier:
        - { groups: [], recomputedLayers: 0, eCacheLoads: 0, qualityLoss: 0.6 }
        - { groups: [{ start: 0, end: 31 }], recomputedLayers: 32, eCacheLoads: 1, qualityLoss: 0 }
`;
    const [built, given] = parseScenarioText(text, 'd.yaml').profiles;
    expect(built?.frontier).toEqual(
      buildFrontier({
        receiver: 'a',
        sender: 'b',
        layers: 32,
        layerSensitivity,
        fullReuseLoss: 0.6,
      }),
    );
    expect(given?.frontier).toHaveLength(2);
    expect(given?.frontier[1]?.groups).toEqual([{ start: 0, end: 31 }]);
  });

  it('custom models get their defaults and are validated as ModelShapes', () => {
    const s = parseScenarioText(
      `models: [${CUSTOM_13B}]\nvariants: [{ id: a, model: my-13b }, { id: b, model: my-13b }]\nprofiles: [{ receiver: a, sender: b, synthetic: {} }]\n`,
      'c.yaml',
    );
    expect(s.models['my-13b']).toMatchObject({
      name: 'my-13b',
      family: 'custom',
      layers: 40,
      experts: 1,
      expertsPerToken: 1,
      tieWordEmbeddings: false,
      dtypeBytes: 2,
      activeParameterCount: 13e9,
    });
    expect(s.profiles[0]?.layers).toBe(40);
  });
});

describe('arrival traces', () => {
  it('reads a trace relative to the scenario file, skipping blank lines and comments', () => {
    writeTmp('arrivals.csv', '# arrival times\n0 ns\n12.5 ms\n\n12.5 ms\n1.5 s\n2 min\r\n');
    const file = writeTmp('traced.yaml', `${BASE}workload: { arrival: { trace: arrivals.csv } }\n`);
    const { scenario } = loadScenario(file);
    expect(scenario.workload.arrival).toEqual({
      kind: 'trace',
      arrivalsNs: [0, 12.5e6, 12.5e6, 1.5e9, 120e9],
    });
    expect(scenario.workload).not.toHaveProperty('requests'); // a trace stops at its end
    expect(
      parseScenarioText(
        `${BASE}workload: { arrival: { trace: arrivals.csv }, requests: 2 }\n`,
        'elsewhere.yaml',
        { baseDir: TMP },
      ).workload.requests,
    ).toBe(2);
  });

  it('reports each bad line with its number, and the first decrease', () => {
    writeTmp('bad.csv', '1 ms\n2 ms\n3 ms\n4 ms\n5 ms\n6 ms\n12 parsecs\n8 ms\n1 ms\n9\n');
    const e = fails(`${BASE}workload: { arrival: { trace: bad.csv } }\n`, 'bad.yaml', TMP);
    expect(where(e)).toEqual([
      'workload.trace-line @ workload.arrival.trace',
      'workload.trace-line @ workload.arrival.trace',
      'workload.trace-order @ workload.arrival.trace',
    ]);
    expect(e.issues[0]?.message).toMatch(/^bad\.csv:7: "12 parsecs" is not a time/);
    expect(e.issues[1]?.message).toMatch(/^bad\.csv:10: /);
    expect(e.issues[2]?.message).toMatch(/^bad\.csv:9: /);
  });

  it('a missing, unreadable or empty trace is an InputError at workload.arrival.trace', () => {
    writeTmp('empty.csv', '# nothing\n\n');
    const trace = (name: string) =>
      where(fails(`${BASE}workload: { arrival: { trace: ${name} } }\n`, 'bad.yaml', TMP));
    expect(trace('nope.csv')).toEqual(['input.not-found @ workload.arrival.trace']);
    expect(trace('.')).toEqual(['input.read @ workload.arrival.trace']); // a folder
    expect(trace('empty.csv')).toEqual(['workload.trace-empty @ workload.arrival.trace']);
  });

  it('a long run of bad lines gives a few issues, not one per line', () => {
    writeTmp('noise.csv', 'x\n'.repeat(1000));
    expect(
      fails(`${BASE}workload: { arrival: { trace: noise.csv } }\n`, 'bad.yaml', TMP).issues.length,
    ).toBeLessThanOrEqual(6);
  });
});

describe('user mistakes: class, code and path', () => {
  const cases: [string, string, string[]][] = [
    ['YAML syntax', 'models: [llama-3.1-8b\n', ['input.yaml @ (root)']],
    ['not a mapping', '- 1\n- 2\n', ['input.type @ (root)']],
    [
      'missing models and variants',
      'seed: 1\n',
      ['input.required @ models', 'input.required @ variants'],
    ],
    [
      'unknown model id',
      BASE.replace('models: [llama-3.1-8b]', 'models: [llama-3.1-8c]'),
      ['kv.unknown-model @ models[0]'],
    ],
    [
      'custom model: heads not a multiple of kvHeads',
      `models: [${CUSTOM_13B.replace('kvHeads: 40', 'kvHeads: 6')}]\nvariants: [{ id: a, model: my-13b }]\n`,
      ['model.kv-heads @ models[0].kvHeads'],
    ],
    [
      'custom model: parameter count far from the shape',
      `models: [${CUSTOM_13B.replace('13.0e9', '30e9')}]\nvariants: [{ id: a, model: my-13b }]\n`,
      ['model.parameter-count @ models[0].parameterCount'],
    ],
    [
      'custom model: schema problems',
      `models: [${CUSTOM_13B.replace('layers: 40', 'layers: 2.5, layer: 40')}]\nvariants: [{ id: a, model: my-13b }]\n`,
      ['input.integer @ models[0].layers', 'input.unknown-key @ models[0].layer'],
    ],
    [
      'custom model: MoE without activeParameterCount',
      `models: [${CUSTOM_13B.replace('vocabSize', 'experts: 8, expertsPerToken: 2, vocabSize')}]\nvariants: [{ id: a, model: my-13b }]\n`,
      ['input.required @ models[0].activeParameterCount'],
    ],
    [
      'custom model with a built-in id',
      `models: [${CUSTOM_13B.replace('my-13b', 'llama-3-8b')}]\nvariants: [{ id: a, model: llama-3-8b }]\n`,
      ['scenario.reserved-id @ models[0].id'],
    ],
    [
      'duplicate model',
      BASE.replace('models: [llama-3.1-8b]', 'models: [llama-3.1-8b, llama-3.1-8b]'),
      ['scenario.duplicate-model @ models[1]'],
    ],
    [
      'duplicate variant ids',
      BASE.replace(
        '{ id: toolace, model: llama-3.1-8b }',
        '{ id: toolace, model: llama-3.1-8b }\n  - { id: evolcode, model: llama-3.1-8b }',
      ),
      ['scenario.duplicate-variant @ variants[2].id'],
    ],
    [
      'variant naming an undeclared model',
      BASE.replace('{ id: toolace, model: llama-3.1-8b }', '{ id: toolace, model: llama-3-8b }'),
      ['scenario.unknown-model @ variants[1].model'],
    ], // not also blamed on its profiles
    [
      'profile naming an unknown variant',
      BASE.replace('sender: toolace', 'sender: toolaec'),
      ['scenario.unknown-variant @ profiles[0].sender'],
    ],
    [
      'receiver = sender',
      BASE.replace('sender: toolace', 'sender: evolcode'),
      ['profile.same-model @ profiles[0].sender'],
    ],
    [
      'pair across base models',
      'models: [llama-3.1-8b, llama-3-8b]\nvariants: [{ id: a, model: llama-3.1-8b }, { id: b, model: llama-3-8b }]\nprofiles: [{ receiver: a, sender: b, synthetic: {} }]\n',
      ['profile.base-model @ profiles[0].sender'],
    ],
    [
      'pair across layer counts',
      `models: [llama-3.1-8b, ${CUSTOM_13B}]\nvariants: [{ id: a, model: llama-3.1-8b }, { id: b, model: my-13b }]\nprofiles: [{ receiver: b, sender: a, synthetic: {} }]\n`,
      ['profile.base-model @ profiles[0].sender'],
    ],
    [
      'profile data of the wrong length',
      `models: [llama-3.1-8b]\nvariants: [{ id: a, model: llama-3.1-8b }, { id: b, model: llama-3.1-8b }]\nprofiles: [{ receiver: a, sender: b, data: { layerSensitivity: ${JSON.stringify(sensitivities(30))}, fullReuseLoss: 0.6 } }]\n`,
      ['profile.length @ profiles[0].data.layerSensitivity'],
    ],
    [
      'profile data with a frontier that does not end at all layers',
      `models: [llama-3.1-8b]\nvariants: [{ id: a, model: llama-3.1-8b }, { id: b, model: llama-3.1-8b }]\nprofiles: [{ receiver: a, sender: b, data: { layerSensitivity: ${JSON.stringify(sensitivities(32))}, fullReuseLoss: 0.6, frontier: [{ groups: [], recomputedLayers: 0, eCacheLoads: 0, qualityLoss: 0.6 }] } }]\n`,
      ['profile.frontier-ends @ profiles[0].data.frontier[0].recomputedLayers'],
    ],
    [
      'profile data out of range',
      BASE.replace('synthetic: {} }', 'data: { layerSensitivity: [1.5], fullReuseLoss: 0.6 } }'),
      ['input.range @ profiles[0].data.layerSensitivity[0]'],
    ],
    [
      'duplicate (receiver, sender) pair',
      BASE.replace('receiver: toolace, sender: evolcode', 'receiver: evolcode, sender: toolace'),
      ['scenario.duplicate-profile @ profiles[1]'],
    ],
    [
      'profile with both synthetic and data',
      BASE.replace(
        'synthetic: {} }',
        'synthetic: {}, data: { layerSensitivity: [], fullReuseLoss: 0.5 } }',
      ),
      ['input.form @ profiles[0]'],
    ],
    [
      'profile with neither synthetic nor data',
      BASE.replace(', synthetic: {} }', ' }'),
      ['input.form @ profiles[0]'],
    ],
    ['qualityBudget above 1', `${BASE}qualityBudget: 1.5\n`, ['input.range @ qualityBudget']],
    ['qualityBudget above 100 %', `${BASE}qualityBudget: 150 %\n`, ['input.range @ qualityBudget']],
    ['qualityBudget negative', `${BASE}qualityBudget: -5 %\n`, ['input.range @ qualityBudget']],
    [
      'qualityBudget as a bare string',
      `${BASE}qualityBudget: "5"\n`,
      ['unit.invalid @ qualityBudget'],
    ],
    [
      'qualityBudget of the wrong type',
      `${BASE}qualityBudget: [5]\n`,
      ['input.type @ qualityBudget'],
    ],
    [
      'spread over 0 devices',
      `${BASE}pool: { placement: { spread: 0 } }\n`,
      ['input.integer @ pool.placement.spread'],
    ],
    [
      '0 replicas',
      `${BASE}pool: { placement: { replicas: 0 } }\n`,
      ['input.integer @ pool.placement.replicas'],
    ],
    [
      'unknown placement word',
      `${BASE}pool: { placement: stripes }\n`,
      ['input.enum @ pool.placement'],
    ],
    [
      'unknown host memory',
      `${BASE}pool: { placement: { host-memory: ssd } }\n`,
      ['input.enum @ pool.placement.host-memory'],
    ],
    [
      'placement of the wrong type',
      `${BASE}pool: { placement: 4 }\n`,
      ['input.type @ pool.placement'],
    ],
    [
      'fractions outside [0, 1]',
      `${BASE}pool: { hostDramFraction: 1.5, gpuCacheFraction: -0.1 }\n`,
      ['input.range @ pool.hostDramFraction', 'input.range @ pool.gpuCacheFraction'],
    ],
    ['unknown eviction', `${BASE}pool: { eviction: lfu }\n`, ['input.enum @ pool.eviction']],
    ['unknown GPU', `${BASE}gpu: a100\n`, ['kv.unknown-gpu @ gpu']],
    [
      'tensorParallel not a power of two',
      `${BASE}tensorParallel: 3\n`,
      ['input.enum @ tensorParallel'],
    ],
    ['tensorParallel above 8', `${BASE}tensorParallel: 16\n`, ['input.enum @ tensorParallel']],
    [
      'a 70B model on one GPU',
      'models: [llama-3-70b]\nvariants: [{ id: a, model: llama-3-70b }]\n',
      ['scenario.model-fit @ tensorParallel'],
    ],
    [
      'unknown planner policy',
      `${BASE}planner: { policy: fabric }\n`,
      ['input.enum @ planner.policy'],
    ],
    [
      'serving: unknown variant',
      `${BASE}serving: { replicas: [{ variant: evolcod, count: 8 }] }\n`,
      ['scenario.unknown-variant @ serving.replicas[0].variant'],
    ],
    [
      'serving: count below 1',
      `${BASE}serving: { replicas: [{ variant: evolcode, count: 0 }] }\n`,
      ['input.integer @ serving.replicas[0].count'],
    ],
    [
      'serving: duplicate variant',
      `${BASE}serving: { replicas: [{ variant: evolcode, count: 1 }, { variant: evolcode, count: 2 }] }\n`,
      ['scenario.duplicate-replica @ serving.replicas[1].variant'],
    ],
    [
      'serving: no replicas',
      `${BASE}serving: { replicas: [] }\n`,
      ['input.range @ serving.replicas'],
    ],
    [
      'serving: unknown routing',
      `${BASE}serving: { routing: random }\n`,
      ['input.enum @ serving.routing'],
    ],
    [
      'workload: weight for an unserved variant',
      `${BASE}serving: { replicas: [{ variant: evolcode, count: 1 }] }\nworkload: { requests: 9, variants: { toolace: 1 } }\n`,
      ['scenario.unserved-variant @ workload.variants.toolace'],
    ],
    [
      'workload: weight for an unknown variant',
      `${BASE}workload: { requests: 9, variants: { evolcod: 1 } }\n`,
      ['scenario.unknown-variant @ workload.variants.evolcod'],
    ],
    [
      'workload: a bandwidth for a rate',
      `${BASE}workload: { requests: 9, arrival: { poisson: 4 GB/s } }\n`,
      ['unit.invalid @ workload.arrival.poisson'],
    ],
    [
      'workload: a bare number for a rate',
      `${BASE}workload: { requests: 9, arrival: { bursts: { rate: 4, size: 2 } } }\n`,
      ['unit.invalid @ workload.arrival.bursts.rate'],
    ],
    [
      'workload: a zero rate',
      `${BASE}workload: { requests: 9, arrival: { poisson: 0 /s } }\n`,
      ['input.range @ workload.arrival.poisson'],
    ],
    [
      'workload: unknown arrival form',
      `${BASE}workload: { requests: 9, arrival: { burst: { rate: 1 /s, size: 2 } } }\n`,
      ['input.kind @ workload.arrival'],
    ],
    [
      'workload: two arrival forms',
      `${BASE}workload: { requests: 9, arrival: { poisson: 1 /s, trace: a.csv } }\n`,
      ['input.form @ workload.arrival'],
    ],
    [
      'workload: no stop',
      `${BASE}workload: { arrival: { poisson: 1 /s } }\n`,
      ['input.required @ workload.requests'],
    ],
    [
      'workload: a bare duration',
      `${BASE}workload: { duration: 600 }\n`,
      ['unit.invalid @ workload.duration'],
    ],
    [
      'workload: unknown LongBench set',
      `${BASE}workload: { requests: 9, contexts: { length: hotpotqaa } }\n`,
      ['input.enum @ workload.contexts.length'],
    ],
    [
      'workload: p95 below the median',
      `${BASE}workload: { requests: 9, contexts: { length: { median: 1000, p95: 900 } } }\n`,
      ['workload.lognormal-fit @ workload.contexts.length.p95'],
    ],
    [
      'workload: output min above max',
      `${BASE}workload: { requests: 9, output: { uniform: [300, 200] } }\n`,
      ['workload.min-max @ workload.output.uniform[1]'],
    ],
    [
      'workload: weights summing to 0',
      `${BASE}workload: { requests: 9, variants: { evolcode: 0, toolace: 0 }, crossVariantShare: 0 }\n`,
      ['workload.weights @ workload.variants'],
    ],
    [
      'workload: cross-variant share with one variant',
      `${BASE}workload: { requests: 9, variants: { evolcode: 1 }, crossVariantShare: 0.5 }\n`,
      ['workload.cross-variant @ workload.crossVariantShare'],
    ],
    [
      'workload: negative weight and Zipf exponent',
      `${BASE}workload: { requests: 9, variants: { evolcode: -1, toolace: 1 }, popularity: { zipf: -1 } }\n`,
      ['input.range @ workload.popularity.zipf', 'input.range @ workload.variants.evolcode'],
    ],
    [
      'workload: unknown key',
      `${BASE}workload: { requests: 9, rate: 1 /s }\n`,
      ['input.unknown-key @ workload.rate'],
    ],
    ['slo: a bare number', `${BASE}slo: { ttft: 3 }\n`, ['unit.invalid @ slo.ttft']],
    ['slo: zero', `${BASE}slo: { e2e: 0 s }\n`, ['input.range @ slo.e2e']],
    ['slo: not a time', `${BASE}slo: { ttft: 3 GB }\n`, ['unit.invalid @ slo.ttft']],
    [
      'unknown top-level key',
      `${BASE}qualitybudget: 0.05\n`,
      ['input.unknown-key @ qualitybudget'],
    ],
  ];
  for (const [what, text, expected] of cases) {
    it(what, () => {
      expect(where(fails(text))).toEqual(expected);
    });
  }

  it('one file with 6 different problems, in old and new sections, reports all 6 at once', () => {
    const text = BASE.replace('models: [llama-3.1-8b]', 'models: [llama-3.1-8c]') // unknown model
      .replace(
        '{ id: toolace, model: llama-3.1-8b }',
        '{ id: toolace, model: llama-3.1-8b }\n  - { id: evolcode, model: llama-3.1-8b }',
      ) // duplicate variant
      .replace('sender: toolace', 'sender: evolcode') // receiver = sender
      .concat('pool: { hostDramFraction: 150 % }\n') // fraction out of range
      .concat('serving: { replicas: [{ variant: toolaec, count: 2 }] }\n') // unknown served variant
      .concat('workload: { arrival: { poisson: 4 GB/s }, requests: 10 }\n'); // not a rate
    const e = fails(text);
    expect(where(e)).toEqual([
      'kv.unknown-model @ models[0]',
      'scenario.duplicate-variant @ variants[2].id',
      'profile.same-model @ profiles[0].sender',
      'input.range @ pool.hostDramFraction',
      'scenario.unknown-variant @ serving.replicas[0].variant',
      'unit.invalid @ workload.arrival.poisson',
    ]);
    expect(e.message).toMatch(/^6 problems in bad\.yaml:/);
  });
});

describe('fuzzing the loader', () => {
  const onlyPodsimErrors = (text: string): void => parsesOrPodsimError(parseScenarioText, text);

  it('arbitrary strings give a Scenario or a PodsimError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), onlyPodsimErrors));
  });

  it('arbitrary JSON values, serialized as JSON or YAML, give a Scenario or a PodsimError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (v, asYaml) =>
        onlyPodsimErrors(asYaml ? stringify(v) : JSON.stringify(v)),
      ),
    );
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (v) =>
        onlyPodsimErrors(JSON.stringify(v) ?? 'null'),
      ),
    );
  });

  it('files built from the format’s own vocabulary give a Scenario or a PodsimError', () => {
    const value = fc.oneof(
      fc.integer({ min: -2, max: 40 }),
      fc.constantFrom('5 %', '150 %', 'x', 'llama-3.1-8b', 'a', 'b'),
      fc.double({ min: -0.5, max: 1.5, noNaN: true }),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const modelId = fc.constantFrom(
      'llama-3.1-8b',
      'llama-3-8b',
      'llama-3-70b',
      'mistral-7b',
      'my-13b',
      'nope',
    );
    const custom = fc.record(
      {
        id: modelId,
        layers: fc.integer({ min: 0, max: 300 }),
        hiddenSize: value,
        heads: value,
        kvHeads: value,
        headDim: value,
        intermediateSize: value,
        vocabSize: value,
        parameterCount: value,
        experts: value,
      },
      { requiredKeys: ['id', 'layers'] },
    );
    const variant = fc.record(
      { id: fc.constantFrom('a', 'b', 'c', ''), model: modelId },
      { requiredKeys: ['id'] },
    );
    const rateText = fc.oneof(
      fc.constantFrom('4 /s', '0 /s', '-1 /min', '4 GB/s', '2 per hour', '4'),
      value,
    );
    const data = fc.record(
      {
        layerSensitivity: fc.array(fc.double({ min: -0.1, max: 1.1, noNaN: true }), {
          maxLength: 34,
        }),
        fullReuseLoss: value,
        frontier: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    const profile = fc.record(
      {
        receiver: fc.constantFrom('a', 'b', 'c', 'zz'),
        sender: fc.constantFrom('a', 'b', 'c'),
        synthetic: fc.record({ seed: value, criticalFraction: value }, { requiredKeys: [] }),
        data,
      },
      { requiredKeys: ['receiver', 'sender'] },
    );
    const scenario = fc.record(
      {
        models: fc.array(fc.oneof(modelId, custom), { maxLength: 3 }),
        variants: fc.array(variant, { maxLength: 4 }),
        profiles: fc.array(profile, { maxLength: 3 }),
        gpu: fc.constantFrom('a100-80gb', 'l40s', 'a100'),
        tensorParallel: fc.constantFrom(1, 2, 3, 4, 8, 16),
        seed: value,
        qualityBudget: value,
        pool: fc.record(
          {
            placement: fc.oneof(
              fc.constantFrom('local', 'stripe', 'x'),
              fc.record({ spread: value }),
              fc.record({ replicas: value, spread: value }, { requiredKeys: [] }),
            ),
            hostDramFraction: value,
          },
          { requiredKeys: [] },
        ),
        serving: fc.record(
          {
            replicas: fc.array(
              fc.record(
                { variant: fc.constantFrom('a', 'b', 'c', 'zz'), count: value },
                { requiredKeys: [] },
              ),
              { maxLength: 3 },
            ),
            routing: fc.constantFrom('round-robin', 'least-loaded', 'x'),
            maxBatch: value,
          },
          { requiredKeys: [] },
        ),
        workload: fc.record(
          {
            arrival: fc.oneof(
              fc.record({ poisson: rateText }),
              fc.record({
                bursts: fc.record({ rate: rateText, size: value }, { requiredKeys: [] }),
              }),
              fc.record({ trace: fc.constantFrom('', 'nope.csv', '.') }),
              value,
            ),
            requests: value,
            duration: fc.constantFrom('10 s', '0 s', '5', 5, '1 GB'),
            contexts: fc.record(
              {
                count: value,
                length: fc.oneof(
                  fc.constantFrom('hotpotqa', 'lcc', 'x'),
                  fc.record({ fixed: value }),
                  fc.record(
                    { median: value, p95: value, min: value, max: value },
                    { requiredKeys: [] },
                  ),
                ),
              },
              { requiredKeys: [] },
            ),
            popularity: fc.oneof(fc.constantFrom('uniform', 'zipf'), fc.record({ zipf: value })),
            variants: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'zz'), value, { maxKeys: 3 }),
            crossVariantShare: value,
            suffixTokens: value,
            output: fc.oneof(
              fc.record({ fixed: value }),
              fc.record({ uniform: fc.array(value, { maxLength: 3 }) }),
              value,
            ),
          },
          { requiredKeys: [] },
        ),
        slo: fc.record(
          { ttft: fc.oneof(value, fc.constantFrom('3 s', '0 s', '3 GB')), e2e: value },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['models', 'variants'] },
    );
    fc.assert(
      fc.property(scenario, (doc) => onlyPodsimErrors(JSON.stringify(doc))),
      { numRuns: 300 },
    );
  });

  /** A valid file using every section, and the fields whose mutation can only be blamed on themselves. */
  const full = (): Record<string, unknown> => ({
    name: 'full',
    description: 'every section',
    seed: 2,
    gpu: 'a100-80gb',
    tensorParallel: 2,
    models: [
      'llama-3.1-8b',
      {
        id: 'my-13b',
        layers: 40,
        hiddenSize: 5120,
        heads: 40,
        kvHeads: 40,
        headDim: 128,
        intermediateSize: 13824,
        vocabSize: 32000,
        parameterCount: 13.0e9,
      },
    ],
    variants: [
      { id: 'a', model: 'llama-3.1-8b' },
      { id: 'b', model: 'llama-3.1-8b' },
      { id: 'c', model: 'my-13b' },
      { id: 'd', model: 'my-13b' },
    ],
    profiles: [
      { receiver: 'a', sender: 'b', synthetic: { seed: 4, criticalFraction: 0.2 } },
      {
        receiver: 'c',
        sender: 'd',
        data: { layerSensitivity: sensitivities(40), fullReuseLoss: 0.7 },
      },
    ],
    qualityBudget: '5 %',
    planner: { policy: 'droidspeak', strategy: 'pipelined' },
    pool: {
      placement: { spread: 4 },
      eviction: 'gdsf',
      hostDramFraction: 0.5,
      gpuCacheFraction: '30 %',
    },
    serving: {
      replicas: [
        { variant: 'a', count: 2 },
        { variant: 'b', count: 1 },
        { variant: 'c', count: 1 },
      ],
      routing: 'least-loaded',
      maxBatch: 32,
    },
    workload: {
      arrival: { bursts: { rate: '3 /s', size: 4 } },
      requests: 100,
      duration: '1 min',
      contexts: { count: 20, length: { median: 2000, p95: 6000, min: 100, max: 9000 } },
      popularity: { zipf: 0.9 },
      variants: { a: 2, b: 1 },
      crossVariantShare: 0, // so that a weight of 0 is no cross-field problem
      suffixTokens: 32,
      output: { uniform: [16, 64] },
    },
    slo: { ttft: '2 s', e2e: '40 s' },
  });
  const MUTABLE: (string | number)[][] = [
    ['name'],
    ['description'],
    ['seed'],
    ['tensorParallel'],
    ['models', 1, 'parameterCount'],
    ['profiles', 0, 'synthetic', 'seed'],
    ['profiles', 0, 'synthetic', 'criticalFraction'],
    ['profiles', 1, 'data', 'fullReuseLoss'],
    ['profiles', 1, 'data', 'layerSensitivity', 3],
    ['qualityBudget'],
    ['planner', 'policy'],
    ['planner', 'strategy'],
    ['pool', 'placement'],
    ['pool', 'placement', 'spread'],
    ['pool', 'eviction'],
    ['pool', 'hostDramFraction'],
    ['pool', 'gpuCacheFraction'],
    ['serving', 'replicas', 1, 'count'],
    ['serving', 'routing'],
    ['serving', 'maxBatch'],
    ['workload', 'arrival'],
    ['workload', 'arrival', 'bursts', 'rate'],
    ['workload', 'arrival', 'bursts', 'size'],
    ['workload', 'requests'],
    ['workload', 'duration'],
    ['workload', 'contexts', 'count'],
    ['workload', 'contexts', 'length'],
    ['workload', 'contexts', 'length', 'p95'],
    ['workload', 'contexts', 'length', 'max'],
    ['workload', 'popularity'],
    ['workload', 'variants', 'a'],
    ['workload', 'suffixTokens'],
    ['workload', 'output'],
    ['workload', 'output', 'uniform'],
    ['slo', 'ttft'],
    ['slo', 'e2e'],
  ];

  it('the full file is valid', () => {
    const s = parseScenarioText(JSON.stringify(full()), 'full.json');
    expect(s.profiles).toHaveLength(2);
    expect(s.pool.placement).toEqual({ kind: 'spread', devices: 4 });
    expect(s.workload.arrival).toEqual({ kind: 'bursts', ratePerSecond: 3, burstSize: 4 });
    expect(s.workload.variants).toEqual([
      { id: 'a', weight: 2 },
      { id: 'b', weight: 1 },
    ]);
  });

  it('mutating one field yields success or errors whose paths all start with that field', () => {
    const randomValue = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.integer({ min: -3, max: 20 }),
      fc.double({ min: -1, max: 2, noNaN: true }),
      fc
        .tuple(
          fc.double({ min: -10, max: 200, noNaN: true }),
          fc.constantFrom('%', ' %', 'ns', '', ' /s', '/min', ' s', ' GB/s'),
        )
        .map(([n, u]) => `${n}${u}`),
      fc.constantFrom(
        'lru',
        'gdsf',
        'best',
        'stripe',
        'local',
        '',
        'a100-80gb',
        'uniform',
        'hotpotqa',
        'round-robin',
      ),
      fc.record({ poisson: fc.constantFrom('1 /s', '0 /s', 1) }),
      fc.record({ fixed: fc.integer({ min: -1, max: 100 }) }),
      fc.record({ uniform: fc.array(fc.integer({ min: -1, max: 100 }), { maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...MUTABLE), randomValue, (path, value) =>
        mutationBlamesItsField(parseScenarioText, full(), path, value),
      ),
      { numRuns: 300 },
    );
  });
});
