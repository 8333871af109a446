/**
 * Traffic matrix files (docs/rpc.md "Traffic files"): CSV lines `src,dst,weight` — two host ids
 * and a weight ≥ 0 (a plain number: relative RPC counts or rates, any scale). An optional first
 * line `src,dst,weight` is a header; blank lines and lines starting with `#` are skipped; cells
 * are trimmed and not quoted. Several lines for one pair add up, and `a,b` and `b,a` both weigh
 * on the pair {a, b} (a round trip costs the same both ways). Every problem is reported at once,
 * each at its line and column.
 */
import { existsSync } from 'node:fs';
import { InputError, type Issue } from '../errors/index.ts';
import { readTextCapped } from './read-capped.ts';
import {
  cellOf,
  TRAFFIC_COLUMNS,
  trafficEntryIssues,
  type TrafficEntry,
  type TrafficMatrix,
} from '../fabric/rpc-traffic.ts';

/** A plain decimal number, optionally with an exponent (no units, no thousands separators). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses the text of a traffic file against a topology's hosts.
 * @param file the file name errors carry and the matrix is labelled with
 * @param hosts every host id of the topology
 * @throws InputError naming the file, with one issue per problem at `line N, column C (name)`
 */
export function parseTrafficCsv(
  text: string,
  file: string,
  hosts: readonly string[],
): TrafficMatrix {
  const issues: Issue[] = [];
  const entries: TrafficEntry[] = [];
  let first = true;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const cells = trimmed.split(',').map((c) => c.trim());
    const header = first && cells.join(',').toLowerCase() === TRAFFIC_COLUMNS.join(',');
    first = false;
    if (header) return;
    if (cells.length !== TRAFFIC_COLUMNS.length) {
      issues.push({
        code: 'traffic.columns',
        path: [`line ${line}`],
        message: `expected 3 cells src,dst,weight, got ${cells.length}: "${trimmed}"`,
      });
      return;
    }
    const [src = '', dst = '', weightText = ''] = cells;
    for (const [key, v] of [
      ['src', src],
      ['dst', dst],
    ] as const)
      if (v === '')
        issues.push({
          code: 'traffic.empty-cell',
          path: [cellOf(line, key)],
          message: 'empty host id',
        });
    if (!NUMBER.test(weightText)) {
      issues.push({
        code: 'traffic.bad-weight',
        path: [cellOf(line, 'weight')],
        message: `"${weightText}" is not a number; a weight is a plain number ≥ 0 (e.g. 3 or 0.25)`,
      });
      return;
    }
    if (src !== '' && dst !== '') entries.push({ src, dst, weight: Number(weightText), line });
  });
  // "no traffic" says nothing new when lines were already refused
  const semantic = trafficEntryIssues(entries, hosts).filter(
    (x) => x.code !== 'traffic.empty' || issues.length === 0,
  );
  const all = [...issues, ...semantic];
  if (all.length > 0) throw new InputError(all.sort(byLine), file);
  return { kind: 'pairs', source: file, entries };
}

/** Issues in file order (by the line number in their path; whole-file issues last). */
function byLine(a: Issue, b: Issue): number {
  const lineOf = (x: Issue): number => {
    const m = /^line (\d+)/.exec(String(x.path[0] ?? ''));
    return m === null ? Number.POSITIVE_INFINITY : Number(m[1]);
  };
  return lineOf(a) - lineOf(b);
}

/**
 * Reads a traffic file (see the file header for the format).
 * @param hosts every host id of the topology the matrix is for
 * @throws InputError naming the file when it does not exist or has problems; FileError when it
 *   cannot be read (a folder, a device); LimitError when it is larger than LIMITS.inputFileBytes
 */
export function readTrafficFile(file: string, hosts: readonly string[]): TrafficMatrix {
  // A name that is no file is most likely a mistyped keyword: say which values are allowed.
  if (!existsSync(file))
    throw new InputError(
      [
        {
          code: 'input.read',
          path: [],
          message:
            'cannot read traffic: no such file (a traffic matrix is uniform, local, local:F with F in [0, 1], or a CSV file)',
        },
      ],
      file,
    );
  return parseTrafficCsv(readTextCapped(file, 'traffic file', ['--traffic']), file, hosts);
}
