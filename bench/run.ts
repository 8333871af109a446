/**
 * `npm run bench`: runs every area's bench (bench/<area>.ts exporting `run`) and prints one
 * aligned table of figures with the issue targets they answer. `--json` prints the rows as JSON.
 * Benchmarks live here, not in unit tests, so timing noise never fails the test suite.
 */
import os from 'node:os';
import { renderText } from '../src/report/table.ts';
import type { BenchModule, BenchRow } from './types.ts';

const AREAS = [
  'topology',
  'layout',
  'fabric',
  'flows',
  'planner',
  'sim',
  'startup',
  'reproduce-droidspeak',
  'capacity',
] as const;

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const only = process.argv.filter((a) => (AREAS as readonly string[]).includes(a));
  const rows: (BenchRow & { area: string })[] = [];
  for (const area of AREAS) {
    if (only.length > 0 && !only.includes(area)) continue;
    const mod = (await import(`./${area}.ts`)) as BenchModule;
    if (!json) process.stderr.write(`bench: ${area}…\n`);
    for (const r of await mod.run()) rows.push({ area, ...r });
  }
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', rows }, null, 2)}\n`,
    );
    return;
  }
  const fmt = (v: number): string =>
    Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
  process.stdout.write(
    `${renderText({
      title: `podsim bench — node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, one process`,
      columns: [
        { header: 'area' },
        { header: 'measurement' },
        { header: 'value', align: 'right' },
        { header: 'unit' },
        { header: 'target' },
        { header: 'met' },
      ],
      rows: rows.map((r) => [
        r.area,
        r.name,
        fmt(r.value),
        r.unit,
        r.target ?? '',
        r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
      ]),
    })}\n`,
  );
  if (rows.some((r) => r.ok === false)) process.exitCode = 1;
}

await main();
