/**
 * The tornado chart of a sensitivity run (src/cost/sensitivity.ts, docs/costs.md §9): one row per
 * input, largest swing on top, each a bar from the result with the input at its low value to the
 * result at its high value, either side of a vertical line at the base result. The low side is
 * solid blue, the high side orange with a diagonal hatch (readable without colour); each bar end
 * prints the input value that produced it; rows whose input flips the sign of the result sit on a
 * highlighted band with a bold label and say so in their tooltip. A pure string builder
 * (src/report/svg.ts).
 */
import { formatMoney, formatPercent, usd } from '../units/index.ts';
import { escapeXml, fmt, line, open, SERIES_COLOURS, text, type ChartOptions } from './svg-kit.ts';

/** One input's row; {@link SensitivityRow} of src/cost/sensitivity.ts has this shape. */
export interface TornadoBar {
  readonly name: string;
  /** The input's low and high values, in its own unit. */
  readonly low: number;
  readonly high: number;
  /** The result with the input at `low` and at `high`. */
  readonly atLow: number;
  readonly atHigh: number;
  /** True when the input moves the result across zero. */
  readonly flipsSign: boolean;
  /** How to print the input values: dollars or a plain number (default). */
  readonly unit?: 'usd' | 'number';
}

/** Options of {@link tornadoSvg}. */
export interface TornadoOptions extends ChartOptions {
  /** Chart title (default: `Sensitivity of the net saving`). */
  readonly title?: string;
  /** Axis label of the result (default: `net saving, share of server cost`). */
  readonly resultLabel?: string;
  /** Prints a result value (default: a percentage, `-4.3 %`). */
  readonly formatResult?: (value: number) => string;
}

/** Layout, in user units. */
const W = 900;
const ROW_H = 28;
const BAR_H = 16;
const M = { left: 240, right: 30, top: 56, bottom: 78 };
/** Room kept between the plot edge and the outermost bar end, for the bar-end labels. */
const END_PAD = 72;
/** Longest row label, in characters (≈ 7 px each at 12 px, inside the 240 px label column). */
const MAX_LABEL_CHARS = 30;
const LOW_COLOUR = SERIES_COLOURS[0];
const HIGH_COLOUR = SERIES_COLOURS[1];
const FLIP_BAND = '#F0E442';

/** The input value as printed at a bar end. */
function inputLabel(bar: TornadoBar, v: number): string {
  if (bar.unit === 'usd')
    return Math.abs(v) < 100 && !Number.isInteger(v)
      ? `$${Number(v.toPrecision(3))}`
      : formatMoney(usd(v));
  return String(Number(v.toPrecision(3)));
}

const swingOf = (base: number, b: TornadoBar): number =>
  Math.max(base, b.atLow, b.atHigh) - Math.min(base, b.atLow, b.atHigh);

/** Nice ticks over [lo, hi] (steps of 1, 2 or 5 × 10^k) and the domain they span. */
function ticksOver(lo: number, hi: number): { ticks: number[]; lo: number; hi: number } {
  const span = hi - lo;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return { ticks, lo: first * step, hi: last * step };
}

/** The result domain: every bar end and the base, widened when they all coincide. */
function domainOf(
  base: number,
  bars: readonly TornadoBar[],
): { ticks: number[]; lo: number; hi: number } {
  const values = [base, ...bars.flatMap((b) => [b.atLow, b.atHigh])].filter(Number.isFinite);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!(hi - lo > Math.abs(base) * 1e-9 + 1e-12)) {
    const d = Math.max(Math.abs(base) * 0.1, 1e-3);
    lo -= d;
    hi += d;
  }
  return ticksOver(lo, hi);
}

/** Where each end's label goes: beside its end, or one combined label when both ends lie on one side. */
function endLabels(bar: TornadoBar, base: number, X: (v: number) => number, y: number): string[] {
  const sLow = Math.sign(bar.atLow - base);
  const sHigh = Math.sign(bar.atHigh - base);
  const at = (v: number, side: number, s: string): string =>
    text(X(v) + side * 5, y + 4, s, { anchor: side < 0 ? 'end' : 'start', size: 10, halo: true });
  const low = inputLabel(bar, bar.low);
  const high = inputLabel(bar, bar.high);
  if (sLow !== 0 && sLow === sHigh) {
    const far = Math.abs(bar.atLow - base) >= Math.abs(bar.atHigh - base) ? bar.atLow : bar.atHigh;
    return [at(far, sLow, `${low} / ${high}`)];
  }
  const lowSide = sLow !== 0 ? sLow : sHigh !== 0 ? -sHigh : -1;
  const highSide = sHigh !== 0 ? sHigh : -lowSide;
  return [at(bar.atLow, lowSide, low), at(bar.atHigh, highSide, high)];
}

/** One row: its band (when it flips), label, two half-bars, end labels, tooltip. */
function row(
  bar: TornadoBar,
  i: number,
  base: number,
  X: (v: number) => number,
  o: { readonly id: string; readonly formatResult: (v: number) => string },
): string {
  const y = M.top + i * ROW_H + ROW_H / 2;
  const out: string[] = [];
  const flip = bar.flipsSign ? ' (flips the sign)' : '';
  out.push(
    `<g aria-label="${escapeXml(bar.name)}"${bar.flipsSign ? ' data-flips-sign="true"' : ''}>`,
  );
  out.push(
    `<title>${escapeXml(`${bar.name}: ${inputLabel(bar, bar.low)} → ${o.formatResult(bar.atLow)}, ${inputLabel(bar, bar.high)} → ${o.formatResult(bar.atHigh)}${flip}`)}</title>`,
  );
  if (bar.flipsSign)
    out.push(
      `<rect x="0" y="${fmt(y - ROW_H / 2)}" width="${W}" height="${ROW_H}" fill="${FLIP_BAND}" fill-opacity="0.35"/>`,
    );
  const name =
    bar.name.length > MAX_LABEL_CHARS ? `${bar.name.slice(0, MAX_LABEL_CHARS - 1)}…` : bar.name;
  out.push(
    text(M.left - 10, y + 4, name, {
      anchor: 'end',
      ...(bar.flipsSign ? { weight: 'bold' as const } : {}),
    }),
  );
  const seg = (v: number, fill: string): string => {
    const a = Math.min(X(base), X(v));
    const w = Math.abs(X(v) - X(base));
    return `<rect x="${fmt(a)}" y="${fmt(y - BAR_H / 2)}" width="${fmt(w)}" height="${BAR_H}" fill="${fill}" stroke="#333" stroke-width="0.6"/>`;
  };
  out.push(seg(bar.atLow, LOW_COLOUR));
  out.push(seg(bar.atHigh, `url(#${o.id}-high)`));
  out.push(...endLabels(bar, base, X, y));
  out.push('</g>');
  return out.join('\n');
}

/**
 * A tornado chart of `bars` around the `base` result: rows sorted by swing, largest on top (equal
 * swings keep their order), bars from the result at each input's low value (solid) to its high
 * value (hatched), the base as a solid vertical line and zero as a dashed one when in range.
 * @param base - the result with every input at its base value (same unit as the bars' results)
 */
export function tornadoSvg(
  base: number,
  bars: readonly TornadoBar[],
  options: TornadoOptions,
): string {
  const formatResult = options.formatResult ?? ((v: number) => formatPercent(v, 3));
  const title = options.title ?? 'Sensitivity of the net saving';
  const axis = options.resultLabel ?? 'net saving, share of server cost';
  const sorted = bars
    .map((b, i) => ({ b, i }))
    .sort((p, q) => swingOf(base, q.b) - swingOf(base, p.b) || p.i - q.i)
    .map((p) => p.b);
  const H = M.top + Math.max(1, sorted.length) * ROW_H + M.bottom;
  const { ticks, lo, hi } = domainOf(base, sorted);
  const x0 = M.left + END_PAD;
  const x1 = W - M.right - END_PAD;
  const X = (v: number): number => x0 + ((v - lo) / (hi - lo)) * (x1 - x0);
  const plotBottom = M.top + Math.max(1, sorted.length) * ROW_H;
  const flips = sorted.filter((b) => b.flipsSign).map((b) => b.name);
  const out: string[] = [
    open(
      options.id,
      W,
      H,
      title,
      `Tornado chart: ${axis} at base ${formatResult(base)}; one bar per input, from the result with the input at its low value to the result at its high value, largest swing first. ${sorted.map((b) => `${b.name}: ${inputLabel(b, b.low)} → ${formatResult(b.atLow)}, ${inputLabel(b, b.high)} → ${formatResult(b.atHigh)}`).join('; ')}.${flips.length > 0 ? ` Flip the sign: ${flips.join(', ')}.` : ''}`,
    ),
    `<defs><pattern id="${options.id}-high" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="${HIGH_COLOUR}"/><path d="M-2,2L2,-2M0,8L8,0M6,10L10,6" stroke="#000" stroke-opacity="0.45" stroke-width="1.5"/></pattern></defs>`,
    text(W / 2, 22, title, { anchor: 'middle', size: 14, weight: 'bold' }),
  ];
  out.push('<g stroke="#ddd">');
  for (const t of ticks) out.push(line(X(t), M.top, X(t), plotBottom, ''));
  out.push('</g>');
  for (const t of ticks)
    out.push(text(X(t), plotBottom + 16, formatResult(t), { anchor: 'middle', size: 11 }));
  out.push(text((x0 + x1) / 2, plotBottom + 36, axis, { anchor: 'middle' }));
  if (sorted.length === 0)
    out.push(text((x0 + x1) / 2, M.top + ROW_H / 2 + 4, 'no inputs', { anchor: 'middle' }));
  sorted.forEach((b, i) => out.push(row(b, i, base, X, { id: options.id, formatResult })));
  if (lo < 0 && hi > 0)
    out.push(
      line(
        X(0),
        M.top - 6,
        X(0),
        plotBottom,
        'stroke="#555" stroke-width="1" stroke-dasharray="4 3"',
      ),
    );
  out.push(line(X(base), M.top - 6, X(base), plotBottom, 'stroke="#000" stroke-width="1.5"'));
  out.push(
    text(X(base), M.top - 10, `base ${formatResult(base)}`, {
      anchor: 'middle',
      size: 11,
      halo: true,
    }),
  );
  out.push(legend(plotBottom + 52, options.id));
  out.push('</svg>');
  return out.join('\n');
}

/** The legend row under the axis: low side, high side, sign-flip band. */
function legend(y: number, id: string): string {
  const sw = (x: number, fill: string): string =>
    `<rect x="${x}" y="${y - 9}" width="18" height="12" fill="${fill}" stroke="#333" stroke-width="0.6"/>`;
  return [
    '<g>',
    sw(M.left, LOW_COLOUR),
    text(M.left + 24, y + 1, 'input at its low value', { size: 11 }),
    sw(M.left + 190, `url(#${id}-high)`),
    text(M.left + 214, y + 1, 'input at its high value', { size: 11 }),
    `<rect x="${M.left + 390}" y="${y - 9}" width="18" height="12" fill="${FLIP_BAND}" fill-opacity="0.35" stroke="#333" stroke-width="0.6"/>`,
    text(M.left + 414, y + 1, 'flips the sign of the result (bold label)', { size: 11 }),
    '</g>',
  ].join('\n');
}
