/**
 * One-at-a-time sensitivity of a cost result (typically the pooling view's net saving share) to
 * the inputs it rests on: every price of the catalogue, each GPU model's price, and any non-price
 * figure the caller names (peak-to-mean, local fraction, …). Each input is set to its low and
 * then its high value with everything else at base, the result is re-evaluated, and the inputs
 * are ranked by how far they move it — the data of a tornado chart (src/report/svg-tornado.ts).
 *
 * The default low–high range of every catalogue figure is in {@link PRICE_RANGES}, each one the
 * range documented in docs/costs.md §8. Pure and deterministic: the evaluator is called once for
 * the base and twice per input, in input order, and nothing else varies.
 */
import { InputError, type Issue } from '../errors/index.ts';
import { usd } from '../units/index.ts';
import {
  DEFAULT_COST_CATALOGUE,
  MHD_PORT_EXPONENT_RANGE,
  overrideKeyOf,
  type CostCatalogue,
} from './catalogue.ts';

/** A catalogue figure that is one number (every key but the per-model `gpuUsd` table). */
export type PriceKey = Exclude<keyof CostCatalogue, 'gpuUsd'>;

/** Every {@link PriceKey}, in catalogue order. */
export const PRICE_KEYS: readonly PriceKey[] = Object.freeze(
  (Object.keys(DEFAULT_COST_CATALOGUE) as (keyof CostCatalogue)[]).filter(
    (k): k is PriceKey => k !== 'gpuUsd',
  ),
);

/** What one input varies: a catalogue figure, one GPU model's price, or a named non-price scalar. */
export type SensitivityTarget =
  | { readonly kind: 'price'; readonly key: PriceKey }
  | { readonly kind: 'gpu'; readonly model: string }
  | { readonly kind: 'scalar'; readonly name: string };

/** How an input's values are read: dollars, or a plain number (exponent, ratio, share). */
export type SensitivityUnit = 'usd' | 'number';

/** One input of a sensitivity run: what it varies and its low and high values (in the target's own unit). */
export interface SensitivityInput {
  /** Unique label, e.g. `dramPerGiB`, `gpu.A100-80GB`, `peakToMean`. */
  readonly name: string;
  readonly target: SensitivityTarget;
  readonly low: number;
  readonly high: number;
  /** Default `number`; price targets other than the exponent are `usd`. */
  readonly unit?: SensitivityUnit;
}

/** Named non-price inputs the evaluator reads, at their base values. */
export type Scalars = Readonly<Record<string, number>>;

/** The result being analysed — e.g. the net saving share — for a catalogue and scalars. Must be pure. */
export type SensitivityEvaluator = (catalogue: CostCatalogue, scalars: Scalars) => number;

/** One input's effect. */
export interface SensitivityRow {
  readonly name: string;
  readonly target: SensitivityTarget;
  readonly unit: SensitivityUnit;
  /** The input's base value. */
  readonly baseValue: number;
  readonly low: number;
  readonly high: number;
  /** The result with this input at `low` (everything else at base). */
  readonly atLow: number;
  /** The result with this input at `high`. */
  readonly atHigh: number;
  /** Span of the bar: max(base, atLow, atHigh) − min(base, atLow, atHigh); |atHigh − atLow| when monotone. */
  readonly swing: number;
  /** True when `atLow` or `atHigh` lies strictly on the other side of zero from the base result (never when the base is 0). */
  readonly flipsSign: boolean;
}

/** A sensitivity run: the base result and one row per input, largest swing first (ties: input order). */
export interface SensitivityResult {
  readonly base: number;
  readonly rows: readonly SensitivityRow[];
}

/** A range: multiples of the base value (`factor`), or fixed values (`absolute`). */
export interface SensitivityRange {
  readonly kind: 'factor' | 'absolute';
  readonly low: number;
  readonly high: number;
}

const factor = (low: number, high: number): SensitivityRange =>
  Object.freeze({ kind: 'factor', low, high });

/**
 * Default range of every catalogue figure, and of every GPU price (`gpu`), as documented in
 * docs/costs.md §8 (each row says why). Factors apply to the catalogue's value, so the ranges
 * follow a user's overrides.
 */
export const PRICE_RANGES: Readonly<Record<PriceKey | 'gpu', SensitivityRange>> = Object.freeze({
  serverBaseUsd: factor(0.75, 1.5), // HGX-class servers $30–60k without GPUs and DRAM (docs/costs.md §8)
  generalServerBaseUsd: factor(0.5, 4), // DRAM ⅔ … ⅕ of a general-purpose server (docs/costs.md §8)
  gpu: factor(2 / 3, 4 / 3), // A100's reported $10–20k street range around $15k (docs/costs.md §8)
  dramUsdPerGiB: factor(0.5, 2.75), // $2/GiB (2023 trough) … $11/GiB (late-2025 spot) (docs/costs.md §8)
  mhdBaseUsd: factor(0.5, 2), // (estimate) no public figure: halve or double (docs/costs.md §8)
  mhdUsdPerPort: factor(0.5, 2), // (estimate) no public figure: halve or double (docs/costs.md §8)
  mhdPortExponent: Object.freeze({ kind: 'absolute', low: 1, high: 1.5 }), // linear … strongly superlinear (docs/costs.md §8)
  memoryDeviceUsd: factor(0.5, 2), // (estimate) no public figure (docs/costs.md §8)
  cxlSwitchUsdPerPort: factor(0.5, 2), // $150–600, the previous $500 default inside (docs/costs.md §8)
  retimerUsd: factor(0.5, 3), // $50–300: bare chip … the previous $300 default (docs/costs.md §8)
  cxlCableBaseUsd: factor(0.5, 2), // (estimate) (docs/costs.md §8)
  cxlCableUsdPerM: factor(0.5, 2), // (estimate) (docs/costs.md §8)
  nicUsdPer100Gbps: factor(0.5, 2), // (estimate) (docs/costs.md §8)
  torUsdPerPort: factor(0.5, 2), // (estimate) (docs/costs.md §8)
  spineUsdPerPort: factor(0.5, 2), // (estimate) (docs/costs.md §8)
  networkCableUsd: factor(0.5, 2), // (estimate) (docs/costs.md §8)
});

/** The values of a range around `base`. */
function rangeValues(r: SensitivityRange, base: number): { low: number; high: number } {
  return r.kind === 'absolute'
    ? { low: r.low, high: r.high }
    : { low: base * r.low, high: base * r.high };
}

/**
 * One input per catalogue figure (and per GPU model), named by its override key
 * (`dramPerGiB`, `gpu.A100-80GB`), over `ranges` around `catalogue`'s values.
 * @param keys - the figures to include (default: every {@link PriceKey} and every GPU model)
 * @example priceInputs(DEFAULT_COST_CATALOGUE, PRICE_RANGES, ['dramUsdPerGiB'])[0] // { name: 'dramPerGiB', low: 2, high: 11, … }
 */
export function priceInputs(
  catalogue: CostCatalogue,
  ranges: Readonly<Record<PriceKey | 'gpu', SensitivityRange>> = PRICE_RANGES,
  keys?: readonly (PriceKey | 'gpu')[],
): SensitivityInput[] {
  const wanted = new Set<PriceKey | 'gpu'>(keys ?? [...PRICE_KEYS, 'gpu']);
  const out: SensitivityInput[] = [];
  for (const key of PRICE_KEYS) {
    if (!wanted.has(key)) continue;
    const { low, high } = rangeValues(ranges[key], catalogue[key]);
    const unit: SensitivityUnit = key === 'mhdPortExponent' ? 'number' : 'usd';
    out.push({ name: overrideKeyOf(key), target: { kind: 'price', key }, low, high, unit });
  }
  if (wanted.has('gpu'))
    for (const [model, price] of Object.entries(catalogue.gpuUsd)) {
      const { low, high } = rangeValues(ranges.gpu, price);
      out.push({ name: `gpu.${model}`, target: { kind: 'gpu', model }, low, high, unit: 'usd' });
    }
  return out;
}

/**
 * One input per named scalar, over its range around the scalar's base value (factor ranges
 * multiply it, absolute ranges replace it), in the order of `ranges`.
 * @example scalarInputs({ peakToMean: 1.6 }, { peakToMean: { kind: 'absolute', low: 1.2, high: 3 } })
 */
export function scalarInputs(
  scalars: Scalars,
  ranges: Readonly<Record<string, SensitivityRange>>,
): SensitivityInput[] {
  return Object.entries(ranges).map(([name, range]) => ({
    name,
    target: { kind: 'scalar', name },
    ...rangeValues(range, scalars[name] ?? Number.NaN),
  }));
}

/** The base value of an input's target, or undefined when the catalogue or scalars lack it. */
function baseOf(c: CostCatalogue, scalars: Scalars, t: SensitivityTarget): number | undefined {
  if (t.kind === 'price') return Object.hasOwn(c, t.key) ? c[t.key] : undefined;
  if (t.kind === 'gpu') return Object.hasOwn(c.gpuUsd, t.model) ? c.gpuUsd[t.model] : undefined;
  return Object.hasOwn(scalars, t.name) ? scalars[t.name] : undefined;
}

/** The issues of one input (unknown target, bad or misordered values, a price below $0, an exponent out of range). */
function inputIssues(
  c: CostCatalogue,
  scalars: Scalars,
  input: SensitivityInput,
  at: readonly (string | number)[],
): Issue[] {
  const t = input.target;
  const issues: Issue[] = [];
  if (baseOf(c, scalars, t) === undefined) {
    const known =
      t.kind === 'price'
        ? PRICE_KEYS.join(', ')
        : t.kind === 'gpu'
          ? Object.keys(c.gpuUsd).join(', ')
          : Object.keys(scalars).join(', ') || '(none given)';
    const what = t.kind === 'price' ? t.key : t.kind === 'gpu' ? t.model : t.name;
    issues.push({
      code: 'input.unknown-key',
      path: [...at, 'target'],
      message: `no ${t.kind} "${what}" to vary; known: ${known}`,
    });
    return issues; // its values have nothing to be checked against
  }
  for (const side of ['low', 'high'] as const)
    if (!Number.isFinite(input[side]))
      issues.push({
        code: 'input.type',
        path: [...at, side],
        message: `${side} must be a finite number, got ${String(input[side])}`,
      });
  if (issues.length > 0) return issues;
  if (input.low > input.high)
    issues.push({
      code: 'input.order',
      path: [...at, 'low'],
      message: `low ${input.low} is above high ${input.high}`,
    });
  if (t.kind === 'price' && t.key === 'mhdPortExponent') {
    const { min, max } = MHD_PORT_EXPONENT_RANGE;
    for (const side of ['low', 'high'] as const)
      if (input[side] < min || input[side] > max)
        issues.push({
          code: 'input.range',
          path: [...at, side],
          message: `${side} ${input[side]}: the MHD port exponent must be within ${min}–${max}`,
        });
  } else if (t.kind !== 'scalar' && input.low < 0)
    issues.push({
      code: 'input.range',
      path: [...at, 'low'],
      message: `low ${input.low}: prices must be ≥ $0`,
    });
  return issues;
}

/**
 * Checks a sensitivity run's inputs against the catalogue and scalars; `[]` means
 * {@link sensitivity} accepts them. Codes: `input.unknown-key` (no such price, GPU model or
 * scalar), `input.duplicate` (two inputs with one name), `input.type` (a value that is not a
 * finite number), `input.order` (low above high), `input.range` (a negative price; an exponent
 * outside {@link MHD_PORT_EXPONENT_RANGE}). Paths are `[...path, index, field]`.
 */
export function validateSensitivityInputs(
  catalogue: CostCatalogue,
  scalars: Scalars,
  inputs: readonly SensitivityInput[],
  path: readonly (string | number)[] = ['sensitivity'],
): Issue[] {
  const seen = new Set<string>();
  return inputs.flatMap((input, i) => {
    const issues = inputIssues(catalogue, scalars, input, [...path, i]);
    if (seen.has(input.name))
      issues.push({
        code: 'input.duplicate',
        path: [...path, i, 'name'],
        message: `input "${input.name}" is listed twice`,
      });
    seen.add(input.name);
    return issues;
  });
}

/**
 * `catalogue` (or `scalars`) with one target set to `value`, frozen; the original is untouched.
 * Money targets get a `Usd` value.
 */
export function withTarget(
  catalogue: CostCatalogue,
  scalars: Scalars,
  target: SensitivityTarget,
  value: number,
): { readonly catalogue: CostCatalogue; readonly scalars: Scalars } {
  if (target.kind === 'scalar')
    return { catalogue, scalars: Object.freeze({ ...scalars, [target.name]: value }) };
  if (target.kind === 'gpu')
    return {
      catalogue: Object.freeze({
        ...catalogue,
        gpuUsd: Object.freeze({ ...catalogue.gpuUsd, [target.model]: usd(value) }),
      }),
      scalars,
    };
  const v = target.key === 'mhdPortExponent' ? value : usd(value);
  return { catalogue: Object.freeze({ ...catalogue, [target.key]: v }), scalars };
}

/** The result of `evaluate`, refused when it is not a finite number (an evaluator bug, not user input). */
function finite(
  evaluate: SensitivityEvaluator,
  c: CostCatalogue,
  s: Scalars,
  what: string,
): number {
  const v = evaluate(c, s);
  if (!Number.isFinite(v)) throw new RangeError(`sensitivity: the evaluator returned ${v} ${what}`);
  return v;
}

/** Whether `v` lies strictly on the other side of zero from `base`. */
const flips = (base: number, v: number): boolean => (base > 0 && v < 0) || (base < 0 && v > 0);

/**
 * One-at-a-time sensitivity of `evaluate` around (`catalogue`, `scalars`): each input at its low
 * and high value, everything else at base. Rows are sorted by swing, largest first; equal swings
 * keep input order.
 * @param catalogue - the base prices
 * @param scalars - the base values of the non-price inputs `evaluate` reads
 * @param inputs - what to vary (see {@link priceInputs} for every catalogue figure)
 * @param evaluate - the result analysed, e.g. the net saving share of a pod; must be pure
 * @throws InputError carrying every issue {@link validateSensitivityInputs} finds
 * @throws RangeError when `evaluate` returns a value that is not a finite number
 * @example sensitivity(c, {}, priceInputs(c, PRICE_RANGES, ['dramUsdPerGiB']), (k) => k.dramUsdPerGiB / 100)
 */
export function sensitivity(
  catalogue: CostCatalogue,
  scalars: Scalars,
  inputs: readonly SensitivityInput[],
  evaluate: SensitivityEvaluator,
): SensitivityResult {
  const issues = validateSensitivityInputs(catalogue, scalars, inputs);
  if (issues.length > 0) throw new InputError(issues);
  const base = finite(evaluate, catalogue, scalars, 'at the base values');
  const rows = inputs.map((input, order) => {
    const at = (value: number): number => {
      const moved = withTarget(catalogue, scalars, input.target, value);
      return finite(evaluate, moved.catalogue, moved.scalars, `with ${input.name} = ${value}`);
    };
    const atLow = at(input.low);
    const atHigh = at(input.high);
    const row: SensitivityRow = Object.freeze({
      name: input.name,
      target: input.target,
      unit: input.unit ?? 'number',
      baseValue: baseOf(catalogue, scalars, input.target) ?? Number.NaN,
      low: input.low,
      high: input.high,
      atLow,
      atHigh,
      swing: Math.max(base, atLow, atHigh) - Math.min(base, atLow, atHigh),
      flipsSign: flips(base, atLow) || flips(base, atHigh),
    });
    return { row, order };
  });
  rows.sort((a, b) => b.row.swing - a.row.swing || a.order - b.order);
  return Object.freeze({ base, rows: Object.freeze(rows.map((r) => r.row)) });
}
