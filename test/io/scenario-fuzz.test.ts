/**
 * Scenario files, fuzzed (docs/design.md convention §12): whatever the text, the loader returns a
 * Scenario or throws a PodsimError, and a mutated field is blamed by its own path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fuzzLoaderBasics,
  mutationBlamesItsField,
  parsesOrPodsimError,
} from '../helpers/errors.ts';
import { parseScenarioText } from '../../src/io/index.ts';
import { sensitivities } from './scenario-helpers.ts';

describe('fuzzing the loader', () => {
  const onlyPodsimErrors = (text: string): void => parsesOrPodsimError(parseScenarioText, text);

  fuzzLoaderBasics(parseScenarioText, 'a Scenario');

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
