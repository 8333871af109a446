/**
 * The worker thread of `podsim sweep` (started by `runPoints` in src/cli/sweep-pool.ts). It
 * receives the sweep as given on the command line (`init`), loads it once, then evaluates the
 * point indices it is sent (`run`), one at a time, answering each with its record (`done`). A
 * problem loading the sweep or a bug is reported as `fatal`; the main thread stops the sweep.
 */
import { parentPort } from 'node:worker_threads';
import { PodsimError } from '../errors/index.ts';
import { evaluatePoint, prepareSweep, type SweepContext } from '../app/sweep.ts';
import { readText, type FromWorker, type ToWorker } from './sweep-pool.ts';

const port = parentPort;
if (port === null)
  throw new Error('sweep-worker.ts runs as a worker thread (see runPoints in sweep-pool.ts)');
let ctx: SweepContext | undefined;
port.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'init') {
      ctx = prepareSweep(m.spec, readText);
      port.postMessage({ type: 'ready' } satisfies FromWorker);
    } else {
      if (ctx === undefined) throw new Error('sweep worker: run before init');
      port.postMessage({
        type: 'done',
        index: m.index,
        record: evaluatePoint(ctx, m.index),
      } satisfies FromWorker);
    }
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({
      type: 'fatal',
      message: err.message,
      stack: err.stack,
      usage: e instanceof PodsimError,
    } satisfies FromWorker);
  }
});
