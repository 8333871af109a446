/**
 * A sweep's grid (`podsim sweep --grid key=v1,v2`; docs/sweeps.md): parsing and checking the
 * axes against the topology file's params and the scenario keys, expanding the points, sharding
 * them, and applying a point's scenario keys to a {@link SimConfig}. Records, shard files and
 * merging are ./sweep-records.ts; building and running a point is ./sweep.ts.
 *
 * Grid keys (`--grid key=v1,v2`):
 * - topology keys: any key of the topology file's `params` (e.g. `hosts`, `hostPorts`,
 *   `devicePorts`, `seed` for the Octopus generators; `racks` for rdma-rack); a number where the
 *   file has a number (a whole number where the file has one), a word where it has a word;
 * - scenario keys ({@link SCENARIO_GRID_KEYS}): `rate` (Poisson/burst request rate per second,
 *   > 0), `requests` (whole number ≥ 1), `crossVariantShare` (0–1), `qualityBudget` (0–1),
 *   `policy` (planner policy), `routing` (serving routing), `scenarioSeed` (whole number ≥ 0;
 *   `seed` names the topology's seed when the topology has one).
 *
 * The points are the cartesian product with the first key varying slowest and values in the
 * order given; a point's index is its position in that order, and shard `i/N` (1-based) runs the
 * points with `index % N === i − 1`.
 */
import { closest, InputError, LimitError, type Issue } from '../errors/index.ts';
import { LIMITS } from '../errors/limits.ts';
import { POLICIES, type PolicyName } from '../planner/planner.ts';
import type { ServingSpec, SimConfig } from '../sim/types.ts';

/** One value of a grid axis: a number, or a word (policy, routing, a word-valued generator param). */
export type GridValue = string | number;

/** One `--grid key=v1,v2,…` axis, values in the order given. */
export interface GridAxis {
  readonly key: string;
  readonly values: readonly GridValue[];
}

/** A parsed grid: axes in the order given. */
export type Grid = readonly GridAxis[];

/** One point of a grid: its index in expansion order and the value of every key. */
export interface GridPoint {
  readonly index: number;
  readonly params: Readonly<Record<string, GridValue>>;
}

/** The scenario keys a grid may name (see the file header). */
export const SCENARIO_GRID_KEYS = [
  'rate',
  'requests',
  'crossVariantShare',
  'qualityBudget',
  'policy',
  'routing',
  'scenarioSeed',
] as const;

/** A scenario grid key. */
export type ScenarioGridKey = (typeof SCENARIO_GRID_KEYS)[number];

/** What a grid is checked against. */
export interface GridContext {
  /** The topology file's `params` as written (keys and values decide the topology keys and their types). */
  readonly topologyParams: Readonly<Record<string, unknown>>;
  /** The scenario the grid varies (its arrival kind decides whether `rate` applies). */
  readonly scenario: SimConfig;
  /** Allowed `routing` values (io's ROUTING_POLICIES). */
  readonly routings: readonly ServingSpec['routing'][];
  /**
   * The domain of a topology key (the generator's params schema): the reason `value` is refused
   * for `key` (e.g. `hosts=0`), or undefined when it is allowed. Without it only the type is checked.
   */
  readonly checkTopologyValue?: (key: string, value: GridValue) => string | undefined;
}

/** A strict decimal number: no hex, no empty string, no trailing junk, no units. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** Parses one value of `key` strictly, or returns the reason it is refused. */
function parseValue(
  key: string,
  raw: string,
  ctx: GridContext,
  isTopology: boolean,
): GridValue | string[] {
  const num = (): number | undefined =>
    NUMBER.test(raw) && Number.isFinite(Number(raw)) ? Number(raw) : undefined;
  const whole = (min: number, max = Number.MAX_SAFE_INTEGER): GridValue | string[] => {
    const n = num();
    return n !== undefined && Number.isInteger(n) && n >= min && n <= max
      ? n
      : [`"${raw}" is not a whole number in ${min}…${max}`];
  };
  const fraction = (): GridValue | string[] => {
    const n = num();
    return n !== undefined && n >= 0 && n <= 1 ? n : [`"${raw}" is not a number in 0…1`];
  };
  const choice = (allowed: readonly string[]): GridValue | string[] => {
    if (allowed.includes(raw)) return raw;
    const near = closest(raw, allowed);
    return [
      `"${raw}" is not one of ${allowed.join(', ')}${near === undefined ? '' : ` (did you mean "${near}"?)`}`,
    ];
  };
  if (isTopology) {
    const current = ctx.topologyParams[key];
    let value: GridValue | undefined;
    if (typeof current === 'number') {
      const n = num();
      if (n === undefined) return [`"${raw}" is not a number`];
      if (Number.isInteger(current) && !Number.isInteger(n))
        return [`"${raw}" is not a whole number`];
      value = n;
    } else if (typeof current === 'string') value = raw;
    if (value !== undefined) {
      const refused = ctx.checkTopologyValue?.(key, value);
      return refused === undefined ? value : [`"${raw}" is out of range: ${refused}`];
    }
    return [`the topology's "${key}" is not a number or a word, so it cannot be swept`];
  }
  switch (key as ScenarioGridKey) {
    case 'rate': {
      if (ctx.scenario.workload.arrival.kind === 'trace')
        return ['the scenario replays an arrival trace, which has no rate'];
      const n = num();
      return n !== undefined && n > 0 ? n : [`"${raw}" is not a number > 0 (requests per second)`];
    }
    case 'requests':
      return whole(1);
    case 'crossVariantShare':
    case 'qualityBudget':
      return fraction();
    case 'policy':
      return choice(POLICIES);
    case 'routing':
      return choice(ctx.routings);
    case 'scenarioSeed':
      return whole(0, 2 ** 32 - 1);
  }
}

/** `host-ports` → `hostPorts`; camelCase keys unchanged. */
function camelKey(key: string): string {
  return key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Parses `--grid` arguments (`key=v1,v2,…`), checking every key and value against the topology's
 * params and the scenario keys. Keys may be written as in the file (`hostPorts`) or as the
 * flags spell them (`host-ports`).
 * @throws InputError listing every problem, each under `--grid key` (unknown keys with a
 *   did-you-mean and the allowed keys; values that do not parse; repeated keys; empty lists)
 * @example parseGrid(['hosts=16,24', 'rate=8'], ctx) // [{ key: 'hosts', values: [16, 24] }, { key: 'rate', values: [8] }]
 */
export function parseGrid(specs: readonly string[], ctx: GridContext): Grid {
  const topologyKeys = Object.keys(ctx.topologyParams);
  const allowed = [...topologyKeys, ...SCENARIO_GRID_KEYS.filter((k) => !topologyKeys.includes(k))];
  const issues: Issue[] = [];
  const axes: GridAxis[] = [];
  const seen = new Set<string>();
  if (specs.length === 0)
    issues.push({
      code: 'sweep.grid-empty',
      path: ['--grid'],
      message: `give at least one key=v1,v2 (keys: ${allowed.join(', ')})`,
    });
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    // The flag spelling works too (`host-ports` as on `topology generate --host-ports`): one
    // vocabulary for flags and grid keys, the file's camelCase being the canonical form.
    const key = camelKey(eq < 0 ? spec : spec.slice(0, eq));
    const path = [`--grid ${key}`];
    if (eq < 0) {
      issues.push({
        code: 'sweep.grid-syntax',
        path,
        message: `expected key=v1,v2,…, got "${spec}"`,
      });
      continue;
    }
    if (!allowed.includes(key)) {
      const near = closest(key, allowed);
      issues.push({
        code: 'sweep.grid-key',
        path,
        message: `unknown key "${key}"${near === undefined ? '' : ` (did you mean "${near}"?)`}; allowed: ${allowed.join(', ')}`,
      });
      continue;
    }
    if (seen.has(key)) {
      issues.push({
        code: 'sweep.grid-repeated',
        path,
        message: `"${key}" is given twice; list all its values once: ${key}=v1,v2`,
      });
      continue;
    }
    seen.add(key);
    const raws = spec
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim());
    if (raws.some((r) => r === '')) {
      issues.push({ code: 'sweep.grid-value', path, message: `empty value in "${spec}"` });
      continue;
    }
    const values: GridValue[] = [];
    for (const raw of raws) {
      const v = parseValue(key, raw, ctx, topologyKeys.includes(key));
      if (Array.isArray(v))
        for (const m of v) issues.push({ code: 'sweep.grid-value', path, message: m });
      else values.push(v);
    }
    axes.push({ key, values });
  }
  if (issues.length > 0) throw new InputError(issues);
  checkGridSize(axes);
  return axes;
}

/**
 * Refuses a grid of more than LIMITS.sweepPoints points before any point is expanded or run.
 * @throws LimitError (`limit.sweep-points`) under `--grid`, naming the axes, the count and the limit
 */
export function checkGridSize(grid: Grid): void {
  const points = gridSize(grid);
  if (points <= LIMITS.sweepPoints) return;
  throw new LimitError([
    {
      code: 'limit.sweep-points',
      path: ['--grid'],
      message: `the grid ${grid.map((a) => `${a.key} (${a.values.length})`).join(' × ')} has ${points.toLocaleString('en-US')} points, above the limit of ${LIMITS.sweepPoints.toLocaleString('en-US')} points per sweep (docs/sweeps.md "Limits"); split it into several sweeps with fewer values per key`,
    },
  ]);
}

/** Number of points of a grid (the product of the axis lengths). */
export function gridSize(grid: Grid): number {
  return grid.reduce((n, a) => n * a.values.length, 1);
}

/**
 * The point at `index` of the grid's expansion (first key slowest, values in the order given).
 * @example gridPoint([{ key: 'a', values: [1, 2] }, { key: 'b', values: ['x', 'y'] }], 1).params // { a: 1, b: 'y' }
 */
export function gridPoint(grid: Grid, index: number): GridPoint {
  const params: Record<string, GridValue> = {};
  let rest = index;
  for (let k = grid.length - 1; k >= 0; k--) {
    const axis = grid[k] as GridAxis;
    params[axis.key] = axis.values[rest % axis.values.length] as GridValue;
    rest = Math.floor(rest / axis.values.length);
  }
  const ordered: Record<string, GridValue> = {};
  for (const a of grid) ordered[a.key] = params[a.key] as GridValue;
  return { index, params: ordered };
}

/** Every point of the grid, in index order. */
export function expandGrid(grid: Grid): GridPoint[] {
  return Array.from({ length: gridSize(grid) }, (_, i) => gridPoint(grid, i));
}

/** A shard of a sweep: `index` of `count`, 1-based. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Parses `--shard i/N` (1 ≤ i ≤ N).
 * @throws InputError under `--shard`
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count) {
    throw new InputError([
      {
        code: 'sweep.shard',
        path: ['--shard'],
        message: `expected i/N with 1 ≤ i ≤ N (e.g. 3/8), got "${text}"`,
      },
    ]);
  }
  return { index, count };
}

/** Whether point `index` belongs to `shard` (`index % N === i − 1`). */
export function inShard(index: number, shard: Shard): boolean {
  return index % shard.count === shard.index - 1;
}

/** Splits a point's params into the topology's and the scenario's. */
export function splitParams(
  params: Readonly<Record<string, GridValue>>,
  topologyKeys: readonly string[],
): { topology: Record<string, GridValue>; scenario: Partial<Record<ScenarioGridKey, GridValue>> } {
  const topology: Record<string, GridValue> = {};
  const scenario: Partial<Record<ScenarioGridKey, GridValue>> = {};
  for (const [k, v] of Object.entries(params)) {
    if (topologyKeys.includes(k)) topology[k] = v;
    else scenario[k as ScenarioGridKey] = v;
  }
  return { topology, scenario };
}

/**
 * The scenario with a point's scenario keys applied (values already checked by {@link parseGrid}).
 * `rate` replaces the Poisson or burst rate; `requests` the request cap (a duration, if any, stays).
 */
export function applyScenarioParams(
  cfg: SimConfig,
  p: Partial<Record<ScenarioGridKey, GridValue>>,
): SimConfig {
  let workload = cfg.workload;
  if (p.rate !== undefined && workload.arrival.kind !== 'trace')
    workload = { ...workload, arrival: { ...workload.arrival, ratePerSecond: Number(p.rate) } };
  if (p.requests !== undefined) workload = { ...workload, requests: Number(p.requests) };
  if (p.crossVariantShare !== undefined)
    workload = { ...workload, crossVariantShare: Number(p.crossVariantShare) };
  return {
    ...cfg,
    workload,
    ...(p.qualityBudget === undefined ? {} : { qualityBudget: Number(p.qualityBudget) }),
    ...(p.policy === undefined
      ? {}
      : { planner: { ...cfg.planner, policy: p.policy as PolicyName } }),
    ...(p.routing === undefined
      ? {}
      : { serving: { ...cfg.serving, routing: p.routing as ServingSpec['routing'] } }),
    ...(p.scenarioSeed === undefined ? {} : { seed: Number(p.scenarioSeed) }),
  };
}
