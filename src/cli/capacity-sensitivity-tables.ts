/**
 * `podsim capacity`'s break-even and sensitivity tables: what each pool's hardware may cost per
 * host for the net saving to be zero or Octopus's 3 %, and (with `--sensitivity`) which inputs
 * move the net saving and which flip its sign. The numbers come from src/app/capacity-sensitivity.ts.
 */
import type { CapacityReport } from '../app/capacity.ts';
import type { Table } from '../report/table.ts';
import { formatPercentFixed } from '../units/index.ts';

const money = (x: number): string =>
  x < 0
    ? `−$${Math.round(-x).toLocaleString('en-US')}`
    : `$${Math.round(x).toLocaleString('en-US')}`;
const pct = (x: number): string => formatPercentFixed(x, 2);
const value = (x: number, unit: 'usd' | 'number'): string =>
  unit === 'usd' ? money(x) : Number(x.toPrecision(4)).toString();

/** The break-even table (families with a pool), or undefined when no family has one. */
export function breakEvenTable(r: CapacityReport): Table | undefined {
  const rows = r.pooling.flatMap((p) =>
    p.breakEven === undefined || p.view === undefined
      ? []
      : [
          [
            p.family,
            money(p.view.fabricPerHostUsd),
            money(p.breakEven.zeroUsd),
            money(p.breakEven.paperLowUsd),
            p.breakEven.paperLowUsd > 0
              ? `${(p.view.fabricPerHostUsd / p.breakEven.paperLowUsd).toFixed(1)}×`
              : 'no fabric is cheap enough',
          ],
        ],
  );
  if (rows.length === 0) return undefined;
  return {
    title:
      'Break-even pod hardware (fabric without device DRAM, per host): the cost at which the net saving would be 0 and Octopus’s 3 %',
    columns: [
      { header: 'family' },
      { header: 'fabric/host', align: 'right' },
      { header: 'at net 0', align: 'right' },
      { header: 'at net 3 %', align: 'right' },
      { header: 'too dear by', align: 'right' },
    ],
    rows,
    raw: {
      headers: [
        'family',
        'fabric_per_host_usd',
        'break_even_net_0_usd',
        'break_even_net_3_percent_usd',
        'too_dear_by',
      ],
      rows: r.pooling.flatMap((p) =>
        p.breakEven === undefined || p.view === undefined
          ? []
          : [
              [
                p.family,
                p.view.fabricPerHostUsd,
                p.breakEven.zeroUsd,
                p.breakEven.paperLowUsd,
                p.breakEven.paperLowUsd > 0
                  ? p.view.fabricPerHostUsd / p.breakEven.paperLowUsd
                  : '',
              ],
            ],
      ),
    },
  };
}

/** One sensitivity table per family that has one (`--sensitivity`). */
export function sensitivityTables(r: CapacityReport): Table[] {
  return r.pooling.flatMap((p) => {
    const s = p.sensitivity;
    if (s === undefined) return [];
    const flips = s.rows.filter((row) => row.flipsSign).map((row) => row.name);
    return [
      {
        title: `Sensitivity of ${p.family}'s net saving (base ${pct(s.base)}; ${flips.length === 0 ? 'no input flips its sign over its range' : `flips sign: ${flips.join(', ')}`}; ranges: docs/costs.md §8)`,
        columns: [
          { header: 'input' },
          { header: 'base', align: 'right' },
          { header: 'low', align: 'right' },
          { header: 'high', align: 'right' },
          { header: 'net at low', align: 'right' },
          { header: 'net at high', align: 'right' },
          { header: 'swing', align: 'right' },
          { header: 'flips sign' },
        ],
        rows: s.rows.map((row) => [
          row.name,
          value(row.baseValue, row.unit),
          value(row.low, row.unit),
          value(row.high, row.unit),
          pct(row.atLow),
          pct(row.atHigh),
          pct(row.swing),
          row.flipsSign ? 'yes' : '',
        ]),
        raw: {
          headers: [
            'input',
            'unit',
            'base',
            'low',
            'high',
            'net_share_at_low',
            'net_share_at_high',
            'swing',
            'flips_sign',
          ],
          rows: s.rows.map((row) => [
            row.name,
            row.unit,
            row.baseValue,
            row.low,
            row.high,
            row.atLow,
            row.atHigh,
            row.swing,
            row.flipsSign ? 'true' : 'false',
          ]),
        },
      },
    ];
  });
}
