/**
 * The I/O half of `podsim sweep`: loads the scenario and the generator-form topology file a
 * sweep varies, builds each point's topology (the file's document with its `params` overridden,
 * rendered and parsed by io/ exactly as a file would be), runs the what-if and prices the fabric,
 * and runs the points on worker threads. The pure half — grid, overrides, records, shards,
 * merging — is src/sim/sweep.ts; the split exists because sim/ may not import io/ or cost/
 * (docs/design.md), while building a topology from a file and pricing it needs both. The worker
 * entry (src/cli/sweep-worker.ts) calls {@link prepareSweep} and {@link evaluatePoint} from here,
 * so a point gives the same record in-process and on any worker.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parse } from 'yaml';
import { DEFAULT_COST_CATALOGUE, priceTopology } from '../cost/index.ts';
import { InputError, PodsimError } from '../errors/index.ts';
import {
  loadScenario,
  loadTopology,
  parseTopologyText,
  renderTopologyFile,
  ROUTING_POLICIES,
  type Scenario,
  type TopologyFileDocument,
} from '../io/index.ts';
import {
  applyScenarioParams,
  expandGrid,
  gridPoint,
  parseGrid,
  splitParams,
  sweepRecord,
  type Grid,
  type GridPoint,
  type SweepRecord,
} from '../sim/sweep.ts';
import { whatIf } from '../sim/whatif.ts';

/** What a sweep is, as given on the command line (plain strings, so it can be posted to a worker). */
export interface SweepSpec {
  /** Scenario file or preset. */
  readonly scenario: string;
  /** Generator-form topology file or preset. */
  readonly topology: string;
  /** The `--grid key=v1,v2` arguments. */
  readonly grid: readonly string[];
}

/** A loaded sweep: everything needed to evaluate any of its points. */
export interface SweepContext {
  readonly spec: SweepSpec;
  readonly scenario: Scenario;
  /** The topology file's generator-form document, as written. */
  readonly document: Readonly<Record<string, unknown>> & {
    readonly params: Readonly<Record<string, unknown>>;
  };
  /** The name problems in a point's topology are reported against. */
  readonly topologyFile: string;
  readonly grid: Grid;
  readonly points: readonly GridPoint[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Loads the scenario and topology and parses the grid against them.
 * @throws InputError when the topology is not in the generator form (under `--topology`) or the
 *   grid is bad; anything loadScenario / loadTopology throw
 */
export function prepareSweep(spec: SweepSpec): SweepContext {
  const { scenario } = loadScenario(spec.scenario);
  const { file } = loadTopology(spec.topology); // validates the file as it stands, and finds presets
  const data: unknown = parse(readFileSync(file, 'utf8'));
  if (!isRecord(data) || typeof data['generator'] !== 'string' || !isRecord(data['params'])) {
    throw new InputError([
      {
        code: 'sweep.topology-form',
        path: ['--topology'],
        message: `${spec.topology} is not a generator-form topology file (generator + params), so it has no params to sweep; write one with \`podsim topology generate … -o file.yaml\``,
      },
    ]);
  }
  const document = data as SweepContext['document'];
  const grid = parseGrid(spec.grid, {
    topologyParams: document.params,
    scenario,
    routings: ROUTING_POLICIES,
  });
  return { spec, scenario, document, topologyFile: basename(file), grid, points: expandGrid(grid) };
}

/**
 * Evaluates one point: its topology built from the file with the point's params, the scenario
 * with its overrides, one what-if column and the fabric price. A point the generator or the
 * schema refuses, or whose replicas do not fit, becomes a record with `error` (a user-level
 * {@link PodsimError}); anything else is a bug and is thrown.
 */
export function evaluatePoint(ctx: SweepContext, index: number): SweepRecord {
  const point = ctx.points[index] ?? gridPoint(ctx.grid, index);
  const { topology, scenario } = splitParams(point.params, Object.keys(ctx.document.params));
  try {
    const doc = {
      ...ctx.document,
      params: { ...ctx.document.params, ...topology },
    } as unknown as TopologyFileDocument;
    const graph = parseTopologyText(renderTopologyFile(doc), ctx.topologyFile);
    const cfg = applyScenarioParams(ctx.scenario, scenario);
    const [column] = whatIf([{ label: graph.getAttribute('name'), graph, failures: {} }], cfg);
    if (column === undefined) throw new Error('whatIf returned no column');
    return sweepRecord(
      point,
      column,
      priceTopology(graph, DEFAULT_COST_CATALOGUE).fabricPerHostUsd,
    );
  } catch (e) {
    if (e instanceof PodsimError)
      return { point: point.index, params: point.params, error: e.message.replace(/\n\s*/g, '; ') };
    throw e;
  }
}

/** Messages between the main thread and a sweep worker. */
export type ToWorker =
  | { readonly type: 'init'; readonly spec: SweepSpec }
  | { readonly type: 'run'; readonly index: number };
/** Messages from a sweep worker. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly index: number; readonly record: SweepRecord }
  | {
      readonly type: 'fatal';
      readonly message: string;
      readonly stack?: string | undefined;
      readonly usage: boolean;
    };

/** Default worker count: the machine's parallelism, at most one per point, at least 1. */
export function defaultWorkers(points: number): number {
  return Math.max(1, Math.min(availableParallelism(), points));
}

/**
 * Starts a worker on src/cli/sweep-worker.ts. Under tsx (no build step) the worker is a fresh
 * Node thread that knows nothing of TypeScript, so it starts from a tiny ES module that registers
 * tsx the way bin/podsim.js does and then imports the worker source; from a build (`.js`) the
 * worker file is started directly.
 */
function startWorker(): Worker {
  const entry = new URL(
    `./sweep-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
    import.meta.url,
  );
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)};\nregister();\nawait import(${JSON.stringify(entry.href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

/**
 * Evaluates the points `indices` of a sweep, on `workers` threads (1 = in this thread), and
 * returns their records in the order of `indices` whichever worker finished first.
 * @param onProgress called with (points done, points) as each finishes
 * @throws what a worker threw: a PodsimError is re-thrown as an InputError with its message
 */
export async function runPoints(
  ctx: SweepContext,
  indices: readonly number[],
  workers: number,
  onProgress?: (done: number, total: number) => void,
): Promise<SweepRecord[]> {
  const results = new Map<number, SweepRecord>();
  if (workers <= 1 || indices.length <= 1) {
    for (const i of indices) {
      results.set(i, evaluatePoint(ctx, i));
      onProgress?.(results.size, indices.length);
    }
    return indices.map((i) => results.get(i) as SweepRecord);
  }
  const queue = [...indices];
  const pool = Array.from({ length: Math.min(workers, indices.length) }, startWorker);
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const next = (): void => {
              const index = queue.shift();
              if (index === undefined) resolve();
              else w.postMessage({ type: 'run', index } satisfies ToWorker);
            };
            w.on('message', (m: FromWorker) => {
              if (m.type === 'ready') next();
              else if (m.type === 'done') {
                results.set(m.index, m.record);
                onProgress?.(results.size, indices.length);
                next();
              } else {
                const err = m.usage
                  ? new InputError([{ code: 'sweep.worker', path: [], message: m.message }])
                  : Object.assign(new Error(m.message), { stack: m.stack });
                reject(err);
              }
            });
            w.on('error', reject);
            w.on('exit', (code) =>
              reject(new Error(`sweep worker exited with code ${code} before finishing`)),
            );
            w.postMessage({ type: 'init', spec: ctx.spec } satisfies ToWorker);
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return indices.map((i) => results.get(i) as SweepRecord);
}
