/**
 * `podsim reproduce droidspeak` bench (issue 12 acceptance: "runs in under a minute"): the whole
 * reproduction in process — every planner row, every rate search on the testbed and on
 * octopus-96 — timed as wall and CPU time, plus the simulated runs' count. A `BenchModule`
 * (bench/types.ts), so it can join bench/run.ts's areas; also runnable alone:
 * `npx tsx bench/reproduce-droidspeak.ts`.
 */
import { fileURLToPath } from 'node:url';
import { reproduceDroidspeak } from '../src/app/reproduce/droidspeak.ts';
import type { BenchRow } from './types.ts';

/** Times one reproduction. */
export function run(): Promise<readonly BenchRow[]> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = reproduceDroidspeak();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return Promise.resolve([
    {
      name: `reproduce droidspeak, ${r.figures.length} figures (wall)`,
      value: wallMs / 1000,
      unit: 's',
      target: '< 60 s',
      ok: wallMs < 60_000,
    },
    {
      name: 'reproduce droidspeak (CPU, user + system)',
      value: (cpu.user + cpu.system) / 1e6,
      unit: 's',
    },
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  for (const row of await run())
    process.stdout.write(
      `${row.name}: ${row.value.toFixed(1)} ${row.unit}${row.target === undefined ? '' : ` (target ${row.target}: ${row.ok === true ? 'met' : 'missed'})`}\n`,
    );
