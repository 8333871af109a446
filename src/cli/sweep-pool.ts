/**
 * The process plumbing of `podsim sweep`: runs a sweep's points in this thread or on worker
 * threads (src/cli/sweep-worker.ts), each evaluating points with src/app/sweep.ts, so a point
 * gives the same record wherever it runs; and the messages between the main thread and a worker.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { evaluatePoint, type SweepContext, type SweepSpec } from '../app/sweep.ts';
import type { SweepRecord } from '../app/sweep-records.ts';
import { InputError } from '../errors/index.ts';

/** Reads a file's text, as `prepareSweep` (src/app/sweep.ts) asks for the topology file's document. */
export const readText = (path: string): string => readFileSync(path, 'utf8');

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
 * Starts a worker on src/cli/<name>.ts (sweep-worker, sim-worker). Under tsx (no build step) the worker is a fresh
 * Node thread that knows nothing of TypeScript, so it starts from a tiny ES module that registers
 * tsx the way bin/podsim.js does and then imports the worker source; from a build (`.js`) the
 * worker file is started directly.
 */
export function startWorker(name = 'sweep-worker'): Worker {
  const entry = new URL(
    `./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
    import.meta.url,
  );
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)};\nregister();\nawait import(${JSON.stringify(entry.href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

/** What {@link runPoints} reports as it goes, and how it is stopped. */
export interface RunPointsOptions {
  /** Called with (points done, points) as each finishes. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called with each point's record as it finishes (in the order they finish). */
  readonly onRecord?: (record: SweepRecord) => void;
  /** When aborted, no new point starts, workers are terminated and the points done are returned. */
  readonly signal?: AbortSignal;
}

/**
 * Evaluates the points `indices` of a sweep, on `workers` threads (1 = in this thread), and
 * returns their records in the order of `indices` whichever worker finished first — only the
 * points that finished when `options.signal` was aborted.
 * @throws what a worker threw: a PodsimError is re-thrown as an InputError with its message
 */
export async function runPoints(
  ctx: SweepContext,
  indices: readonly number[],
  workers: number,
  options: RunPointsOptions = {},
): Promise<SweepRecord[]> {
  const results = new Map<number, SweepRecord>();
  const finished = (index: number, record: SweepRecord): void => {
    results.set(index, record);
    options.onRecord?.(record);
    options.onProgress?.(results.size, indices.length);
  };
  if (workers <= 1 || indices.length <= 1) {
    for (const i of indices) {
      // A turn of the event loop between points, so a SIGINT handler can run and abort.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted === true) break;
      finished(i, evaluatePoint(ctx, i));
    }
  } else await onWorkers(ctx, indices, workers, finished, options.signal);
  return indices.filter((i) => results.has(i)).map((i) => results.get(i) as SweepRecord);
}

/** Runs `indices` on a pool of worker threads, calling `finished` for each; stops on `signal`. */
async function onWorkers(
  ctx: SweepContext,
  indices: readonly number[],
  workers: number,
  finished: (index: number, record: SweepRecord) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const queue = [...indices];
  const pool = Array.from({ length: Math.min(workers, indices.length) }, () => startWorker());
  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      stopping = true;
      queue.length = 0;
      resolve();
    };
    if (signal?.aborted === true) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
  try {
    await Promise.race([
      stopped,
      Promise.all(pool.map((w) => drive(w, ctx, queue, finished, () => stopping))),
    ]);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** Feeds one worker points from `queue` until it is empty; resolves when the worker is idle. */
function drive(
  w: Worker,
  ctx: SweepContext,
  queue: number[],
  finished: (index: number, record: SweepRecord) => void,
  stopping: () => boolean,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const next = (): void => {
      const index = queue.shift();
      if (index === undefined) resolve();
      else w.postMessage({ type: 'run', index } satisfies ToWorker);
    };
    w.on('message', (m: FromWorker) => {
      if (m.type === 'done') finished(m.index, m.record); // kept even while stopping: it is done
      if (stopping()) return;
      if (m.type === 'ready' || m.type === 'done') next();
      else {
        const err = m.usage
          ? new InputError([{ code: 'sweep.worker', path: [], message: m.message }])
          : Object.assign(new Error(m.message), { stack: m.stack });
        reject(err);
      }
    });
    w.on('error', (e) => (stopping() ? resolve() : reject(e)));
    w.on('exit', (code) =>
      stopping()
        ? resolve()
        : reject(new Error(`sweep worker exited with code ${code} before finishing`)),
    );
    w.postMessage({ type: 'init', spec: ctx.spec } satisfies ToWorker);
  });
}
