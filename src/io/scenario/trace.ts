/**
 * Arrival traces: the file `workload.arrival.trace` names, read relative to the scenario file —
 * one time with a unit per line, sorted; blank lines and `#` comments skipped. Bad lines, order
 * and emptiness become issues at `workload.arrival.trace`, each message starting `file:line:`.
 */
import { UnitError, type Issue } from '../../errors/index.ts';
import { parseTime } from '../../units/index.ts';
import { isRecord, readRelativeText } from '../files.ts';
import { show } from '../issues.ts';

type Path = readonly (string | number)[];

/** Bad lines of a trace reported one by one; past this many, one issue counts the rest. */
const MAX_TRACE_LINE_ISSUES = 5;
/** `12.5 ms` and friends, read without mathjs (a trace may have millions of lines). */
const SIMPLE_TIME = /^([+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(ns|us|µs|μs|ms|s)$/;
const NS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
};

/** One trace line as ns (≥ 0, finite), or undefined when it is not a time. */
function traceTime(line: string): number | undefined {
  const m = SIMPLE_TIME.exec(line);
  if (m !== null) {
    const v = Number(m[1]) * (NS_PER_UNIT[m[2] ?? 's'] ?? 1);
    return Number.isFinite(v) ? Number(v.toPrecision(15)) : undefined;
  }
  try {
    return parseTime(line);
  } catch (e) {
    if (e instanceof UnitError) return undefined;
    throw e;
  }
}

/** The trace's text, or undefined after an issue saying why it cannot be read. */
function readTrace(rel: string, baseDir: string, at: Path, issues: Issue[]): string | undefined {
  return readRelativeText(rel, baseDir, at, issues, 'scenario file');
}

/** The times of a trace's text in ns, or undefined after issues for bad lines, order or emptiness. */
function traceTimes(text: string, rel: string, at: Path, issues: Issue[]): number[] | undefined {
  const times: number[] = [];
  let bad = 0;
  let ok = true;
  let prev: { ns: number; line: number; text: string } | undefined;
  let order: Issue | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const ns = traceTime(line);
    if (ns === undefined) {
      ok = false;
      if (++bad <= MAX_TRACE_LINE_ISSUES)
        issues.push({
          code: 'workload.trace-line',
          path: at,
          message: `${rel}:${i + 1}: ${show(line)} is not a time (write one time with a unit per line, such as "12.5 ms")`,
        });
      continue;
    }
    if (prev !== undefined && ns < prev.ns && order === undefined) {
      ok = false;
      order = {
        code: 'workload.trace-order',
        path: at,
        message: `${rel}:${i + 1}: ${show(line)} comes before ${show(prev.text)} of line ${prev.line}; arrival times must be sorted (first decrease)`,
      };
    }
    prev = { ns, line: i + 1, text: line };
    times.push(ns);
  }
  if (bad > MAX_TRACE_LINE_ISSUES)
    issues.push({
      code: 'workload.trace-line',
      path: at,
      message: `${rel}: ${bad - MAX_TRACE_LINE_ISSUES} more lines are not times`,
    });
  if (order !== undefined) issues.push(order);
  if (ok && times.length === 0) {
    issues.push({
      code: 'workload.trace-empty',
      path: at,
      message: `${rel} has no arrival times; it needs at least one line such as "12.5 ms"`,
    });
    ok = false;
  }
  return ok ? times : undefined;
}

/**
 * Reads the trace named by `workload.arrival.trace` (relative to `baseDir`): one time with a unit
 * per line, sorted; blank lines and `#` comments skipped. Every problem is an issue at
 * `workload.arrival.trace` whose message starts `file:line:`. Returns the arrival times in ns, or
 * undefined when the trace is absent or unusable.
 */
export function traceIssues(
  data: Readonly<Record<string, unknown>>,
  baseDir: string,
  issues: Issue[],
): number[] | undefined {
  const workload = data['workload'];
  const arrival = isRecord(workload) ? workload['arrival'] : undefined;
  // Only a well-formed `{ trace: <file> }` is read (a mapping mixing forms is reported by the schema alone).
  const rel = isRecord(arrival) && Object.keys(arrival).length === 1 ? arrival['trace'] : undefined;
  if (typeof rel !== 'string' || rel === '') return undefined;
  const at: Path = ['workload', 'arrival', 'trace'];
  const text = readTrace(rel, baseDir, at, issues);
  return text === undefined ? undefined : traceTimes(text, rel, at, issues);
}
