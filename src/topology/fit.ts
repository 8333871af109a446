/**
 * How large an Octopus pod fits copper reach (docs/layout.md "What fits"): builds the pods a
 * generator can build for given ports (X, N) at a range of host counts — each laid out by the
 * layout optimiser, with retimers allowed so every size can be measured — and reports each
 * one's longest cable, the cables beyond reach and whether it fits. Uses each generator's own
 * host-count rules: island pods at multiples of their island sizes, sparse pods at a fixed
 * ladder of sizes, block-design pods at every port count up to X that has a design.
 */
import { GeneratorError } from '../errors/index.ts';
import { metres, type Metres } from '../units/index.ts';
import { DEFAULT_COMPONENTS } from './defaults.ts';
import { octopusBibd } from './generators/octopus-bibd.ts';
import { islandSizes, octopusIslands } from './generators/octopus-islands.ts';
import { octopusSparse, type SparseWiring } from './generators/octopus-sparse.ts';
import type { GenerateOptions } from './generators/types.ts';
import type { TopologyGraph } from './types.ts';

/** Octopus generators `fit` knows. */
export const FIT_GENERATORS = ['octopus-islands', 'octopus-sparse', 'octopus-bibd'] as const;
export type FitGenerator = (typeof FIT_GENERATORS)[number];

/** One pod size tried. */
export interface FitRow {
  readonly hosts: number;
  /** Host ports the pod uses (below X only for block designs of fewer ports). */
  readonly hostPorts: number;
  readonly devices: number;
  readonly racks: number;
  readonly longestCableM: Metres;
  readonly cablesBeyondReach: number;
  readonly retimers: number;
  readonly fitsReach: boolean;
}

/** The fit table of one generator. */
export interface FitResult {
  readonly generator: FitGenerator;
  /** octopus-sparse only: the wiring tried (docs/octopus-generators.md "Wired for the layout"). */
  readonly wiring?: SparseWiring;
  readonly hostPorts: number;
  readonly devicePorts: number;
  readonly reachM: Metres;
  readonly maxHosts: number;
  readonly rows: readonly FitRow[];
  /** Largest host count that fits, undefined when none does. */
  readonly largestFitting: number | undefined;
}

/** Sparse pod sizes tried (estimate: a ladder dense enough to locate the limit). */
const SPARSE_LADDER = [
  8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 256, 384, 512, 768, 1024,
];

/** Measures one built pod. */
function measure(graph: TopologyGraph, hostPorts: number, reachM: number): FitRow {
  let hosts = 0;
  let devices = 0;
  let racks = 0;
  graph.forEachNode((_, a) => {
    if (a.kind === 'host') hosts++;
    else if (a.kind === 'mhd') devices++;
    if ('placement' in a) racks = Math.max(racks, a.placement.rack + 1);
  });
  let longest = 0;
  let beyond = 0;
  let retimers = 0;
  graph.forEachEdge((_, l) => {
    if (l.kind !== 'cxl') return;
    longest = Math.max(longest, l.lengthM);
    if (l.lengthM > reachM) beyond++;
    retimers += l.retimers;
  });
  return {
    hosts,
    hostPorts,
    devices,
    racks,
    longestCableM: metres(longest),
    cablesBeyondReach: beyond,
    retimers,
    fitsReach: beyond === 0,
  };
}

/** Builds and measures, or undefined when the generator cannot build these parameters. */
function attempt(
  build: () => TopologyGraph,
  hostPorts: number,
  reachM: number,
): FitRow | undefined {
  try {
    return measure(build(), hostPorts, reachM);
  } catch (e) {
    if (e instanceof GeneratorError) return undefined;
    throw e;
  }
}

/**
 * The fit table for `generator` with X = `hostPorts`, N = `devicePorts`, host counts up to
 * `maxHosts`. `options.components.copperReachM` is the reach; `options.layout` the geometry
 * (its `retimers` policy is overridden to `allow` so every size is measured). `shape.wiring`
 * (octopus-sparse only; default `coverage`) chooses the sparse wiring.
 */
export function fitTable(
  generator: FitGenerator,
  shape: { hostPorts: number; devicePorts: number; seed?: number; wiring?: SparseWiring },
  options: GenerateOptions = {},
  maxHosts = 128,
): FitResult {
  const { hostPorts: X, devicePorts: N } = shape;
  const seed = shape.seed ?? 1;
  const reachM = (options.components ?? DEFAULT_COMPONENTS).copperReachM;
  const opts: GenerateOptions = { ...options, layout: { ...options.layout, retimers: 'allow' } };
  const rows: FitRow[] = [];
  if (generator === 'octopus-bibd') {
    for (let x = 2; x <= X; x++) {
      if (x * (N - 1) + 1 > maxHosts) break;
      const r = attempt(
        () => octopusBibd.generate({ hostPorts: x, devicePorts: N }, opts),
        x,
        reachM,
      );
      if (r !== undefined) rows.push(r);
    }
  } else if (generator === 'octopus-islands') {
    const sizes = islandSizes(X, N).map((s) => s.size);
    const counts = new Set<number>();
    for (const s of sizes) for (let h = 2 * s; h <= maxHosts; h += s) counts.add(h);
    for (const hosts of [...counts].sort((a, b) => a - b)) {
      const r = attempt(
        () => octopusIslands.generate({ hosts, hostPorts: X, devicePorts: N, seed }, opts),
        X,
        reachM,
      );
      if (r !== undefined) rows.push(r);
    }
  } else {
    for (const hosts of SPARSE_LADDER.filter((h) => h <= maxHosts && h >= N)) {
      const params = {
        hosts,
        hostPorts: X,
        devicePorts: N,
        objective: 'pair-coverage',
        seed,
        ...(shape.wiring === undefined ? {} : { wiring: shape.wiring }),
      } as const;
      const r = attempt(() => octopusSparse.generate(params, opts), X, reachM);
      if (r !== undefined) rows.push(r);
    }
  }
  const fitting = rows.filter((r) => r.fitsReach).map((r) => r.hosts);
  return {
    generator,
    ...(generator === 'octopus-sparse' && shape.wiring !== undefined
      ? { wiring: shape.wiring }
      : {}),
    hostPorts: X,
    devicePorts: N,
    reachM: metres(reachM),
    maxHosts,
    rows,
    largestFitting: fitting.length === 0 ? undefined : Math.max(...fitting),
  };
}
