/**
 * `podsim capacity`'s report as tables: every configuration with its cost and goodput at each
 * growth step, the cheapest feasible, the cost-vs-goodput frontier, the pooling view and its
 * verdicts against Octopus. The report itself comes from src/app/capacity.ts.
 */
import type { CapacityReport } from '../app/capacity.ts';
import type { CapacityRow } from '../cost/capacity.ts';
import type { Table } from '../report/table.ts';
import { GiB } from '../units/index.ts';

const money = (x: number | undefined): string =>
  x === undefined ? '—' : `$${Math.round(x).toLocaleString('en-US')}`;
const pct = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)} %`;
const gib = (b: number): string => `${(b / GiB).toFixed(1)} GiB`;

/** Columns shared by the configuration tables. */
function configTable(
  title: string,
  rows: readonly CapacityRow[],
  growth: readonly number[],
  withReason: boolean,
): Table {
  const stepCols = growth.flatMap((g) => [
    { header: `goodput ×${g} (/s)`, align: 'right' as const },
    { header: `SLO ×${g}`, align: 'right' as const },
  ]);
  return {
    title,
    columns: [
      { header: 'family' },
      { header: 'hosts', align: 'right' },
      { header: 'total cost', align: 'right' },
      { header: 'cost/host', align: 'right' },
      { header: 'fabric/host', align: 'right' },
      ...stepCols,
      { header: 'feasible' },
      ...(withReason ? [{ header: 'reason' }] : []),
    ],
    rows: rows.map((r) => [
      r.family,
      String(r.hosts),
      money(r.totalUsd),
      money(r.perHostUsd),
      money(r.fabricPerHostUsd),
      ...growth.flatMap((_, i) => {
        const s = r.steps[i];
        return s === undefined ? ['—', '—'] : [s.goodputPerS.toFixed(2), pct(s.sloAttainment)];
      }),
      r.feasible ? 'yes' : 'no',
      ...(withReason ? [r.reason ?? ''] : []),
    ]),
  };
}

/** The report as tables: every configuration, the cheapest feasible, the frontier, the pooling view. */
export function capacityTables(r: CapacityReport): Table[] {
  const head = `${r.scenario}, growth ${r.growth.map((g) => `×${g}`).join(', ')}, SLO attainment ≥ ${pct(r.attainment)}`;
  const pool: Table = {
    title: 'Pooling view (largest size of each family; prices are estimates)',
    columns: [
      { header: 'family' },
      { header: 'hosts', align: 'right' },
      { header: 'pool' },
      { header: 'dedicated DRAM/host', align: 'right' },
      { header: 'local DRAM/host', align: 'right' },
      { header: 'pool DRAM/host', align: 'right' },
      { header: 'pool devices', align: 'right' },
      { header: 'device capacity', align: 'right' },
      { header: 'fabric/host', align: 'right' },
      { header: 'server/host', align: 'right' },
      { header: 'net savings', align: 'right' },
    ],
    rows: r.pooling.map((p) => {
      const v = p.view;
      if (v === undefined)
        return [
          p.family,
          p.hosts === undefined ? '—' : String(p.hosts),
          '—',
          '—',
          '—',
          '—',
          '—',
          '—',
          '—',
          '—',
          '—',
        ];
      return [
        p.family,
        String(v.hosts),
        v.poolKind,
        gib(v.sizing.dedicatedPerHostBytes),
        gib(v.hasPool ? v.sizing.localPerHostBytes : v.sizing.dedicatedPerHostBytes),
        gib(v.poolPerHostBytes),
        String(v.sizing.devices),
        gib(v.sizing.deviceCapacityBytes),
        money(v.fabricPerHostUsd),
        money(v.serverUsd),
        v.hasPool ? pct(v.netSavingsShare) : '0 % (no pool)',
      ];
    }),
  };
  const verdicts: Table = {
    title: 'Compared with Octopus (docs/references.md §1)',
    columns: [{ header: 'family' }, { header: 'verdict' }],
    rows: r.pooling.map((p) => [p.family, p.verdict]),
  };
  const cheapest = r.cheapest === null ? [] : [r.cheapest];
  return [
    configTable(`Configurations — ${head}`, r.rows, r.growth, true),
    r.cheapest === null
      ? {
          title: 'Cheapest feasible configuration',
          columns: [{ header: 'result' }],
          rows: [['none of the configurations meets the SLO at every growth step']],
        }
      : configTable('Cheapest feasible configuration', cheapest, r.growth, false),
    configTable(
      `Cost-vs-goodput Pareto frontier (goodput at ×${r.growth[r.growth.length - 1] ?? 1})`,
      r.frontier,
      r.growth,
      false,
    ),
    pool,
    verdicts,
  ];
}
