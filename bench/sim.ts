/**
 * Serving-simulator bench (issue 5): the bundled DroidSpeak-like scenario (`droidspeak-8b`) on
 * the 96-host island pod, at two request counts, reporting simulated requests and events per
 * wall-clock second and the process's peak RSS. The targets: ≥ 100,000 requests/s on one
 * core, and 1 M requests in bounded memory — run `npm run bench -- sim --million` for the full
 * million (minutes); the default measures 20 k and 100 k so the growth of RSS (or its absence)
 * shows. Every request moves its cache as max-min flows (8 stripes on this pod), which is where
 * the time goes.
 */
import { performance } from 'node:perf_hooks';
import { compileFabric } from '../src/fabric/compile.ts';
import { loadScenario, loadTopology } from '../src/io/index.ts';
import { runSimulation, type SimConfig } from '../src/sim/engine.ts';
import type { BenchRow } from './types.ts';

/** Runs the simulator bench. */
export async function run(): Promise<readonly BenchRow[]> {
  const { scenario } = loadScenario('droidspeak-8b');
  const f = compileFabric(loadTopology('octopus-96').graph);
  const counts = process.argv.includes('--million') ? [20_000, 1_000_000] : [20_000, 100_000];
  const rows: BenchRow[] = [];
  for (const requests of counts) {
    const { durationNs: _duration, ...workload } = scenario.workload;
    const cfg: SimConfig = { ...scenario, workload: { ...workload, requests } };
    const t0 = performance.now();
    const r = runSimulation(f, cfg);
    const s = (performance.now() - t0) / 1000;
    const perS = r.requests.completed / s;
    rows.push(
      { name: `droidspeak-8b on octopus-96, ${requests.toLocaleString('en-US')} requests: simulated requests per second`, value: perS, unit: 'requests/s', target: '≥ 100,000', ok: perS >= 100_000 },
      { name: '  events per second', value: r.events / s, unit: 'events/s' },
      { name: '  peak RSS of the bench process so far', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB' },
    );
  }
  return rows;
}
