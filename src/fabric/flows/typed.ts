/**
 * In-bounds reads of the engine's typed arrays. Under `noUncheckedIndexedAccess` an indexed
 * read is `number | undefined`; the engine indexes only by handles and resource indices it has
 * checked (or sized the arrays for), so these accessors state that once instead of a cast at
 * every read. One function per array type keeps each call site monomorphic; V8 inlines them (the
 * flows bench and the simulator bench measure no difference against inline casts).
 */

/** `a[i]` of a Float64Array, `i` known to be in bounds. */
export function f64(a: Float64Array, i: number): number {
  return a[i] as number;
}

/** `a[i]` of an Int32Array, `i` known to be in bounds. */
export function i32(a: Int32Array, i: number): number {
  return a[i] as number;
}

/** `a[i]` of an array of rows (per-flow typed arrays), `i` known to be in bounds. */
export function row<T>(a: readonly T[], i: number): T {
  return a[i] as T;
}
