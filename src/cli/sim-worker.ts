/**
 * The worker thread of `podsim run --records` (started by `runWithRecords` in
 * src/cli/sim-records.ts). The simulation is one synchronous loop, so on the main thread a
 * SIGINT could not be heard until it ended; here it runs beside a main thread that stays free to
 * catch the signal and terminate this worker (docs/sweeps.md "Interrupting and resuming").
 * It loads the topology the main thread already checked, runs the scenario it is sent, and
 * writes each completed request's record to the open file descriptor it is given, in batches of
 * complete lines — so the file holds only whole rows whenever it is stopped.
 */
import { writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { PodsimError } from '../errors/index.ts';
import { compileFabric } from '../fabric/compile.ts';
import type { Failures } from '../fabric/compile.ts';
import { loadTopology } from '../io/index.ts';
import { recordCsvLine } from '../report/sim.ts';
import { runSimulation } from '../sim/engine.ts';
import type { SimConfig, SimResult } from '../sim/types.ts';

/** What the main thread sends: the run, and where its records go. */
export interface SimJob {
  readonly topology: string;
  readonly failures: Failures;
  readonly cfg: SimConfig;
  /** An open file descriptor of the records file (descriptors are shared by all threads). */
  readonly fd: number;
  readonly csv: boolean;
}

/** Messages from the worker. */
export type FromSimWorker =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly result: SimResult }
  | {
      readonly type: 'fatal';
      readonly name: string;
      readonly message: string;
      readonly issues?: PodsimError['issues'] | undefined;
      readonly file?: string | undefined;
      readonly stack?: string | undefined;
    };

/** Records are written once this many characters of complete lines have gathered. */
const FLUSH_CHARS = 1 << 16;

/** Writes `text` to `fd` whole (a regular file may take a write in parts). */
function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let at = 0; at < buf.length;) at += writeSync(fd, buf, at, buf.length - at);
}

const port = parentPort;
if (port === null)
  throw new Error('sim-worker.ts runs as a worker thread (see runWithRecords in sim-records.ts)');
port.once('message', (job: SimJob) => {
  try {
    const { graph } = loadTopology(job.topology);
    let pending = '';
    const result = runSimulation(compileFabric(graph, job.failures), job.cfg, {
      onRecord: (r) => {
        pending += job.csv ? `${recordCsvLine(r)}\n` : `${JSON.stringify(r)}\n`;
        if (pending.length < FLUSH_CHARS) return;
        writeAll(job.fd, pending);
        pending = '';
      },
      onProgress: (done, total) =>
        port.postMessage({ type: 'progress', done, total } satisfies FromSimWorker),
    });
    writeAll(job.fd, pending);
    port.postMessage({ type: 'done', result } satisfies FromSimWorker);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({
      type: 'fatal',
      name: err.name,
      message: err.message,
      issues: e instanceof PodsimError ? e.issues : undefined,
      file: e instanceof PodsimError ? e.file : undefined,
      stack: err.stack,
    } satisfies FromSimWorker);
  }
});
