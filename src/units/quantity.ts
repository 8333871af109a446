/**
 * Branded physical quantities (docs/design.md convention §2). A `Nanoseconds` is a `number` at run time, but the
 * brand stops `Nanoseconds + Bytes` from compiling. Values are created only in this folder:
 * by the constructors below or by the parsers in `parse.ts`.
 *
 * Canonical units (docs/design.md "Modelling choices"): time in ns, size in bytes, bandwidth in
 * bytes/ns (numerically equal to decimal GB/s), length in metres, money in USD.
 */

declare const brand: unique symbol;
/** A number tagged with its unit at compile time. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Time in nanoseconds. */
export type Nanoseconds = Brand<number, 'ns'>;
/** Size in bytes. */
export type Bytes = Brand<number, 'B'>;
/** Bandwidth in bytes per nanosecond (1 B/ns = 1 GB/s decimal = 8 Gb/s). */
export type BytesPerNs = Brand<number, 'B/ns'>;
/** Length in metres. */
export type Metres = Brand<number, 'm'>;
/** Money in US dollars. */
export type Usd = Brand<number, 'USD'>;

/** Any of the branded quantities. */
export type Quantity = Nanoseconds | Bytes | BytesPerNs | Metres | Usd;

/** Wraps a number of nanoseconds. */
export const ns = (value: number): Nanoseconds => value as Nanoseconds;
/** Wraps a number of bytes. */
export const bytes = (value: number): Bytes => value as Bytes;
/** Wraps a bandwidth in bytes per nanosecond (= GB/s decimal). */
export const bytesPerNs = (value: number): BytesPerNs => value as BytesPerNs;
/** Wraps a length in metres. */
export const metres = (value: number): Metres => value as Metres;
/** Wraps an amount in US dollars. */
export const usd = (value: number): Usd => value as Usd;

/** Bytes in a KiB, MiB, GiB, TiB (binary) and kB, MB, GB, TB (decimal): GB ≠ GiB. */
export const KiB = 1024;
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;
export const TiB = 1024 ** 4;
export const KB = 1e3;
export const MB = 1e6;
export const GB = 1e9;
export const TB = 1e12;

/** Nanoseconds per µs, ms and s. */
export const NS_PER_US = 1e3;
export const NS_PER_MS = 1e6;
export const NS_PER_S = 1e9;

/** Sum of quantities of one kind (the brand is kept). */
export function add<Q extends Quantity>(a: Q, b: Q): Q {
  return (a + b) as Q;
}

/** Scales a quantity by a plain factor (the brand is kept). */
export function scale<Q extends Quantity>(q: Q, factor: number): Q {
  return (q * factor) as Q;
}

/** Sum of a list of quantities of one kind; 0 for an empty list. */
export function sum<Q extends Quantity>(values: readonly Q[]): Q {
  let total = 0;
  for (const v of values) total += v;
  return total as Q;
}

/** Time to move `size` at `bandwidth`: bytes ÷ (bytes/ns) = ns. Infinite for zero bandwidth. */
export function transferTime(size: Bytes, bandwidth: BytesPerNs): Nanoseconds {
  if (size === 0) return ns(0);
  return ns(bandwidth > 0 ? size / bandwidth : Number.POSITIVE_INFINITY);
}

/** Bytes moved in `time` at `bandwidth`. */
export function bytesIn(time: Nanoseconds, bandwidth: BytesPerNs): Bytes {
  return bytes(time * bandwidth);
}

/** Bandwidth from bytes moved over a duration. */
export function rate(size: Bytes, time: Nanoseconds): BytesPerNs {
  return bytesPerNs(time > 0 ? size / time : Number.POSITIVE_INFINITY);
}
