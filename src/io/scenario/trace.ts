/**
 * Traces a workload names, read relative to the scenario file: a per-row trace
 * (`workload.trace`: every request's arrival, variant, context and tokens; docs/workloads.md), or
 * arrival times only (`workload.arrival.trace`: one time with a unit per line, sorted; blank
 * lines and `#` comments skipped). Bad lines, order and emptiness become issues at the field that
 * names the file, each message starting `file:line:`.
 */
import type { Issue } from '../../errors/index.ts';
import { isRecord, readRelativeText } from '../files.ts';
import { show } from '../issues.ts';
import { MOONCAKE_BLOCK_TOKENS } from './schema-workload.ts';
import { readAzureTrace, readMooncakeTrace } from './trace-import.ts';
import { readPodsimTrace } from './trace-podsim.ts';
import { LineIssues, traceTime, type TraceData } from './trace-rows.ts';

export type { TraceData } from './trace-rows.ts';

type Path = readonly (string | number)[];

/** Bad lines of a trace reported one by one; past this many, one issue counts the rest. */
const MAX_TRACE_LINE_ISSUES = 5;

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

/** The per-row trace `workload.trace` names, read in its format, or undefined after issues. */
function rowTrace(
  t: Readonly<Record<string, unknown>>,
  baseDir: string,
  issues: Issue[],
): TraceData | undefined {
  const rel = t['file'];
  if (typeof rel !== 'string' || rel === '') return undefined;
  const at: Path = ['workload', 'trace', 'file'];
  const text = readTrace(rel, baseDir, at, issues);
  if (text === undefined) return undefined;
  const out = new LineIssues(rel, at, issues);
  const format = t['format'] ?? 'podsim';
  const block = t['blockTokens'];
  const data =
    format === 'azure'
      ? readAzureTrace(text, out)
      : format === 'mooncake'
        ? readMooncakeTrace(text, out, typeof block === 'number' ? block : MOONCAKE_BLOCK_TOKENS)
        : readPodsimTrace(text, out);
  if (data === undefined && out.clean)
    out.file(`has no rows; it needs at least one request after its header`, 'workload.trace-empty');
  out.finish();
  // Rows read despite bad lines still go on, so unserved variants are reported in the same pass
  // (the load fails on the line issues either way).
  return data;
}

/**
 * Reads the trace the workload names: a per-row trace (`workload.trace`, in podsim's format or an
 * importer's: ./trace-podsim.ts, ./trace-import.ts) or arrival times only (`workload.arrival.trace`:
 * one time with a unit per line, sorted; blank lines and `#` comments skipped), relative to
 * `baseDir`. Every problem is an issue at the field naming the file whose message starts
 * `file:line:`. Returns the arrivals (and rows), or undefined when no trace is named or it is
 * unusable.
 */
export function traceIssues(
  data: Readonly<Record<string, unknown>>,
  baseDir: string,
  issues: Issue[],
): TraceData | undefined {
  const workload = data['workload'];
  if (!isRecord(workload)) return undefined;
  const rows = workload['trace'];
  if (isRecord(rows)) return rowTrace(rows, baseDir, issues);
  const arrival = workload['arrival'];
  // Only a well-formed `{ trace: <file> }` is read (a mapping mixing forms is reported by the schema alone).
  const rel = isRecord(arrival) && Object.keys(arrival).length === 1 ? arrival['trace'] : undefined;
  if (typeof rel !== 'string' || rel === '') return undefined;
  const at: Path = ['workload', 'arrival', 'trace'];
  const text = readTrace(rel, baseDir, at, issues);
  const times = text === undefined ? undefined : traceTimes(text, rel, at, issues);
  return times === undefined ? undefined : { arrivalsNs: times };
}
