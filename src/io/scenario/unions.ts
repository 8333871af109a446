/**
 * Narrowing zod's "matches no form" issues to the form a value was evidently meant for, so a
 * scenario file's author reads `spread` out of range rather than a list of every placement form.
 */
import type { z } from 'zod';
import { isRecord } from '../files.ts';

type ZodIssue = z.core.$ZodIssue;

/**
 * Replaces each `invalid_union` issue (a value matching none of a union's forms) by the issues of
 * the form the value was evidently meant for, so `{ spread: 0 }` reports `spread` out of range
 * rather than "matches no form". A form is out of the running when it rejects the value's type
 * at its root; of the rest, forms that take every key of a mapping come first, and the one with
 * the fewest issues wins (first on ties). The union's own message (which lists the forms) is kept
 * when no form takes the value's type, and when several forms do but none takes all of a
 * mapping's keys or the mapping is empty (`{ burst: … }`, `{}`: which form was meant is unclear).
 */
export function resolveUnions(issues: readonly ZodIssue[]): ZodIssue[] {
  const out: ZodIssue[] = [];
  for (const issue of issues) {
    if (
      issue.code !== 'invalid_union' ||
      (issue as { discriminator?: string }).discriminator !== undefined ||
      issue.errors.length === 0
    ) {
      out.push(issue);
      continue;
    }
    const input = (issue as { input?: unknown }).input;
    const rejectsType = (branch: readonly ZodIssue[]): boolean =>
      branch.every(
        (i) =>
          i.path.length === 0 &&
          (i.code === 'invalid_type' ||
            (i.code === 'invalid_value' && !i.values.some((v) => typeof v === typeof input))),
      );
    const candidates = issue.errors.filter((branch) => !rejectsType(branch));
    const takesKeys = candidates.filter(
      (branch) => !branch.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0),
    );
    const unclear =
      candidates.length > 1 &&
      isRecord(input) &&
      (takesKeys.length === 0 || Object.keys(input).length === 0);
    if (candidates.length === 0 || unclear) {
      out.push({ ...issue, errors: [] });
      continue;
    }
    const best = (takesKeys.length > 0 ? takesKeys : candidates).reduce((a, b) =>
      b.length < a.length ? b : a,
    );
    out.push(
      ...resolveUnions(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as ZodIssue)),
    );
  }
  return out;
}
