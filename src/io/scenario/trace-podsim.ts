/**
 * podsim's per-row trace format (docs/workloads.md "Per-row traces"): CSV with a header row, or
 * JSONL with one object per line (a file whose first data line starts with `{`). Every row names
 * its arrival — `arrival` as a time with a unit (`"12.5 ms"`), or a bare number in a column whose
 * name carries the unit (`arrivalNs`, `arrivalUs`, `arrivalMs`, `arrivalS`) — its `variant`, its
 * `context` id and its `contextTokens`, `suffixTokens` and `outputTokens`.
 */
import { show } from '../issues.ts';
import type { LineIssues } from './trace-rows.ts';
import {
  csvCells,
  dataLines,
  numberCell,
  RowsBuilder,
  tokenCell,
  traceTime,
  type TraceData,
} from './trace-rows.ts';

/** Arrival columns whose name carries the unit, and ns per unit. */
const ARRIVAL_COLUMNS: Readonly<Record<string, number>> = {
  arrivalNs: 1,
  arrivalUs: 1e3,
  arrivalMs: 1e6,
  arrivalS: 1e9,
};
const ARRIVAL_WORDS = `arrival (a time with a unit, such as "12.5 ms") or one of ${Object.keys(ARRIVAL_COLUMNS).join(', ')} (a bare number)`;
/** The other columns every row needs. */
const REQUIRED = ['variant', 'context', 'contextTokens', 'suffixTokens', 'outputTokens'] as const;
const ALLOWED = ['arrival', ...Object.keys(ARRIVAL_COLUMNS), ...REQUIRED];
/** Token columns and their least value (a request decodes at least one token). */
const TOKEN_MIN = { contextTokens: 1, suffixTokens: 0, outputTokens: 1 } as const;

/** The arrival column of a header or key set, or a message saying what is wrong. */
function arrivalKey(keys: readonly string[]): string | { error: string } {
  const found = keys.filter((k) => k === 'arrival' || k in ARRIVAL_COLUMNS);
  if (found.length === 1) return found[0] as string;
  return {
    error:
      found.length === 0
        ? `no arrival column; give ${ARRIVAL_WORDS}`
        : `${found.length} arrival columns (${found.join(', ')}); give exactly one`,
  };
}

/** The problems of a header or key set: unknown and missing columns (empty: fine). */
function columnProblems(keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of keys)
    if (!ALLOWED.includes(k)) out.push(`unknown column ${show(k)}; columns: ${ALLOWED.join(', ')}`);
  for (const k of REQUIRED) if (!keys.includes(k)) out.push(`missing column "${k}"`);
  const a = arrivalKey(keys);
  if (typeof a !== 'string') out.push(a.error);
  return out;
}

/** One row from its cells by column name: added to `b`, or issues for its bad cells. */
function addRow(
  b: RowsBuilder,
  out: LineIssues,
  line: number,
  arrival: string,
  get: (key: string) => unknown,
  csv: boolean,
): void {
  const bad: string[] = [];
  const raw = get(arrival);
  let ns: number | undefined;
  if (arrival === 'arrival') ns = typeof raw === 'string' ? traceTime(raw) : undefined;
  else {
    const n = numberCell(raw, csv);
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0)
      ns = Number((n * (ARRIVAL_COLUMNS[arrival] as number)).toPrecision(15));
  }
  if (ns === undefined || ns < 0)
    bad.push(
      `column ${arrival}: ${show(raw)} is not ${arrival === 'arrival' ? 'a time ≥ 0 with a unit, such as "12.5 ms"' : 'a number ≥ 0'}`,
    );
  const ids: Record<'variant' | 'context', string> = { variant: '', context: '' };
  for (const k of ['variant', 'context'] as const) {
    const v = get(k);
    if (typeof v === 'string' && v !== '') ids[k] = v;
    else bad.push(`column ${k}: ${show(v)} is not a non-empty id`);
  }
  const tokens = { context: 0, suffix: 0, output: 0 };
  for (const k of ['contextTokens', 'suffixTokens', 'outputTokens'] as const) {
    const t = tokenCell(get(k), TOKEN_MIN[k], csv);
    if (typeof t === 'string') bad.push(`column ${k}: ${t}`);
    else tokens[k === 'contextTokens' ? 'context' : k === 'suffixTokens' ? 'suffix' : 'output'] = t;
  }
  if (bad.length > 0) out.bad(line, bad.join('; '));
  else b.add(line, ns as number, ids.variant, ids.context, tokens);
}

/** A podsim CSV trace: header, then one row per line. */
function readCsv(text: string, out: LineIssues): TraceData | undefined {
  const b = new RowsBuilder(out);
  let header: string[] | undefined;
  let arrival = '';
  let index = new Map<string, number>();
  for (const [n, line] of dataLines(text)) {
    const cells = csvCells(line);
    if (header === undefined) {
      header = cells;
      const problems = columnProblems(header);
      if (problems.length > 0) {
        out.bad(n, `header: ${problems.join('; ')}`, 'workload.trace-header');
        return undefined;
      }
      arrival = arrivalKey(header) as string;
      index = new Map(header.map((k, i) => [k, i]));
      continue;
    }
    if (cells.length !== header.length) {
      out.bad(n, `${cells.length} cells, but the header has ${header.length} columns`);
      continue;
    }
    addRow(b, out, n, arrival, (k) => cells[index.get(k) as number], true);
  }
  return b.arrivalsNs.length > 0 ? b.build(out.rel) : undefined;
}

/** A podsim JSONL trace: one object per line. */
function readJsonl(text: string, out: LineIssues): TraceData | undefined {
  const b = new RowsBuilder(out);
  for (const [n, line] of dataLines(text)) {
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      out.bad(n, `${show(line)} is not a JSON object; write one object per line`);
      continue;
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      out.bad(n, `${show(o)} is not a JSON object; write one object per line`);
      continue;
    }
    const rec = o as Record<string, unknown>;
    const problems = columnProblems(Object.keys(rec));
    if (problems.length > 0) {
      out.bad(n, problems.join('; '));
      continue;
    }
    addRow(b, out, n, arrivalKey(Object.keys(rec)) as string, (k) => rec[k], false);
  }
  return b.arrivalsNs.length > 0 ? b.build(out.rel) : undefined;
}

/** Reads a podsim per-row trace (JSONL when its first data line starts with `{`, else CSV). */
export function readPodsimTrace(text: string, out: LineIssues): TraceData | undefined {
  const first = dataLines(text).next();
  if (first.done === true) return undefined;
  return first.value[1].startsWith('{') ? readJsonl(text, out) : readCsv(text, out);
}
