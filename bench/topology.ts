/**
 * Topology bench (issue 2): generate, validate and compute inspect metrics for sparse Octopus
 * pods of 1,024 and 10,000 hosts (X = 8, N = 4), one process, one core. Targets: < 1 s and
 * < 10 s. Also times the bundled 96-host island pod for reference.
 */
import { generate } from '../src/topology/generators/index.ts';
import { topologyMetrics } from '../src/topology/metrics.ts';
import { validateTopology } from '../src/topology/validate.ts';
import type { BenchRow } from './types.ts';

function timeMs(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** Generate + validate + metrics once; returns the total and the parts in ms. */
function pipeline(hosts: number): { total: number; gen: number; val: number; met: number } {
  let graph = generate('octopus-sparse', {
    hosts,
    hostPorts: 8,
    devicePorts: 4,
    objective: 'pair-coverage',
    seed: 1,
  });
  const gen = timeMs(() => {
    graph = generate('octopus-sparse', {
      hosts,
      hostPorts: 8,
      devicePorts: 4,
      objective: 'pair-coverage',
      seed: 1,
    });
  });
  let issues = 0;
  const val = timeMs(() => {
    issues = validateTopology(graph).length;
  });
  if (issues !== 0) throw new Error(`bench topology has ${issues} validation issues`);
  const met = timeMs(() => topologyMetrics(graph));
  return { total: gen + val + met, gen, val, met };
}

/** Runs the topology bench. */
export async function run(): Promise<readonly BenchRow[]> {
  // Warm-up so JIT compilation is not billed to the first measurement.
  pipeline(256);
  const rows: BenchRow[] = [];
  for (const [hosts, targetMs] of [
    [1024, 1000],
    [10_000, 10_000],
  ] as const) {
    const r = pipeline(hosts);
    rows.push({
      name: `octopus-sparse ${hosts.toLocaleString('en-US')} hosts: generate+validate+metrics`,
      value: r.total,
      unit: 'ms',
      target: `< ${targetMs.toLocaleString('en-US')} ms`,
      ok: r.total < targetMs,
    });
    rows.push(
      { name: `  generate`, value: r.gen, unit: 'ms' },
      { name: `  validate`, value: r.val, unit: 'ms' },
      { name: `  metrics (relay hops exact ≤ 40 M BFS visits)`, value: r.met, unit: 'ms' },
    );
  }
  const islands = timeMs(() => {
    const g = generate('octopus-islands', { hosts: 96, hostPorts: 8, devicePorts: 4, seed: 1 });
    validateTopology(g);
    topologyMetrics(g);
  });
  rows.push({
    name: 'octopus-islands 96 hosts: generate+validate+metrics',
    value: islands,
    unit: 'ms',
  });
  return rows;
}
