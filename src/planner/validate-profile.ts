/**
 * Checks a pair profile read from a scenario file ({@link validatePairProfile}): every problem
 * as an issue with a code and a path, section by section (names, layers, sensitivities,
 * full-reuse loss, frontier points, frontier order and ends).
 */
import type { Issue } from '../errors/index.ts';

const PROFILE_KEYS = [
  'receiver',
  'sender',
  'layers',
  'layerSensitivity',
  'fullReuseLoss',
  'frontier',
] as const;
const POINT_KEYS = ['groups', 'recomputedLayers', 'eCacheLoads', 'qualityLoss'] as const;
const GROUP_KEYS = ['start', 'end'] as const;
/** Tolerance when comparing a frontier's first loss with `fullReuseLoss` (written files round). */
const LOSS_TOLERANCE = 1e-9;

type Path = readonly (string | number)[];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return 'a list';
  if (x === null) return 'null';
  return typeof x === 'string' ? `"${x}"` : typeof x === 'object' ? 'an object' : String(x);
}

/**
 * Checks a pair profile read from a scenario file and returns every problem (never throws for
 * bad data). Codes:
 *
 * | code | meaning |
 * |---|---|
 * | `input.type` | wrong JSON type (object, list, string, number expected) |
 * | `input.required` | a required key is missing |
 * | `input.unknown-key` | a key the format does not have |
 * | `input.integer` | `layers`, a group bound or a count is not a whole number in range |
 * | `input.range` | a sensitivity, `fullReuseLoss` or a point's loss is outside [0, 1] |
 * | `profile.same-model` | receiver and sender are the same model |
 * | `profile.length` | `layerSensitivity` does not have `layers` entries |
 * | `profile.group-range` | a group's start/end is outside 0…layers−1 or end < start |
 * | `profile.group-order` | groups are not sorted and separated (overlapping or touching) |
 * | `profile.point-mismatch` | `recomputedLayers` ≠ sum of group sizes, or `eCacheLoads` ≠ number of groups not starting at layer 0 (a group at layer 0 reads the token embeddings, no E cache) |
 * | `profile.frontier-order` | recomputed layers not strictly ascending, or loss increasing |
 * | `profile.frontier-ends` | the frontier does not start at 0 layers with loss `fullReuseLoss`, or end at all layers with loss 0 |
 *
 * @param raw parsed YAML/JSON value.
 * @param path where `raw` sits in its file, prefixed to every issue's path.
 */
export function validatePairProfile(
  raw: unknown,
  path: readonly (string | number)[] = [],
): Issue[] {
  const c = new Checker();
  if (!isRecord(raw)) {
    c.add('input.type', path, `expected a pair profile object, got ${describe(raw)}`);
    return c.issues;
  }
  c.unknownKeys(raw, PROFILE_KEYS, path);
  checkNames(c, raw, path);
  const layers = checkLayers(c, raw, path);
  checkSensitivities(c, raw, path, layers);
  const fullRaw = c.requireKey(raw, 'fullReuseLoss', path);
  const fullReuseLoss =
    fullRaw === undefined
      ? undefined
      : c.fraction(fullRaw, [...path, 'fullReuseLoss'], 'a quality drop');
  const frontierRaw = c.requireKey(raw, 'frontier', path);
  if (frontierRaw === undefined) return c.issues;
  const frontierPath = [...path, 'frontier'];
  if (!Array.isArray(frontierRaw)) {
    c.add(
      'input.type',
      frontierPath,
      `expected a list of frontier points, got ${describe(frontierRaw)}`,
    );
    return c.issues;
  }
  if (frontierRaw.length === 0) {
    c.add(
      'profile.frontier-ends',
      frontierPath,
      'expected at least the full-reuse and recompute-all points, got an empty frontier',
    );
    return c.issues;
  }
  const summary = frontierRaw.map((point, p) => checkPoint(c, point, [...frontierPath, p], layers));
  checkFrontierOrder(c, summary, frontierPath);
  checkFrontierEnds(c, summary, frontierPath, layers, fullReuseLoss);
  return c.issues;
}

/** The issues found so far, and the checks every section uses. */
class Checker {
  readonly issues: Issue[] = [];

  add(code: string, at: Path, message: string): void {
    this.issues.push({ code, path: [...at], message });
  }

  /** The value at `key`, reporting `input.required` when it is missing. */
  requireKey(obj: Record<string, unknown>, key: string, at: Path): unknown {
    // Own keys only: an inherited name is never a field of the file.
    const v = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
    if (v === undefined) this.add('input.required', [...at, key], `"${key}" is required`);
    return v;
  }

  /** Reports every key of `obj` not in `allowed`. */
  unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], at: Path): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key))
        this.add(
          'input.unknown-key',
          [...at, key],
          `unknown key "${key}"; allowed: ${allowed.join(', ')}`,
        );
    }
  }

  /** `v` when it is a number in [0, 1]; otherwise reports why and gives undefined. */
  fraction(v: unknown, at: Path, what: string): number | undefined {
    if (typeof v !== 'number' || Number.isNaN(v)) {
      this.add('input.type', at, `expected ${what} as a number, got ${describe(v)}`);
      return undefined;
    }
    if (!(v >= 0 && v <= 1)) {
      this.add('input.range', at, `expected ${what} in [0, 1], got ${v}`);
      return undefined;
    }
    return v;
  }
}

/** Receiver and sender: non-empty names, different from each other. */
function checkNames(c: Checker, raw: Record<string, unknown>, path: Path): void {
  const names: string[] = [];
  for (const key of ['receiver', 'sender'] as const) {
    const v = c.requireKey(raw, key, path);
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0)
      c.add('input.type', [...path, key], `expected a non-empty model name, got ${describe(v)}`);
    else names.push(v);
  }
  if (names.length === 2 && names[0] === names[1]) {
    c.add(
      'profile.same-model',
      [...path, 'sender'],
      `sender must differ from receiver ("${names[0]}"): reusing one's own cache is exact reuse`,
    );
  }
}

/** The number of layers when it is an integer ≥ 1. */
function checkLayers(c: Checker, raw: Record<string, unknown>, path: Path): number | undefined {
  const layersRaw = c.requireKey(raw, 'layers', path);
  if (layersRaw === undefined) return undefined;
  if (typeof layersRaw !== 'number')
    c.add(
      'input.type',
      [...path, 'layers'],
      `expected a number of layers, got ${describe(layersRaw)}`,
    );
  else if (!Number.isInteger(layersRaw) || layersRaw < 1)
    c.add('input.integer', [...path, 'layers'], `expected an integer ≥ 1, got ${layersRaw}`);
  else return layersRaw;
  return undefined;
}

/** One fraction per layer. */
function checkSensitivities(
  c: Checker,
  raw: Record<string, unknown>,
  path: Path,
  layers: number | undefined,
): void {
  const sensRaw = c.requireKey(raw, 'layerSensitivity', path);
  if (sensRaw === undefined) return;
  if (!Array.isArray(sensRaw)) {
    c.add(
      'input.type',
      [...path, 'layerSensitivity'],
      `expected a list of fractions, got ${describe(sensRaw)}`,
    );
    return;
  }
  if (layers !== undefined && sensRaw.length !== layers) {
    c.add(
      'profile.length',
      [...path, 'layerSensitivity'],
      `expected ${layers} sensitivities (one per layer), got ${sensRaw.length}`,
    );
  }
  sensRaw.forEach((v, i) => c.fraction(v, [...path, 'layerSensitivity', i], 'a quality drop'));
}

/** A frontier point's usable figures: recomputed layers and loss, when both check out. */
type PointSummary = { layers: number; loss: number } | undefined;

/** One frontier point: keys, groups, counts matching the groups, loss a fraction. */
function checkPoint(
  c: Checker,
  point: unknown,
  at: Path,
  layers: number | undefined,
): PointSummary {
  if (!isRecord(point)) {
    c.add('input.type', at, `expected a frontier point object, got ${describe(point)}`);
    return undefined;
  }
  c.unknownKeys(point, POINT_KEYS, at);
  const groups = checkGroups(c, c.requireKey(point, 'groups', at), at, layers);
  const count = (
    key: 'recomputedLayers' | 'eCacheLoads',
    expected: number | undefined,
    what: string,
    why: string,
  ): number | undefined => {
    const v = c.requireKey(point, key, at);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      c.add('input.integer', [...at, key], `expected ${what} (integer ≥ 0), got ${describe(v)}`);
      return undefined;
    }
    if (expected !== undefined && v !== expected)
      c.add(
        'profile.point-mismatch',
        [...at, key],
        `${key} is ${v} but the groups give ${expected} (${why})`,
      );
    return v;
  };
  const recomputed = count(
    'recomputedLayers',
    groups?.layers,
    'a number of layers',
    'the sum of the group sizes',
  );
  count(
    'eCacheLoads',
    groups?.eLoads,
    'a number of E-cache loads',
    'one per group not starting at layer 0: a group at layer 0 reads the token embeddings, no E cache',
  );
  const lossRaw = c.requireKey(point, 'qualityLoss', at);
  const loss =
    lossRaw === undefined
      ? undefined
      : c.fraction(lossRaw, [...at, 'qualityLoss'], 'a quality loss');
  return recomputed !== undefined && loss !== undefined ? { layers: recomputed, loss } : undefined;
}

/**
 * A point's groups: sorted, separated {start, end} ranges within the layers. Their total size
 * and the E-cache loads they need (groups not starting at layer 0) when every group checks out.
 */
function checkGroups(
  c: Checker,
  groupsRaw: unknown,
  at: Path,
  layers: number | undefined,
): { layers: number; eLoads: number } | undefined {
  if (groupsRaw === undefined) return undefined;
  if (!Array.isArray(groupsRaw)) {
    c.add(
      'input.type',
      [...at, 'groups'],
      `expected a list of {start, end} groups, got ${describe(groupsRaw)}`,
    );
    return undefined;
  }
  let ok = true;
  let total = 0;
  let eLoads = 0;
  let previousEnd: number | undefined;
  groupsRaw.forEach((g, j) => {
    const gAt = [...at, 'groups', j];
    const bounds = checkGroupBounds(c, g, gAt);
    if (bounds === undefined) {
      ok = false;
      return;
    }
    const [start, end] = bounds;
    if (start < 0 || end < start || (layers !== undefined && end >= layers)) {
      c.add(
        'profile.group-range',
        gAt,
        `group ${start}–${end} must satisfy 0 ≤ start ≤ end ≤ ${layers === undefined ? 'layers − 1' : layers - 1}`,
      );
      ok = false;
      return;
    }
    if (previousEnd !== undefined && start <= previousEnd + 1) {
      c.add(
        'profile.group-order',
        gAt,
        `group ${start}–${end} must start after ${previousEnd + 1} (groups sorted, neither overlapping nor touching)`,
      );
      ok = false;
    }
    previousEnd = Math.max(previousEnd ?? end, end);
    total += end - start + 1;
    if (start > 0) eLoads++;
  });
  return ok ? { layers: total, eLoads } : undefined;
}

/** A group's [start, end] when it is an object of two integer bounds. */
function checkGroupBounds(c: Checker, g: unknown, gAt: Path): [number, number] | undefined {
  if (!isRecord(g)) {
    c.add('input.type', gAt, `expected a {start, end} group, got ${describe(g)}`);
    return undefined;
  }
  for (const key of Object.keys(g)) {
    if (!(GROUP_KEYS as readonly string[]).includes(key))
      c.add('input.unknown-key', [...gAt, key], `unknown key "${key}"; allowed: start, end`);
  }
  const bounds: number[] = [];
  for (const key of GROUP_KEYS) {
    const v = c.requireKey(g, key, gAt);
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v))
      c.add('input.integer', [...gAt, key], `expected a layer index (integer), got ${describe(v)}`);
    else bounds.push(v);
  }
  const [start, end] = bounds;
  return bounds.length === 2 && start !== undefined && end !== undefined ? [start, end] : undefined;
}

/** Recomputed layers strictly ascending, loss non-increasing (between usable neighbours). */
function checkFrontierOrder(
  c: Checker,
  summary: readonly PointSummary[],
  frontierPath: Path,
): void {
  let previous: { layers: number; loss: number; index: number } | undefined;
  summary.forEach((s, i) => {
    if (s === undefined) return;
    if (previous !== undefined) {
      if (s.layers <= previous.layers) {
        c.add(
          'profile.frontier-order',
          [...frontierPath, i, 'recomputedLayers'],
          `expected more than ${previous.layers} recomputed layers (frontier[${previous.index}]), got ${s.layers}`,
        );
      }
      if (s.loss > previous.loss) {
        c.add(
          'profile.frontier-order',
          [...frontierPath, i, 'qualityLoss'],
          `expected a loss ≤ ${previous.loss} (frontier[${previous.index}]) for more recomputed layers, got ${s.loss}`,
        );
      }
    }
    previous = { ...s, index: i };
  });
}

/** Starts at 0 layers with loss `fullReuseLoss`; ends at every layer with loss 0. */
function checkFrontierEnds(
  c: Checker,
  summary: readonly PointSummary[],
  frontierPath: Path,
  layers: number | undefined,
  fullReuseLoss: number | undefined,
): void {
  const first = summary[0];
  if (first !== undefined) {
    if (first.layers !== 0)
      c.add(
        'profile.frontier-ends',
        [...frontierPath, 0, 'recomputedLayers'],
        `the frontier must start at 0 recomputed layers (full reuse), got ${first.layers}`,
      );
    else if (fullReuseLoss !== undefined && Math.abs(first.loss - fullReuseLoss) > LOSS_TOLERANCE) {
      c.add(
        'profile.frontier-ends',
        [...frontierPath, 0, 'qualityLoss'],
        `the full-reuse point's loss must equal fullReuseLoss ${fullReuseLoss}, got ${first.loss}`,
      );
    }
  }
  const lastIndex = summary.length - 1;
  const last = summary[lastIndex];
  if (last === undefined || layers === undefined) return;
  if (last.layers !== layers) {
    c.add(
      'profile.frontier-ends',
      [...frontierPath, lastIndex, 'recomputedLayers'],
      `the frontier must end at all ${layers} layers recomputed, got ${last.layers}`,
    );
  } else if (last.loss !== 0) {
    c.add(
      'profile.frontier-ends',
      [...frontierPath, lastIndex, 'qualityLoss'],
      `recomputing every layer must lose nothing (0), got ${last.loss}`,
    );
  }
}
