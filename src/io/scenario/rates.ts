/**
 * Request rates in scenario files: `"4 /s"`, `"240/min"`, `"2 requests per second"`, read into
 * requests per second without mathjs. Bare numbers, other dimensions, zero and negatives are
 * refused with a message that says which.
 */
import { z } from 'zod';
import { UnitError } from '../../errors/index.ts';
import { show, tagged } from '../issues.ts';

/** A request rate: a number, then `/` or `per`, then a time unit (`"4 /s"`, `"240/min"`, `"2 requests per second"`). */
const RATE =
  /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(?:(?:req|reqs|requests?)\s*)?(?:\/|per\s)\s*(s|secs?|seconds?|min|mins|minutes?|h|hrs?|hours?)\s*$/i;
const RATE_EXPECTED = 'expected a request rate such as "4 /s", "240 /min" or "2 per second"';

/**
 * Highest request rate a scenario may ask for (estimate: 10⁶ requests/s is ≈ 10⁴× what a
 * 96-host pod serves; above ≈ 10⁹/s the gaps between arrivals fall below a nanosecond).
 */
export const MAX_RATE_PER_S = 1_000_000;

/** Reads a rate, or says why not (code and message). */
function readRate(text: string): { value: number } | { code: string; message: string } {
  const m = RATE.exec(text);
  if (m === null) {
    const why = /^\s*[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?\s*$/.test(text)
      ? `"${text}" has no unit`
      : `cannot read "${text}" as a request rate`;
    return { code: 'unit.invalid', message: `${why}; ${RATE_EXPECTED}` };
  }
  const unit = (m[2] ?? 's').toLowerCase();
  const perSecond = Number(m[1]) / (unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1);
  if (!Number.isFinite(perSecond))
    return { code: 'input.range', message: `"${text}" is not finite; ${RATE_EXPECTED}` };
  if (!(perSecond > 0))
    return {
      code: 'input.range',
      message: `"${text}" must be more than zero requests per unit of time`,
    };
  if (perSecond > MAX_RATE_PER_S)
    return {
      code: 'input.range',
      message: `"${text}" is more than ${MAX_RATE_PER_S.toLocaleString('en-US')} requests per second (docs/limits.md): above what any pod serves, and its arrival gaps round to zero`,
    };
  return { value: perSecond };
}

/**
 * Parses a request rate into requests per second. Bare numbers, other dimensions (`"4 GB/s"`),
 * zero and negatives are refused.
 * @param text - `"<number> /s"`, `"/min"` or `"/h"`, or the same with `per second` (`minute`, `hour`) and an optional `requests`
 * @param path - field path, used in the error
 * @returns requests per second
 * @throws UnitError naming the input and the expected `request rate`
 * @example parseRatePerSecond('240 /min') // 4
 */
export function parseRatePerSecond(text: string, path: readonly (string | number)[] = []): number {
  const r = readRate(String(text));
  if ('value' in r) return r.value;
  throw new UnitError(String(text), 'request rate', r.message, path);
}

/** A rate string in the file, resolved to requests per second. */
export function rate(description: string) {
  return z
    .string({
      error: (iss) => {
        if (iss.input === undefined) return tagged('input.required', `required: ${RATE_EXPECTED}`);
        return tagged(
          'unit.invalid',
          typeof iss.input === 'number'
            ? `got the bare number ${show(iss.input)} with no unit; ${RATE_EXPECTED}`
            : `got ${show(iss.input)}; ${RATE_EXPECTED}`,
        );
      },
    })
    .meta({ examples: ['4 /s', '240 /min'] })
    .transform((text, ctx): number => {
      const r = readRate(text);
      if ('value' in r) return r.value;
      ctx.issues.push({ code: 'custom', input: text, message: tagged(r.code, r.message) });
      return z.NEVER;
    })
    .describe(`${description} (a rate, e.g. "4 /s")`);
}
