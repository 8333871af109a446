/**
 * The process plumbing of `podsim sweep`: runs a sweep's points in this thread or on worker
 * threads (src/cli/sweep-worker.ts over ./worker-pool.ts), each evaluating points with
 * src/app/sweep.ts, so a point gives the same record wherever it runs.
 */
import { readFileSync } from 'node:fs';
import { evaluatePoint, type SweepContext, type SweepSpec } from '../app/sweep.ts';
import type { SweepRecord } from '../app/sweep-records.ts';
import { runOnWorkers } from './worker-pool.ts';

/** Reads a file's text, as `prepareSweep` (src/app/sweep.ts) asks for the topology file's document. */
export const readText = (path: string): string => readFileSync(path, 'utf8');

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
  } else
    await runOnWorkers<SweepSpec, SweepRecord>(ctx.spec, indices, workers, finished, {
      worker: 'sweep-worker',
      errorCode: 'sweep.worker',
      signal: options.signal,
    });
  return indices.filter((i) => results.has(i)).map((i) => results.get(i) as SweepRecord);
}
