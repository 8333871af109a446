/**
 * Memory-demand traces for the pooling view (docs/pooling.md §2): a CSV file with one row per
 * host-time sample, in the shape of public VM-utilisation traces —
 *
 * ```
 * time,host,memory            # memory values carry their unit: "312 GiB"
 * time,host,memory_GiB        # or the unit is in the header and values are bare numbers
 * ```
 *
 * `time` is any label (rows with the same label are one sample of every host), `host` any id;
 * both are kept in order of first appearance. Every host needs exactly one row at every time.
 * Blank lines and `#` comments are skipped. Each bad row is an issue at `memory.trace` whose
 * message starts `file:line:` and names the column and what it allows.
 */
import { UnitError, type Issue } from '../../errors/index.ts';
import type { DemandTrace } from '../../cost/pooling-demand.ts';
import { parseSize } from '../../units/index.ts';
import { readRelativeText } from '../files.ts';
import { show } from '../issues.ts';

type Path = readonly (string | number)[];

/** Bad rows reported one by one; past this many, one issue counts the rest. */
const MAX_ROW_ISSUES = 5;
/** Size units a `memory_<unit>` header may name, in bytes. */
export const TRACE_UNITS: Readonly<Record<string, number>> = Object.freeze({
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
});
/** `312 GiB` and friends, read without mathjs (a trace may be long). */
const SIMPLE_SIZE = /^([+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(B|[KMGT]i?B)$/;
const NUMBER = /^[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A memory cell in bytes, or a message saying what is allowed. */
function memoryCell(cell: string, unitBytes: number | undefined): number | string {
  if (unitBytes !== undefined) {
    if (!NUMBER.test(cell))
      return `expected a plain non-negative number (the unit is in the header), got ${show(cell)}`;
    return Number(cell) * unitBytes;
  }
  const m = SIMPLE_SIZE.exec(cell);
  if (m !== null) return Number(m[1]) * (TRACE_UNITS[m[2] ?? 'B'] ?? 1);
  const wanted =
    'expected a size with a unit, such as "312 GiB" (or put the unit in the header: memory_GiB)';
  if (NUMBER.test(cell) || cell.startsWith('-')) return `${wanted}, got ${show(cell)}`;
  try {
    const b = parseSize(cell);
    return b >= 0 ? b : `${wanted}, got ${show(cell)}`;
  } catch (e) {
    if (e instanceof UnitError) return `${wanted}, got ${show(cell)}`;
    throw e;
  }
}

/** The header's memory unit (bytes per unit; undefined: values carry units), or a message. */
function headerUnit(header: readonly string[]): { unit: number | undefined } | string {
  const wanted = `expected the header "time,host,memory" or "time,host,memory_<unit>" (unit one of ${Object.keys(TRACE_UNITS).join(', ')})`;
  if (header.length !== 3 || header[0] !== 'time' || header[1] !== 'host')
    return `${wanted}, got ${show(header.join(','))}`;
  const m = header[2] ?? '';
  if (m === 'memory') return { unit: undefined };
  const unit = m.startsWith('memory_') ? TRACE_UNITS[m.slice('memory_'.length)] : undefined;
  return unit === undefined ? `${wanted}, got ${show(header.join(','))}` : { unit };
}

/** Collects rows into a trace, or pushes issues (bad rows, duplicates, missing samples, emptiness). */
class TraceBuilder {
  readonly hosts = new Map<string, number>();
  readonly times = new Map<string, number>();
  readonly cells = new Map<string, { bytes: number; line: number }>();
  bad = 0;
  constructor(
    readonly rel: string,
    readonly at: Path,
    readonly issues: Issue[],
  ) {}

  problem(line: number, code: string, message: string): void {
    if (++this.bad <= MAX_ROW_ISSUES)
      this.issues.push({ code, path: this.at, message: `${this.rel}:${line}: ${message}` });
  }

  add(time: string, host: string, bytes: number, line: number): void {
    const key = `${time}\u0000${host}`;
    const prev = this.cells.get(key);
    if (prev !== undefined) {
      this.problem(
        line,
        'memory.trace-duplicate',
        `host ${show(host)} already has a row at time ${show(time)} (line ${prev.line}); one row per host and time`,
      );
      return;
    }
    if (!this.times.has(time)) this.times.set(time, this.times.size);
    if (!this.hosts.has(host)) this.hosts.set(host, this.hosts.size);
    this.cells.set(key, { bytes, line });
  }

  finish(): DemandTrace | undefined {
    const { rel, at, issues } = this;
    if (this.bad > MAX_ROW_ISSUES)
      issues.push({
        code: 'memory.trace-line',
        path: at,
        message: `${rel}: ${this.bad - MAX_ROW_ISSUES} more bad rows`,
      });
    if (this.bad > 0) return undefined;
    if (this.cells.size === 0) {
      issues.push({
        code: 'memory.trace-empty',
        path: at,
        message: `${rel} has no rows; it needs at least one row such as "0,host-1,312 GiB"`,
      });
      return undefined;
    }
    const hostIds = [...this.hosts.keys()];
    const times = [...this.times.keys()];
    const bytes = new Float64Array(hostIds.length * times.length);
    const missing: string[] = [];
    times.forEach((t, ti) =>
      hostIds.forEach((h, hi) => {
        const c = this.cells.get(`${t}\u0000${h}`);
        if (c === undefined) missing.push(`host ${show(h)} at time ${show(t)}`);
        else bytes[ti * hostIds.length + hi] = c.bytes;
      }),
    );
    if (missing.length > 0) {
      issues.push({
        code: 'memory.trace-missing',
        path: at,
        message: `${rel}: every host needs a row at every time; missing ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`,
      });
      return undefined;
    }
    return Object.freeze({
      file: rel,
      hostIds: Object.freeze(hostIds),
      times: Object.freeze(times),
      bytes,
    });
  }
}

/**
 * Parses a demand trace's text (format in the file header).
 * @param rel - the file name to report problems against
 * @param at - where the trace is named in the plan (`['memory', 'trace']`)
 * @returns the trace, or undefined after pushing every issue onto `issues`
 */
export function parseDemandTrace(
  text: string,
  rel: string,
  at: Path,
  issues: Issue[],
): DemandTrace | undefined {
  const b = new TraceBuilder(rel, at, issues);
  let unit: number | undefined;
  let header = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (!header) {
      const h = headerUnit(cells);
      if (typeof h === 'string') {
        issues.push({ code: 'memory.trace-header', path: at, message: `${rel}:${i + 1}: ${h}` });
        return undefined;
      }
      unit = h.unit;
      header = true;
      continue;
    }
    if (cells.length !== 3) {
      b.problem(
        i + 1,
        'memory.trace-line',
        `expected 3 columns (time,host,memory), got ${cells.length}: ${show(line)}`,
      );
      continue;
    }
    const [time, host, cell] = cells as [string, string, string];
    if (time === '' || host === '') {
      b.problem(
        i + 1,
        'memory.trace-line',
        `column "${time === '' ? 'time' : 'host'}" is empty; expected a label`,
      );
      continue;
    }
    const v = memoryCell(cell, unit);
    if (typeof v === 'string' || !Number.isFinite(v)) {
      b.problem(
        i + 1,
        'memory.trace-line',
        `column "memory": ${typeof v === 'string' ? v : `got ${show(cell)}`}`,
      );
      continue;
    }
    b.add(time, host, v, i + 1);
  }
  if (!header) {
    issues.push({
      code: 'memory.trace-empty',
      path: at,
      message: `${rel} is empty; it needs the header "time,host,memory" and at least one row`,
    });
    return undefined;
  }
  return b.finish();
}

/**
 * Reads the demand trace `rel` (relative to `baseDir`, the plan's folder).
 * @returns the trace, or undefined after pushing issues (not found, unreadable, bad rows)
 */
export function loadDemandTrace(
  rel: string,
  baseDir: string,
  at: Path,
  issues: Issue[],
): DemandTrace | undefined {
  const text = readRelativeText(rel, baseDir, at, issues, 'plan file');
  if (text === undefined) return undefined;
  return parseDemandTrace(text, rel, at, issues);
}
