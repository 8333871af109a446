/**
 * Cost-engine bench (issue 3): the all-pairs RPC table of a 1,024-host sparse Octopus pod
 * (X = 8, N = 4; 523,776 pairs, relays by Dijkstra) — target under 1 s on one core — and the
 * same for the bundled 96-host pods for reference. Compilation of the fabric is included.
 */
import { performance } from 'node:perf_hooks';
import { compileFabric } from '../src/fabric/compile.ts';
import { rpcAllPairs } from '../src/fabric/rpc.ts';
import { loadTopology } from '../src/io/index.ts';
import { generate } from '../src/topology/generators/index.ts';
import { bytes } from '../src/units/index.ts';
import type { TopologyGraph } from '../src/topology/types.ts';
import type { BenchRow } from './types.ts';

function allPairsMs(g: TopologyGraph): number {
  const t0 = performance.now();
  rpcAllPairs(compileFabric(g), bytes(64));
  return performance.now() - t0;
}

/** Runs the fabric bench. */
export async function run(): Promise<readonly BenchRow[]> {
  allPairsMs(
    generate('octopus-sparse', {
      hosts: 128,
      hostPorts: 8,
      devicePorts: 4,
      objective: 'pair-coverage',
      seed: 1,
    }),
  ); // warm-up
  const big = generate('octopus-sparse', {
    hosts: 1024,
    hostPorts: 8,
    devicePorts: 4,
    objective: 'pair-coverage',
    seed: 1,
  });
  const ms = allPairsMs(big);
  const rows: BenchRow[] = [
    {
      name: 'all-pairs RPC table, octopus-sparse 1,024 hosts (compile + 523,776 pairs)',
      value: ms,
      unit: 'ms',
      target: '< 1,000 ms',
      ok: ms < 1000,
    },
  ];
  for (const name of ['octopus-96', 'switched-96', 'rdma-96x3'])
    rows.push({
      name: `all-pairs RPC table, ${name}`,
      value: allPairsMs(loadTopology(name).graph),
      unit: 'ms',
    });
  return rows;
}
