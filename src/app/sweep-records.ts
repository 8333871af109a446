/**
 * A sweep's output: the compact record of each point, the header naming the sweep and shard,
 * the JSONL shard files `podsim sweep -o` writes and `podsim merge` reads, and the merge of
 * shards back into the whole sweep (checking none is missing or duplicated; docs/sweeps.md).
 * Texts in, texts out: reading and writing the files is the CLI's.
 */
import { InputError, LimitError, type Issue } from '../errors/index.ts';
import { LIMITS } from '../errors/limits.ts';
import type { WhatIfColumn } from '../sim/whatif.ts';
import { gridSize, type Grid, type GridPoint, type GridValue, type Shard } from './sweep-grid.ts';

/** The measured outcome of one point. */
export interface SweepMetrics {
  readonly topology: string;
  readonly hosts: number;
  /** Completed requests meeting both SLOs, per second. */
  readonly goodputPerS: number;
  /** Completed requests per second. */
  readonly throughputPerS: number;
  /** Fraction 0..1 of completed requests meeting the SLOs. */
  readonly sloAttainment: number;
  readonly ttftP50Ns: number;
  readonly ttftP99Ns: number;
  /** Median small-RPC round trip over all host pairs, cheapest medium per pair (ns). */
  readonly rpcP50Ns: number;
  /** Achieved bandwidth of the reference KV fetch (bytes/ns). */
  readonly fetchBandwidthBytesPerNs: number;
  readonly decisions: {
    readonly exact: number;
    readonly partial: number;
    readonly fullPrefill: number;
  };
  /** Fabric cost (CXL devices, cables, NICs, switches) per host, USD. */
  readonly fabricCostPerHostUsd: number;
}

/** One line of a sweep's output: a point, its params, and its metrics or why it could not run. */
export type SweepRecord = {
  readonly point: number;
  readonly params: Readonly<Record<string, GridValue>>;
} & (SweepMetrics | { readonly error: string });

/**
 * The compact record of a point from its what-if column.
 * @param fabricCostPerHostUsd the topology's fabric price per host (cost/ is priced by the caller)
 */
export function sweepRecord(
  point: GridPoint,
  column: WhatIfColumn,
  fabricCostPerHostUsd: number,
): SweepRecord {
  const r = column.run;
  return {
    point: point.index,
    params: point.params,
    topology: column.metrics.name,
    hosts: column.metrics.hosts,
    goodputPerS: r.goodputPerS,
    throughputPerS: r.throughputPerS,
    sloAttainment: r.sloAttainment,
    ttftP50Ns: r.ttft.p50,
    ttftP99Ns: r.ttft.p99,
    rpcP50Ns: column.costs.rpc.cheapest.p50Ns,
    fetchBandwidthBytesPerNs: column.costs.fetch.effectiveBandwidthBytesPerNs,
    decisions: {
      exact: r.decisions.exact,
      partial: r.decisions.partial,
      fullPrefill: r.decisions.fullPrefill,
    },
    fabricCostPerHostUsd,
  };
}

/** The first line of a shard file: which sweep and which part of it. */
export interface SweepHeader {
  readonly grid: Readonly<Record<string, readonly GridValue[]>>;
  /** The scenario and topology as given on the command line. */
  readonly scenario: string;
  readonly topology: string;
  /** Points in the whole grid. */
  readonly points: number;
  readonly shard: Shard;
}

/** The header of a sweep. */
export function sweepHeader(
  grid: Grid,
  scenario: string,
  topology: string,
  shard: Shard,
): SweepHeader {
  return {
    grid: Object.fromEntries(grid.map((a) => [a.key, a.values])),
    scenario,
    topology,
    points: gridSize(grid),
    shard,
  };
}

/** A sweep's output as JSONL: the header line, then one record per point, in point order. */
export function renderJsonl(header: SweepHeader, records: readonly SweepRecord[]): string {
  return (
    [JSON.stringify({ sweep: header }), ...records.map((r) => JSON.stringify(r))].join('\n') + '\n'
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isWhole = (v: unknown, min: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isGridValue = (v: unknown): v is GridValue =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** The metric fields of a record that must be finite numbers (`decisions` is checked apart). */
const METRIC_FIELDS = [
  'hosts',
  'goodputPerS',
  'throughputPerS',
  'sloAttainment',
  'ttftP50Ns',
  'ttftP99Ns',
  'rpcP50Ns',
  'fetchBandwidthBytesPerNs',
  'fabricCostPerHostUsd',
] as const;

/** At most this many problems are listed for one file (a binary or foreign file has one per line). */
const MAX_ISSUES = 20;

/** What is wrong with a header line's `sweep` value, or undefined when it is a header. */
function headerProblem(h: unknown): string | undefined {
  if (!isObject(h) || !isObject(h['grid']) || !isObject(h['shard']))
    return 'expected the sweep header {"sweep": {grid, scenario, topology, points, shard}} first: is this a podsim sweep output?';
  const grid = Object.entries(h['grid']);
  if (grid.some(([, vs]) => !Array.isArray(vs) || vs.length === 0 || !vs.every(isGridValue)))
    return 'sweep.grid: every key needs a non-empty list of numbers or words';
  if (typeof h['scenario'] !== 'string' || typeof h['topology'] !== 'string')
    return 'sweep.scenario and sweep.topology must be the names the sweep was run with';
  const shard = h['shard'];
  if (!isWhole(shard['count'], 1) || !isWhole(shard['index'], 1) || shard['index'] > shard['count'])
    return 'sweep.shard: expected {index, count} with 1 ≤ index ≤ count';
  if (!isWhole(h['points'], 0))
    return `sweep.points: expected a whole number, got ${JSON.stringify(h['points'])}`;
  const size = grid.reduce((n, [, vs]) => n * (vs as unknown[]).length, 1);
  if (h['points'] !== size)
    return `sweep.points is ${h['points']}, but the grid has ${size.toLocaleString('en-US')} points`;
  return undefined;
}

/** What is wrong with a point record, or undefined when it is one. */
function recordProblem(v: unknown): string | undefined {
  if (!isObject(v) || !isObject(v['params'])) return 'expected a point record {point, params, …}';
  if (!isWhole(v['point'], 0))
    return `"point" must be a whole number ≥ 0, got ${JSON.stringify(v['point'])}`;
  if (!Object.values(v['params']).every(isGridValue))
    return '"params" values must be numbers or words';
  if ('error' in v) return typeof v['error'] === 'string' ? undefined : '"error" must be a message';
  const bad: string[] = METRIC_FIELDS.filter(
    (k) => typeof v[k] !== 'number' || !Number.isFinite(v[k]),
  );
  const d = v['decisions'];
  if (!isObject(d) || !['exact', 'partial', 'fullPrefill'].every((k) => isWhole(d[k], 0)))
    bad.push('decisions');
  return bad.length === 0
    ? undefined
    : `point ${v['point']}: ${bad.join(', ')} must be finite numbers (decisions: whole counts), got ${bad.map((k) => JSON.stringify(v[k] ?? null)).join(', ')}`;
}

/**
 * Reads a shard file's text (as {@link renderJsonl} writes it), checking the header and every
 * record: a header whose point count is above LIMITS.sweepPoints, a metric that is not a finite
 * number (NaN, `null`, a string), a binary file or a foreign one are refused, never half-read.
 * @param file the name problems are reported against
 * @throws InputError naming the file and line for a missing header or a line that is not a
 *   record (at most {@link MAX_ISSUES} listed); LimitError for a header above the points limit
 */
export function parseJsonl(
  text: string,
  file: string,
): { header: SweepHeader; records: SweepRecord[] } {
  const nul = text.indexOf('\u0000');
  if (nul >= 0)
    throw new InputError(
      [
        {
          code: 'sweep.binary',
          path: [],
          message: `binary data (a NUL byte at character ${nul}): not a podsim sweep output (JSONL text)`,
        },
      ],
      file,
    );
  const issues: Issue[] = [];
  let header: SweepHeader | undefined;
  const records: SweepRecord[] = [];
  let skipped = 0;
  const problem = (code: string, line: number, message: string): void => {
    if (issues.length < MAX_ISSUES) issues.push({ code, path: [`line ${line}`], message });
    else skipped++;
  };
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      problem('sweep.jsonl', lineNo, 'not JSON');
      continue;
    }
    if (line.includes('"__proto__"')) {
      // JSON.parse keeps it as an own key, but spreading or merging the record would misread it
      problem('sweep.record', lineNo, 'a key named "__proto__": not a podsim sweep record');
      continue;
    }
    if (header === undefined && records.length === 0) {
      const h = isObject(v) ? v['sweep'] : undefined;
      const why = headerProblem(h);
      if (why !== undefined) problem('sweep.header', lineNo, why);
      else header = checkPointLimit(h as unknown as SweepHeader, file);
      continue;
    }
    const why = recordProblem(v);
    if (why !== undefined) problem('sweep.record', lineNo, why);
    else records.push(v as unknown as SweepRecord);
  }
  if (skipped > 0)
    issues.push({ code: 'sweep.more', path: [], message: `and ${skipped} more problems` });
  if (header === undefined && issues.length === 0)
    issues.push({
      code: 'sweep.header',
      path: [],
      message: 'empty file: expected the sweep header line',
    });
  if (issues.length > 0 || header === undefined) throw new InputError(issues, file);
  return { header, records };
}

/** A header naming more points than LIMITS.sweepPoints is refused before anything is allocated. */
function checkPointLimit(h: SweepHeader, file: string): SweepHeader {
  if (h.points <= LIMITS.sweepPoints) return h;
  throw new LimitError(
    [
      {
        code: 'limit.sweep-points',
        path: ['sweep', 'points'],
        message: `${h.points.toLocaleString('en-US')} points, above the limit of ${LIMITS.sweepPoints.toLocaleString('en-US')} points per sweep (docs/sweeps.md "Limits"); podsim sweep never writes such a file`,
      },
    ],
    file,
  );
}

/** The fields that say two shards are of the same sweep. */
const identity = (h: SweepHeader): string =>
  JSON.stringify({ grid: h.grid, scenario: h.scenario, topology: h.topology, points: h.points });

/** Compresses sorted indices into ranges for messages: `0, 3–5, 9`. */
function ranges(xs: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i;
    while (j + 1 < xs.length && (xs[j + 1] as number) === (xs[j] as number) + 1) j++;
    out.push(i === j ? `${xs[i]}` : `${xs[i]}–${xs[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/**
 * Merges parsed shard files into the whole sweep, records in point order.
 * @throws InputError naming the file whose sweep differs from the first file's, or listing
 *   duplicated points (with the files holding them) and missing points
 */
export function mergeShards(
  shards: readonly {
    readonly file: string;
    readonly header: SweepHeader;
    readonly records: readonly SweepRecord[];
  }[],
): { header: SweepHeader; records: SweepRecord[] } {
  const first = shards[0];
  if (first === undefined)
    throw new InputError([
      { code: 'sweep.merge-empty', path: [], message: 'give at least one shard file' },
    ]);
  for (const s of shards.slice(1)) {
    if (identity(s.header) !== identity(first.header)) {
      throw new InputError(
        [
          {
            code: 'sweep.merge-mismatch',
            path: [],
            message: `is from a different sweep than ${first.file} (grid, scenario, topology or point count differ): ${identity(s.header)} vs ${identity(first.header)}`,
          },
        ],
        s.file,
      );
    }
  }
  const byPoint = new Map<number, { record: SweepRecord; file: string }>();
  const duplicates = new Map<number, string[]>();
  for (const s of shards) {
    for (const r of s.records) {
      const seen = byPoint.get(r.point);
      if (seen === undefined) byPoint.set(r.point, { record: r, file: s.file });
      else duplicates.set(r.point, [...(duplicates.get(r.point) ?? [seen.file]), s.file]);
    }
  }
  const issues: Issue[] = [];
  for (const [p, files] of [...duplicates.entries()].sort((a, b) => a[0] - b[0]))
    issues.push({
      code: 'sweep.merge-duplicate',
      path: [],
      message: `point ${p} appears more than once: ${files.join(', ')}`,
    });
  const total = first.header.points;
  const outside = [...byPoint.keys()]
    .filter((p) => !Number.isInteger(p) || p < 0 || p >= total)
    .sort((a, b) => a - b);
  if (outside.length > 0)
    issues.push({
      code: 'sweep.merge-outside',
      path: [],
      message: `points outside 0…${total - 1}: ${outside.join(', ')}`,
    });
  const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !byPoint.has(i));
  if (missing.length > 0)
    issues.push({
      code: 'sweep.merge-missing',
      path: [],
      message: `${missing.length} of ${total} points missing: ${ranges(missing)} (a shard not run or not given?)`,
    });
  if (issues.length > 0)
    throw new InputError(
      issues,
      undefined,
      `cannot merge ${shards.map((s) => s.file).join(', ')}:`,
    );
  const records = Array.from(
    { length: total },
    (_, i) => (byPoint.get(i) as { record: SweepRecord }).record,
  );
  return { header: { ...first.header, shard: { index: 1, count: 1 } }, records };
}
