/**
 * `explainRequest` end to end on the bundled scenario and topologies: caches are placed by the
 * pool, fetched (through a relay host where the consumer does not reach the devices), and every
 * policy decides on the same options.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import { compileFabric } from '../../src/fabric/compile.ts';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { explainRequest, type ExplainRequest } from '../../src/planner/explain.ts';
import { explainTables } from '../../src/report/planner.ts';

const { scenario } = loadScenario('droidspeak-8b');
const request: ExplainRequest = {
  variant: 'evolcode',
  context: 'c0',
  tokens: 10_933,
  suffixTokens: 0,
  host: 'h0',
  exact: false,
  queueLength: 0,
  ttftSloNs: 3e9,
};

describe('explainRequest', () => {
  it('on octopus-96 the fabric-aware planner reuses toolace’s cache, faster than full prefill and within the budget', () => {
    const e = explainRequest(compileFabric(loadTopology('octopus-96').graph), scenario, request);
    const fa = e.decisions.find((d) => d.policy === 'fabric-aware');
    const full = e.options.find((o) => o.kind === 'full-prefill');
    expect(e.request.senders).toEqual(['toolace']);
    expect(fa?.chosen.kind).toBe('partial');
    expect(fa?.chosen.ttftNs ?? Infinity).toBeLessThan(full?.ttftNs ?? 0);
    expect(fa?.chosen.qualityLoss ?? 1).toBeLessThanOrEqual(scenario.qualityBudget);
    expect(e.decisions.map((d) => d.policy)).toEqual([
      'fabric-aware',
      'droidspeak',
      'exact-only',
      'full-prefill',
    ]);
  });

  it('an exact cache wins for fabric-aware and exact-only', () => {
    const e = explainRequest(compileFabric(loadTopology('prototype-3').graph), scenario, {
      ...request,
      exact: true,
    });
    expect(e.decisions.find((d) => d.policy === 'fabric-aware')?.chosen.kind).toBe('exact');
    expect(e.decisions.find((d) => d.policy === 'exact-only')?.chosen.kind).toBe('exact');
  });

  it('with the shared device down, the cache is lost with it: every policy prefills', () => {
    const e = explainRequest(
      compileFabric(loadTopology('prototype-3').graph, { devices: ['d0', 'tor0'] }),
      scenario,
      request,
    );
    for (const d of e.decisions) expect(d.chosen.kind).toBe('full-prefill');
  });

  it('prices the system cost with the requests behind (default: the queue) and renders it', () => {
    const f = compileFabric(loadTopology('octopus-96').graph);
    const queued = explainRequest(f, scenario, { ...request, exact: true, queueLength: 3 });
    const behind = explainRequest(f, scenario, {
      ...request,
      exact: true,
      queueLength: 3,
      waitingBehind: 9,
    });
    // Full prefill's system cost = TTFT + its GPU work × requests behind.
    for (const [e, n] of [
      [queued, 3],
      [behind, 9],
    ] as const) {
      const full = e.options.find((o) => o.kind === 'full-prefill');
      expect(full?.systemCostNs).toBe((full?.ttftNs ?? 0) + (full?.recomputeNs ?? 0) * n);
    }
    const fa = behind.decisions.find((d) => d.policy === 'fabric-aware');
    expect(fa?.chosen.kind).toBe('exact');
    expect(fa?.reason).toMatch(/kept the exact hit.*9 requests behind/);
    const [options] = explainTables(behind);
    expect(options?.columns.map((c) => c.header)).toContain('system cost');
  });

  it('names unknown variants and hosts under the request', () => {
    const f = compileFabric(loadTopology('prototype-3').graph);
    try {
      explainRequest(f, scenario, { ...request, variant: 'nope', tokens: 0 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues.map((i) => i.path)).toEqual([
        ['request', 'variant'],
        ['request', 'tokens'],
      ]);
    }
    expect(() => explainRequest(f, scenario, { ...request, host: 'h9' })).toThrow(InputError);
  });
});
