/**
 * Flows files for `podsim flows` (docs/flows.md): a JSON array of bulk transfers
 * `{id, src, dst, bytes, start}` played through the fabric's max-min fair sharing. Sizes and
 * times may be written with units (`"1 GB"`, `"5 ms"`) or as plain numbers in base units
 * (`bytes` in bytes, `startNs` in ns). An unreadable or oversized file throws (FileError,
 * LimitError: readTextCapped), as does one that is not JSON; per-entry problems are returned
 * (the entry as undefined) so the command can report them with the routing problems of the
 * other entries, all at once.
 */
import { InputError, PodsimError, type Issue } from '../errors/index.ts';
import { parseSize, parseTime } from '../units/index.ts';
import { readTextCapped } from './read-capped.ts';

/** One flow of a flows file, resolved to base units. */
export interface FlowEntry {
  readonly id: string;
  readonly src: string;
  readonly dst: string;
  /** Bytes to move. */
  readonly bytes: number;
  /** When the flow starts, ns from 0. */
  readonly startNs: number;
}

const KEYS = ['id', 'src', 'dst', 'bytes', 'start', 'startNs'] as const;
const SHAPE = '{id, src, dst, bytes, start}';

/** A non-negative finite number, or a unit string parsed by `parse`; undefined after an issue. */
function quantity(
  v: unknown,
  path: readonly (string | number)[],
  parse: (text: string, path: readonly (string | number)[]) => number,
  what: string,
  issues: Issue[],
): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (typeof v === 'string') {
    try {
      const x = parse(v, path);
      if (x >= 0) return x;
    } catch (e) {
      if (!(e instanceof PodsimError)) throw e;
      issues.push(...e.issues);
      return undefined;
    }
  }
  issues.push({
    code: 'input.type',
    path,
    message: `expected ${what} ≥ 0, got ${JSON.stringify(v)}`,
  });
  return undefined;
}

/** One array element checked and resolved, or undefined after its issues. */
function entryOf(x: unknown, i: number, issues: Issue[]): FlowEntry | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    issues.push({ code: 'input.type', path: [i], message: `expected an object ${SHAPE}` });
    return undefined;
  }
  const before = issues.length;
  const o = x as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!(KEYS as readonly string[]).includes(k))
      issues.push({
        code: 'input.unknown-key',
        path: [i, k],
        message: `unknown key; allowed: ${KEYS.join(', ')}`,
      });
  for (const k of ['id', 'src', 'dst'] as const)
    if (typeof o[k] !== 'string' || o[k] === '')
      issues.push({
        code: 'input.type',
        path: [i, k],
        message: `expected a non-empty string, got ${JSON.stringify(o[k])}`,
      });
  const bytes = quantity(o['bytes'], [i, 'bytes'], parseSize, 'a size ("1 GB") or bytes', issues);
  let startNs: number | undefined = 0;
  if ('start' in o && 'startNs' in o)
    issues.push({
      code: 'input.conflict',
      path: [i, 'startNs'],
      message: 'give start ("5 ms") or startNs (a number of ns), not both',
    });
  else if ('start' in o)
    startNs = quantity(o['start'], [i, 'start'], parseTime, 'a time ("5 ms")', issues);
  else if ('startNs' in o)
    startNs = quantity(o['startNs'], [i, 'startNs'], (t, p) => parseTime(t, p), 'ns', issues);
  if (issues.length > before || bytes === undefined || startNs === undefined) return undefined;
  return {
    id: o['id'] as string,
    src: o['src'] as string,
    dst: o['dst'] as string,
    bytes,
    startNs,
  };
}

/**
 * Reads and checks a flows file (see the file header). Duplicate ids are issues too.
 * @throws FileError, LimitError when the file cannot be read; InputError when it is not a JSON array
 */
export function readFlows(file: string): { entries: (FlowEntry | undefined)[]; issues: Issue[] } {
  const text = readTextCapped(file, 'flows file', ['--flows']);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      [{ code: 'input.json', path: [], message: `not JSON: ${(e as Error).message}` }],
      file,
    );
  }
  if (!Array.isArray(raw))
    throw new InputError(
      [{ code: 'input.type', path: [], message: `expected a JSON array of flows ${SHAPE}` }],
      file,
    );
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  const entries = raw.map((x: unknown, i) => {
    const e = entryOf(x, i, issues);
    const id = (x as { id?: unknown } | null)?.id;
    if (typeof id === 'string') {
      const first = seen.get(id);
      if (first !== undefined)
        issues.push({
          code: 'input.duplicate-id',
          path: [i, 'id'],
          message: `duplicate id "${id}" (first at [${first}])`,
        });
      else seen.set(id, i);
    }
    return e;
  });
  return { entries, issues };
}
