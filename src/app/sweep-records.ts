/**
 * A sweep's output: the compact record of each point, the header naming the sweep and shard,
 * the JSONL shard files `podsim sweep -o` writes and `podsim merge` reads, and the merge of
 * shards back into the whole sweep (checking none is missing or duplicated; docs/sweeps.md).
 * Texts in, texts out: reading and writing the files is the CLI's.
 */
import { InputError, type Issue } from '../errors/index.ts';
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

/**
 * Reads a shard file's text (as {@link renderJsonl} writes it).
 * @param file the name problems are reported against
 * @throws InputError naming the file and line for a missing header or a line that is not a record
 */
export function parseJsonl(
  text: string,
  file: string,
): { header: SweepHeader; records: SweepRecord[] } {
  const lines = text.split('\n');
  const issues: Issue[] = [];
  let header: SweepHeader | undefined;
  const records: SweepRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      issues.push({ code: 'sweep.jsonl', path: [`line ${i + 1}`], message: 'not JSON' });
      return;
    }
    if (header === undefined && records.length === 0) {
      const h = isObject(v) ? v['sweep'] : undefined;
      if (
        !isObject(h) ||
        !isObject(h['grid']) ||
        typeof h['points'] !== 'number' ||
        !isObject(h['shard'])
      )
        issues.push({
          code: 'sweep.header',
          path: [`line ${i + 1}`],
          message:
            'expected the sweep header {"sweep": {grid, scenario, topology, points, shard}} first: is this a podsim sweep output?',
        });
      else header = h as unknown as SweepHeader;
      return;
    }
    if (!isObject(v) || typeof v['point'] !== 'number' || !isObject(v['params']))
      issues.push({
        code: 'sweep.record',
        path: [`line ${i + 1}`],
        message: 'expected a point record {point, params, …}',
      });
    else records.push(v as unknown as SweepRecord);
  });
  if (header === undefined && issues.length === 0)
    issues.push({
      code: 'sweep.header',
      path: [],
      message: 'empty file: expected the sweep header line',
    });
  if (issues.length > 0 || header === undefined) throw new InputError(issues, file);
  return { header, records };
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
  if (issues.length > 0) throw new InputError(issues);
  const records = Array.from(
    { length: total },
    (_, i) => (byPoint.get(i) as { record: SweepRecord }).record,
  );
  return { header: { ...first.header, shard: { index: 1, count: 1 } }, records };
}
