/**
 * The JSONL file of `podsim sweep -o` as the sweep runs (docs/sweeps.md "Interrupting and
 * resuming"): points are appended, each as one complete line after the header, to a temporary
 * file in the target's folder; when the sweep completes the file is rewritten in point order and
 * renamed into place (src/cli/output.ts writeFileAtomic); when it is interrupted the temporary
 * file, holding only complete lines, is renamed into place so a rerun can resume; on a failure it
 * is removed, leaving the old file or nothing. A rerun with the same `-o` resumes an unfinished
 * file of the same sweep (header and every point's params checked) and refuses one of another.
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
import type { GridPoint } from '../app/sweep-grid.ts';
import {
  parseJsonl,
  renderJsonl,
  type SweepHeader,
  type SweepRecord,
} from '../app/sweep-records.ts';
import { FileError, InputError, PodsimError } from '../errors/index.ts';
import { readTextCapped } from '../io/read-capped.ts';
import { writeFileAtomic } from './output.ts';

/** The fields that say two headers are of the same sweep and shard, in a fixed order. */
const identity = (h: SweepHeader): string =>
  JSON.stringify([h.grid, h.scenario, h.topology, h.points, h.shard.index, h.shard.count]);

/** A header in words, for messages. */
const describe = (h: SweepHeader): string =>
  `grid ${Object.entries(h.grid)
    .map(([k, vs]) => `${k}=${vs.join(',')}`)
    .join(
      ' ',
    )}, scenario ${h.scenario}, topology ${h.topology}, shard ${h.shard.index}/${h.shard.count}`;

/** How many points a header's shard covers (`index % count = shard − 1` among `points`). */
const shardSize = (h: SweepHeader): number =>
  Math.max(0, Math.ceil((h.points - (h.shard.index - 1)) / h.shard.count));

/** Whether `file` starts with a sweep header line (reads at most its first 64 kB). */
function looksLikeSweep(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false; // missing or unreadable: nothing to resume (prepareOutput checked writability)
  }
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').startsWith('{"sweep":');
  } catch {
    return false; // a folder or device: not a sweep output
  } finally {
    closeSync(fd);
  }
}

/**
 * The records an unfinished output of this very sweep already holds, to be skipped by a rerun;
 * none when `file` does not exist, is not a sweep output, or is a finished one (which the rerun
 * replaces, as any output is replaced).
 * @param points the sweep's points by index (a kept record's params must be its point's)
 * @param indices the points this run (shard) covers
 * @throws InputError (under `--output`) when the file is an unfinished output of a different
 *   sweep or shard, or cannot be read as one: resuming it would mix two sweeps
 */
export function resumable(
  file: string,
  header: SweepHeader,
  points: readonly GridPoint[],
  indices: readonly number[],
): SweepRecord[] {
  if (file === '-' || !looksLikeSweep(file)) return [];
  const refuse = (why: string): never => {
    throw new InputError([
      {
        code: 'sweep.resume',
        path: ['--output'],
        message: `"${file}" ${why}; give another -o, or delete the file to start the sweep over`,
      },
    ]);
  };
  let old: { header: SweepHeader; records: SweepRecord[] };
  try {
    old = parseJsonl(readTextCapped(file, 'sweep output', ['--output']), file);
  } catch (e) {
    if (!(e instanceof PodsimError)) throw e;
    return refuse(`starts like a sweep output but cannot be resumed (${e.message})`);
  }
  const wanted = new Set(indices);
  const kept = new Map<number, SweepRecord>();
  for (const r of old.records) if (wanted.has(r.point)) kept.set(r.point, r);
  if (identity(old.header) === identity(header)) {
    if (kept.size === indices.length) return []; // finished: a rerun replaces it
  } else if (new Set(old.records.map((r) => r.point)).size >= shardSize(old.header)) return [];
  else
    return refuse(
      `holds an unfinished sweep of ${describe(old.header)}, not this one (${describe(header)})`,
    );
  for (const r of kept.values()) {
    const expected = JSON.stringify(points[r.point]?.params);
    if (JSON.stringify(r.params) !== expected)
      refuse(
        `has point ${r.point} with params ${JSON.stringify(r.params)}, but this grid's point ${r.point} is ${expected}`,
      );
  }
  return [...kept.values()].sort((a, b) => a.point - b.point);
}

/** Writes `text` to `fd` whole (a regular file may take a write in parts). */
function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let at = 0; at < buf.length;) at += writeSync(fd, buf, at, buf.length - at);
}

/** A sweep's output file while the sweep runs (see the file header). */
export interface SweepOutput {
  /** Appends a finished point as one complete line. */
  readonly append: (record: SweepRecord) => void;
  /** The sweep completed: the whole file, in point order, replaces the target. */
  readonly finish: (records: readonly SweepRecord[]) => void;
  /** The sweep was interrupted: keeps the complete lines written so far (when any point is in them). */
  readonly keep: () => boolean;
  /** The sweep failed: removes the temporary file; the target stays as it was. */
  readonly discard: () => void;
}

/**
 * Opens the temporary file a sweep streams into, next to `file`, with the header and the
 * records kept from an earlier run already in it.
 * @throws FileError (`file.write`, under `--output`) when it cannot be created or written
 */
export function openSweepOutput(
  file: string,
  header: SweepHeader,
  kept: readonly SweepRecord[],
): SweepOutput {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  let fd: number | undefined;
  let points = kept.length;
  const fail = (e: unknown): never => {
    close();
    removeQuietly(temp);
    throw new FileError([
      {
        code: 'file.write',
        path: ['--output'],
        message: `cannot write "${file}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      },
    ]);
  };
  const close = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(temp, 'wx');
    writeAll(fd, renderJsonl(header, kept));
  } catch (e) {
    fail(e);
  }
  return {
    append: (record) => {
      try {
        writeAll(fd as number, `${JSON.stringify(record)}\n`);
        points++;
      } catch (e) {
        fail(e);
      }
    },
    finish: (records) => {
      close();
      try {
        writeFileAtomic(file, renderJsonl(header, records), '--output');
      } finally {
        removeQuietly(temp);
      }
    },
    keep: () => {
      close();
      if (points === 0) {
        removeQuietly(temp);
        return false;
      }
      try {
        renameSync(temp, file);
      } catch (e) {
        fail(e);
      }
      return true;
    },
    discard: () => {
      close();
      removeQuietly(temp);
    },
  };
}

/** Removes a file, ignoring a failure (it may already be gone). */
function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone: nothing to do
  }
}
