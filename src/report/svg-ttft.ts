/**
 * The what-if report's TTFT chart (`podsim whatif --report`): the cumulative distribution of
 * time to first token per topology on a log axis, one dashed and marked line each, with direct
 * labels at the line ends (the legend) and the TTFT SLO as a vertical line. A pure string builder (src/report/svg.ts).
 */
import { formatTime, ns } from '../units/index.ts';
import {
  escapeXml,
  fmt,
  DASH_PATTERNS,
  SERIES_COLOURS,
  pick,
  markerShape,
  marker,
  open,
  text,
  line,
  logTicks,
  spread,
  type ChartOptions,
} from './svg-kit.ts';

/** One line of the TTFT CDF. */
export interface CdfSeries {
  readonly label: string;
  /** TTFT at percentiles 0, 2, … 100 (ns): `SimResult.ttftCdfNs`. */
  readonly ttftCdfNs: readonly number[];
}

/** Chart size, margins and plot area (user units). */
const W = 900;
const H = 440;
const M = { left: 70, right: 190, top: 40, bottom: 60 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

/** The log x domain (ns) and the maps from TTFT and fraction to coordinates. */
interface Plot {
  readonly lo: number;
  readonly hi: number;
  readonly X: (v: number) => number;
  readonly Y: (f: number) => number;
}

/**
 * TTFT CDF per topology: x = TTFT on a log scale (ticks in ns/µs/ms/s), y = fraction of
 * requests 0–1. Each line has its own dash pattern and marker shape (markers every 10
 * percentiles, staggered between series so overlapping lines stay distinguishable) and a
 * direct label at its end with the line's marker — the only legend, drawn once. With
 * `ttftSloNs`, a vertical line marks the SLO.
 */
export function ttftCdfSvg(
  series: readonly CdfSeries[],
  options: ChartOptions & { readonly ttftSloNs?: number },
): string {
  const slo = options.ttftSloNs;
  const all = series
    .flatMap((s) => s.ttftCdfNs)
    .concat(slo === undefined ? [] : [slo])
    .filter((v) => v > 0 && Number.isFinite(v));
  // Domain: the data's range widened to quarter decades.
  const lo = 10 ** (Math.floor(Math.log10(all.length === 0 ? 1e6 : Math.min(...all)) * 4) / 4);
  let hi = 10 ** (Math.ceil(Math.log10(all.length === 0 ? 1e7 : Math.max(...all)) * 4) / 4);
  if (hi <= lo) hi = lo * 10;
  const X = (v: number): number =>
    M.left +
    ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * PW;
  const plot: Plot = { lo, hi, X, Y: (f) => M.top + (1 - f) * PH };
  const out: string[] = [];
  const names = series.map((s) => s.label).join(', ');
  out.push(
    open(
      options.id,
      W,
      H,
      'Time to first token: cumulative distribution per topology',
      `Cumulative distribution of time to first token (log scale) for ${series.length} topologies: ${names}. ${series.map((s) => `${s.label}: median ${formatTime(ns(s.ttftCdfNs[25] ?? 0))}, p90 ${formatTime(ns(s.ttftCdfNs[45] ?? 0))}, max ${formatTime(ns(s.ttftCdfNs.at(-1) ?? 0))}`).join('; ')}.${slo === undefined ? '' : ` A vertical line marks the TTFT SLO, ${formatTime(ns(slo))}: the height where a line crosses it is the share of requests meeting it.`}`,
    ),
  );
  drawAxes(out, plot);
  if (slo !== undefined) drawSlo(out, slo, plot);
  drawLines(out, series, plot);
  drawEndLabels(out, series, plot);
  out.push('</svg>');
  return out.join('\n');
}

/** Grid, frame, tick labels and axis titles. */
function drawAxes(out: string[], { lo, hi, X, Y }: Plot): void {
  out.push('<g stroke="#ddd" stroke-width="1">');
  for (const f of [0, 0.25, 0.5, 0.75, 1]) out.push(line(M.left, Y(f), M.left + PW, Y(f), ''));
  const ticks = logTicks(lo, hi);
  for (const v of ticks) out.push(line(X(v), M.top, X(v), M.top + PH, ''));
  out.push('</g>');
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#333"/>`,
  );
  for (const f of [0, 0.25, 0.5, 0.75, 1])
    out.push(text(M.left - 6, Y(f) + 4, f.toFixed(2), { anchor: 'end' }));
  for (const v of ticks)
    out.push(text(X(v), M.top + PH + 16, formatTime(ns(v), 1), { anchor: 'middle' }));
  out.push(text(M.left + PW / 2, H - 16, 'time to first token (log scale)', { anchor: 'middle' }));
  out.push(
    text(18, M.top + PH / 2, 'fraction of requests (0–1)', { anchor: 'middle', rotate: -90 }),
  );
}

/** One polyline per series with its dash pattern, and markers staggered between series. */
function drawLines(out: string[], series: readonly CdfSeries[], { X, Y }: Plot): void {
  series.forEach((s, i) => {
    const colour = pick(SERIES_COLOURS, i);
    const dash = pick(DASH_PATTERNS, i);
    const n = s.ttftCdfNs.length;
    const pts = s.ttftCdfNs.map((v, k) => [X(v), Y(n > 1 ? k / (n - 1) : 1)] as const);
    out.push(`<g aria-label="${escapeXml(s.label)}">`);
    out.push(
      `<polyline points="${pts.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`,
    );
    const shape = markerShape(i);
    pts.forEach(([x, y], k) => {
      if ((k + i) % 5 === 0) out.push(marker(shape, x, y, 4, colour));
    });
    out.push('</g>');
  });
}

/** Direct labels at the line ends (spread so they do not collide), with leader lines. */
function drawEndLabels(out: string[], series: readonly CdfSeries[], { lo, X, Y }: Plot): void {
  const ends = series.map((s) => {
    const last = s.ttftCdfNs.at(-1) ?? lo;
    return [X(last), Y(1)] as const;
  });
  const labelYs = spread(
    ends.map(([, y]) => y),
    15,
    M.top,
    M.top + PH,
  );
  series.forEach((s, i) => {
    const [ex, ey] = ends[i] ?? [0, 0];
    const ly = labelYs[i] ?? ey;
    const lx = M.left + PW + 12;
    out.push(
      line(
        ex,
        ey,
        lx - 2,
        ly,
        `stroke="${pick(SERIES_COLOURS, i)}" stroke-width="1"${pick(DASH_PATTERNS, i) === '' ? '' : ` stroke-dasharray="2 2"`}`,
      ),
    );
    out.push(marker(markerShape(i), lx + 4, ly, 4, pick(SERIES_COLOURS, i)));
    out.push(text(lx + 12, ly + 4, s.label));
  });
}

/** The TTFT SLO: a vertical dashed line across the plot, labelled at its top. */
function drawSlo(out: string[], sloNs: number, { X }: Plot): void {
  const x = X(sloNs);
  out.push(
    `<g aria-label="TTFT SLO">${line(x, M.top, x, M.top + PH, 'stroke="#b00020" stroke-width="1.5" stroke-dasharray="6 3"')}${text(x, M.top - 6, `TTFT SLO ${formatTime(ns(sloNs))}`, { anchor: 'middle' })}</g>`,
  );
}
