/**
 * Pins the finish times of the heavily coupled workload (bench/flows-coupled.ts: device→GPU
 * flows over octopus-96, issue 13 item 9) — 400 flows issued over 0.1 ms, so hundreds overlap
 * and `simulateFlows` runs partial solves — against the values the engine gave before partial
 * solves existed (whole-component solves; test/fabric/flows-coupled.finish.json, 13 significant
 * digits). Finish times must agree to 1e-9 relative. The pod is octopus-96 as it was placed when
 * the values were pinned (`placement: fill`, docs/layout.md): the optimised layout shortens
 * cables, which moves latencies, not the engine's arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileFabric } from '../../src/fabric/compile.ts';
import { simulateFlowsWithStats } from '../../src/fabric/flows.ts';
import { parseTopologyText } from '../../src/io/index.ts';
import { coupledFlows } from '../../bench/flows-coupled.ts';

interface Pinned {
  readonly workload: { readonly count: number; readonly seed: number; readonly windowNs: number };
  readonly finishNs: readonly number[];
}

const pinned = JSON.parse(
  readFileSync(new URL('./flows-coupled.finish.json', import.meta.url), 'utf8'),
) as Pinned;

describe('simulateFlows on the coupled workload', () => {
  it('finishes every flow when the whole-component engine did (1e-9 relative)', () => {
    const file = new URL('../../topologies/octopus-96.yaml', import.meta.url);
    const text = `${readFileSync(file, 'utf8')}\noptions: { layout: { placement: fill } }\n`;
    const f = compileFabric(parseTopologyText(text, 'octopus-96 (fill placement)'));
    const { count, seed, windowNs } = pinned.workload;
    const flows = coupledFlows(f, count, seed, windowNs);
    const sim = simulateFlowsWithStats(f.resourceCapacityBytesPerNs, flows);
    expect(sim.results).toHaveLength(pinned.finishNs.length);
    let worst = 0;
    sim.results.forEach((r, i) => {
      const want = pinned.finishNs[i] as number;
      worst = Math.max(worst, Math.abs(r.finishNs - want) / want);
    });
    expect(worst).toBeLessThan(1e-9);
  });
});
