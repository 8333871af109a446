/**
 * Turning zod's issues into podsim {@link Issue}s that a user understands (docs/design.md convention §4): zod's
 * path is kept, the message says what was found and what is allowed ("expected an integer ≥ 1,
 * got 2.5", "unknown key `hostport`; did you mean `hostPorts`?"), and every issue gets a stable
 * podsim code so tests and tools can match on it:
 *
 * | code | meaning |
 * |---|---|
 * | `input.required` | a required key is missing |
 * | `input.type` | wrong JSON type (string for number, …) |
 * | `input.integer` | a count is not a whole number in range |
 * | `input.range` | a number or list is out of range |
 * | `input.enum` | a value is not one of the allowed words |
 * | `input.kind` | a `kind`/`generator` discriminator is unknown or missing |
 * | `input.unknown-key` | a key the format does not have (with the closest allowed key) |
 * | `unit.invalid` | a unit string is wrong (bare number, wrong dimension, unreadable) |
 *
 * Schemas built with `schema-fields.ts` attach podsim codes to their own messages with {@link tagged}; the tag
 * travels inside zod's message (zod keeps only a message from custom error functions) and is
 * removed here. Nothing outside `io/` sees a tagged message.
 */
import type { z } from 'zod';
import type { Issue } from '../errors/index.ts';
import { closest } from '../errors/suggest.ts';

export { closest, editDistance } from '../errors/suggest.ts';

/** `; did you mean "x"?` or `; allowed: a, b, c` (the list shortened past 12 entries). */
export function suggestion(
  word: string,
  allowed: readonly string[],
  quote: (s: string) => string = (s) => `"${s}"`,
): string {
  const near = closest(word, allowed);
  if (near !== undefined) return `; did you mean ${quote(near)}?`;
  const shown =
    allowed.length > 12
      ? [...allowed.slice(0, 12).map(quote), `… (${allowed.length} in all)`]
      : allowed.map(quote);
  return `; allowed: ${shown.join(', ')}`;
}

const TAG = /^\uE000([a-z.-]+)\uE000/;

/** Separates the per-key messages of one `unrecognized_keys` issue (a key may contain a newline). */
export const KEY_SEPARATOR = '\uE001';

/** Prefixes a message with a podsim code for {@link fromZodIssues} to pick up. */
export function tagged(code: string, message: string): string {
  return `\uE000${code}\uE000${message}`;
}

function untag(message: string, fallback: string): { code: string; message: string } {
  const m = TAG.exec(message);
  return m === null
    ? { code: fallback, message }
    : { code: m[1] ?? fallback, message: message.slice(m[0].length) };
}

/** Short, readable rendering of a value found in a file (for "got …"). */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'bigint' ? `${value}` : `a ${typeof value}`;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  null: 'null',
};

/** A value's kind in the words a file author uses. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${show(value)}`;
  if (typeof value === 'number')
    return Number.isInteger(value) ? `the number ${value}` : `the number ${show(value)}`;
  if (typeof value === 'boolean') return String(value);
  return show(value);
}

type ZodIssue = z.core.$ZodIssue;

type Path = (string | number)[];

/** A value of the wrong type, or a missing one. */
function fromInvalidType(
  issue: ZodIssue & { code: 'invalid_type' },
  path: Path,
  input: unknown,
): Issue[] {
  const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
  if (input === undefined)
    return [{ code: 'input.required', path, message: `required: expected ${expected}` }];
  const received = (issue as { received?: unknown }).received;
  return [
    {
      code: 'input.type',
      path,
      message: `expected ${expected}, got ${received === undefined ? kindOf(input) : String(received)}`,
    },
  ];
}

/** Unknown keys, one issue each. */
function fromUnknownKeys(issue: ZodIssue & { code: 'unrecognized_keys' }, path: Path): Issue[] {
  // Schemas built with `strict()` put one tagged message per key, joined by KEY_SEPARATOR (see schema-fields.ts).
  const lines = issue.message.split(KEY_SEPARATOR);
  return issue.keys.map((key, i) => {
    const line = lines[i] ?? lines[0] ?? '';
    return {
      code: 'input.unknown-key',
      path: [...path, key],
      message: untag(line, '').message || `unknown key \`${key}\``,
    };
  });
}

/** A value outside an enumeration, with did-you-mean. */
function fromInvalidValue(
  issue: ZodIssue & { code: 'invalid_value' },
  path: Path,
  input: unknown,
): Issue[] {
  const allowed = issue.values.map((v) => (typeof v === 'string' ? v : String(v)));
  const got =
    typeof input === 'string'
      ? suggestion(input, allowed, (s) => `"${s}"`)
      : `; allowed: ${allowed.map((s) => `"${s}"`).join(', ')}`;
  return [{ code: 'input.enum', path, message: `got ${show(input)}${got}` }];
}

/** A value matching no form of a union: a discriminated union names its key; otherwise the first form's issue. */
function fromUnion(
  issue: ZodIssue & { code: 'invalid_union' },
  path: Path,
  input: unknown,
): Issue[] {
  const disc = (issue as { discriminator?: string; options?: unknown[] }).discriminator;
  const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
  if (disc !== undefined) {
    const value =
      input !== null && typeof input === 'object'
        ? (input as Record<string, unknown>)[disc]
        : undefined;
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return [
        {
          code: 'input.type',
          path: path.slice(0, -1),
          message: `expected a mapping (key: value), got ${kindOf(input)}`,
        },
      ];
    }
    if (value === undefined)
      return [
        {
          code: 'input.kind',
          path,
          message: `required: \`${disc}\` must be one of ${options.join(', ')}`,
        },
      ];
    const hint =
      typeof value === 'string' ? suggestion(value, options) : `; allowed: ${options.join(', ')}`;
    return [{ code: 'input.kind', path, message: `unknown ${disc} ${show(value)}${hint}` }];
  }
  const nested = issue.errors.flat();
  if (nested.length > 0) return convert(nested[0] as ZodIssue);
  return [
    {
      code: 'input.type',
      path,
      message: `got ${kindOf(input)}, which matches none of the allowed forms`,
    },
  ];
}

/** A number, list or string too small or too big. */
function fromSize(
  issue: ZodIssue & { code: 'too_small' | 'too_big' },
  path: Path,
  input: unknown,
): Issue[] {
  const small = issue.code === 'too_small';
  const bound = small
    ? (issue as { minimum: number | bigint }).minimum
    : (issue as { maximum: number | bigint }).maximum;
  const inclusive = (issue as { inclusive?: boolean }).inclusive !== false;
  if (issue.origin === 'array')
    return [
      {
        code: 'input.range',
        path,
        message: `expected ${small ? 'at least' : 'at most'} ${bound} item${Number(bound) === 1 ? '' : 's'}, got ${Array.isArray(input) ? input.length : show(input)}`,
      },
    ];
  if (issue.origin === 'string')
    return [
      {
        code: 'input.range',
        path,
        message: `expected ${small ? 'at least' : 'at most'} ${bound} character${Number(bound) === 1 ? '' : 's'}, got ${show(input)}`,
      },
    ];
  const op = small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
  return [
    {
      code: 'input.range',
      path,
      message: `expected a number ${op} ${bound}, got ${show(input)}`,
    },
  ];
}

/** One zod issue in podsim's terms: a tagged message as it is, else a message per issue kind. */
function convert(issue: ZodIssue): Issue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const { code: tag, message } = untag(issue.message, '');
  const input = (issue as { input?: unknown }).input;
  if (tag !== '' && issue.code !== 'unrecognized_keys') return [{ code: tag, path, message }];
  switch (issue.code) {
    case 'invalid_type':
      return fromInvalidType(issue, path, input);
    case 'unrecognized_keys':
      return fromUnknownKeys(issue, path);
    case 'invalid_value':
      return fromInvalidValue(issue, path, input);
    case 'invalid_union':
      return fromUnion(issue, path, input);
    case 'too_small':
    case 'too_big':
      return fromSize(issue, path, input);
    default:
      return [{ code: tag || 'input.invalid', path, message: message || 'invalid value' }];
  }
}

/** Converts zod's issues into podsim issues, dropping exact duplicates (same path, code, message). */
export function fromZodIssues(issues: readonly ZodIssue[]): Issue[] {
  const out: Issue[] = [];
  const seen = new Set<string>();
  for (const zi of issues) {
    for (const issue of convert(zi)) {
      const key = JSON.stringify([issue.path, issue.code, issue.message]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(issue);
    }
  }
  return out;
}
