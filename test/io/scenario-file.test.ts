/**
 * Scenario files: both bundled presets load with the expected variants and profiles and resolve
 * to complete SimConfigs (serving, workload, SLOs), and defaults and every accepted form resolve
 * as documented. Traces and user mistakes are in scenario-mistakes.test.ts, fuzzing in
 * scenario-fuzz.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, UnitError } from '../../src/errors/index.ts';
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
import type { SimConfig } from '../../src/sim/types.ts';
import { LONGBENCH_PRESETS, validateWorkload } from '../../src/sim/workload.ts';
import { BASE, CUSTOM_13B, sensitivities, where } from './scenario-helpers.ts';

describe('bundled scenarios', () => {
  it('lists exactly the bundled presets, sorted, each with a description', () => {
    const presets = listScenarioPresets();
    expect(presets.map((p) => p.name)).toEqual([
      'agent-pipeline',
      'droidspeak-70b',
      'droidspeak-8b',
      'droidspeak-8b-gh200',
      'droidspeak-paper',
      'hbm-pressure',
      'trace-replay',
    ]);
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
      const a = cfg.workload.arrival;
      // A replayed trace stops at its last row.
      expect(
        cfg.workload.requests ?? (a.kind === 'trace' ? a.arrivalsNs.length : 0),
      ).toBeGreaterThan(0);
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
      serving: {
        replicas: [{ variant: 'a', count: 1 }],
        routing: 'round-robin',
        maxBatch: 64,
        blockTokens: 16,
      },
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
      blockTokens: 16,
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
        - { groups: [{ start: 0, end: 31 }], recomputedLayers: 32, eCacheLoads: 0, qualityLoss: 0 }
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
