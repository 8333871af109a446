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
