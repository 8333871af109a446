/**
 * The capacity report's frontier chart (`podsim capacity --report DIR`, issue 14 item 7): total
 * cost of each configuration (fabric family × host count) on x against the highest offered rate
 * meeting the SLOs on y, one marked line per family through its sizes, the cost-vs-rate Pareto
 * frontier as a grey step line behind them, the plan's target rate dashed and the cheapest
 * configuration meeting it ringed. House style of src/report/svg-cost.ts and svg-load.ts; a pure
 * string builder (src/report/svg.ts says why the charts are hand-written).
 */
import { formatMoney, usd } from '../units/index.ts';
import {
  DASH_PATTERNS,
  SERIES_COLOURS,
  escapeXml,
  fmt,
  legend,
  line,
  linearTicks,
  marker,
  markerShape,
  open,
  pick,
  text,
  type ChartOptions,
} from './svg-kit.ts';
import { formatRate } from './whatif-load.ts';

/** One configuration: a family at one host count. */
export interface FrontierPoint {
  readonly hosts: number;
  /** Total cost of the configuration, USD. */
  readonly totalUsd: number;
  /** Highest offered rate meeting the SLOs, requests per second (0 when even the lowest tried rate missed). */
  readonly maxRatePerS: number;
  /** On the cost-vs-rate Pareto frontier (no other configuration costs no more and sustains at least as much, one strictly). */
  readonly onFrontier: boolean;
}

/** One fabric family's configurations; no points when none of its sizes ran. */
export interface FrontierSeries {
  readonly family: string;
  readonly points: readonly FrontierPoint[];
}

/** Options of {@link frontierSvg}. */
export interface FrontierChartOptions extends ChartOptions {
  /** The plan's target rate (requests/s): a dashed horizontal line, labelled. */
  readonly targetRatePerS?: number;
  /** The cheapest configuration meeting the plan (family + hosts): ringed and labelled "cheapest". */
  readonly cheapest?: { readonly family: string; readonly hosts: number };
}

/**
 * Chart size, margins and plot area, user units: the width of the what-if charts
 * (src/report/svg-cost.ts, 900) so the pages look alike; a 200-unit right margin holds the
 * legend (≈ 25 characters of family name after its swatch). Layout choices, not data.
 */
const W = 900;
const H = 460;
const M = { left: 90, right: 200, top: 40, bottom: 60 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
/** Point labels' font size, a step below the axis text (12) as in svg-cost.ts's labels. */
const LABEL_SIZE = 11;
/** Width of one label character at 11 units (estimate: sans-serif glyphs average ≈ 0.55 em; 0.6 em leaves room). */
const CHAR_W = 6.6;
/** Height of a label's box: its font size plus a unit of air (estimate). */
const LABEL_H = 12;
/** Half-size of a point's marker: a little larger than svg-load.ts's 4, as points here are few and labelled. */
const MARKER_R = 5;
/** Radius of the ring around the cheapest configuration: clear of the marker (5) by 6 units. */
const RING_R = 11;
/** The target line's colour: the SLO lines' red of svg-load.ts, so "a line to meet" reads alike. */
const TARGET_COLOUR = '#b00';
/** The frontier: a wide light-grey step line, so the series drawn over it stay readable. */
const FRONTIER_STYLE = 'stroke="#bbb" stroke-width="6" stroke-linejoin="round" fill="none"';

/** A drawn point: its series index (colour and shape), family, data and position. */
interface Placed {
  readonly i: number;
  readonly family: string;
  readonly p: FrontierPoint;
  readonly x: number;
  readonly y: number;
  readonly cheapest: boolean;
}

/** A label position: anchor x, baseline y, text anchor. */
type Spot = readonly [number, number, 'start' | 'middle' | 'end'];

/** An axis-aligned box (label or marker), for overlap checks. */
interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

const finite = (p: FrontierPoint): boolean =>
  Number.isFinite(p.totalUsd) && Number.isFinite(p.maxRatePerS) && Number.isFinite(p.hosts);

const dashAttr = (i: number): string =>
  pick(DASH_PATTERNS, i) === '' ? '' : ` stroke-dasharray="${pick(DASH_PATTERNS, i)}"`;

/**
 * A configuration's highest rate meeting the SLOs in words: `150 /s`, or, for 0 (even the lowest
 * rate the search tried missed them), that it is below that rate: the true value is unknown.
 */
export const sustainedRateWords = (ratePerS: number): string =>
  ratePerS > 0 ? formatRate(ratePerS) : 'below the lowest rate tried';

const pointWords = (family: string, p: FrontierPoint): string =>
  `${family}, ${p.hosts} hosts: ${formatMoney(usd(p.totalUsd))}, ${sustainedRateWords(p.maxRatePerS)}${p.onFrontier ? ' (frontier)' : ''}`;

/** The chart's description: every point in words, the frontier, target, cheapest and families that did not run. */
function describe(
  drawn: readonly FrontierSeries[],
  failed: readonly string[],
  front: readonly Placed[],
  options: FrontierChartOptions,
  ringed: boolean,
): string {
  const parts = [
    'Total cost of each configuration (x, US dollars) against the highest offered rate meeting the SLOs (y, requests per second), one line per fabric family through its sizes, the cost-vs-rate Pareto frontier as a grey step line.',
  ];
  if (drawn.length === 0) parts.push('No configuration ran: nothing to chart.');
  for (const s of drawn) parts.push(`${s.points.map((p) => pointWords(s.family, p)).join('; ')}.`);
  if (front.length > 0)
    parts.push(
      `Pareto frontier: ${front.map((q) => `${q.family} ${q.p.hosts} hosts`).join(', ')}.`,
    );
  if (targetOf(options) !== undefined)
    parts.push(`Target rate: ${formatRate(targetOf(options) ?? 0)}.`);
  if (ringed && options.cheapest !== undefined)
    parts.push(
      `Cheapest configuration meeting the plan: ${options.cheapest.family}, ${options.cheapest.hosts} hosts.`,
    );
  if (failed.length > 0) parts.push(`Not drawn, no size ran: ${failed.join(', ')}.`);
  return parts.join(' ');
}

/** The target rate when it is drawn (finite and positive). */
const targetOf = (o: FrontierChartOptions): number | undefined =>
  o.targetRatePerS !== undefined && Number.isFinite(o.targetRatePerS) && o.targetRatePerS > 0
    ? o.targetRatePerS
    : undefined;

/**
 * Ticks of the cost axis: a 1/2/5 × 10^k step (that of {@link linearTicks} over the costs' span
 * with 5 % of room either side), from the last multiple of it at or below the cheapest to the
 * first at or above the dearest. Zoomed on the costs rather than from $0: candidate sizes of one
 * plan often cost within a factor of two of each other, and from $0 they would crowd one corner.
 */
function costTicks(minUsd: number, maxUsd: number): number[] {
  if (!(maxUsd >= minUsd)) return [0, 1]; // no points: the axes are not drawn
  const lo = Math.max(0, minUsd * 0.95);
  const hi = maxUsd * 1.05;
  const step = linearTicks(hi - lo)[1] ?? 1;
  const start = Math.floor(lo / step) * step;
  const out: number[] = [];
  for (let k = 0; k < 100; k++) {
    const v = Number((start + k * step).toPrecision(12));
    out.push(v);
    if (v >= hi && out.length >= 2) break;
  }
  return out;
}

/** Axis maps: x linear over the cost ticks ({@link costTicks}), y over [0, a nice tick ≥ 1.05 × the highest rate or target]. */
function axes(
  points: readonly FrontierPoint[],
  target: number | undefined,
): {
  xt: number[];
  yt: number[];
  X: (usd: number) => number;
  Y: (ratePerS: number) => number;
} {
  const costs = points.map((p) => p.totalUsd);
  const xt = costTicks(Math.min(...costs), Math.max(...costs));
  const yt = linearTicks(Math.max(0, target ?? 0, ...points.map((p) => p.maxRatePerS)) * 1.05);
  const xMin = xt[0] ?? 0;
  const xMax = xt.at(-1) ?? 1;
  const yMax = yt.at(-1) ?? 1;
  return {
    xt,
    yt,
    X: (v) => M.left + ((v - xMin) / (xMax - xMin)) * PW,
    Y: (v) => M.top + (1 - v / yMax) * PH,
  };
}

/** Grid, frame, tick labels (money on x) and axis titles. */
function drawAxes(out: string[], a: ReturnType<typeof axes>): void {
  out.push('<g stroke="#ddd" stroke-width="1">');
  for (const v of a.xt) out.push(line(a.X(v), M.top, a.X(v), M.top + PH, ''));
  for (const v of a.yt) out.push(line(M.left, a.Y(v), M.left + PW, a.Y(v), ''));
  out.push('</g>');
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#333"/>`,
  );
  for (const v of a.xt)
    out.push(text(a.X(v), M.top + PH + 16, formatMoney(usd(v)), { anchor: 'middle' }));
  for (const v of a.yt) out.push(text(M.left - 6, a.Y(v) + 4, String(v), { anchor: 'end' }));
  out.push(
    text(M.left + PW / 2, H - 16, 'total cost of the configuration (US$)', { anchor: 'middle' }),
  );
  out.push(
    text(20, M.top + PH / 2, 'highest rate meeting the SLOs (requests/s)', {
      anchor: 'middle',
      rotate: -90,
    }),
  );
}

/** The frontier as a step line: from each frontier point right to the next one's cost, then up to its rate. */
function frontierPath(front: readonly Placed[]): string {
  const [first, ...rest] = front;
  if (first === undefined) return '';
  const d = [`M${fmt(first.x)},${fmt(first.y)}`, ...rest.map((q) => `H${fmt(q.x)}V${fmt(q.y)}`)];
  return `<path class="frontier" d="${d.join('')}" ${FRONTIER_STYLE}/>`;
}

/** The boxes the frontier's step segments cover (its stroke width either side), kept free of labels. */
function frontierBoxes(front: readonly Placed[]): Box[] {
  const out: Box[] = [];
  for (let k = 1; k < front.length; k++) {
    const a = front[k - 1] as Placed;
    const b = front[k] as Placed;
    out.push({ x0: a.x, y0: a.y - 3, x1: b.x, y1: a.y + 3 });
    out.push({ x0: b.x - 3, y0: Math.min(a.y, b.y), x1: b.x + 3, y1: Math.max(a.y, b.y) });
  }
  return out;
}

/** Whether two boxes overlap. */
const overlaps = (a: Box, b: Box): boolean =>
  a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** A label's box from its anchor point, baseline and text. */
function labelBox(x: number, baseline: number, s: string, anchor: 'start' | 'middle' | 'end'): Box {
  const w = [...s].length * CHAR_W;
  const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
  return { x0, y0: baseline - LABEL_H + 3, x1: x0 + w, y1: baseline + 3 };
}

/** Half-size of the area a point keeps free of labels: its marker, or the ring of the cheapest. */
const keepOut = (q: Placed): number => (q.cheapest ? RING_R + 1 : MARKER_R + 1);

/**
 * Places each point's label next to it without overlapping another label, a marker, the ring or
 * the target label: right, left, above, below, upper right, lower right, in that order; when all
 * collide, further below on the right until free. Deterministic: points in cost order.
 */
function placeLabels(placed: readonly Placed[], taken: Box[]): string[] {
  const inside = (b: Box): boolean =>
    b.x0 >= M.left + 2 && b.x1 <= M.left + PW - 2 && b.y0 >= M.top + 2 && b.y1 <= M.top + PH - 2;
  for (const q of placed) {
    const r = keepOut(q);
    taken.push({ x0: q.x - r, y0: q.y - r, x1: q.x + r, y1: q.y + r });
  }
  const out: string[] = [];
  const order = placed
    .map((q, k) => ({ q, k }))
    .sort((a, b) => a.q.x - b.q.x || a.q.y - b.q.y || a.k - b.k);
  for (const { q } of order) {
    const s = q.cheapest ? `${q.p.hosts} hosts, cheapest` : `${q.p.hosts} hosts`;
    const r = keepOut(q);
    const tries: Spot[] = [
      [q.x + r + 3, q.y + 4, 'start'],
      [q.x - r - 3, q.y + 4, 'end'],
      [q.x, q.y - r - 4, 'middle'],
      [q.x, q.y + r + 12, 'middle'],
      [q.x + r, q.y - r - 2, 'start'],
      [q.x + r, q.y + r + 10, 'start'],
      ...Array.from({ length: 24 }, (_, k): Spot => [q.x + r + 3, q.y + r + 23 + 13 * k, 'start']),
    ];
    const free = (t: Spot): boolean => {
      const b = labelBox(t[0], t[1], s, t[2]);
      return inside(b) && !taken.some((o) => overlaps(o, b));
    };
    const [x, y, anchor] = tries.find(free) ?? (tries[0] as Spot);
    taken.push(labelBox(x, y, s, anchor));
    const style = { anchor, size: LABEL_SIZE, halo: true, fill: pick(SERIES_COLOURS, q.i) };
    out.push(text(x, y, s, q.cheapest ? { ...style, weight: 'bold' as const } : style));
  }
  return out;
}

/** One family's line and markers, each point with a tooltip. */
function drawSeries(out: string[], family: string, pts: readonly Placed[]): void {
  const i = pts[0]?.i ?? 0;
  const colour = pick(SERIES_COLOURS, i);
  out.push(`<g class="series" aria-label="${escapeXml(family)}">`);
  if (pts.length > 1)
    out.push(
      `<polyline points="${pts.map((q) => `${fmt(q.x)},${fmt(q.y)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dashAttr(i)}/>`,
    );
  for (const q of pts)
    out.push(
      `<g aria-label="${escapeXml(`${family}, ${q.p.hosts} hosts`)}"><title>${escapeXml(pointWords(family, q.p))}</title>${marker(markerShape(i), q.x, q.y, MARKER_R, colour)}</g>`,
    );
  out.push('</g>');
}

/** The legend in the right margin: the drawn families, then the frontier, target and cheapest ring when drawn. */
function drawLegend(
  out: string[],
  families: readonly { family: string; i: number }[],
  extras: { frontier: boolean; target: boolean; cheapest: boolean },
): void {
  const entries: { label: string; swatch: (x: number, y: number) => string }[] = families.map(
    ({ family, i }) => ({
      label: family,
      swatch: (x, y) =>
        `${line(x, y, x + 26, y, `stroke="${pick(SERIES_COLOURS, i)}" stroke-width="2"${dashAttr(i)}`)}${marker(markerShape(i), x + 13, y, 4, pick(SERIES_COLOURS, i))}`,
    }),
  );
  if (extras.frontier)
    entries.push({
      label: 'Pareto frontier',
      swatch: (x, y) => `<path d="M${x},${y + 4}H${x + 13}V${y - 4}H${x + 26}" ${FRONTIER_STYLE}/>`,
    });
  if (extras.target)
    entries.push({
      label: 'target',
      swatch: (x, y) =>
        line(
          x,
          y,
          x + 26,
          y,
          `stroke="${TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="8 4"`,
        ),
    });
  if (extras.cheapest)
    entries.push({
      label: 'cheapest (ringed)',
      swatch: (x, y) =>
        `<circle cx="${x + 13}" cy="${y}" r="7" fill="none" stroke="#000" stroke-width="2"/>`,
    });
  const lx = M.left + PW + 16;
  out.push(
    legend(
      lx,
      M.top + 12,
      entries.map((e) => e.label),
      (k, x, y) => entries[k]?.swatch(x, y) ?? '',
    ),
  );
}

/** The target rate as a dashed line across the plot, labelled at its right end; returns the label's box. */
function drawTarget(out: string[], target: number, y: number): Box {
  const label = `target ${formatRate(target)}`;
  out.push(
    `<g class="target" aria-label="${escapeXml(label)}">`,
    line(
      M.left,
      y,
      M.left + PW,
      y,
      `stroke="${TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="8 4"`,
    ),
    text(M.left + PW - 6, y - 6, label, { anchor: 'end', fill: TARGET_COLOUR, halo: true }),
    '</g>',
  );
  return labelBox(M.left + PW - 6, y - 6, label, 'end');
}

/**
 * Cost vs the highest rate meeting the SLOs, one line per fabric family (own colour, dash and
 * marker shape) through its sizes in ascending host order, each point labelled with its host
 * count; the Pareto frontier drawn once as a grey step line behind the series; the target rate
 * dashed and labelled; the cheapest configuration ringed; one legend listing only what is drawn.
 * Families without a point (none of their sizes ran) are not drawn but named in the `<desc>`;
 * with nothing to draw the chart says so. Points with a non-finite cost or rate are skipped.
 */
export function frontierSvg(
  series: readonly FrontierSeries[],
  options: FrontierChartOptions,
): string {
  const kept = series.map((s, i) => ({
    i,
    family: s.family,
    points: s.points.filter(finite).sort((a, b) => a.hosts - b.hosts || a.totalUsd - b.totalUsd),
  }));
  const drawn = kept.filter((s) => s.points.length > 0);
  const failed = kept.filter((s) => s.points.length === 0).map((s) => s.family);
  const target = targetOf(options);
  const a = axes(
    drawn.flatMap((s) => s.points),
    target,
  );
  const ch = options.cheapest;
  const placed: Placed[][] = drawn.map((s) =>
    s.points.map((p) => ({
      i: s.i,
      family: s.family,
      p,
      x: a.X(p.totalUsd),
      y: a.Y(p.maxRatePerS),
      cheapest: ch !== undefined && ch.family === s.family && ch.hosts === p.hosts,
    })),
  );
  const all = placed.flat();
  const front = all
    .filter((q) => q.p.onFrontier)
    .sort((p, q) => p.p.totalUsd - q.p.totalUsd || p.p.maxRatePerS - q.p.maxRatePerS);
  const ringed = all.find((q) => q.cheapest);
  const out = [
    open(
      options.id,
      W,
      H,
      'Total cost vs highest rate meeting the SLOs',
      describe(drawn, failed, front, options, ringed !== undefined),
    ),
  ];
  if (drawn.length === 0) {
    out.push(
      `<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#333"/>`,
      text(M.left + PW / 2, M.top + PH / 2, 'No configuration ran: nothing to chart.', {
        anchor: 'middle',
      }),
      '</svg>',
    );
    return out.join('\n');
  }
  drawAxes(out, a);
  if (front.length > 0) out.push(frontierPath(front));
  const taken: Box[] = frontierBoxes(front);
  if (target !== undefined) taken.push(drawTarget(out, target, a.Y(target)));
  drawn.forEach((s, k) => drawSeries(out, s.family, placed[k] ?? []));
  if (ringed !== undefined)
    out.push(
      `<circle class="cheapest" cx="${fmt(ringed.x)}" cy="${fmt(ringed.y)}" r="${RING_R}" fill="none" stroke="#000" stroke-width="2"/>`,
    );
  out.push('<g class="labels">', ...placeLabels(all, taken), '</g>');
  drawLegend(out, drawn, {
    frontier: front.length > 0,
    target: target !== undefined,
    cheapest: ringed !== undefined,
  });
  out.push('</svg>');
  return out.join('\n');
}
