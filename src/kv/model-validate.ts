/**
 * Validation of custom model shapes from scenario files (docs/design.md convention §4): every
 * problem at once, each with a code and a path, never a throw for bad data — fields present and
 * typed, integer fields ≥ 1, an allowed element size, consistent heads, experts and parameter
 * counts, and a declared total close to what the shape implies. src/kv/models.ts re-exports it.
 */
import type { Issue } from '../errors/index.ts';
import { InputError } from '../errors/index.ts';
import { closest } from '../errors/suggest.ts';
import { shapeParameterCount, type ModelShape } from './model-shape.ts';

/** Integer fields of a {@link ModelShape}, each ≥ 1. */
const INTEGER_FIELDS = [
  'layers',
  'hiddenSize',
  'heads',
  'kvHeads',
  'headDim',
  'intermediateSize',
  'vocabSize',
  'experts',
  'expertsPerToken',
] as const;

/** Element sizes accepted for `dtypeBytes`: int4 (0.5), fp8/int8 (1), bf16/fp16 (2), fp32 (4). */
export const DTYPE_BYTES_ALLOWED: readonly number[] = Object.freeze([0.5, 1, 2, 4]);

/**
 * How far the shape-derived parameter count may stray from the declared `parameterCount`
 * before validation flags it (fraction). The built-ins agree within ≈ 1 %; biases, extra
 * norms or vision towers in custom models justify some slack. *(estimate)*
 */
export const PARAMETER_COUNT_TOLERANCE = 0.1;

const ALL_FIELDS: readonly string[] = Object.freeze([
  'name',
  'family',
  ...INTEGER_FIELDS,
  'tieWordEmbeddings',
  'parameterCount',
  'activeParameterCount',
  'dtypeBytes',
]);

/**
 * Checks a candidate model shape (e.g. a custom model from a scenario file, already turned into
 * a {@link ModelShape}-like object) and returns every problem, each with a code and a path under
 * `path`; `[]` means the value is a valid {@link ModelShape}. Never throws for bad data.
 *
 * Codes: `input.type` (not an object / wrong type), `input.required`, `input.integer`,
 * `input.range`, `input.unknown-key`, `model.kv-heads` (heads not a multiple of kvHeads),
 * `model.experts` (expertsPerToken > experts), `model.parameter-count` (declared counts
 * inconsistent with each other or with the shape). `headDim × heads` is *not* required to equal
 * `hiddenSize` (Mistral-Small-24B: 128 × 32 = 4096 ≠ 5120).
 * @param path - path of the shape inside the input, e.g. `['models', 'my-model']`.
 */
export function validateModelShape(raw: unknown, path: readonly (string | number)[] = []): Issue[] {
  const issues: Issue[] = [];
  const at = (key: string): (string | number)[] => [...path, key];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [
      {
        code: 'input.type',
        path,
        message: `expected a model shape object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`,
      },
    ];
  }
  const obj = raw as Record<string, unknown>;

  checkKeys(obj, at, issues);
  checkNames(obj, at, issues);
  const ints = checkIntegers(obj, at, issues);
  checkFlags(obj, at, issues);
  const counts = checkCounts(obj, at, issues);
  checkConsistency(ints, counts, at, issues);
  // Declared total vs the shape's own count, only when everything it needs is valid.
  if (issues.length === 0) {
    const shape = obj as unknown as ModelShape;
    const derived = shapeParameterCount(shape, 'total');
    const declared = shape.parameterCount;
    if (Math.abs(derived - declared) > PARAMETER_COUNT_TOLERANCE * declared) {
      issues.push({
        code: 'model.parameter-count',
        path: at('parameterCount'),
        message: `parameterCount ${declared.toExponential(3)} is more than ${PARAMETER_COUNT_TOLERANCE * 100} % away from the ${derived.toExponential(3)} the shape implies`,
      });
    }
  }
  return issues;
}

/** Where a field sits in the input. */
type At = (key: string) => (string | number)[];
/** The integer fields that passed their check. */
type Ints = Partial<Record<(typeof INTEGER_FIELDS)[number], number>>;
/** The parameter counts that passed their check. */
type Counts = Partial<Record<'parameterCount' | 'activeParameterCount', number>>;

/** Unknown keys, each with the closest known one. */
function checkKeys(obj: Record<string, unknown>, at: At, issues: Issue[]): void {
  for (const key of Object.keys(obj)) {
    if (!ALL_FIELDS.includes(key)) {
      const near = closest(key, ALL_FIELDS);
      issues.push({
        code: 'input.unknown-key',
        path: at(key),
        message: `unknown key "${key}"${near === undefined ? '' : `; did you mean "${near}"?`}`,
      });
    }
  }
}

/** `name` and `family`: present, non-empty strings. */
function checkNames(obj: Record<string, unknown>, at: At, issues: Issue[]): void {
  for (const key of ['name', 'family'] as const) {
    const v = obj[key];
    if (v === undefined)
      issues.push({
        code: 'input.required',
        path: at(key),
        message: `${key} is required (a non-empty string)`,
      });
    else if (typeof v !== 'string' || v.trim() === '')
      issues.push({
        code: 'input.type',
        path: at(key),
        message: `${key} must be a non-empty string`,
      });
  }
}

/** The integer fields, each ≥ 1; returns those that pass. */
function checkIntegers(obj: Record<string, unknown>, at: At, issues: Issue[]): Ints {
  const ints: Ints = {};
  for (const key of INTEGER_FIELDS) {
    const v = obj[key];
    if (v === undefined)
      issues.push({
        code: 'input.required',
        path: at(key),
        message: `${key} is required (an integer ≥ 1)`,
      });
    else if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      issues.push({
        code: 'input.integer',
        path: at(key),
        message: `${key} must be an integer ≥ 1, got ${String(v)}`,
      });
    } else ints[key] = v;
  }
  return ints;
}

/** `tieWordEmbeddings` (a boolean) and `dtypeBytes` (an allowed element size). */
function checkFlags(obj: Record<string, unknown>, at: At, issues: Issue[]): void {
  const tie = obj['tieWordEmbeddings'];
  if (tie === undefined)
    issues.push({
      code: 'input.required',
      path: at('tieWordEmbeddings'),
      message: 'tieWordEmbeddings is required (true or false)',
    });
  else if (typeof tie !== 'boolean')
    issues.push({
      code: 'input.type',
      path: at('tieWordEmbeddings'),
      message: `tieWordEmbeddings must be true or false, got ${String(tie)}`,
    });

  const dtype = obj['dtypeBytes'];
  if (dtype === undefined)
    issues.push({
      code: 'input.required',
      path: at('dtypeBytes'),
      message: `dtypeBytes is required (one of ${DTYPE_BYTES_ALLOWED.join(', ')})`,
    });
  else if (typeof dtype !== 'number' || !DTYPE_BYTES_ALLOWED.includes(dtype)) {
    issues.push({
      code: 'input.range',
      path: at('dtypeBytes'),
      message: `dtypeBytes must be one of ${DTYPE_BYTES_ALLOWED.join(', ')}, got ${String(dtype)}`,
    });
  }
}

/** The declared parameter counts, each positive; returns those that pass. */
function checkCounts(obj: Record<string, unknown>, at: At, issues: Issue[]): Counts {
  const counts: Counts = {};
  for (const key of ['parameterCount', 'activeParameterCount'] as const) {
    const v = obj[key];
    if (v === undefined)
      issues.push({
        code: 'input.required',
        path: at(key),
        message: `${key} is required (a positive count)`,
      });
    else if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      issues.push({
        code: 'input.range',
        path: at(key),
        message: `${key} must be a positive number, got ${String(v)}`,
      });
    } else counts[key] = v;
  }
  return counts;
}

/** Heads a multiple of kvHeads, expertsPerToken ≤ experts, active ≤ total parameters (equal when dense). */
function checkConsistency(ints: Ints, counts: Counts, at: At, issues: Issue[]): void {
  if (ints.heads !== undefined && ints.kvHeads !== undefined && ints.heads % ints.kvHeads !== 0) {
    issues.push({
      code: 'model.kv-heads',
      path: at('kvHeads'),
      message: `heads (${ints.heads}) must be a multiple of kvHeads (${ints.kvHeads})`,
    });
  }
  if (
    ints.experts !== undefined &&
    ints.expertsPerToken !== undefined &&
    ints.expertsPerToken > ints.experts
  ) {
    issues.push({
      code: 'model.experts',
      path: at('expertsPerToken'),
      message: `expertsPerToken (${ints.expertsPerToken}) must be ≤ experts (${ints.experts})`,
    });
  }
  if (counts.parameterCount !== undefined && counts.activeParameterCount !== undefined) {
    if (counts.activeParameterCount > counts.parameterCount) {
      issues.push({
        code: 'model.parameter-count',
        path: at('activeParameterCount'),
        message: `activeParameterCount (${counts.activeParameterCount}) must be ≤ parameterCount (${counts.parameterCount})`,
      });
    } else if (ints.experts === 1 && counts.activeParameterCount !== counts.parameterCount) {
      issues.push({
        code: 'model.parameter-count',
        path: at('activeParameterCount'),
        message: `a dense model (experts = 1) uses every parameter: activeParameterCount must equal parameterCount (${counts.parameterCount})`,
      });
    }
  }
}

/**
 * Validates a candidate shape and returns it as a frozen {@link ModelShape}.
 * @param path - path of the shape inside the input, for the issues.
 * @param file - the file the shape came from, for the error message.
 * @throws InputError carrying every issue {@link validateModelShape} found.
 */
export function toModelShape(
  raw: unknown,
  path: readonly (string | number)[] = [],
  file?: string,
): ModelShape {
  const issues = validateModelShape(raw, path);
  if (issues.length > 0) throw new InputError(issues, file);
  const r = raw as ModelShape;
  return Object.freeze({
    name: r.name,
    family: r.family,
    layers: r.layers,
    hiddenSize: r.hiddenSize,
    heads: r.heads,
    kvHeads: r.kvHeads,
    headDim: r.headDim,
    intermediateSize: r.intermediateSize,
    vocabSize: r.vocabSize,
    experts: r.experts,
    expertsPerToken: r.expertsPerToken,
    tieWordEmbeddings: r.tieWordEmbeddings,
    parameterCount: r.parameterCount,
    activeParameterCount: r.activeParameterCount,
    dtypeBytes: r.dtypeBytes,
  });
}
