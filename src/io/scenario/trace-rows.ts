/**
 * What every trace reader shares (docs/workloads.md): times with units, the row builder (ids
 * interned, columns as typed arrays, order and one-length-per-context checked) and per-line
 * issues capped so a bad million-row file gives a handful of messages, each
 * `file:line: column …: what was wrong; what is allowed`. The readers: ./trace-podsim.ts
 * (podsim's own CSV/JSONL), ./trace-import.ts (Azure, Mooncake), ./trace.ts (arrival times only).
 */
import { UnitError, type Issue } from '../../errors/index.ts';
import { formatTime, ns, parseTime } from '../../units/index.ts';
import type { TraceRows } from '../../sim/workload.ts';
import { show } from '../issues.ts';

type Path = readonly (string | number)[];

/** Bad lines of a trace reported one by one; past this many, one issue counts the rest. */
const MAX_LINE_ISSUES = 5;
/** Largest token count a row may give (the Int32Array columns). */
const MAX_TOKENS = 2 ** 31 - 1;

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
export function traceTime(line: string): number | undefined {
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

/** A read per-row trace: the arrivals (ns, sorted) and the rows, plus the first line of each variant (for messages). */
export interface TraceData {
  readonly arrivalsNs: readonly number[];
  readonly rows?: TraceRows;
  /** The file as the scenario names it, and the first line each named variant appears on. */
  readonly file?: string;
  readonly variantLines?: ReadonlyMap<string, number>;
}

/** Issues of one trace file, each `file:line: …`, capped at {@link MAX_LINE_ISSUES}. */
export class LineIssues {
  private count = 0;
  constructor(
    readonly rel: string,
    private readonly at: Path,
    private readonly issues: Issue[],
  ) {}

  /** One bad line. */
  bad(line: number, message: string, code = 'workload.trace-line'): void {
    if (++this.count <= MAX_LINE_ISSUES)
      this.issues.push({ code, path: this.at, message: `${this.rel}:${line}: ${message}` });
  }

  /** A problem of the whole file (no line). */
  file(message: string, code: string): void {
    this.count++;
    this.issues.push({ code, path: this.at, message: `${this.rel}: ${message}` });
  }

  /** True while nothing was wrong. */
  get clean(): boolean {
    return this.count === 0;
  }

  /** Adds the count of unreported bad lines (call once, at the end); true when nothing was wrong. */
  finish(): boolean {
    if (this.count > MAX_LINE_ISSUES)
      this.issues.push({
        code: 'workload.trace-line',
        path: this.at,
        message: `${this.rel}: ${this.count - MAX_LINE_ISSUES} more problems not shown`,
      });
    return this.count === 0;
  }
}

/** A number from a cell: CSV cells are text, JSON values must already be numbers (no coercion). */
export function numberCell(v: unknown, csv: boolean): unknown {
  return csv && typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
}

/** A whole number of tokens ≥ `min` read from a cell (text only in CSV), or an explanation. */
export function tokenCell(v: unknown, min: number, csv: boolean): number | string {
  const n = numberCell(v, csv);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > MAX_TOKENS)
    return `${show(v)} is not a whole number of tokens ≥ ${min}`;
  return n;
}

/** Collects rows: interns variant and context ids, keeps columns, checks order and one length per context. */
export class RowsBuilder {
  readonly arrivalsNs: number[] = [];
  private readonly variant: number[] = [];
  private readonly context: number[] = [];
  private readonly contextTokens: number[] = [];
  private readonly suffixTokens: number[] = [];
  private readonly outputTokens: number[] = [];
  private readonly variants = new Map<string, number>();
  private readonly contexts = new Map<string, number>();
  /** Per context index: its tokens and the line that first gave them. */
  private readonly lengthOf: { tokens: number; line: number }[] = [];
  readonly variantLines = new Map<string, number>();
  /** The previous row's arrival (ns) and line (0: none yet), kept as numbers: no object per row. */
  private lastNs = 0;
  private lastLine = 0;

  constructor(private readonly out: LineIssues) {}

  /** Adds one row read from `line`; order and length conflicts become issues. `variant` undefined: drawn by weight. */
  add(
    line: number,
    arrivalNs: number,
    variant: string | undefined,
    context: string,
    tokens: { context: number; suffix: number; output: number },
  ): void {
    if (this.lastLine > 0 && arrivalNs < this.lastNs)
      this.out.bad(
        line,
        `arrival ${formatTime(ns(arrivalNs))} comes before line ${this.lastLine}'s ${formatTime(ns(this.lastNs))}; rows must be sorted by arrival`,
        'workload.trace-order',
      );
    this.lastNs = arrivalNs;
    this.lastLine = line;
    let c = this.contexts.get(context);
    if (c === undefined) {
      c = this.contexts.size;
      this.contexts.set(context, c);
      this.lengthOf.push({ tokens: tokens.context, line });
    } else {
      const seen = this.lengthOf[c] as { tokens: number; line: number };
      if (seen.tokens !== tokens.context)
        this.out.bad(
          line,
          `context ${show(context)} has ${tokens.context} tokens here but ${seen.tokens} on line ${seen.line}; a context has one length (give the longer prompt a new context id)`,
          'workload.context-length',
        );
    }
    let v = -1;
    if (variant !== undefined) {
      v = this.variants.get(variant) ?? this.variants.size;
      if (v === this.variants.size) {
        this.variants.set(variant, v);
        this.variantLines.set(variant, line);
      }
    }
    this.arrivalsNs.push(arrivalNs);
    this.variant.push(v);
    this.context.push(c);
    this.contextTokens.push(tokens.context);
    this.suffixTokens.push(tokens.suffix);
    this.outputTokens.push(tokens.output);
  }

  /** The trace read so far. */
  build(file: string): TraceData {
    const rows: TraceRows = Object.freeze({
      variantIds: Object.freeze([...this.variants.keys()]),
      contextIds: Object.freeze([...this.contexts.keys()]),
      variant: Int32Array.from(this.variant),
      context: Int32Array.from(this.context),
      contextTokens: Int32Array.from(this.contextTokens),
      suffixTokens: Int32Array.from(this.suffixTokens),
      outputTokens: Int32Array.from(this.outputTokens),
    });
    return Object.freeze({
      arrivalsNs: Object.freeze(this.arrivalsNs),
      rows,
      file,
      variantLines: this.variantLines,
    });
  }
}

/** The lines of a text with their 1-based numbers, skipping blank lines and `#` comments. */
export function* dataLines(text: string): Generator<[number, string]> {
  let start = 0;
  let n = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    n++;
    const line = text.slice(start, end).trim();
    if (line !== '' && !line.startsWith('#')) yield [n, line];
    start = end + 1;
  }
}

/** Splits a CSV line on commas (no quoting: ids and numbers need none), cells trimmed. */
export function csvCells(line: string): string[] {
  return line.split(',').map((c) => c.trim());
}
