/**
 * The candidate walker's collecting walk against a reference written out loop by loop, as the
 * planner enumerated before the walker existed: enumerateOptions lists the same options, priced
 * with the exported formulas (computeCosts, planSizes, partialTtftNs), in the same order. choose
 * is checked against plan in choose.test.ts; this pins plan itself, so that the walker both
 * paths share cannot drift unnoticed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  computeCosts,
  enumerateOptions,
  partialTtftNs,
  planSizes,
  type PlanInput,
  type PlanOption,
} from '../../src/planner/planner.ts';
import { frontierWithin } from '../../src/planner/profiles.ts';
import { build, inputSpec } from './arbitraries.ts';

/** Every option, enumerated and sorted without the walker. */
function referenceOptions(p: PlanInput): PlanOption[] {
  const m = p.model;
  const c = p.costs ?? computeCosts(p);
  const s = planSizes(m, p.contextTokens);
  const backlog = p.gpuBacklogNs ?? 0;
  const wait = p.loadWaitNs ?? 0;
  const behind = p.waitingBehind ?? 0;
  const loads = p.loadsBehind ?? 0;
  // The system cost, written out: TTFT + GPU work × requests behind + slot hold × loads behind
  // (a term with a 0 factor adds nothing).
  const cost = (ttft: number, work: number, hold = 0): number => {
    const gpu = behind === 0 || work === 0 ? ttft : ttft + work * behind;
    return loads === 0 || hold === 0 ? gpu : gpu + hold * loads;
  };
  const options: PlanOption[] = [
    {
      kind: 'full-prefill',
      recomputedLayers: m.layers,
      groups: [{ start: 0, end: m.layers - 1 }],
      eCacheLoads: 0,
      fetchBytes: 0,
      fetchNs: 0,
      recomputeNs: c.fullNs,
      suffixNs: 0,
      ttftNs: backlog + c.fullNs,
      systemCostNs: cost(backlog + c.fullNs, c.fullNs),
      qualityLoss: 0,
    },
  ];
  p.exact?.replicas.forEach((source, replica) => {
    const e = p.estimate(source);
    if (e === undefined) return;
    const fetchNs = e.latencyNs + s.kvBytes / e.bandwidthBytesPerNs;
    const ttftNs = c.suffixNs > 0 ? Math.max(wait + fetchNs, backlog) + c.suffixNs : wait + fetchNs;
    options.push({
      kind: 'exact',
      sourceVariant: p.variant,
      replica,
      source,
      recomputedLayers: 0,
      groups: [],
      eCacheLoads: 0,
      fetchBytes: s.kvBytes,
      fetchNs,
      recomputeNs: 0,
      suffixNs: c.suffixNs,
      ttftNs,
      systemCostNs: cost(ttftNs, c.suffixNs, fetchNs),
      qualityLoss: 0,
    });
  });
  for (const cache of p.related) {
    const profile = p.profiles.get(cache.variant);
    if (profile === undefined) continue;
    const points = frontierWithin(profile, p.qualityBudget).filter(
      (pt) =>
        pt.recomputedLayers < m.layers &&
        pt.groups.every((g) => g.start === 0 || cache.eLayers.includes(g.start)),
    );
    cache.replicas.forEach((source, replica) => {
      const e = p.estimate(source);
      if (e === undefined) return;
      for (const pt of points) {
        const recomputeNs =
          pt.recomputedLayers === 0 ? 0 : c.headNs + pt.recomputedLayers * c.perLayerNs;
        const bytes = {
          eBytes: pt.eCacheLoads * s.eLayerBytes,
          reusedKvBytes: (m.layers - pt.recomputedLayers) * s.kvLayerBytes,
          allKvBytes: s.kvBytes,
        };
        for (const strategy of p.strategies) {
          const work = recomputeNs + c.suffixNs;
          const priced = partialTtftNs(strategy, e, bytes, work, backlog, wait);
          options.push({
            kind: 'partial',
            strategy,
            sourceVariant: cache.variant,
            replica,
            source,
            recomputedLayers: pt.recomputedLayers,
            groups: pt.groups,
            eCacheLoads: pt.eCacheLoads,
            fetchBytes: priced.fetchBytes,
            fetchNs: priced.fetchNs,
            recomputeNs,
            suffixNs: c.suffixNs,
            ttftNs: priced.ttftNs,
            // send-all / send-reused hold the load slot through their GPU work.
            systemCostNs: cost(
              priced.ttftNs,
              work,
              strategy !== 'pipelined' && work !== 0 ? priced.ttftNs - wait : priced.fetchNs,
            ),
            qualityLoss: pt.qualityLoss,
          });
        }
      }
    });
  }
  return sortLikeThePlanner(options);
}

/** Sorts by system cost, TTFT, loss, bytes, kind, variant, replica and strategy, as the planner documents. */
function sortLikeThePlanner(options: PlanOption[]): PlanOption[] {
  const kindRank = { exact: 0, partial: 1, 'full-prefill': 2 } as const;
  const strategyRank = { 'send-all': 0, 'send-reused': 1, pipelined: 2 } as const;
  const variant = (o: PlanOption): string => (o.kind === 'full-prefill' ? '' : o.sourceVariant);
  const replica = (o: PlanOption): number => (o.kind === 'full-prefill' ? 0 : o.replica);
  const rank = (o: PlanOption): number => (o.kind === 'partial' ? strategyRank[o.strategy] : 0);
  return options.sort(
    (a, b) =>
      a.systemCostNs - b.systemCostNs ||
      a.ttftNs - b.ttftNs ||
      a.qualityLoss - b.qualityLoss ||
      a.fetchBytes - b.fetchBytes ||
      kindRank[a.kind] - kindRank[b.kind] ||
      variant(a).localeCompare(variant(b)) ||
      replica(a) - replica(b) ||
      rank(a) - rank(b),
  );
}

describe('enumerateOptions', () => {
  it('lists, prices and orders the options as the loop-by-loop reference does', () => {
    fc.assert(
      fc.property(inputSpec(true), (s) => {
        const got = enumerateOptions(build(s).input);
        const want = referenceOptions(build(s).input);
        expect(got).toStrictEqual(want);
        got.forEach((o, i) => expect(Object.keys(o)).toEqual(Object.keys(want[i] as PlanOption)));
      }),
      { numRuns: 500 },
    );
  });
});
