/**
 * The I/O half of `podsim capacity`: builds every candidate size from the plan (its
 * generator-form document with `hosts` set, rendered and parsed by io/ exactly as a file would
 * be), evaluates it with the pure search in src/cost/capacity.ts, runs the pooling view
 * (src/cost/pooling.ts) on each family's largest size that builds, and turns the result into
 * tables. Building topologies needs io/, which cost/ may not import; hence the split.
 */
import {
  cheapestFeasible,
  evaluateConfiguration,
  paretoFrontier,
  reasonOf,
  type CapacityRow,
} from '../cost/capacity.ts';
import { poolingVerdict, poolingView, type PoolingView } from '../cost/pooling.ts';
import { PodsimError } from '../errors/index.ts';
import {
  candidateDocument,
  parseTopologyText,
  renderTopologyFile,
  type CapacityPlan,
} from '../io/index.ts';
import type { Table } from '../report/table.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { GiB } from '../units/index.ts';

/** The pooling view of one family (at its largest size that builds), or why there is none. */
export interface FamilyPooling {
  readonly family: string;
  readonly hosts?: number;
  readonly view?: PoolingView;
  readonly verdict: string;
}

/** Everything `podsim capacity` reports. */
export interface CapacityReport {
  readonly plan: string;
  readonly scenario: string;
  readonly growth: readonly number[];
  readonly attainment: number;
  readonly rows: readonly CapacityRow[];
  readonly cheapest: CapacityRow | null;
  readonly frontier: readonly CapacityRow[];
  readonly pooling: readonly FamilyPooling[];
}

/** Work units of a plan (one per simulated growth step, one per family's pooling view), for progress. */
export function planWork(plan: CapacityPlan): number {
  return plan.candidates.reduce((s, c) => s + c.hosts.length * plan.growth.length + 1, 0);
}

/**
 * Runs the plan.
 * @param onProgress called with (work done, work total) as steps finish
 */
export function runCapacityPlan(
  plan: CapacityPlan,
  onProgress?: (done: number, total: number) => void,
): CapacityReport {
  const total = planWork(plan);
  let done = 0;
  const tick = (n = 1): void => {
    done += n;
    onProgress?.(done, total);
  };
  const rows: CapacityRow[] = [];
  const pooling: FamilyPooling[] = [];
  for (const c of plan.candidates) {
    let largest: { hosts: number; graph: TopologyGraph } | undefined;
    for (const hosts of c.hosts) {
      let graph: TopologyGraph;
      try {
        graph = parseTopologyText(
          renderTopologyFile(candidateDocument(c, hosts)),
          `${plan.file}: candidate ${c.label} at ${hosts} hosts`,
        );
      } catch (e) {
        if (!(e instanceof PodsimError)) throw e;
        rows.push({
          family: c.label,
          hosts,
          ran: false,
          feasible: false,
          reason: `cannot build: ${reasonOf(e)}`,
          steps: [],
        });
        tick(plan.growth.length);
        continue;
      }
      if (largest === undefined || hosts > largest.hosts) largest = { hosts, graph };
      let stepsDone = 0;
      const row = evaluateConfiguration(
        c.label,
        graph,
        plan.catalogue,
        plan.scenario,
        plan.growth,
        plan.attainment,
        () => {
          stepsDone++;
          tick();
        },
      );
      tick(plan.growth.length - stepsDone);
      rows.push(row);
    }
    if (largest === undefined)
      pooling.push({
        family: c.label,
        verdict: `${c.label}: no size could be built, so there is no pooling view.`,
      });
    else {
      try {
        const view = poolingView(largest.graph, plan.catalogue, plan.memory, plan.scenario.seed);
        pooling.push({
          family: c.label,
          hosts: largest.hosts,
          view,
          verdict: poolingVerdict(view),
        });
      } catch (e) {
        if (!(e instanceof PodsimError)) throw e;
        pooling.push({
          family: c.label,
          hosts: largest.hosts,
          verdict: `${c.label}: ${reasonOf(e)}`,
        });
      }
    }
    tick();
  }
  return {
    plan: plan.file,
    scenario: plan.scenario.name,
    growth: plan.growth,
    attainment: plan.attainment,
    rows,
    cheapest: cheapestFeasible(rows) ?? null,
    frontier: paretoFrontier(rows),
    pooling,
  };
}

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
