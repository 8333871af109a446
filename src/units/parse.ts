/**
 * Parsing of unit strings at the edge (docs/design.md): `"250 ns"`, `"28 GB/s"`, `"200 Gb/s"`,
 * `"512 GiB"`, `"1.5 m"`, `"$1,200"`. mathjs does the unit algebra (prefixes, bits vs bytes, SI vs
 * binary prefixes); this file checks the dimension, converts to the canonical unit and cleans
 * the float noise mathjs leaves (250 ns → 250.00000000000003).
 *
 * A bare number is refused: a file that says `latency: 250` is ambiguous (ns? µs?) and
 * docs/design.md convention §4 forbids guessing.
 */
import { createRequire } from 'node:module';
import type { Unit } from 'mathjs';
import { UnitError } from '../errors/index.ts';
import {
  bytes,
  bytesPerNs,
  metres,
  ns,
  usd,
  type Bytes,
  type BytesPerNs,
  type Metres,
  type Nanoseconds,
  type Usd,
} from './quantity.ts';

/** The dimensions a unit string may have. */
export type Dimension = 'time' | 'size' | 'bandwidth' | 'length' | 'money';

/** The canonical branded type of each dimension. */
export interface DimensionType {
  time: Nanoseconds;
  size: Bytes;
  bandwidth: BytesPerNs;
  length: Metres;
  money: Usd;
}

/**
 * mathjs's `unit(text)`, loaded on the first unit string rather than at import: `podsim
 * --version`, `--help` and most library calls parse none, and loading mathjs costs more CPU than
 * the rest of podsim together. The package's single-file bundle (`mathjs/lib/browser/math.js`:
 * the same release, UMD, so `require` loads it synchronously) takes ≈ 0.07 s of CPU, ≈ 0.23 s
 * with its first unit; the default entry's ≈ 900 modules take ≈ 1.1 s, as does
 * `create({ unitDependencies })` (it loads them all to pick the factories); `mathjs/number` has
 * no units.
 */
let unitOf: ((text: string) => Unit) | undefined;

/** mathjs's `unit(text)`, loading mathjs on the first call. */
function mathUnit(text: string): Unit {
  unitOf ??= (
    createRequire(import.meta.url)('mathjs/lib/browser/math.js') as {
      unit: (text: string) => Unit;
    }
  ).unit;
  return unitOf(text);
}

type UnitDimension = Exclude<Dimension, 'money'>;

const CANONICAL: Record<UnitDimension, { unit: string; reference: string; example: string }> = {
  time: { unit: 'ns', reference: '1 ns', example: '"250 ns", "3 us", "4 s"' },
  size: { unit: 'B', reference: '1 B', example: '"64 B", "1.4 GB", "512 GiB"' },
  bandwidth: { unit: 'B/ns', reference: '1 B/s', example: '"28 GB/s", "200 Gb/s"' },
  length: { unit: 'm', reference: '1 m', example: '"1.5 m", "80 cm"' },
};

/** Reference units (one per dimension, and time per length), each made on first use. */
const references = new Map<string, Unit>();

/** The mathjs unit of `text` (a reference such as `"1 ns"`), made once. */
function reference(text: string): Unit {
  let u = references.get(text);
  if (u === undefined) {
    u = mathUnit(text);
    references.set(text, u);
  }
  return u;
}

const EXAMPLES: Record<Dimension, string> = {
  time: CANONICAL.time.example,
  size: CANONICAL.size.example,
  bandwidth: CANONICAL.bandwidth.example,
  length: CANONICAL.length.example,
  money: '"$1200", "1200 USD"',
};

/** Rounds away binary float noise from unit conversion keeping 15 significant digits (all a double holds reliably). */
function clean(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(15));
}

function describe(u: Unit): string {
  for (const [dim, c] of Object.entries(CANONICAL))
    if (u.equalBase(reference(c.reference))) return `a ${dim}`;
  return 'a quantity of another kind';
}

const MONEY =
  /^\s*(?:\$\s*([0-9][0-9_,]*(?:\.[0-9]+)?)|([0-9][0-9_,]*(?:\.[0-9]+)?)\s*(?:USD|usd|\$))\s*$/;

/**
 * Parses a unit string into the canonical quantity of `dimension`.
 * @param text e.g. `"28 GB/s"`
 * @param dimension which kind of quantity is expected
 * @param path field path, used in the error
 * @throws UnitError with the offending text, the expected dimension and examples
 * @example parseQuantity('28 GB/s', 'bandwidth') // 28 (bytes/ns)
 */
export function parseQuantity<D extends Dimension>(
  text: string,
  dimension: D,
  path: readonly (string | number)[] = [],
): DimensionType[D] {
  const fail = (why: string): never => {
    throw new UnitError(
      text,
      dimension,
      `${why}; expected a ${dimension} such as ${EXAMPLES[dimension]}`,
      path,
    );
  };
  if (typeof text !== 'string') fail(`got ${JSON.stringify(text)} (a bare ${typeof text})`);
  const trimmed = text.trim();
  if (trimmed === '') fail('got an empty string');
  if (/^[-+]?[0-9.]+(e[-+]?[0-9]+)?$/i.test(trimmed)) fail(`got "${text}" with no unit`);
  if (dimension === 'money') {
    const m = MONEY.exec(trimmed);
    if (m === null) return fail(`cannot read "${text}" as an amount of money`);
    const value = Number((m[1] ?? m[2] ?? '').replace(/[_,]/g, ''));
    return usd(value) as DimensionType[D];
  }
  if (!/^[-+]?(\d|\.\d)/.test(trimmed))
    fail(`"${text}" has no number; write the amount before the unit`);
  const c = CANONICAL[dimension as UnitDimension];
  let u: Unit;
  try {
    u = mathUnit(trimmed.replace(/[µμ]s\b/g, 'us'));
  } catch {
    return fail(`cannot read "${text}" as a quantity with a unit`);
  }
  if (!u.equalBase(reference(c.reference))) fail(`"${text}" is ${describe(u)}`);
  const value = clean(u.toNumber(c.unit));
  if (!Number.isFinite(value)) fail(`"${text}" is not finite`);
  if (value < 0) fail(`"${text}" is negative`);
  const make = { time: ns, size: bytes, bandwidth: bytesPerNs, length: metres }[
    dimension as UnitDimension
  ];
  return make(value) as DimensionType[D];
}

/** Parses a time such as `"250 ns"` into nanoseconds. */
export const parseTime = (text: string, path: readonly (string | number)[] = []): Nanoseconds =>
  parseQuantity(text, 'time', path);
/** Parses a size such as `"512 GiB"` into bytes (GB = 10⁹ B, GiB = 2³⁰ B). */
export const parseSize = (text: string, path: readonly (string | number)[] = []): Bytes =>
  parseQuantity(text, 'size', path);
/** Parses a bandwidth such as `"28 GB/s"` or `"200 Gb/s"` into bytes/ns. */
export const parseBandwidth = (text: string, path: readonly (string | number)[] = []): BytesPerNs =>
  parseQuantity(text, 'bandwidth', path);
/** Parses a length such as `"1.5 m"` into metres. */
export const parseLength = (text: string, path: readonly (string | number)[] = []): Metres =>
  parseQuantity(text, 'length', path);
/** Parses money such as `"$1200"` or `"1200 USD"` into dollars. */
export const parseMoney = (text: string, path: readonly (string | number)[] = []): Usd =>
  parseQuantity(text, 'money', path);

/**
 * Parses a time per length such as `"5 ns/m"` (cable propagation delay) into nanoseconds per
 * metre, a plain number: the profile field that uses it (`cablePropagationNsPerM`) carries the
 * unit in its name. Same refusals as {@link parseQuantity}: no bare numbers, no other dimension,
 * nothing negative or infinite.
 * @throws UnitError naming the input and the expected dimension `time per length`
 * @example parseTimePerLength('5 ns/m') // 5
 */
export function parseTimePerLength(text: string, path: readonly (string | number)[] = []): number {
  const fail = (why: string): never => {
    throw new UnitError(
      String(text),
      'time per length',
      `${why}; expected a time per length such as "5 ns/m", "4.9 ns/m"`,
      path,
    );
  };
  if (typeof text !== 'string') fail(`got ${JSON.stringify(text)} (a bare ${typeof text})`);
  const trimmed = text.trim();
  if (trimmed === '') fail('got an empty string');
  if (/^[-+]?[0-9.]+(e[-+]?[0-9]+)?$/i.test(trimmed)) fail(`got "${text}" with no unit`);
  let u: Unit;
  try {
    u = mathUnit(trimmed.replace(/[µμ]s\b/g, 'us'));
  } catch {
    return fail(`cannot read "${text}" as a quantity with a unit`);
  }
  if (u.value === null) fail(`"${text}" has a unit but no number`);
  if (!u.equalBase(reference('1 ns/m'))) fail(`"${text}" is not a time per length`);
  const value = clean(u.toNumber('ns/m'));
  if (!Number.isFinite(value)) fail(`"${text}" is not finite`);
  if (value < 0) fail(`"${text}" is negative`);
  return value;
}
