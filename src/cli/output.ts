/**
 * The CLI's side effects in one place: writing results to stdout or a file (tables in the
 * chosen format, or JSON), and notes to stderr. Commands call these rather than `console`, so tests can capture output by spying on
 * `process.stdout.write`.
 *
 * Files are written so that a write cannot half-fail (issue 15): {@link prepareOutput} checks a
 * target before any long work runs, and {@link writeFileAtomic} writes a temporary file in the
 * same folder and renames it into place, so a failed write leaves the old file or nothing.
 */
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FileError } from '../errors/index.ts';
import { renderCsv, renderMarkdown, renderText, type Table } from '../report/table.ts';
import type { Format } from './flags.ts';

/** Writes `text` (plus a final newline when missing) to stdout. */
export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes a note for humans to stderr (progress, where a file went). */
export function note(text: string): void {
  if (quiet) return;
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** `--quiet`: notes and progress are not printed (errors still are). Set once per run by main. */
let quiet = false;

/** Silences (or restores) notes and progress for this run (`--quiet`). */
export function setQuiet(on: boolean): void {
  quiet = on;
}

/** `--wide`: tables are printed at their full width even on a narrow terminal. Set once per run by main. */
let wide = false;

/** Prints tables at full width (`--wide`) or fitted to the terminal (the default on a terminal). */
export function setWide(on: boolean): void {
  wide = on;
}

/** The width text tables are fitted to: the terminal's columns, or none off a terminal or under `--wide`. */
function tableWidth(): number | undefined {
  return !wide && process.stdout.isTTY === true ? process.stdout.columns : undefined;
}

/** True under `--quiet`. */
export function isQuiet(): boolean {
  return quiet;
}

/** What a failed `fs` call's code means for a person. */
function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ERR_INVALID_ARG_VALUE':
    case 'ERR_INVALID_ARG_TYPE':
      return 'not a valid path (it contains a NUL byte)';
    default:
      return err.code ?? err.message;
  }
}

/**
 * A FileError about writing `file`, rendered `-o: cannot write "out/x.json": <why>` (the issue's
 * path is the flag that named the file, when there is one).
 */
function writeError(file: string, flag: string | undefined, why: string): FileError {
  return new FileError([
    {
      code: 'file.write',
      path: flag === undefined ? [] : [flag],
      message: `cannot write "${file}": ${why}`,
    },
  ]);
}

/** `statSync` that answers undefined for a path that does not exist. */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

let tempCounter = 0;
/** A fresh temporary name in `dir`: hidden, short (so a long target name still fits), unique per process and call. */
const tempName = (dir: string): string =>
  join(
    dir,
    `.podsim-${process.pid}-${Date.now().toString(36)}-${(tempCounter++).toString(36)}.tmp`,
  );

/**
 * The nearest folder at or above `dir` that exists (where missing folders will be created).
 * @throws FileError when a part of the path is a file, not a folder
 */
function nearestFolder(dir: string, file: string, flag: string | undefined): string {
  let d = resolve(dir);
  for (;;) {
    const st = statOrUndefined(d);
    if (st !== undefined) {
      if (!st.isDirectory()) throw writeError(file, flag, `"${d}" is a file, not a folder`);
      return d;
    }
    const up = dirname(d);
    if (up === d) return d;
    d = up;
  }
}

/** Creates and removes a temporary file in `dir`: proves that files can be created there. */
function probeFolder(dir: string): void {
  const probe = tempName(dir);
  closeSync(openSync(probe, 'wx'));
  unlinkSync(probe);
}

/** Checks a device or pipe can take output: a zero-byte write fails on `/dev/full` (ENOSPC). */
function probeDevice(file: string, st: Stats): void {
  if (st.isFIFO() || st.isSocket()) return; // opening a pipe with no reader would block
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, Buffer.alloc(0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks, before any long work runs, that `file` can be written: a non-empty name that is not a
 * folder, under folders that exist or can be created, where a file can be created (and the
 * existing file is writable). `-` (standard output) always passes. Creates nothing that stays.
 * @param flag the flag that named the file, for the message (`-o`, `--records`)
 * @throws FileError (`file.write`) naming the flag, the path and why it cannot be written
 * @example prepareOutput(argv.o, '-o') // before the simulation, then writeResult(argv.o, text)
 */
export function prepareOutput(file: string, flag: string): void {
  if (file === '-') return;
  if (file.trim() === '')
    throw writeError(file, flag, 'the name is empty; give a file name (or - for standard output)');
  if (Buffer.byteLength(basename(file)) > 255)
    throw writeError(file, flag, 'the name is too long (at most 255 bytes per name)');
  try {
    const st = statOrUndefined(file);
    if (st?.isDirectory() === true)
      throw writeError(file, flag, 'it is a folder; give a file name inside it');
    if (st !== undefined && !st.isFile()) {
      probeDevice(file, st);
      return;
    }
    if (st !== undefined) accessSync(file, constants.W_OK);
    probeFolder(nearestFolder(dirname(realTarget(file)), file, flag));
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw writeError(file, flag, reason(e));
  }
}

/**
 * Checks, before any long work runs, that files can be written into the folder `dir` (created
 * as needed): not a file, under folders that exist or can be created, where a file can be created.
 * @throws FileError (`file.write`) naming the flag, the folder and why
 */
export function prepareOutputFolder(dir: string, flag: string): void {
  if (dir.trim() === '') throw writeError(dir, flag, 'the folder name is empty; give a folder');
  try {
    const st = statOrUndefined(dir);
    if (st !== undefined && !st.isDirectory())
      throw writeError(dir, flag, 'it is a file, not a folder; give a folder');
    probeFolder(nearestFolder(dir, dir, flag));
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw writeError(dir, flag, reason(e));
  }
}

/** Where a write to `file` lands: the file a symbolic link points at, so the link survives. */
function realTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** Writes `text` to a fresh temporary file in `dir`, flushed to disk; returns its name. */
function writeTemp(dir: string, text: string, mode: number | undefined): string {
  const tmp = tempName(dir);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/**
 * Writes `text` to `file` so that the write cannot half-fail: folders are created as needed,
 * the text goes to a temporary file in the same folder, which is then renamed over `file`;
 * on any failure the temporary file is removed, leaving the old file (or nothing). A device
 * (`/dev/null`) or pipe is written in place, since it cannot be replaced.
 * @param flag the flag that named the file, for the message
 * @throws FileError (`file.write`) naming the path and why it could not be written
 * @example writeFileAtomic('out/points.jsonl', lines.join('\n') + '\n')
 */
export function writeFileAtomic(file: string, text: string, flag?: string): void {
  if (file.trim() === '') throw writeError(file, flag, 'the name is empty; give a file name');
  let tmp: string | undefined;
  try {
    const target = realTarget(file);
    const st = statOrUndefined(target);
    if (st?.isDirectory() === true)
      throw writeError(file, flag, 'it is a folder; give a file name inside it');
    if (st !== undefined && !st.isFile()) {
      writeFileSync(target, text);
      return;
    }
    const dir = dirname(target);
    nearestFolder(dir, file, flag);
    mkdirSync(dir, { recursive: true });
    tmp = writeTemp(dir, text, st === undefined ? undefined : st.mode & 0o777);
    renameSync(tmp, target);
    tmp = undefined;
  } catch (e) {
    if (tmp !== undefined) removeQuietly(tmp);
    if (e instanceof FileError) throw e;
    throw writeError(file, flag, reason(e));
  }
}

/** Removes a temporary file, ignoring a failure (it may not exist). */
function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or the folder is unwritable: nothing more to do
  }
}

/**
 * Writes `text` (plus a final newline when missing) to `file` atomically ({@link writeFileAtomic}),
 * or to stdout when `file` is undefined or `-`; notes where it went on stderr.
 * @param flag the flag that named the file, for error messages (default `-o`)
 */
export function writeResult(file: string | undefined, text: string, flag = '-o'): void {
  if (file === undefined || file === '-') {
    out(text);
    return;
  }
  writeFileAtomic(file, text.endsWith('\n') ? text : `${text}\n`, flag);
  note(`wrote ${file}`);
}

/**
 * A JSON replacer that refuses a number JSON cannot hold: `JSON.stringify` would print NaN and
 * ±Infinity as `null`, silently. Reaching one is a bug (inputs are checked at the boundary), so it
 * is an internal error naming the key.
 */
function finiteOnly(key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new Error(
      `the JSON output would hold ${value} at key "${key}" (JSON has no such number; it would print null)`,
    );
  return value;
}

/**
 * Pretty JSON with a trailing newline (2-space indent, stable for diffs).
 * @throws Error (an internal error) when `value` holds NaN or ±Infinity
 */
export function json(value: unknown): string {
  return `${JSON.stringify(value, finiteOnly, 2)}\n`;
}

/**
 * A copy of `value` without those of `keys` whose value is not a finite number (NaN, ±Infinity):
 * for fields that have no value in some results (an unreachable fetch has no finish time), which
 * JSON would otherwise print as `null`. The field is absent instead; the docs say when.
 * @example omitNonFinite(fetch, ['totalNs', 'effectiveBandwidthBytesPerNs'])
 */
export function omitNonFinite<T extends object>(value: T, keys: readonly (keyof T)[]): T {
  const copy = { ...value };
  for (const k of keys) {
    const v = copy[k];
    if (typeof v === 'number' && !Number.isFinite(v)) delete copy[k];
  }
  return copy;
}

/** A table cell that shows a number gone wrong (`NaN`, `Infinity`, `null`) rather than a value. */
const BAD_CELL = /(^|[^A-Za-z])(NaN|-?Infinity|null|undefined)([^A-Za-z]|$)/;

/**
 * Checks no cell of `tables` prints a number gone wrong: a bug, reported as an internal error
 * naming the table, the column and the row, rather than printed as if it were a value.
 */
function checkCells(tables: readonly Table[]): void {
  for (const t of tables)
    t.rows.forEach((row, r) =>
      row.forEach((cell, c) => {
        if (BAD_CELL.test(cell))
          throw new Error(
            `table "${t.title ?? ''}", column "${t.columns[c]?.header ?? c}", row ${r + 1} would print "${cell}"`,
          );
      }),
    );
}

/**
 * Prints `tables` in the chosen format (aligned text, CSV or Markdown), or `value` as JSON.
 * @throws Error (an internal error) when a number gone wrong (NaN, ±Infinity) would be printed
 */
export function emit(format: Format, tables: readonly Table[], value: unknown): void {
  if (format === 'json') {
    out(json(value));
    return;
  }
  checkCells(tables);
  const maxWidth = tableWidth();
  out(
    tables
      .map((t) =>
        format === 'csv'
          ? renderCsv(t)
          : format === 'markdown'
            ? renderMarkdown(t)
            : renderText(t, maxWidth === undefined ? {} : { maxWidth }),
      )
      .join('\n\n'),
  );
}
