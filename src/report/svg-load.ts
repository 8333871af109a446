/**
 * The what-if report's load–latency chart (`podsim whatif --rates … --report DIR`): for one
 * fabric, TTFT p99 against the offered rate, one marked line per policy, the TTFT SLO as a
 * dashed line and each curve's knee (docs/whatif.md "The knee") as a vertical marker with its
 * rate. House style of src/report/svg-ttft.ts; a pure string builder.
 */
import type { LoadCurve } from '../sim/whatif.ts';
import { formatTime, ns } from '../units/index.ts';
import {
  DASH_PATTERNS,
  SERIES_COLOURS,
  escapeXml,
  fmt,
  legend,
  line,
  linearTicks,
  logTicks,
  marker,
  markerShape,
  open,
  pick,
  text,
  type ChartOptions,
} from './svg-kit.ts';
import { formatRate } from './whatif-load.ts';

/** Chart size, margins and plot area (user units). */
const W = 900;
const H = 420;
const M = { left: 80, right: 40, top: 40, bottom: 60 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

/** The axes' domains and maps. */
interface Plot {
  readonly xMax: number;
  readonly lo: number;
  readonly hi: number;
  readonly X: (ratePerS: number) => number;
  readonly Y: (ttftNs: number) => number;
}

/** The plot for the curves: x linear from 0 to the highest rate, y log over TTFT p99 and the SLO. */
function plotOf(curves: readonly LoadCurve[]): Plot {
  const rates = curves.flatMap((k) => k.points.map((p) => p.ratePerS));
  const ys = [
    ...curves.flatMap((k) => k.points.map((p) => p.ttftP99Ns)),
    ...curves.map((k) => k.ttftSloNs),
  ].filter((v) => v > 0 && Number.isFinite(v));
  const ticks = linearTicks(Math.max(1, ...rates));
  const xMax = ticks.at(-1) ?? 1;
  const lo = 10 ** Math.floor(Math.log10(ys.length === 0 ? 1e6 : Math.min(...ys)));
  let hi = 10 ** Math.ceil(Math.log10(ys.length === 0 ? 1e9 : Math.max(...ys)));
  if (hi <= lo) hi = lo * 10;
  return {
    xMax,
    lo,
    hi,
    X: (r) => M.left + (r / xMax) * PW,
    Y: (v) =>
      M.top +
      (1 - (Math.log10(Math.min(hi, Math.max(v, lo))) - Math.log10(lo)) / Math.log10(hi / lo)) * PH,
  };
}

/**
 * TTFT p99 vs offered rate on one fabric: one line per policy (own dash and marker), the TTFT
 * SLO dashed, and each curve's knee as a vertical line labelled `knee <rate>` (none when even
 * the lowest rate misses the SLOs; the desc says so).
 */
export function loadLatencySvg(
  fabric: string,
  curves: readonly LoadCurve[],
  options: ChartOptions,
): string {
  const plot = plotOf(curves);
  const out: string[] = [];
  const knees = curves
    .map(
      (k) =>
        `${k.policy}: knee ${k.kneeRatePerS === null ? 'below the lowest rate' : formatRate(k.kneeRatePerS)}`,
    )
    .join('; ');
  out.push(
    open(
      options.id,
      W,
      H,
      `TTFT p99 vs offered load on ${fabric}`,
      `TTFT p99 (log scale) against the offered Poisson rate on ${fabric}, one line per policy, the TTFT SLO dashed. ${knees}.`,
    ),
  );
  drawAxes(out, plot, curves[0]?.ttftSloNs ?? 0);
  curves.forEach((k, i) => drawCurve(out, k, i, plot));
  // legend at the bottom right: the knee labels sit at the top, the lines rise to the right
  const legendH = curves.length * 16 + 8;
  const lx = M.left + PW - 208;
  const ly = M.top + PH - legendH - 8;
  out.push(
    `<rect x="${lx}" y="${ly}" width="200" height="${legendH}" fill="#fff" fill-opacity="0.9" stroke="#999"/>`,
    legend(
      lx + 8,
      ly + 12,
      curves.map((k) => k.policy),
      (i, x, y) =>
        `${line(x, y, x + 26, y, `stroke="${pick(SERIES_COLOURS, i)}" stroke-width="2"${dashAttr(i)}`)}${marker(markerShape(i), x + 13, y, 4, pick(SERIES_COLOURS, i))}`,
    ),
    '</svg>',
  );
  return out.join('\n');
}

const dashAttr = (i: number): string =>
  pick(DASH_PATTERNS, i) === '' ? '' : ` stroke-dasharray="${pick(DASH_PATTERNS, i)}"`;

/** Grid, frame, ticks, axis titles and the SLO line. */
function drawAxes(out: string[], { xMax, lo, hi, X, Y }: Plot, sloNs: number): void {
  const xs = linearTicks(xMax);
  const ys = logTicks(lo, hi);
  out.push('<g stroke="#ddd" stroke-width="1">');
  for (const v of ys) out.push(line(M.left, Y(v), M.left + PW, Y(v), ''));
  for (const r of xs) out.push(line(X(r), M.top, X(r), M.top + PH, ''));
  out.push('</g>');
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#333"/>`,
  );
  for (const v of ys) out.push(text(M.left - 6, Y(v) + 4, formatTime(ns(v), 1), { anchor: 'end' }));
  for (const r of xs) out.push(text(X(r), M.top + PH + 16, String(r), { anchor: 'middle' }));
  out.push(
    text(M.left + PW / 2, H - 16, 'offered rate (requests per second)', { anchor: 'middle' }),
  );
  out.push(text(18, M.top + PH / 2, 'TTFT p99 (log scale)', { anchor: 'middle', rotate: -90 }));
  if (sloNs > 0) {
    out.push(
      `<g aria-label="TTFT SLO">`,
      line(
        M.left,
        Y(sloNs),
        M.left + PW,
        Y(sloNs),
        'stroke="#b00" stroke-width="1.5" stroke-dasharray="8 4"',
      ),
      text(M.left + PW - 6, Y(sloNs) - 6, `TTFT SLO ${formatTime(ns(sloNs))}`, {
        anchor: 'end',
        fill: '#b00',
        halo: true,
      }),
      '</g>',
    );
  }
}

/** One policy's line with a marker at every point, and its knee. */
function drawCurve(out: string[], k: LoadCurve, i: number, { X, Y }: Plot): void {
  const colour = pick(SERIES_COLOURS, i);
  const pts = k.points.map((p) => [X(p.ratePerS), Y(p.ttftP99Ns)] as const);
  out.push(`<g aria-label="${escapeXml(k.policy)}">`);
  out.push(
    `<polyline points="${pts.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dashAttr(i)}/>`,
  );
  for (const [x, y] of pts) out.push(marker(markerShape(i), x, y, 4, colour));
  out.push('</g>');
  if (k.kneeRatePerS === null) return;
  const x = X(k.kneeRatePerS);
  const knee = k.points.find((p) => p.ratePerS === k.kneeRatePerS);
  const label = `knee ${formatRate(k.kneeRatePerS)} (${k.policy})`;
  out.push(
    `<g class="knee" aria-label="${escapeXml(label)}">`,
    line(x, M.top, x, M.top + PH, `stroke="${colour}" stroke-width="1.5" stroke-dasharray="2 3"`),
    `<circle cx="${fmt(x)}" cy="${fmt(Y(knee?.ttftP99Ns ?? 0))}" r="9" fill="none" stroke="${colour}" stroke-width="2"/>`,
    text(x + 4, M.top + 14 + 14 * i, label, { fill: colour, halo: true }),
    '</g>',
  );
}
