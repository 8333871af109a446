/**
 * Layout bench (issue 11): the layout optimiser on a 1,024-host sparse Octopus pod (X = 8,
 * N = 4: 2,048 MHDs, 8,192 cables), one process, one core. Target: < 2 s. Also times the
 * bundled 96-host island pod's incidence and reports the longest cable each one gets, and the
 * reach wiring (place first, then cable each MHD to hosts within reach) building a whole pod.
 */
import { sparseIncidence } from '../src/topology/generators/octopus-sparse.ts';
import { DEFAULT_COMPONENTS } from '../src/topology/defaults.ts';
import { DEFAULT_LAYOUT_GEOMETRY } from '../src/topology/layout-geometry.ts';
import { optimiseLayout } from '../src/topology/layout-optimise.ts';
import { generate } from '../src/topology/generators/index.ts';
import type { BenchRow } from './types.ts';

/** Lays out a sparse pod of `hosts` hosts; returns the time in ms and the longest cable in m. */
function layout(hosts: number): { ms: number; longestM: number } {
  const devices = sparseIncidence({
    hosts,
    hostPorts: 8,
    devicePorts: 4,
    objective: 'pair-coverage',
    seed: 1,
  });
  const t0 = performance.now();
  const r = optimiseLayout(
    { hosts, devices },
    DEFAULT_LAYOUT_GEOMETRY,
    DEFAULT_COMPONENTS.copperReachM,
  );
  return { ms: performance.now() - t0, longestM: r.longestCableM };
}

/** Builds a reach-wired sparse pod of `hosts` hosts (placement, wiring, graph); ms and longest cable. */
function reachPod(hosts: number): { ms: number; longestM: number } {
  const t0 = performance.now();
  const g = generate('octopus-sparse', {
    hosts,
    hostPorts: 8,
    devicePorts: 4,
    objective: 'pair-coverage',
    wiring: 'reach',
    seed: 1,
  });
  const ms = performance.now() - t0;
  let longestM = 0;
  g.forEachEdge((_e, l) => {
    if (l.kind === 'cxl') longestM = Math.max(longestM, l.lengthM);
  });
  return { ms, longestM };
}

/** Runs the layout bench. */
export async function run(): Promise<readonly BenchRow[]> {
  layout(128); // warm-up so JIT compilation is not billed to the measurement
  const big = layout(1024);
  const small = layout(96);
  reachPod(128); // warm-up
  const reachBig = reachPod(1024);
  return [
    {
      name: 'layout optimiser, octopus-sparse 1,024 hosts (2,048 MHDs)',
      value: big.ms,
      unit: 'ms',
      target: '< 2,000 ms',
      ok: big.ms < 2000,
    },
    { name: 'longest cable, 1,024 hosts', value: big.longestM, unit: 'm' },
    { name: 'layout optimiser, octopus-sparse 96 hosts', value: small.ms, unit: 'ms' },
    { name: 'longest cable, 96 hosts', value: small.longestM, unit: 'm' },
    {
      name: 'reach-wired octopus-sparse, 1,024 hosts: place + wire + build',
      value: reachBig.ms,
      unit: 'ms',
      target: '< 2,000 ms',
      ok: reachBig.ms < 2000,
    },
    { name: 'longest cable, reach-wired 1,024 hosts', value: reachBig.longestM, unit: 'm' },
  ];
}
