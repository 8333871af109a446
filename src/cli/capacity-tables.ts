/**
 * `podsim capacity`'s report as tables: every configuration with its cost, replicas, goodput at
 * each growth step, highest rate meeting the SLOs and target verdict; the cheapest feasible; the
 * cost-vs-capacity frontier; the pooling view, its savings curve and its verdicts against
 * Octopus. A pooling-only plan gets its priced sizes instead of the serving tables. Every table
 * has a raw twin (numbers in base units) for CSV. The report itself comes from src/app/capacity.ts.
 */
import type { CapacityReport } from '../app/capacity.ts';
import type { CapacityRow, RateFound } from '../cost/capacity.ts';
import type { RawCell, Table } from '../report/table.ts';
import { breakEvenTable, sensitivityTables } from './capacity-sensitivity-tables.ts';
import { formatMoney, formatPercentFixed, GiB, usd } from '../units/index.ts';
import { formatRate } from '../report/whatif-load.ts';

const money = (x: number | undefined): string => (x === undefined ? '—' : formatMoney(usd(x)));
const pct = (x: number, digits = 2): string => formatPercentFixed(x, digits);
const gib = (b: number): string => `${(b / GiB).toFixed(1)} GiB`;

/** The raw (CSV) columns every configuration row starts with, and its cells. */
const COST_HEADERS = [
  'family',
  'hosts',
  'total_cost_usd',
  'cost_per_host_usd',
  'fabric_per_host_usd',
] as const;
const costCells = (x: CapacityRow): RawCell[] => [
  x.family,
  x.hosts,
  x.totalUsd ?? '',
  x.perHostUsd ?? '',
  x.fabricPerHostUsd ?? '',
];

/** Which of the optional serving columns a plan's configuration tables carry. */
interface ServingCols {
  readonly growth: readonly number[];
  /** The plan searched the highest rate meeting the SLOs. */
  readonly searched: boolean;
  /** The plan has a target rate. */
  readonly target: boolean;
}

const colsOf = (r: CapacityReport): ServingCols => ({
  growth: r.growth,
  searched: r.searchTolerance !== null,
  target: r.targetRatePerS !== null,
});

const yesNo = (b: boolean | undefined): string => (b === undefined ? '—' : b ? 'yes' : 'no');
const rawBool = (b: boolean | undefined): RawCell => (b === undefined ? '' : String(b));

/** Columns shared by the configuration tables. */
function configTable(
  title: string,
  rows: readonly CapacityRow[],
  c: ServingCols,
  withReason: boolean,
): Table {
  const stepCols = c.growth.flatMap((g) => [
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
      { header: 'replicas', align: 'right' },
      ...stepCols,
      ...(c.searched ? [{ header: 'max rate (/s)', align: 'right' as const }] : []),
      ...(c.target ? [{ header: 'at target' }] : []),
      { header: 'feasible' },
      ...(withReason ? [{ header: 'reason' }] : []),
    ],
    rows: rows.map((r) => [
      r.family,
      String(r.hosts),
      money(r.totalUsd),
      money(r.perHostUsd),
      money(r.fabricPerHostUsd),
      r.replicas === undefined ? '—' : String(r.replicas),
      ...c.growth.flatMap((_, i) => {
        const s = r.steps[i];
        return s === undefined ? ['—', '—'] : [s.goodputPerS.toFixed(2), pct(s.sloAttainment)];
      }),
      ...(c.searched ? [r.search === undefined ? '—' : maxRateText(r.search)] : []),
      ...(c.target ? [yesNo(r.meetsTarget)] : []),
      r.feasible ? 'yes' : 'no',
      ...(withReason ? [r.reason ?? ''] : []),
    ]),
    raw: {
      headers: [
        ...COST_HEADERS,
        'replicas',
        ...c.growth.flatMap((g) => [`goodput_x${g}_per_s`, `slo_attainment_x${g}`]),
        ...(c.searched ? ['max_rate_per_s', 'fails_at_per_s', 'search_runs'] : []),
        ...(c.target ? ['meets_target'] : []),
        'feasible',
        ...(withReason ? ['reason'] : []),
      ],
      rows: rows.map((r): RawCell[] => [
        ...costCells(r),
        r.replicas ?? '',
        ...c.growth.flatMap((_, i): RawCell[] => {
          const s = r.steps[i];
          return s === undefined ? ['', ''] : [s.goodputPerS, s.sloAttainment];
        }),
        ...(c.searched
          ? [r.search?.maxRatePerS ?? '', r.search?.failsAtPerS ?? '', r.search?.runs ?? '']
          : []),
        ...(c.target ? [rawBool(r.meetsTarget)] : []),
        r.feasible ? 'true' : 'false',
        ...(withReason ? [r.reason ?? ''] : []),
      ]),
    },
  };
}

/** The highest rate meeting the SLOs as text: the rate, or "≥ rate" when every rate tried met them. */
function maxRateText(s: RateFound): string {
  const v = s.maxRatePerS.toFixed(1);
  return s.failsAtPerS === null ? `≥ ${v}` : v;
}

/** The pooling view table: sizing, shortfall rates and money per family. */
function poolTable(r: CapacityReport): Table {
  const rate = (x: { meanRate: number } | undefined): string =>
    x === undefined ? '—' : pct(x.meanRate);
  return {
    title: 'Pooling view (largest size of each family; equal risk per host; prices are estimates)',
    columns: [
      { header: 'family' },
      { header: 'hosts', align: 'right' },
      { header: 'pool' },
      { header: 'policy' },
      { header: 'dedicated DRAM/host', align: 'right' },
      { header: 'local DRAM/host', align: 'right' },
      { header: 'pool DRAM/host', align: 'right' },
      { header: 'pool devices', align: 'right' },
      { header: 'largest device', align: 'right' },
      { header: 'short: dedicated', align: 'right' },
      { header: 'short: pooled', align: 'right' },
      { header: 'fabric/host', align: 'right' },
      { header: 'server/host', align: 'right' },
      { header: 'DRAM share', align: 'right' },
      { header: 'net savings', align: 'right' },
    ],
    rows: r.pooling.map((p) => {
      const v = p.view;
      if (v === undefined)
        return [
          p.family,
          p.hosts === undefined ? '—' : String(p.hosts),
          ...Array<string>(13).fill('—'),
        ];
      const z = v.sizing;
      const check = z.outOfSample;
      return [
        p.family,
        String(v.hosts),
        v.poolKind,
        v.hasPool ? z.policy : '—',
        gib(z.dedicatedPerHostBytes),
        gib(v.hasPool ? z.localPerHostBytes : z.dedicatedPerHostBytes),
        gib(v.poolPerHostBytes),
        String(z.devices),
        gib(z.largestDeviceBytes),
        rate(check?.dedicated ?? z.dedicatedShortfall),
        v.hasPool ? rate(check?.pool ?? z.poolShortfall) : '—',
        money(v.fabricPerHostUsd),
        money(v.serverUsd),
        pct(v.dramShareOfServer, 1),
        v.hasPool ? pct(v.netSavingsShare) : '0 % (no pool)',
      ];
    }),
    raw: poolRaw(r),
  };
}

/** {@link poolTable}'s rows as numbers in base units (bytes, USD, fractions), for CSV. */
function poolRaw(r: CapacityReport): NonNullable<Table['raw']> {
  return {
    headers: [
      'family',
      'hosts',
      'pool',
      'policy',
      'dedicated_dram_per_host_bytes',
      'local_dram_per_host_bytes',
      'pool_dram_per_host_bytes',
      'pool_devices',
      'largest_device_bytes',
      'short_dedicated_share',
      'short_pooled_share',
      'fabric_per_host_usd',
      'server_per_host_usd',
      'dram_share_of_server',
      'net_savings_share',
    ],
    rows: r.pooling.map((p): RawCell[] => {
      const v = p.view;
      if (v === undefined) return [p.family, p.hosts ?? '', ...Array<string>(13).fill('')];
      const z = v.sizing;
      const check = z.outOfSample;
      return [
        p.family,
        v.hosts,
        v.poolKind,
        v.hasPool ? z.policy : '',
        z.dedicatedPerHostBytes,
        v.hasPool ? z.localPerHostBytes : z.dedicatedPerHostBytes,
        v.poolPerHostBytes,
        z.devices,
        z.largestDeviceBytes,
        (check?.dedicated ?? z.dedicatedShortfall).meanRate,
        v.hasPool ? (check?.pool ?? z.poolShortfall).meanRate : '',
        v.fabricPerHostUsd,
        v.serverUsd,
        v.dramShareOfServer,
        v.hasPool ? v.netSavingsShare : 0,
      ];
    }),
  };
}

/** The savings curve: net savings as the share kept local varies, per family with a pool. */
function curveTable(r: CapacityReport): Table | undefined {
  const rows = r.pooling.flatMap((p) =>
    p.curve.map((c) => [
      p.family,
      pct(c.localFraction, 0),
      gib(c.localPerHostBytes),
      gib(c.poolPerHostBytes),
      money(c.dramSavedPerHostUsd),
      money(c.poolDramPerHostUsd),
      pct(c.netSavingsShare),
    ]),
  );
  if (rows.length === 0) return undefined;
  return {
    title:
      'Savings curve: net savings vs the share of dedicated DRAM kept local (same risk, same draws)',
    columns: [
      { header: 'family' },
      { header: 'kept local', align: 'right' },
      { header: 'local DRAM/host', align: 'right' },
      { header: 'pool DRAM/host', align: 'right' },
      { header: 'DRAM saved/host', align: 'right' },
      { header: 'pool DRAM $/host', align: 'right' },
      { header: 'net savings', align: 'right' },
    ],
    rows,
    raw: {
      headers: [
        'family',
        'kept_local_share',
        'local_dram_per_host_bytes',
        'pool_dram_per_host_bytes',
        'dram_saved_per_host_usd',
        'pool_dram_per_host_usd',
        'net_savings_share',
      ],
      rows: r.pooling.flatMap((p) =>
        p.curve.map((c) => [
          p.family,
          c.localFraction,
          c.localPerHostBytes,
          c.poolPerHostBytes,
          c.dramSavedPerHostUsd,
          c.poolDramPerHostUsd,
          c.netSavingsShare,
        ]),
      ),
    },
  };
}

/** A pooling-only plan's sizes: priced, not simulated. */
function pricedTable(r: CapacityReport): Table {
  return {
    title:
      'Configurations — pooling-only plan (no serving scenario: sizes are priced, not simulated)',
    columns: [
      { header: 'family' },
      { header: 'hosts', align: 'right' },
      { header: 'total cost', align: 'right' },
      { header: 'cost/host', align: 'right' },
      { header: 'fabric/host', align: 'right' },
      { header: 'note' },
    ],
    rows: r.rows.map((x) => [
      x.family,
      String(x.hosts),
      money(x.totalUsd),
      money(x.perHostUsd),
      money(x.fabricPerHostUsd),
      x.reason ?? '',
    ]),
    raw: {
      headers: [...COST_HEADERS, 'note'],
      rows: r.rows.map((x) => [...costCells(x), x.reason ?? '']),
    },
  };
}

/** The report as tables: the configurations (and for a serving plan the cheapest feasible and the frontier), the pooling view, its curve, the verdicts. */
export function capacityTables(r: CapacityReport): Table[] {
  const verdicts: Table = {
    title: 'Compared with Octopus (docs/references.md §1)',
    columns: [{ header: 'family' }, { header: 'verdict' }],
    rows: r.pooling.map((p) => [p.family, p.verdict]),
  };
  const curve = curveTable(r);
  const even = breakEvenTable(r);
  const pooling = [
    poolTable(r),
    ...(curve === undefined ? [] : [curve]),
    ...(even === undefined ? [] : [even]),
    ...sensitivityTables(r),
    verdicts,
  ];
  if (r.mode === 'pooling') return [pricedTable(r), ...pooling];
  return [...servingTables(r), ...pooling];
}

/** A serving plan's own tables: every configuration, the cheapest feasible, the frontier. */
function servingTables(r: CapacityReport): Table[] {
  const c = colsOf(r);
  const target = r.targetRatePerS === null ? '' : `, target ${formatRate(r.targetRatePerS)}`;
  const growth = r.growth.length === 0 ? '' : `, growth ${r.growth.map((g) => `×${g}`).join(', ')}`;
  const head = `${r.scenario ?? ''}${growth}${target}, SLO attainment ≥ ${pct(r.attainment)}, replicas ${scalingText(r)}`;
  const measure = c.searched
    ? 'highest rate meeting the SLOs'
    : `goodput at ×${r.growth[r.growth.length - 1] ?? 1}`;
  return [
    configTable(`Configurations — ${head}`, r.rows, c, true),
    r.cheapest === null
      ? {
          title: 'Cheapest feasible configuration',
          columns: [{ header: 'result' }],
          rows: [
            [
              `none of the configurations meets the SLOs at every growth step${c.target ? ' and at the target rate' : ''}`,
            ],
          ],
        }
      : configTable('Cheapest feasible configuration', [r.cheapest], c, false),
    configTable(`Cost-vs-capacity Pareto frontier (${measure})`, r.frontier, c, false),
  ];
}

/** How replicas were sized, in words. */
function scalingText(r: CapacityReport): string {
  const s = r.replicas;
  if (s.kind === 'per-host') return `${s.perHost} per host`;
  if (s.kind === 'gpu-share') return `${pct(s.share, 0)} of GPU slots`;
  return "the scenario's";
}
