/**
 * `podsim capacity droidspeak-8b` bench (issue 14 item 7, a capacity search that scales): the
 * bundled plan in process — every configuration sized, run at its target and searched for its
 * highest rate meeting the SLOs, plus the pooling view — timed as wall and CPU time, with the
 * simulation runs it took. A `BenchModule` (bench/types.ts) in bench/run.ts's areas; also
 * runnable alone: `npx tsx bench/capacity.ts`.
 */
import { fileURLToPath } from 'node:url';
import { runCapacityPlan } from '../src/app/capacity.ts';
import { loadPlan } from '../src/io/index.ts';
import type { BenchRow } from './types.ts';

/** Times one run of the bundled plan. */
export function run(): Promise<readonly BenchRow[]> {
  const { plan } = loadPlan('droidspeak-8b');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = runCapacityPlan(plan);
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return Promise.resolve([
    {
      name: `capacity droidspeak-8b: ${r.rows.length} configurations, ${r.runs} runs (wall)`,
      value: wallS,
      unit: 's',
    },
    {
      name: 'capacity droidspeak-8b, per simulation run',
      value: (wallS * 1000) / r.runs,
      unit: 'ms',
    },
    {
      name: 'capacity droidspeak-8b (CPU, user + system)',
      value: (cpu.user + cpu.system) / 1e6,
      unit: 's',
    },
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  for (const row of await run())
    process.stdout.write(`${row.name}: ${row.value.toFixed(1)} ${row.unit}\n`);
