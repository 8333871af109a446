/**
 * Field builders shared by every file format io reads (topology, scenario and capacity-plan
 * files): unit strings parsed at the edge into branded quantities (docs/design.md convention §3),
 * bounded integers, a few allowed integers, optional and defaulted fields that keep their
 * descriptions, and strict mappings whose unknown keys get a did-you-mean. Every message is
 * written for the file's author and carries a podsim code (see `issues.ts`).
 */
import { z } from 'zod';
import { UnitError } from '../errors/index.ts';
import { parseQuantity, parseTimePerLength, type Dimension } from '../units/index.ts';
import { KEY_SEPARATOR, show, suggestion, tagged } from './issues.ts';

/** Dimensions a unit string in a topology file may have. */
export type FileDimension = Exclude<Dimension, 'money'> | 'time-per-length';

const UNIT_EXAMPLES: Readonly<Record<FileDimension, readonly string[]>> = {
  time: ['250 ns', '3 us'],
  size: ['256 GiB', '1 TiB', '64 GB'],
  bandwidth: ['28 GB/s', '200 Gb/s'],
  length: ['1.5 m', '80 cm'],
  'time-per-length': ['5 ns/m'],
};

const UNIT_WORDS: Readonly<Record<FileDimension, string>> = {
  time: 'a time',
  size: 'a size',
  bandwidth: 'a bandwidth',
  length: 'a length',
  'time-per-length': 'a time per length',
};

/**
 * The physical range of each dimension a file may give (docs/limits.md "Domains"), in canonical
 * units, with the reason for each bound. A value outside it is refused with its field path.
 */
export const PHYSICAL_RANGE: Readonly<
  Record<FileDimension, { readonly min: number; readonly max: number; readonly allowed: string }>
> = {
  // A simulated year: every latency podsim models is ns … s, and a run's duration is hours.
  time: { min: 0, max: 365.25 * 86_400 * 1e9, allowed: 'between 0 and 1 year (365.25 days)' },
  // 1 PiB: above the memory of any one host, device or pool (a 96-host pod of 2 TiB hosts is 192 TiB).
  size: { min: 0, max: 2 ** 50, allowed: 'between 0 and 1 PiB' },
  // 1 kB/s (slower than any link that exists) … 10 TB/s (above HBM3e's ≈ 5 TB/s per GPU).
  bandwidth: { min: 1e-6, max: 1e4, allowed: 'between 1 kB/s and 10 TB/s' },
  // 100 m: across a data-centre row; copper CXL reaches ≈ 1.5 m per segment.
  length: { min: 0, max: 100, allowed: 'between 0 and 100 m' },
  // Signals travel at most at the speed of light (3.34 ns/m); 100 ns/m is slower than any cable.
  'time-per-length': {
    min: 1e3 / 299.792458,
    max: 100,
    allowed: 'between 3.34 ns/m (the speed of light) and 100 ns/m',
  },
};

/** The input seen by a zod error function (zod reports `Infinity` as `received`). */
function inputOf(iss: { input?: unknown }): unknown {
  const received = (iss as { received?: unknown }).received;
  return received !== undefined ? received : iss.input;
}

/**
 * A unit string of `dimension`, parsed into its canonical unit (`ns`, `B`, `B/ns`, `m`, `ns/m`).
 * Refuses bare numbers, strings without a number (`"ns"`), other dimensions and negatives; with
 * `positive`, also zero.
 */
export function unitString<D extends FileDimension>(
  dimension: D,
  description: string,
  options: { positive?: boolean } = {},
) {
  const examples = UNIT_EXAMPLES[dimension];
  const expected = `expected ${UNIT_WORDS[dimension]} with a unit, such as ${examples.map((e) => `"${e}"`).join(' or ')}`;
  type Out = D extends Exclude<Dimension, 'money'> ? ReturnType<typeof parseQuantity<D>> : number;
  return z
    .string({
      error: (iss) => {
        const input = inputOf(iss);
        if (input === undefined) return tagged('input.required', `required: ${expected}`);
        return tagged(
          'unit.invalid',
          typeof input === 'number'
            ? `got the bare number ${show(input)} with no unit; ${expected}`
            : `got ${show(input)}; ${expected}`,
        );
      },
    })
    .meta({ examples: [...examples] })
    .transform((text, ctx): Out => {
      const fail = (message: string, code = 'unit.invalid'): never => {
        ctx.issues.push({ code: 'custom', input: text, message: tagged(code, message) });
        return z.NEVER as never;
      };
      if (!/[0-9]/.test(text)) return fail(`"${text}" has no number; ${expected}`);
      let value: number;
      try {
        value =
          dimension === 'time-per-length'
            ? parseTimePerLength(text)
            : parseQuantity(text, dimension as Exclude<Dimension, 'money'>);
      } catch (e) {
        if (e instanceof UnitError)
          return fail(e.issues[0]?.message ?? `cannot read "${text}"; ${expected}`);
        throw e;
      }
      if (!Number.isFinite(value))
        return fail(`"${text}" is not a finite ${UNIT_WORDS[dimension].slice(2)}`, 'input.range');
      if (options.positive === true && !(value > 0))
        return fail(`"${text}" must be more than zero`, 'input.range');
      const range = PHYSICAL_RANGE[dimension];
      if (value < range.min || value > range.max)
        return fail(
          `"${text}" is out of range: ${UNIT_WORDS[dimension].slice(2)} must be ${range.allowed} (docs/limits.md)`,
          'input.range',
        );
      return value as Out;
    })
    .describe(`${description} (${UNIT_WORDS[dimension]}, e.g. "${examples[0]}")`);
}

/** An integer in `[min, max]`, with one message for every way of missing it. */
export function integer(min: number, max: number, description: string) {
  const wanted = `an integer ${max >= 1e6 ? `≥ ${min}` : `between ${min} and ${max}`}`;
  const error = (iss: { input?: unknown }): string => {
    const input = inputOf(iss);
    if (input === undefined) return tagged('input.required', `required: expected ${wanted}`);
    return tagged('input.integer', `expected ${wanted}, got ${show(input)}`);
  };
  return z
    .number({ error })
    .int({ error })
    .min(min, { error })
    .max(max, { error })
    .describe(description);
}

/** One of a few allowed integers (PCIe generations, lane widths). */
export function oneOfIntegers<const T extends readonly [number, ...number[]]>(
  values: T,
  description: string,
) {
  return z
    .literal(values, {
      error: (iss) => {
        const input = inputOf(iss);
        if (input === undefined)
          return tagged('input.required', `required: expected one of ${values.join(', ')}`);
        return tagged('input.enum', `expected one of ${values.join(', ')}, got ${show(input)}`);
      },
    })
    .describe(description);
}

/** `schema.optional()` keeping the description (zod 4 does not carry it to wrappers). */
export function optional<T extends z.ZodType>(schema: T) {
  const d = schema.description;
  const o = schema.optional();
  return d === undefined ? o : o.describe(d);
}

/** `schema.default(value)` keeping the description. */
export function withDefault<T extends z.ZodType>(
  schema: T,
  value: z.util.NoUndefined<z.output<T>>,
) {
  const d = schema.description;
  const o = schema.default(value);
  return d === undefined ? o : o.describe(d);
}

/**
 * A strict object: any key not in `shape` is an issue naming the closest allowed key (or a
 * hint from `hints`, keyed by the unknown key).
 */
export function strict<S extends z.core.$ZodLooseShape>(
  shape: S,
  hints: Readonly<Record<string, string>> = {},
) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        return iss.keys
          .map((k) =>
            tagged(
              'input.unknown-key',
              Object.hasOwn(hints, k)
                ? `unknown key \`${k}\`: ${hints[k]}`
                : `unknown key \`${k}\`${suggestion(k, allowed, (s) => `\`${s}\``)}`,
            ),
          )
          .join(KEY_SEPARATOR);
      }
      const input = inputOf(iss);
      if (iss.code === 'invalid_type' && input !== undefined)
        return tagged('input.type', `expected a mapping (key: value), got ${show(input)}`);
      return undefined;
    },
  });
}

/** Control characters U+0000–U+001F (podsim keeps U+0001 as an internal escape prefix of ids). */
// eslint-disable-next-line no-control-regex -- the point is to find them
export const CONTROL_CHARS = /[\u0000-\u001f]/;

/** What an id with a control character is told. */
export const CONTROL_CHARS_MESSAGE =
  'ids and names may not contain control characters (U+0000–U+001F: tabs, newlines, …)';

/** A non-empty id or name without control characters (variant, model, node and other user keys). */
export function idString(description: string) {
  return z
    .string()
    .min(1)
    .refine((v) => !CONTROL_CHARS.test(v), {
      error: (iss) => tagged('input.id', `${CONTROL_CHARS_MESSAGE}, got ${show(iss.input)}`),
    })
    .describe(description);
}

/** Largest count accepted for hosts/devices (a sanity bound far above the paper's 96-host pods). */
export const MAX_COUNT = 10_000;
/** Largest port count accepted on any device, host or switch. */
export const MAX_PORTS = 1024;
