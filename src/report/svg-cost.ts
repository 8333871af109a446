/**
 * The what-if report's cost vs goodput scatter plot (`podsim whatif --report`): one marked,
 * labelled point per topology, fabric cost per host on x and requests per second meeting the SLOs on y. A pure
 * string builder (src/report/svg.ts).
 */
import { formatMoney, usd } from '../units/index.ts';
import {
  escapeXml,
  SERIES_COLOURS,
  pick,
  markerShape,
  marker,
  open,
  text,
  line,
  linearTicks,
  spread,
  type ChartOptions,
} from './svg-kit.ts';

/** One point of the cost–goodput scatter. */
export interface CostPoint {
  readonly label: string;
  /** Fabric cost per host (USD). */
  readonly costPerHostUsd: number;
  /** Requests per second meeting the SLOs. */
  readonly goodputPerS: number;
}

/**
 * Cost vs goodput: one point per topology, each with its own marker shape and colour, labelled
 * in the right margin at its height with the same marker (no leader lines, which crossed).
 */
export function costGoodputSvg(points: readonly CostPoint[], options: ChartOptions): string {
  const W = 900;
  const H = 440;
  const m = { left: 80, right: 220, top: 40, bottom: 60 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const xt = linearTicks(
    Math.max(0, ...points.map((p) => p.costPerHostUsd).filter(Number.isFinite)) * 1.05,
  );
  const yt = linearTicks(
    Math.max(0, ...points.map((p) => p.goodputPerS).filter(Number.isFinite)) * 1.05,
  );
  const xMax = xt.at(-1) ?? 1;
  const yMax = yt.at(-1) ?? 1;
  const X = (v: number): number => m.left + (v / xMax) * pw;
  const Y = (v: number): number => m.top + (1 - v / yMax) * ph;
  const out: string[] = [];
  out.push(
    open(
      options.id,
      W,
      H,
      'Fabric cost per host vs goodput',
      `Scatter of fabric cost per host (x, US dollars) against goodput under the SLOs (y, requests per second). ${points.map((p) => `${p.label}: ${formatMoney(usd(p.costPerHostUsd))} per host, ${p.goodputPerS.toFixed(2)} requests/s`).join('; ')}.`,
    ),
  );
  out.push('<g stroke="#ddd">');
  for (const v of xt) out.push(line(X(v), m.top, X(v), m.top + ph, ''));
  for (const v of yt) out.push(line(m.left, Y(v), m.left + pw, Y(v), ''));
  out.push('</g>');
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
  );
  for (const v of xt)
    out.push(text(X(v), m.top + ph + 16, formatMoney(usd(v)), { anchor: 'middle' }));
  for (const v of yt) out.push(text(m.left - 6, Y(v) + 4, String(v), { anchor: 'end' }));
  out.push(text(m.left + pw / 2, H - 16, 'fabric cost per host (US$)', { anchor: 'middle' }));
  out.push(
    text(20, m.top + ph / 2, 'goodput under the SLOs (requests/s)', {
      anchor: 'middle',
      rotate: -90,
    }),
  );
  const pos = points.map((p) => [X(p.costPerHostUsd), Y(p.goodputPerS)] as const);
  const labelYs = spread(
    pos.map(([, y]) => y),
    15,
    m.top + 8,
    m.top + ph - 4,
  );
  points.forEach((p, i) => {
    const [x, y] = pos[i] ?? [0, 0];
    const colour = pick(SERIES_COLOURS, i);
    out.push(`<g aria-label="${escapeXml(p.label)}">`);
    out.push(
      `<title>${escapeXml(`${p.label}: ${formatMoney(usd(p.costPerHostUsd))} per host, ${p.goodputPerS.toFixed(2)} requests/s`)}</title>`,
    );
    out.push(marker(markerShape(i), x, y, 6, colour));
    // Labels sit in the right margin at their point's height (spread apart when points are
    // close), each with its point's marker and colour. No leader lines: points of equal
    // goodput at different costs made them cross (issue 14); the marker pairs label and point.
    const ly = labelYs[i] ?? y;
    const lx = m.left + pw + 12;
    out.push(marker(markerShape(i), lx + 5, ly, 4, colour));
    out.push(
      text(
        lx + 14,
        ly + 4,
        `${p.label} (${formatMoney(usd(p.costPerHostUsd))}, ${p.goodputPerS.toFixed(2)}/s)`,
        { size: 11 },
      ),
    );
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}
