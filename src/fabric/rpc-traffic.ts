/**
 * Traffic matrices for RPC summaries (docs/rpc.md "Traffic matrices"): which host pairs send how
 * many RPCs. `uniform` weighs every pair alike; `local` sends a share of each host's RPCs to the
 * hosts it shares a memory device with; `pairs` is an explicit list (a CSV file read by
 * src/io/traffic-file.ts). {@link pairWeights} turns any of them into one weight per unordered
 * host pair of an all-pairs table.
 */
import { closest, InputError, type Issue } from '../errors/index.ts';

/** One explicit entry: `src` sends RPCs to `dst` with relative weight `weight` (≥ 0). */
export interface TrafficEntry {
  readonly src: string;
  readonly dst: string;
  readonly weight: number;
  /** The line of the file the entry came from, when it came from one (errors then name the line and column). */
  readonly line?: number;
}

/** Which host pairs send how many RPCs. */
export type TrafficMatrix =
  | { readonly kind: 'uniform' }
  | {
      readonly kind: 'local';
      /** Share in [0, 1] of each host's RPCs that go to hosts sharing a device with it. */
      readonly localShare: number;
    }
  | {
      readonly kind: 'pairs';
      /** Where the entries came from (a file name), for labels. */
      readonly source: string;
      readonly entries: readonly TrafficEntry[];
    };

/** Defaults of the traffic matrices (docs/design.md convention §9). */
export const TRAFFIC_DEFAULTS = Object.freeze({
  /**
   * Share of a host's RPCs that stay among hosts sharing a device with it under `local` (estimate:
   * no published figure; an island pod is built on the premise that a scheduler places chatty
   * services inside an island, and 0.9 keeps a tenth of the traffic crossing islands so the
   * relayed cost still shows).
   */
  localShare: 0.9,
});

/** The uniform matrix (every host pair alike). */
export const UNIFORM_TRAFFIC: TrafficMatrix = Object.freeze({ kind: 'uniform' });

/**
 * The built-in matrix a flag value names — `uniform`, `local` or `local:F` with F in [0, 1] — or
 * `undefined` when the text names neither (the caller then treats it as a file).
 * @param path where the text came from, for errors (e.g. `['--traffic']`)
 * @throws InputError (code `traffic.bad-share`) for `local:` with a share outside [0, 1]
 * @example trafficMatrixOf('local:0.8', ['--traffic']) // { kind: 'local', localShare: 0.8 }
 */
export function trafficMatrixOf(
  text: string,
  path: readonly (string | number)[],
): TrafficMatrix | undefined {
  const t = text.trim();
  if (t === 'uniform') return UNIFORM_TRAFFIC;
  if (t === 'local') return { kind: 'local', localShare: TRAFFIC_DEFAULTS.localShare };
  const m = /^local:(.*)$/.exec(t);
  if (m === null) return undefined;
  const share = Number((m[1] ?? '').trim());
  if ((m[1] ?? '').trim() === '' || !Number.isFinite(share) || share < 0 || share > 1)
    throw new InputError([
      {
        code: 'traffic.bad-share',
        path,
        message: `"${text}": the local share after local: must be a number from 0 to 1 (e.g. local:0.9)`,
      },
    ]);
  return { kind: 'local', localShare: share };
}

/** A short label of a matrix for tables and JSON: `uniform`, `local:0.9`, `file pairs.csv`. */
export function trafficLabel(m: TrafficMatrix): string {
  if (m.kind === 'uniform') return 'uniform';
  if (m.kind === 'local') return `local:${m.localShare}`;
  return `file ${m.source}`;
}

/** Weights of every unordered host pair, and the weight sent to hosts out of service. */
export interface PairWeights {
  /** `weights[k]` for pair k in (i < j) row order: (0,1), (0,2), …, (1,2), … */
  readonly weights: Float64Array;
  /** Weight of explicit entries naming a host out of service (lost traffic). */
  readonly toHostsDownWeight: number;
}

/** Index of unordered pair (i, j), i < j, of n hosts in (i < j) row order. */
export function pairIndex(i: number, j: number, n: number): number {
  return i * n - (i * (i + 1)) / 2 + (j - i - 1);
}

/**
 * One weight per unordered pair of the `hosts` in service. An ordered weight src→dst and dst→src
 * both land on the pair, since a round trip costs the same both ways.
 * @param hosts host ids in service, in matrix order
 * @param direct `direct[i·n + j]` = 1 when hosts i and j share a memory device
 * @param allHosts every host id of the topology (entries naming a host not in service count as lost)
 * @throws InputError (code `traffic.unknown-host`) for entries naming a host the topology lacks
 */
export function pairWeights(
  m: TrafficMatrix,
  hosts: readonly string[],
  direct: Uint8Array,
  allHosts: readonly string[],
): PairWeights {
  const n = hosts.length;
  const weights = new Float64Array((n * (n - 1)) / 2);
  if (m.kind === 'uniform') {
    weights.fill(1);
    return { weights, toHostsDownWeight: 0 };
  }
  if (m.kind === 'local') {
    localWeightsInPlace(weights, m.localShare, n, direct);
    return { weights, toHostsDownWeight: 0 };
  }
  const issues = trafficEntryIssues(m.entries, allHosts);
  if (issues.length > 0) throw new InputError(issues, m.source);
  const at = new Map(hosts.map((h, i) => [h, i]));
  let lost = 0;
  for (const e of m.entries) {
    const i = at.get(e.src);
    const j = at.get(e.dst);
    if (i === undefined || j === undefined) {
      lost += e.weight;
      continue;
    }
    const k = i < j ? pairIndex(i, j, n) : pairIndex(j, i, n);
    weights[k] = (weights[k] ?? 0) + e.weight;
  }
  return { weights, toHostsDownWeight: lost };
}

/**
 * Every problem with explicit entries, each at the entry's `where`: a host the topology lacks
 * (`traffic.unknown-host`, with the closest id), a host sending to itself (`traffic.self`), a
 * weight that is not a finite number ≥ 0 (`traffic.bad-weight`), and no positive weight at all
 * (`traffic.empty`).
 * @param allHosts every host id of the topology
 */
export function trafficEntryIssues(
  entries: readonly TrafficEntry[],
  allHosts: readonly string[],
): Issue[] {
  const known = new Set(allHosts);
  const issues: Issue[] = [];
  entries.forEach((e, i) => {
    const where = (key: 'src' | 'dst' | 'weight'): readonly (string | number)[] =>
      e.line === undefined ? ['entries', i, key] : [cellOf(e.line, key)];
    for (const key of ['src', 'dst'] as const)
      if (!known.has(e[key]))
        issues.push({
          code: 'traffic.unknown-host',
          path: where(key),
          message: `unknown host "${e[key]}"${hostHint(e[key], allHosts)}`,
        });
    if (e.src === e.dst && known.has(e.src))
      issues.push({
        code: 'traffic.self',
        path: where('dst'),
        message: `"${e.src}" sends to itself; an RPC needs two different hosts`,
      });
    if (!Number.isFinite(e.weight) || e.weight < 0)
      issues.push({
        code: 'traffic.bad-weight',
        path: where('weight'),
        message: `weight must be a finite number ≥ 0, got ${e.weight}`,
      });
  });
  if (issues.length === 0 && !entries.some((e) => e.weight > 0))
    issues.push({
      code: 'traffic.empty',
      path: [],
      message: 'no traffic: give at least one src,dst,weight entry with a weight above 0',
    });
  return issues;
}

/** The columns of a traffic CSV line, in order. */
export const TRAFFIC_COLUMNS = ['src', 'dst', 'weight'] as const;

/** How an issue names a cell of a traffic CSV file: `line 4, column 2 (dst)`. */
export function cellOf(line: number, key: (typeof TRAFFIC_COLUMNS)[number]): string {
  return `line ${line}, column ${TRAFFIC_COLUMNS.indexOf(key) + 1} (${key})`;
}

/** `; did you mean "h9"?` for an id close to a host, else the host range. */
function hostHint(id: string, allHosts: readonly string[]): string {
  const near = closest(id, allHosts);
  if (near !== undefined) return `; did you mean "${near}"?`;
  return allHosts.length === 0
    ? '; the topology has no hosts'
    : `; hosts are ${allHosts[0]} … ${allHosts[allHosts.length - 1]} (${allHosts.length})`;
}

/**
 * `local:f`: each host sends share f of its RPCs evenly to the hosts it shares a device with and
 * 1 − f evenly to the rest; a host with peers of only one kind sends everything to those.
 */
function localWeightsInPlace(out: Float64Array, f: number, n: number, direct: Uint8Array): void {
  const near = new Int32Array(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (i !== j && direct[i * n + j] === 1) near[i] = (near[i] ?? 0) + 1;
  /** Weight host i sends to one peer of the given kind. */
  const each = (i: number, isNear: boolean): number => {
    const k = near[i] ?? 0;
    const far = n - 1 - k;
    if (k === 0) return isNear ? 0 : 1 / far;
    if (far === 0) return isNear ? 1 / k : 0;
    return isNear ? f / k : (1 - f) / far;
  };
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const isNear = direct[i * n + j] === 1;
      out[pairIndex(i, j, n)] = each(i, isNear) + each(j, isNear);
    }
}
