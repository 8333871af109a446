/**
 * `podsim run --records`: the simulation on a worker thread (./sim-worker.ts) writing its
 * per-request records into a temporary file beside the target, renamed into place when the run
 * completes — so a failed run leaves the old file or nothing — while this thread listens for
 * SIGINT/SIGTERM (./interrupt.ts). Interrupted, the worker is terminated, the complete rows it
 * wrote are kept under the target name (a partial file, said so in a one-line note) and the
 * exit code is 130 or 143 (docs/sweeps.md "Interrupting and resuming").
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  FileError,
  GeneratorError,
  InputError,
  LimitError,
  PodsimError,
  TopologyError,
} from '../errors/index.ts';
import type { Failures } from '../fabric/compile.ts';
import { RECORD_COLUMNS } from '../report/sim.ts';
import type { SimConfig, SimResult } from '../sim/types.ts';
import { interruptExitCode, watchInterrupts } from './interrupt.ts';
import { note } from './output.ts';
import type { FromSimWorker, SimJob } from './sim-worker.ts';
import { startWorker } from './worker-pool.ts';

/** The run a records file is written for. */
export interface RecordsRun {
  readonly topology: string;
  readonly failures: Failures;
  readonly cfg: SimConfig;
  /** The target file (.csv or .jsonl). */
  readonly file: string;
  readonly onProgress: (done: number, total: number) => void;
}

/** The error classes a worker's typed error is rebuilt as, by name. */
const CLASSES: Readonly<
  Record<string, new (issues: PodsimError['issues'], file?: string) => PodsimError>
> = {
  InputError,
  TopologyError,
  GeneratorError,
  LimitError,
  FileError,
};

/** The error a worker reported, rebuilt on this thread (a typed error keeps its class and issues). */
function rebuild(m: Extract<FromSimWorker, { type: 'fatal' }>): Error {
  if (m.issues !== undefined) {
    const Class = Object.hasOwn(CLASSES, m.name) ? CLASSES[m.name] : InputError;
    return new (Class ?? InputError)(m.issues, m.file);
  }
  return Object.assign(new Error(m.message), { stack: m.stack });
}

/** Complete lines in `file` (counted in chunks, so a large file is not read whole). */
function countLines(file: string): number {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let lines = 0;
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf))
      for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
  } finally {
    closeSync(fd);
  }
  return lines;
}

/** Removes a file, ignoring a failure (it may already be gone). */
function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone: nothing to do
  }
}

/** A FileError about the records file. */
const writeError = (file: string, e: unknown): FileError =>
  new FileError([
    {
      code: 'file.write',
      path: ['--records'],
      message: `cannot write "${file}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    },
  ]);

/** Runs the simulation on a worker; resolves its result, or undefined when `signal` aborted it. */
function onWorker(
  job: SimJob,
  run: RecordsRun,
  signal: AbortSignal,
): Promise<SimResult | undefined> {
  const w = startWorker('sim-worker');
  return new Promise<SimResult | undefined>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      f();
    };
    const stop = (): void =>
      settle(() => void w.terminate().then(() => resolve(undefined), reject));
    signal.addEventListener('abort', stop, { once: true });
    w.on('message', (m: FromSimWorker) => {
      if (m.type === 'progress') run.onProgress(m.done, m.total);
      else if (m.type === 'done') settle(() => void w.terminate().then(() => resolve(m.result)));
      else settle(() => void w.terminate().then(() => reject(rebuild(m))));
    });
    w.on('error', (e) => settle(() => reject(e)));
    w.on('exit', (code) =>
      settle(() =>
        reject(new Error(`simulation worker exited with code ${code} before finishing`)),
      ),
    );
    w.postMessage(job);
  });
}

/**
 * Runs the simulation writing records to `run.file` (see the file header).
 * @returns the result, or undefined when a signal stopped the run (the note is printed and the
 *   exit code set here)
 * @throws FileError when the records file cannot be written; what the simulation throws
 */
export async function runWithRecords(run: RecordsRun): Promise<SimResult | undefined> {
  const csv = run.file.endsWith('.csv');
  const temp = join(dirname(run.file), `.${basename(run.file)}.${process.pid}.partial`);
  let fd: number | undefined;
  const close = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  try {
    mkdirSync(dirname(run.file), { recursive: true });
    fd = openSync(temp, 'wx');
    if (csv) writeSync(fd, `${RECORD_COLUMNS.join(',')}\n`);
  } catch (e) {
    close();
    removeQuietly(temp);
    throw writeError(run.file, e);
  }
  const watch = watchInterrupts(() => {
    close();
    removeQuietly(temp);
  });
  let result: SimResult | undefined;
  try {
    result = await onWorker(
      { topology: run.topology, failures: run.failures, cfg: run.cfg, fd, csv },
      run,
      watch.signal,
    );
    close();
    if (result !== undefined) renameSync(temp, run.file);
  } catch (e) {
    close();
    removeQuietly(temp);
    throw e instanceof PodsimError || typeof (e as { code?: unknown }).code !== 'string'
      ? e
      : writeError(run.file, e);
  } finally {
    watch.dispose();
  }
  const signal = watch.received();
  if (result !== undefined || signal === undefined) return result;
  const rows = countLines(temp) - (csv ? 1 : 0);
  if (rows > 0) renameSync(temp, run.file);
  else removeQuietly(temp);
  note(
    `podsim: interrupted by ${signal}: ${
      rows > 0
        ? `${run.file} keeps the ${rows.toLocaleString('en-US')} requests completed so far, complete rows only (a partial run: no summary); run the command again for the whole run`
        : `no request had completed; ${run.file} was not written`
    }`,
  );
  process.exitCode = interruptExitCode(signal);
  return undefined;
}
