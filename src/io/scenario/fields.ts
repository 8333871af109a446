/**
 * The scenario format's field builders: ids, fractions and percentages, bounded numbers, token
 * counts, and the message of a union of one-key forms. Each refuses a bad value with one tagged
 * message (code and text) that names what was expected.
 */
import { z } from 'zod';
import { closest, show, suggestion, tagged } from '../issues.ts';
import { idString, integer } from '../schema-fields.ts';

/** A non-empty string id. */
export const id = (what: string) => idString(what);

/** A percentage: a number, optional spaces, `%` (`"5 %"`, `"12.5%"`). */
const PERCENT = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*%\s*$/;

/** A share in [0, 1]: a plain number (`0.05`) or a percentage string (`"5 %"`). */
export function fraction(description: string) {
  const wanted = 'a fraction between 0 and 1 (such as 0.05) or a percentage (such as "5 %")';
  const range = (iss: { input?: unknown }): string =>
    tagged('input.range', `expected ${wanted}, got ${show(iss.input)}`);
  const number = z
    .number({ error: (iss) => tagged('input.type', `expected ${wanted}, got ${show(iss.input)}`) })
    .min(0, { error: range })
    .max(1, { error: range });
  const percent = z
    .string()
    .regex(PERCENT, {
      error: (iss) => tagged('unit.invalid', `cannot read ${show(iss.input)}; expected ${wanted}`),
    })
    .meta({ examples: ['5 %'] })
    .transform((text, ctx): number => {
      const value = Number(PERCENT.exec(text)?.[1]) / 100;
      if (!(value >= 0 && value <= 1)) {
        ctx.issues.push({
          code: 'custom',
          input: text,
          message: tagged('input.range', `${show(text)} is outside 0 %…100 %; expected ${wanted}`),
        });
        return z.NEVER;
      }
      return value;
    });
  return z
    .union([number, percent], {
      error: (iss) =>
        iss.input === undefined
          ? tagged('input.required', `required: expected ${wanted}`)
          : tagged('input.type', `expected ${wanted}, got ${show(iss.input)}`),
    })
    .describe(description);
}

/** A number in [0, 1] (profile data: sensitivities and losses are plain numbers, as validatePairProfile reads them). */
export const unitInterval = (description: string) =>
  z
    .number({
      error: (iss) =>
        iss.input === undefined
          ? tagged('input.required', 'required: expected a number between 0 and 1')
          : tagged('input.type', `expected a number between 0 and 1, got ${show(iss.input)}`),
    })
    .min(0, {
      error: (iss) =>
        tagged('input.range', `expected a number between 0 and 1, got ${show(iss.input)}`),
    })
    .max(1, {
      error: (iss) =>
        tagged('input.range', `expected a number between 0 and 1, got ${show(iss.input)}`),
    })
    .describe(description);

/** A positive finite number (parameter counts, lognormal lengths). */
export const positiveCount = (description: string) =>
  z
    .number({
      error: (iss) =>
        iss.input === undefined
          ? tagged('input.required', 'required: expected a positive number')
          : tagged('input.type', `expected a positive number, got ${show(iss.input)}`),
    })
    .positive({
      error: (iss) => tagged('input.range', `expected a positive number, got ${show(iss.input)}`),
    })
    .max(Number.MAX_SAFE_INTEGER, {
      error: (iss) => tagged('input.range', `expected a finite number, got ${show(iss.input)}`),
    })
    .describe(description);

/** `; did you mean "x"? ` or `; ` — followed by the full list. */
export const nearest = (input: unknown, allowed: readonly string[]): string => {
  const near = typeof input === 'string' ? closest(input, allowed) : undefined;
  return near === undefined ? '; ' : `; did you mean "${near}"? `;
};

/** A finite number ≥ 0 (weights, the Zipf exponent). */
export const nonNegative = (description: string) =>
  z
    .number({
      error: (iss) =>
        iss.input === undefined
          ? tagged('input.required', 'required: expected a number ≥ 0')
          : tagged('input.type', `expected a number ≥ 0, got ${show(iss.input)}`),
    })
    .min(0, {
      error: (iss) => tagged('input.range', `expected a number ≥ 0, got ${show(iss.input)}`),
    })
    .max(1e9, {
      error: (iss) => tagged('input.range', `expected a number ≤ 1e9, got ${show(iss.input)}`),
    })
    .describe(description);

/**
 * The message of a union of one-key mappings (`{ poisson: … }`, `{ fixed: … }`) when the value
 * matches no form: an unknown form key (with did-you-mean), several form keys, or the wrong type.
 */
export function formsError(keys: readonly string[], wanted: string) {
  return (iss: { input?: unknown }): string => {
    const input = iss.input;
    if (input === undefined) return tagged('input.required', `required: expected ${wanted}`);
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
      const given = Object.keys(input);
      const unknown = given.find((k) => !keys.includes(k));
      if (unknown !== undefined)
        return tagged(
          'input.kind',
          `unknown form \`${unknown}\`${suggestion(unknown, keys, (k) => `\`${k}\``)}; expected ${wanted}`,
        );
      if (given.length === 0)
        return tagged('input.required', `got an empty mapping; expected ${wanted}`);
      if (given.length > 1)
        return tagged(
          'input.form',
          `the keys ${given.map((k) => `\`${k}\``).join(', ')} do not make one form; expected ${wanted}`,
        );
    }
    return tagged('input.type', `expected ${wanted}, got ${show(input)}`);
  };
}

/** Most tokens of one context or output (lengths are kept in an Int32Array). */
export const MAX_TOKENS = 2 ** 31 - 1;
/** A token count from `min` up to {@link MAX_TOKENS}. */
export const tokens = (min: number, what: string) => integer(min, MAX_TOKENS, what);
