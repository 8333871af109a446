/** The one approximate-equality helper for tests (docs/design.md convention §12, after mathjs tools/approx.js). */
import { expect } from 'vitest';

/** True when `a` and `b` agree within a relative tolerance (or an absolute one near zero). */
export function approxEqual(a: number, b: number, relTol = 1e-9, absTol = 1e-12): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(absTol, relTol * Math.max(Math.abs(a), Math.abs(b)));
}

/** Asserts approximate equality with a readable failure message. */
export function expectApprox(
  actual: number,
  expected: number,
  relTol = 1e-9,
  absTol = 1e-12,
): void {
  expect(
    approxEqual(actual, expected, relTol, absTol),
    `expected ${actual} ≈ ${expected} (rel ${relTol})`,
  ).toBe(true);
}
