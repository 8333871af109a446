/**
 * Renderers for the planner's explanations (`podsim explain`): the options considered with
 * their estimated fetch, recompute, TTFT and system cost (what fabric-aware ranks by: TTFT plus
 * the delay its GPU work adds to the requests behind it), and each policy's choice with its reason.
 */
import type { Explanation } from '../planner/explain.ts';
import type { PlanOption } from '../planner/planner.ts';
import { bytes, formatNumber, formatPercent, formatSize, formatTime, ns } from '../units/index.ts';
import type { Table } from './table.ts';

const t = (x: number): string => formatTime(ns(x));

/** A short name for an option: "partial from toolace r0, pipelined". */
export function optionLabel(o: PlanOption): string {
  if (o.kind === 'full-prefill') return 'full prefill';
  if (o.kind === 'exact') return `exact reuse r${o.replica}`;
  return `reuse ${o.sourceVariant} r${o.replica}, ${o.strategy}`;
}

/** The options table (at most `limit` rows by system cost, plus every option some policy chose) and the decisions table. */
export function explainTables(e: Explanation, limit = 15): Table[] {
  const chosenBy = new Map<PlanOption, string[]>();
  for (const d of e.decisions)
    chosenBy.set(d.chosen, [...(chosenBy.get(d.chosen) ?? []), d.policy]);
  const rows = e.options.filter((o, i) => i < limit || chosenBy.has(o));
  const r = e.request;
  return [
    {
      title: `Request: ${r.variant}, context ${r.context} (${r.tokens.toLocaleString('en-US')} tokens + ${r.suffixTokens} new) at ${r.host}; cached by ${e.cached.map((c) => `${c.variant} on ${c.replicas.join(' | ')}`).join('; ') || 'nobody'} (produced at ${r.producer}). ${e.options.length} options, ${rows.length} shown.`,
      columns: [
        { header: 'option' },
        { header: 'recompute', align: 'right' },
        { header: 'E loads', align: 'right' },
        { header: 'fetch', align: 'right' },
        { header: 'fetch time', align: 'right' },
        { header: 'compute', align: 'right' },
        { header: 'TTFT', align: 'right' },
        { header: 'system cost', align: 'right' },
        { header: 'quality loss', align: 'right' },
        { header: 'chosen by' },
      ],
      rows: rows.map((o) => [
        optionLabel(o),
        o.kind === 'exact' ? '0' : `${o.recomputedLayers} layers`,
        String(o.eCacheLoads),
        formatSize(bytes(o.fetchBytes), { decimal: true }),
        t(o.fetchNs),
        t(o.recomputeNs + o.suffixNs),
        t(o.ttftNs),
        t(o.systemCostNs),
        formatPercent(o.qualityLoss),
        (chosenBy.get(o) ?? []).join(', '),
      ]),
    },
    {
      title: `Decisions (the scenario runs ${e.scenarioPolicy})`,
      columns: [
        { header: 'policy' },
        { header: 'choice' },
        { header: 'TTFT', align: 'right' },
        { header: 'vs full prefill', align: 'right' },
        { header: 'quality loss', align: 'right' },
        { header: 'why' },
      ],
      rows: e.decisions.map((d) => {
        const full = d.options.find((o) => o.kind === 'full-prefill');
        return [
          d.policy,
          optionLabel(d.chosen) +
            (d.chosen.kind === 'partial' ? ` (${d.chosen.recomputedLayers} layers)` : ''),
          t(d.chosen.ttftNs),
          full === undefined ? '' : `${formatNumber(full.ttftNs / d.chosen.ttftNs)}× faster`,
          formatPercent(d.chosen.qualityLoss),
          d.reason,
        ];
      }),
    },
  ];
}
