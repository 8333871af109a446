/**
 * A pool of worker threads for the long commands that split into independent jobs — `sweep`'s
 * points, `capacity`'s configurations. Each worker is started on src/cli/<name>.ts, gets one
 * `init` message (what it needs to prepare, e.g. the sweep or the plan as given on the command
 * line) and then job indices, one at a time, answering each with its result; the main thread
 * collects results by index, so the output does not depend on which worker finished first.
 * Written here rather than taken from a package (piscina, workerpool): the jobs are a few dozen
 * to a few thousand long-running simulations, the pool is ≈ 100 lines with the project's own
 * error classes and abort handling, and Node's worker_threads is all it needs.
 */
import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { InputError, PodsimError } from '../errors/index.ts';

/** Messages from the main thread to a worker. */
export type ToWorker<I> =
  { readonly type: 'init'; readonly init: I } | { readonly type: 'run'; readonly index: number };

/** Messages from a worker. */
export type FromWorker<R> =
  | { readonly type: 'ready' }
  | { readonly type: 'tick'; readonly index: number }
  | { readonly type: 'done'; readonly index: number; readonly result: R }
  | {
      readonly type: 'fatal';
      readonly message: string;
      readonly stack?: string | undefined;
      readonly usage: boolean;
    };

/** Most worker threads a command may ask for (estimate: each holds a simulation in memory, ≈ 0.2–0.3 GiB). */
export const MAX_WORKERS = 256;

/**
 * Checks a `--workers` flag: a whole number from 1 to {@link MAX_WORKERS}, or absent.
 * @throws InputError (`cli.workers`, path `--workers`, a usage mistake) otherwise
 */
export function checkWorkers(workers: number | undefined): void {
  if (
    workers === undefined ||
    (Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS)
  )
    return;
  throw new InputError([
    {
      code: 'cli.workers',
      path: ['--workers'],
      message: `expected a whole number from 1 to ${MAX_WORKERS} (worker threads, each a simulation in memory), got ${workers}`,
    },
  ]);
}

/** Default worker count: the machine's parallelism, at most one per job, at least 1. */
export function defaultWorkers(jobs: number): number {
  return Math.max(1, Math.min(availableParallelism(), jobs));
}

/**
 * Starts a worker on src/cli/<name>.ts (sweep-worker, sim-worker, capacity-worker). Under tsx (no
 * build step) the worker is a fresh Node thread that knows nothing of TypeScript, so it starts
 * from a tiny ES module that registers tsx the way bin/podsim.js does and then imports the worker
 * source; from a build (`.js`) the worker file is started directly.
 */
export function startWorker(name: string): Worker {
  const entry = new URL(
    `./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
    import.meta.url,
  );
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)};\nregister();\nawait import(${JSON.stringify(entry.href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

/** How {@link runOnWorkers} reports and stops. */
export interface PoolOptions {
  /** The worker's file under src/cli/, without extension. */
  readonly worker: string;
  /** The code of the InputError a user-level problem in a worker becomes (e.g. `sweep.worker`). */
  readonly errorCode: string;
  /** Called when a worker reports a unit of progress inside job `index`. */
  readonly onTick?: (index: number) => void;
  /** When aborted, no new job starts, workers are terminated and the call resolves. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs the jobs `indices` on up to `workers` threads, each prepared with `init`, calling
 * `finished` with each job's result as it arrives; resolves when all are done (or on abort).
 * @throws what a worker threw: a PodsimError as an InputError with its message, anything else as an Error with its stack
 */
export async function runOnWorkers<I, R>(
  init: I,
  indices: readonly number[],
  workers: number,
  finished: (index: number, result: R) => void,
  options: PoolOptions,
): Promise<void> {
  const queue = [...indices];
  const pool = Array.from({ length: Math.min(workers, indices.length) }, () =>
    startWorker(options.worker),
  );
  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      stopping = true;
      queue.length = 0;
      resolve();
    };
    if (options.signal?.aborted === true) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
  });
  try {
    await Promise.race([
      stopped,
      Promise.all(pool.map((w) => drive(w, init, queue, finished, options, () => stopping))),
    ]);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** Feeds one worker jobs from `queue` until it is empty; resolves when the worker is idle. */
function drive<I, R>(
  w: Worker,
  init: I,
  queue: number[],
  finished: (index: number, result: R) => void,
  options: PoolOptions,
  stopping: () => boolean,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const next = (): void => {
      const index = queue.shift();
      if (index === undefined) resolve();
      else w.postMessage({ type: 'run', index } satisfies ToWorker<I>);
    };
    w.on('message', (m: FromWorker<R>) => {
      if (m.type === 'tick') return options.onTick?.(m.index);
      if (m.type === 'done') finished(m.index, m.result); // kept even while stopping: it is done
      if (stopping()) return;
      if (m.type === 'ready' || m.type === 'done') next();
      else
        reject(
          m.usage
            ? new InputError([{ code: options.errorCode, path: [], message: m.message }])
            : Object.assign(new Error(m.message), { stack: m.stack }),
        );
    });
    w.on('error', (e) => (stopping() ? resolve() : reject(e)));
    w.on('exit', (code) =>
      stopping()
        ? resolve()
        : reject(new Error(`${options.worker} exited with code ${code} before finishing`)),
    );
    w.postMessage({ type: 'init', init } satisfies ToWorker<I>);
  });
}

/**
 * The worker side: prepares a context from the `init` message once, then answers each `run`
 * with `run(ctx, index, tick)`'s result (`tick` reports progress inside the job). A problem —
 * the user's (a PodsimError) or a bug — is reported as `fatal` and the main thread stops.
 */
export function serveJobs<I, C, R>(
  prepare: (init: I) => C,
  run: (ctx: C, index: number, tick: () => void) => R,
): void {
  const port = parentPort;
  if (port === null) throw new Error('a pool worker runs as a worker thread (see worker-pool.ts)');
  let ctx: { value: C } | undefined;
  port.on('message', (m: ToWorker<I>) => {
    try {
      if (m.type === 'init') {
        ctx = { value: prepare(m.init) };
        port.postMessage({ type: 'ready' } satisfies FromWorker<R>);
      } else {
        if (ctx === undefined) throw new Error('pool worker: run before init');
        const index = m.index;
        const tick = (): void => port.postMessage({ type: 'tick', index } satisfies FromWorker<R>);
        const result = run(ctx.value, index, tick);
        port.postMessage({ type: 'done', index: m.index, result } satisfies FromWorker<R>);
      }
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({
        type: 'fatal',
        message: err.message,
        stack: err.stack,
        usage: e instanceof PodsimError,
      } satisfies FromWorker<R>);
    }
  });
}
