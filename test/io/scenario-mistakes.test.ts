/**
 * Scenario files, user mistakes: arrival traces are read relative to the scenario file and their
 * bad lines reported; each kind of user mistake becomes an InputError with the right issue code
 * and path (not message text, docs/design.md convention §5); several problems are reported at once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, parseScenarioText } from '../../src/io/index.ts';
import { BASE, CUSTOM_13B, fails, sensitivities, where } from './scenario-helpers.ts';

/** A temporary folder for trace files, removed after the file's tests. */
const TMP = mkdtempSync(join(tmpdir(), 'podsim-scenario-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const writeTmp = (name: string, text: string): string => {
  writeFileSync(join(TMP, name), text);
  return join(TMP, name);
};

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
