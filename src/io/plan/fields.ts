/**
 * Field builders of capacity-plan files (docs/capacity.md): shares written as fractions or
 * percentages, and bounded plain numbers. Each message names what is allowed and carries a
 * podsim code (src/io/issues.ts), as the shared builders in src/io/schema-fields.ts do.
 */
import { z } from 'zod';
import { show, tagged } from '../issues.ts';

/** A percentage: a number, optional spaces, `%`. */
const PERCENT = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*%\s*$/;

/**
 * A share in [0, `max`]: a plain number (`0.99`) or a percentage string (`"99 %"`).
 * @param max - the largest share allowed (default 1)
 */
export function share(description: string, max = 1) {
  const wanted = `a fraction between 0 and ${max} (such as ${max === 1 ? 0.99 : max / 2}) or a percentage (such as "${max === 1 ? 99 : (max * 100) / 2} %")`;
  return z
    .unknown()
    .transform((v, ctx): number => {
      const fail = (code: string, message: string): never => {
        ctx.issues.push({ code: 'custom', input: v, message: tagged(code, message) });
        return z.NEVER as never;
      };
      if (v === undefined) return fail('input.required', `required: expected ${wanted}`);
      let value: number;
      if (typeof v === 'number') value = v;
      else if (typeof v === 'string' && PERCENT.test(v)) value = Number(PERCENT.exec(v)?.[1]) / 100;
      else
        return fail(
          typeof v === 'string' ? 'unit.invalid' : 'input.type',
          `expected ${wanted}, got ${show(v)}`,
        );
      if (!(value >= 0 && value <= max))
        return fail('input.range', `expected ${wanted}, got ${show(v)}`);
      return value;
    })
    .describe(description);
}

/** A finite number in `[min, max]` (dimensionless; `exclusiveMin` makes it `(min, max]`). */
export function bounded(min: number, max: number, description: string, exclusiveMin = false) {
  const wanted = `a number ${exclusiveMin ? '>' : '≥'} ${min}${max === Infinity ? '' : ` and ≤ ${Number(max.toFixed(2))}`}`;
  const error = (iss: { input?: unknown }): string =>
    iss.input === undefined
      ? tagged('input.required', `required: expected ${wanted}`)
      : tagged(
          typeof iss.input === 'number' ? 'input.range' : 'input.type',
          `expected ${wanted}, got ${show(iss.input)}`,
        );
  const n = z.number({ error });
  return (exclusiveMin ? n.gt(min, { error }) : n.min(min, { error }))
    .max(max, { error })
    .describe(description);
}
