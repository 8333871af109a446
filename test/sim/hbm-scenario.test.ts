/**
 * The scenario settings of KV memory and cache writes (docs/serving.md): `serving.blockTokens`,
 * `serving.hbmUsableFraction`, `pool.storeOnFullPrefill`, and the checks that refuse settings
 * leaving no KV block, each with its code and field path.
 */
import { describe, expect, it } from 'vitest';
import { compileFabric } from '../../src/fabric/compile.ts';
import { loadScenario, loadTopology, parseScenarioText } from '../../src/io/index.ts';
import { runSimulation } from '../../src/sim/engine.ts';
import { BASE, fails, where } from '../io/scenario-helpers.ts';

describe('scenario: KV memory settings', () => {
  it('defaults: 16-token blocks, the compute model’s usable share, storeOnFullPrefill left to the policy', () => {
    const s = parseScenarioText(BASE, 'a.yaml');
    expect(s.serving.blockTokens).toBe(16);
    expect(s.serving.hbmUsableFraction).toBeUndefined();
    expect(s.storeOnFullPrefill).toBeUndefined();
  });

  it('reads blockTokens, hbmUsableFraction (number or percentage) and storeOnFullPrefill', () => {
    const s = parseScenarioText(
      `${BASE}serving: { blockTokens: 32, hbmUsableFraction: 85 % }\npool: { storeOnFullPrefill: true }\n`,
      'a.yaml',
    );
    expect(s.serving.blockTokens).toBe(32);
    expect(s.serving.hbmUsableFraction).toBeCloseTo(0.85, 12);
    expect(s.storeOnFullPrefill).toBe(true);
  });

  it('refuses a zero usable share, a non-boolean storeOnFullPrefill and a zero block size, by path', () => {
    expect(where(fails(`${BASE}serving: { hbmUsableFraction: 0 }\n`))).toEqual([
      'scenario.hbm-usable @ serving.hbmUsableFraction',
    ]);
    expect(where(fails(`${BASE}pool: { storeOnFullPrefill: yes please }\n`))[0]).toMatch(
      /@ pool\.storeOnFullPrefill$/,
    );
    expect(where(fails(`${BASE}serving: { blockTokens: 0 }\n`))[0]).toMatch(
      /@ serving\.blockTokens$/,
    );
  });

  it('refuses a GPU tier that leaves no KV block beside the weights, naming pool.gpuCacheFraction', () => {
    // One A100-80GB: 0.9 × 80 GiB − 16.1 GB of weights ≈ 61 GB; a tier of 0.8 × 80 GiB ≈ 69 GB
    // takes more than that.
    const e = fails(`${BASE}pool: { placement: { host-memory: gpu }, gpuCacheFraction: 0.8 }\n`);
    expect(where(e)).toEqual(['scenario.no-kv-space @ pool.gpuCacheFraction']);
    expect(e.issues[0]?.message).toMatch(/lower pool\.gpuCacheFraction/);
    // The same tier under stripe placement takes nothing from the GPUs: accepted.
    expect(() =>
      parseScenarioText(`${BASE}pool: { placement: stripe, gpuCacheFraction: 0.8 }\n`, 'a.yaml'),
    ).not.toThrow();
  });
});

describe('scenarios/hbm-pressure.yaml', () => {
  it('preempts and makes prefills wait; with a smaller GPU tier it does neither', () => {
    const { scenario } = loadScenario('hbm-pressure');
    const f = compileFabric(loadTopology('octopus-96').graph);
    const tight = runSimulation(f, scenario);
    expect(tight.hbm.preemptions).toBeGreaterThan(0);
    expect(tight.hbm.admissionWaits).toBeGreaterThan(0);
    expect(tight.hbm.peakShare).toBe(1);
    const roomy = runSimulation(f, {
      ...scenario,
      pool: { ...scenario.pool, gpuCacheFraction: 0.3 },
    });
    expect(roomy.hbm.preemptions).toBe(0);
    expect(roomy.hbm.admissionWaits).toBe(0);
    expect(roomy.goodputPerS).toBeGreaterThan(2 * tight.goodputPerS);
  });
});
