/**
 * Bench of the max-min fluid flow engine (`src/fabric/flows.ts`) on the real compiled fabric of
 * the bundled 96-host Octopus island pod (`topologies/octopus-96.yaml`): 10,000 flows arriving
 * over time (Poisson), routed by `dataRoute` — 70 % KV fetches from a device into a GPU of a
 * host that reaches it, 20 % cache writes from a GPU into a device, 10 % host-to-host copies
 * through a shared device (media crossed twice). Sizes log-uniform from 64 KiB to 1.5 GB, all
 * from one mulberry32 seed; offered load ≈ 50 % of the pod's host-link bandwidth. The issue's
 * target: the whole run in under 2 s on one core; the figure reported is flow events per second
 * (each flow starts and finishes once).
 */
import { performance } from 'node:perf_hooks';
import { compileFabric, type Fabric } from '../src/fabric/compile.ts';
import { simulateFlowsWithStats, type FlowSpec } from '../src/fabric/flows.ts';
import { cxlPaths, hostGpus } from '../src/fabric/paths.ts';
import { dataRoute } from '../src/fabric/route.ts';
import { loadTopology } from '../src/io/index.ts';
import { KiB, mulberry32, randomInt, type Random } from '../src/units/index.ts';
import type { BenchRow } from './types.ts';

const FLOWS = 10_000;
const SEED = 20261122;
const OFFERED_LOAD = 0.5;

function buildFlows(f: Fabric, rand: Random): FlowSpec[] {
  const hosts = Array.from(f.hosts);
  const logMin = Math.log(64 * KiB);
  const logMax = Math.log(1.5e9);
  const size = (): number => Math.round(Math.exp(logMin + rand() * (logMax - logMin)));
  const meanBytes = (1.5e9 - 64 * KiB) / (logMax - logMin);
  let hostLinkBw = 0;
  for (let l = 0; l < f.links.length; l++)
    if (f.linkKind[l] === 'cxl') hostLinkBw += f.linkBandwidthBytesPerNs[l] ?? 0;
  const meanGapNs = meanBytes / (OFFERED_LOAD * hostLinkBw);
  const flows: FlowSpec[] = [];
  let t = 0;
  while (flows.length < FLOWS) {
    t += -Math.log(1 - rand()) * meanGapNs;
    const h = hosts[randomInt(rand, hosts.length)] ?? 0;
    const paths = cxlPaths(f, h);
    const dev = f.nodes[paths[randomInt(rand, paths.length)]?.device ?? 0] ?? '';
    const gpus = hostGpus(f, h);
    const gpu = f.nodes[gpus[randomInt(rand, gpus.length)] ?? 0] ?? '';
    const kind = rand();
    let src: string;
    let dst: string;
    if (kind < 0.7) [src, dst] = [dev, gpu];
    else if (kind < 0.9) [src, dst] = [gpu, dev];
    else {
      // A host sharing `dev` with h.
      const d = f.nodeIndex.get(dev) ?? 0;
      const peers = hosts.filter((o) => o !== h && cxlPaths(f, o).some((p) => p.device === d));
      [src, dst] = [f.nodes[h] ?? '', f.nodes[peers[randomInt(rand, peers.length)] ?? h] ?? ''];
    }
    const bytes = size();
    const r = dataRoute(f, src, dst, bytes);
    if (r === undefined) continue;
    flows.push({
      id: `f${String(flows.length).padStart(5, '0')}`,
      resources: [...r.resources],
      bytes,
      startNs: t,
      latencyNs: r.latencyNs,
    });
  }
  return flows;
}

/** Runs the flows bench. */
export async function run(): Promise<readonly BenchRow[]> {
  const f = compileFabric(loadTopology('octopus-96').graph);
  const flows = buildFlows(f, mulberry32(SEED));
  simulateFlowsWithStats(f.resourceCapacityBytesPerNs, flows.slice(0, 500)); // warm-up
  const t0 = performance.now();
  const sim = simulateFlowsWithStats(f.resourceCapacityBytesPerNs, flows);
  const ms = performance.now() - t0;
  const events = 2 * flows.length;
  return [
    {
      name: `${FLOWS.toLocaleString('en-US')} flows on octopus-96 (${f.resources.length} resources), wall time`,
      value: ms,
      unit: 'ms',
      target: '< 2,000 ms',
      ok: ms < 2000,
    },
    {
      name: 'flow events (start + finish) per second',
      value: events / (ms / 1000),
      unit: 'events/s',
    },
    {
      name: 'mean flows re-solved per solve',
      value: sim.stats.flowsSolved / Math.max(1, sim.stats.solves),
      unit: 'flows',
    },
  ];
}
