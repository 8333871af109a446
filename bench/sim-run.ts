/**
 * One serving-simulation bench run in its own process (spawned by bench/sim.ts): the bundled
 * `droidspeak-8b` scenario on `octopus-96` for the number of requests given as the argument.
 * Prints one JSON line: wall seconds of `runSimulation` (compiling the fabric and loading files
 * are not timed; planning routes, JIT warm-up and everything the run does are), requests
 * completed, events, and the process's peak RSS in MiB.
 */
import { performance } from 'node:perf_hooks';
import { compileFabric } from '../src/fabric/compile.ts';
import { loadScenario, loadTopology } from '../src/io/index.ts';
import { runSimulation } from '../src/sim/engine.ts';
import type { SimConfig } from '../src/sim/types.ts';

const requests = Number(process.argv[2]);
if (!Number.isInteger(requests) || requests < 1)
  throw new Error(`usage: sim-run.ts <requests ≥ 1>, got ${process.argv[2]}`);
const { scenario } = loadScenario('droidspeak-8b');
const f = compileFabric(loadTopology('octopus-96').graph);
const { durationNs: _duration, ...workload } = scenario.workload;
const cfg: SimConfig = { ...scenario, workload: { ...workload, requests } };
const t0 = performance.now();
const r = runSimulation(f, cfg);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ seconds, completed: r.requests.completed, events: r.events, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
