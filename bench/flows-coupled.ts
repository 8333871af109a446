/**
 * The heavily coupled flow workload of issue 13 item 9 (docs/references.md §5, where SimGrid's
 * C++ solver ran the same flows): random device→GPU flows over the bundled 96-host Octopus
 * island pod. Each flow picks a GPU uniformly, then a memory device its host is cabled to;
 * 1–64 MB (decimal, uniform, whole bytes); issued uniformly over 20 ms, so thousands overlap and
 * most of them end up in one connected component of shared resources. Seeded (mulberry32), so a
 * count and a seed name one instance — the bench (bench/flows.ts) and the pinned-finish-times
 * test (test/fabric/flows-coupled.test.ts) use the same generator.
 *
 * Run as a script it writes the instance as a `podsim flows` file, for whole-process timing:
 * `node --import tsx bench/flows-coupled.ts 10000 > /tmp/flows-10k.json` then
 * `node bin/podsim.js flows octopus-96 --flows /tmp/flows-10k.json --json > /dev/null`.
 */
import { pathToFileURL } from 'node:url';
import type { Fabric } from '../src/fabric/compile.ts';
import type { FlowSpec } from '../src/fabric/flows.ts';
import { cxlPaths, hostGpus } from '../src/fabric/paths.ts';
import { dataRoute } from '../src/fabric/route.ts';
import { mulberry32, randomInt } from '../src/units/index.ts';

/** Default seed of the workload. */
export const COUPLED_SEED = 20261202;
/** Window over which the flows are issued, in ns (20 ms). */
export const COUPLED_WINDOW_NS = 20e6;
/** Smallest and largest flow, in bytes (1 MB and 64 MB). */
export const COUPLED_MIN_BYTES = 1e6;
/** Largest flow, in bytes. */
export const COUPLED_MAX_BYTES = 64e6;

/** One flow as written in a `podsim flows` file. */
export interface CoupledFlowEntry {
  readonly id: string;
  readonly src: string;
  readonly dst: string;
  readonly bytes: number;
  readonly startNs: number;
}

/**
 * `count` flows of the workload on fabric `f` (compiled from octopus-96), as flows-file entries
 * (ids `c00000`, … in order of generation, not of time), issued over `windowNs` (default 20 ms;
 * a shorter window packs a few hundred flows as densely as thousands over 20 ms).
 */
export function coupledFlowEntries(
  f: Fabric,
  count: number,
  seed = COUPLED_SEED,
  windowNs = COUPLED_WINDOW_NS,
): CoupledFlowEntry[] {
  const rand = mulberry32(seed);
  const gpus: number[] = [];
  for (const h of f.hosts) gpus.push(...hostGpus(f, h));
  const width = String(Math.max(count - 1, 0)).length;
  const out: CoupledFlowEntry[] = [];
  for (let i = 0; i < count; i++) {
    const gpu = gpus[randomInt(rand, gpus.length)] ?? 0;
    const paths = cxlPaths(f, f.ownerHost[gpu] ?? 0);
    const dev = paths[randomInt(rand, paths.length)]?.device ?? 0;
    const bytes = Math.round(COUPLED_MIN_BYTES + rand() * (COUPLED_MAX_BYTES - COUPLED_MIN_BYTES));
    const startNs = rand() * windowNs;
    out.push({
      id: `c${String(i).padStart(width, '0')}`,
      src: f.nodes[dev] ?? '',
      dst: f.nodes[gpu] ?? '',
      bytes,
      startNs,
    });
  }
  return out;
}

/** The workload's flows routed as `podsim flows` routes them (`dataRoute`), ready for `simulateFlows`. */
export function coupledFlows(
  f: Fabric,
  count: number,
  seed = COUPLED_SEED,
  windowNs = COUPLED_WINDOW_NS,
): FlowSpec[] {
  return coupledFlowEntries(f, count, seed, windowNs).map((e) => {
    const r = dataRoute(f, e.src, e.dst, e.bytes);
    if (r === undefined) throw new Error(`no route from ${e.src} to ${e.dst}`);
    return {
      id: e.id,
      resources: [...r.resources],
      bytes: e.bytes,
      startNs: e.startNs,
      latencyNs: r.latencyNs,
    };
  });
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '10000');
  const seed = Number(process.argv[3] ?? String(COUPLED_SEED));
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed))
    throw new Error(`usage: flows-coupled.ts [count ≥ 0] [seed], got ${process.argv.slice(2)}`);
  const { compileFabric } = await import('../src/fabric/compile.ts');
  const { loadTopology } = await import('../src/io/index.ts');
  const f = compileFabric(loadTopology('octopus-96').graph);
  process.stdout.write(`${JSON.stringify(coupledFlowEntries(f, count, seed))}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
