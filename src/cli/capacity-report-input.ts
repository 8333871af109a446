/**
 * `podsim capacity --report DIR`: the capacity report's input from a run (src/app/capacity.ts) —
 * the verdict sentences, the frontier chart's series (one per candidate family, each size at its
 * total cost and highest rate meeting the SLOs) and the tornado charts of `--sensitivity`. The
 * page itself is src/report/capacity-report.ts'.
 */
import type { CapacityReport } from '../app/capacity.ts';
import { capacityOf, type CapacityRow } from '../cost/capacity.ts';
import type { CapacityReportInput } from '../report/capacity-report.ts';
import type { FrontierSeries } from '../report/svg-frontier.ts';
import { tornadoSvg } from '../report/svg-tornado.ts';
import type { Table } from '../report/table.ts';
import { formatRate } from '../report/whatif-load.ts';
import { formatMoney, usd } from '../units/index.ts';

const key = (r: Pick<CapacityRow, 'family' | 'hosts'>): string => `${r.family}@${r.hosts}`;

/**
 * One series per family, in plan order: each size that ran, at its total cost and highest rate
 * meeting the SLOs, marked when on the report's Pareto frontier; a family none of whose sizes
 * ran has no points.
 */
export function frontierSeries(report: CapacityReport): FrontierSeries[] {
  const onFrontier = new Set(report.frontier.map(key));
  const families = [...new Set(report.rows.map((r) => r.family))];
  return families.map((family) => ({
    family,
    points: report.rows
      .filter((r) => r.family === family && r.ran && r.totalUsd !== undefined)
      .map((r) => ({
        hosts: r.hosts,
        totalUsd: r.totalUsd ?? 0,
        maxRatePerS: capacityOf(r),
        onFrontier: onFrontier.has(key(r)),
      })),
  }));
}

/** How fast the configuration goes, as a clause: up to its highest rate, or at least it when no rate tried missed. */
function sustains(c: CapacityRow): string {
  if (c.search === undefined) return '';
  const rate = formatRate(c.search.maxRatePerS);
  return c.search.failsAtPerS === null
    ? `, which met the SLOs at every rate tried, up to ${rate}`
    : `, which sustains up to ${rate}`;
}

/** The verdict in sentences: the cheapest configuration meeting the plan (or that none does), then the run's notes. */
export function verdictSentences(report: CapacityReport): string[] {
  const target =
    report.targetRatePerS === null
      ? `meeting the SLOs at every growth step`
      : `sustaining ${formatRate(report.targetRatePerS)} under the SLOs`;
  const c = report.cheapest;
  const first =
    c === null
      ? `No configuration of the plan is feasible (${target}).`
      : `Cheapest configuration ${target}: ${c.family} at ${c.hosts} hosts, ${formatMoney(usd(c.totalUsd ?? 0))}${sustains(c)}.`;
  return [first, ...report.notes];
}

/**
 * The report page's input.
 * @param tables the capacity tables as printed (src/cli/capacity-tables.ts)
 * @param generatedBy the command line
 */
export function capacityReportInput(
  report: CapacityReport,
  tables: readonly Table[],
  generatedBy: string,
): CapacityReportInput {
  const searched = report.mode === 'serving' && report.searchTolerance !== null;
  return {
    title: `Capacity plan: ${report.plan}`,
    generatedBy,
    intro: report.mode === 'serving' ? verdictSentences(report) : [],
    tables,
    ...(searched
      ? {
          frontier: {
            series: frontierSeries(report),
            ...(report.targetRatePerS === null ? {} : { targetRatePerS: report.targetRatePerS }),
            ...(report.cheapest === null
              ? {}
              : { cheapest: { family: report.cheapest.family, hosts: report.cheapest.hosts } }),
          },
        }
      : {}),
    tornadoes: report.pooling.flatMap((p) =>
      p.sensitivity === undefined
        ? []
        : [
            {
              family: p.family,
              svg: tornadoSvg(p.sensitivity.base, p.sensitivity.rows, {
                id: `tornado-${p.family}`,
                title: `Sensitivity of ${p.family}'s net saving (${report.plan})`,
              }),
            },
          ],
    ),
  };
}
