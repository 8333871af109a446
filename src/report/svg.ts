/**
 * Hand-written SVG charts for the what-if report (`podsim whatif --report`): the TTFT CDF per
 * topology, the reuse decision mix, a utilisation heat map, cost vs goodput, and a drawing of
 * each topology. Pure string builders (docs/design.md convention §6): data in, one `<svg>` element out, no DOM.
 *
 * Why hand-written: no maintained SVG chart library for Node without a DOM fits a small, pure,
 * synchronous `(data) → string` renderer. D3's chart code works through DOM selections (jsdom
 * needed), Chart.js draws on a canvas, Plotly needs a browser, and Vega renders SVG headless
 * only through its asynchronous view runtime. The closest is ECharts' server-side
 * `renderToSVGString` (DOM-free), but it is a ≈ 1 MB dependency with a stateful
 * init/render/dispose lifecycle and its own id and number formatting, which would make the
 * golden outputs hostage to its releases. Five charts are ≈ 700 lines here.
 *
 * Every chart is readable without colour (dash patterns, marker shapes, hatch patterns,
 * printed numbers), carries `role="img"`, a `<title>` and a `<desc>` referenced by
 * `aria-labelledby`, labels its axes with units and uses `font-family: sans-serif`. Output is
 * deterministic: coordinates are rounded to 0.1 and all text goes through {@link escapeXml}.
 * Ids inside a chart start with the caller's `id`, so several charts can share one HTML page.
 */
import type { NodeAttributes, TopologyGraph } from '../topology/types.ts';
import { formatMoney, formatPercent, formatTime, ns, usd } from '../units/index.ts';

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/** Escapes text for XML/HTML character data and double- or single-quoted attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/** A coordinate rounded to 0.1 (user units), without `-0`: deterministic across platforms. */
export function fmt(v: number): string {
  const r = Math.round(v * 10) / 10;
  return String(r === 0 ? 0 : r);
}

/** Marker shapes, in the order series get them. */
export const MARKER_SHAPES = [
  'circle',
  'square',
  'triangle',
  'diamond',
  'cross',
  'triangle-down',
  'plus',
  'star',
] as const;
/** A marker shape. */
export type MarkerShape = (typeof MARKER_SHAPES)[number];

/** Stroke dash patterns (`stroke-dasharray`), in the order series get them; `''` is solid. */
export const DASH_PATTERNS = [
  '',
  '8 4',
  '2 3',
  '10 3 2 3',
  '4 4',
  '12 3 2 3 2 3',
  '1 5',
  '16 4',
] as const;

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies). */
export const SERIES_COLOURS = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
] as const;

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

/** The i-th series' marker shape. */
export function markerShape(i: number): MarkerShape {
  return pick(MARKER_SHAPES, i);
}

/**
 * One marker as an SVG element centred on (x, y).
 * @param r half-size of the marker (user units)
 */
export function marker(
  shape: MarkerShape,
  x: number,
  y: number,
  r: number,
  fill: string,
  stroke = '#000',
): string {
  const p = (pts: readonly (readonly [number, number])[]): string =>
    `<polygon points="${pts.map(([a, b]) => `${fmt(x + a * r)},${fmt(y + b * r)}`).join(' ')}" fill="${fill}" stroke="${stroke}" stroke-width="1"/>`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="${fmt(r)}" fill="${fill}" stroke="${stroke}" stroke-width="1"/>`;
    case 'square':
      return `<rect x="${fmt(x - r * 0.9)}" y="${fmt(y - r * 0.9)}" width="${fmt(1.8 * r)}" height="${fmt(1.8 * r)}" fill="${fill}" stroke="${stroke}" stroke-width="1"/>`;
    case 'triangle':
      return p([
        [0, -1.15],
        [1.05, 0.85],
        [-1.05, 0.85],
      ]);
    case 'triangle-down':
      return p([
        [0, 1.15],
        [1.05, -0.85],
        [-1.05, -0.85],
      ]);
    case 'diamond':
      return p([
        [0, -1.2],
        [1.2, 0],
        [0, 1.2],
        [-1.2, 0],
      ]);
    case 'cross':
      return `<path d="M${fmt(x - r)},${fmt(y - r)}L${fmt(x + r)},${fmt(y + r)}M${fmt(x - r)},${fmt(y + r)}L${fmt(x + r)},${fmt(y - r)}" stroke="${fill}" stroke-width="2.5" fill="none"/>`;
    case 'plus':
      return `<path d="M${fmt(x - r * 1.1)},${fmt(y)}H${fmt(x + r * 1.1)}M${fmt(x)},${fmt(y - r * 1.1)}V${fmt(y + r * 1.1)}" stroke="${fill}" stroke-width="2.5" fill="none"/>`;
    case 'star': {
      const pts: [number, number][] = [];
      for (let k = 0; k < 10; k++) {
        const a = -Math.PI / 2 + (k * Math.PI) / 5;
        const rr = k % 2 === 0 ? 1.25 : 0.55;
        pts.push([rr * Math.cos(a), rr * Math.sin(a)]);
      }
      return p(pts);
    }
  }
}

/** Options every chart takes. */
export interface ChartOptions {
  /** Prefix of every id in the chart (title, desc, patterns); unique within the page. Letters, digits, `-`, `_`. */
  readonly id: string;
}

/** The `<svg>` opening with role, aria-labelledby, title and desc. */
function open(id: string, width: number, height: number, title: string, desc: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="sans-serif" font-size="12">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(desc)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  ].join('\n');
}

interface TextOptions {
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly size?: number;
  readonly weight?: 'bold';
  readonly fill?: string;
  /** A white outline behind the glyphs so the text reads on any background. */
  readonly halo?: boolean;
  readonly rotate?: number;
}

function text(x: number, y: number, s: string, o: TextOptions = {}): string {
  const attrs = [
    `x="${fmt(x)}"`,
    `y="${fmt(y)}"`,
    ...(o.anchor === undefined || o.anchor === 'start' ? [] : [`text-anchor="${o.anchor}"`]),
    ...(o.size === undefined ? [] : [`font-size="${o.size}"`]),
    ...(o.weight === undefined ? [] : [`font-weight="${o.weight}"`]),
    ...(o.fill === undefined ? [] : [`fill="${o.fill}"`]),
    ...(o.halo === true ? ['stroke="#fff" stroke-width="3" paint-order="stroke"'] : []),
    ...(o.rotate === undefined ? [] : [`transform="rotate(${o.rotate} ${fmt(x)} ${fmt(y)})"`]),
  ];
  return `<text ${attrs.join(' ')}>${escapeXml(s)}</text>`;
}

const line = (x1: number, y1: number, x2: number, y2: number, style: string): string =>
  `<line x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}" ${style}/>`;

/** "Nice" linear ticks covering [0, max]: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function linearTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let k = 0; k * step <= max * (1 + 1e-9) + step; k++) {
    out.push(Number((k * step).toPrecision(12)));
    if (k * step >= max) break;
  }
  return out;
}

/** Ticks of a log axis over [lo, hi] (lo > 0): decades, plus 2× and 5× when fewer than 3 decades. */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const steps = b - a <= 3 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let k = a; k <= b; k++)
    for (const m of steps) out.push(Number((m * 10 ** k).toPrecision(12)));
  return out.filter((v) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9));
}

/**
 * Spreads label positions (sorted ascending) so neighbours are at least `gap` apart, keeping
 * them inside [lo, hi] when possible. Returns new positions in the input order.
 */
function spread(ys: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((p, q) => p.y - q.y || p.i - q.i);
  const out = order.map((o) => Math.max(lo, o.y));
  for (let k = 1; k < out.length; k++)
    out[k] = Math.max(out[k] as number, (out[k - 1] as number) + gap);
  const over = (out.at(-1) ?? hi) - hi;
  if (over > 0)
    for (let k = 0; k < out.length; k++) out[k] = Math.max(lo, (out[k] as number) - over);
  const res: number[] = new Array<number>(ys.length).fill(0);
  order.forEach((o, k) => (res[o.i] = out[k] as number));
  return res;
}

/** A legend: one row per entry, drawn by `swatch` at (x, y) with the label after it. */
function legend(
  x: number,
  y: number,
  entries: readonly string[],
  swatch: (i: number, x: number, y: number) => string,
  rowHeight = 16,
): string {
  return [
    `<g>`,
    ...entries.map(
      (e, i) => `${swatch(i, x, y + i * rowHeight)}${text(x + 34, y + i * rowHeight + 4, e)}`,
    ),
    `</g>`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// 1. TTFT CDF
// ---------------------------------------------------------------------------------------------

/** One line of the TTFT CDF. */
export interface CdfSeries {
  readonly label: string;
  /** TTFT at percentiles 0, 2, … 100 (ns): `SimResult.ttftCdfNs`. */
  readonly ttftCdfNs: readonly number[];
}

/**
 * TTFT CDF per topology: x = TTFT on a log scale (ticks in ns/µs/ms/s), y = fraction of
 * requests 0–1. Each line has its own dash pattern and marker shape (markers every 10
 * percentiles, staggered between series so overlapping lines stay distinguishable), a legend,
 * and a direct label at its end.
 */
export function ttftCdfSvg(series: readonly CdfSeries[], options: ChartOptions): string {
  const W = 900;
  const H = 440;
  const m = { left: 70, right: 190, top: 40, bottom: 60 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const all = series.flatMap((s) => s.ttftCdfNs).filter((v) => v > 0 && Number.isFinite(v));
  // Domain: the data's range widened to quarter decades.
  const lo = 10 ** (Math.floor(Math.log10(all.length === 0 ? 1e6 : Math.min(...all)) * 4) / 4);
  let hi = 10 ** (Math.ceil(Math.log10(all.length === 0 ? 1e7 : Math.max(...all)) * 4) / 4);
  if (hi <= lo) hi = lo * 10;
  const X = (v: number): number =>
    m.left +
    ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * pw;
  const Y = (f: number): number => m.top + (1 - f) * ph;
  const out: string[] = [];
  const names = series.map((s) => s.label).join(', ');
  out.push(
    open(
      options.id,
      W,
      H,
      'Time to first token: cumulative distribution per topology',
      `Cumulative distribution of time to first token (log scale) for ${series.length} topologies: ${names}. ${series.map((s) => `${s.label}: median ${formatTime(ns(s.ttftCdfNs[25] ?? 0))}, p90 ${formatTime(ns(s.ttftCdfNs[45] ?? 0))}, max ${formatTime(ns(s.ttftCdfNs.at(-1) ?? 0))}`).join('; ')}.`,
    ),
  );
  // Grid and axes.
  out.push('<g stroke="#ddd" stroke-width="1">');
  for (const f of [0, 0.25, 0.5, 0.75, 1]) out.push(line(m.left, Y(f), m.left + pw, Y(f), ''));
  const ticks = logTicks(lo, hi);
  for (const v of ticks) out.push(line(X(v), m.top, X(v), m.top + ph, ''));
  out.push('</g>');
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
  );
  for (const f of [0, 0.25, 0.5, 0.75, 1])
    out.push(text(m.left - 6, Y(f) + 4, f.toFixed(2), { anchor: 'end' }));
  for (const v of ticks)
    out.push(text(X(v), m.top + ph + 16, formatTime(ns(v), 1), { anchor: 'middle' }));
  out.push(text(m.left + pw / 2, H - 16, 'time to first token (log scale)', { anchor: 'middle' }));
  out.push(
    text(18, m.top + ph / 2, 'fraction of requests (0–1)', { anchor: 'middle', rotate: -90 }),
  );
  // Lines with markers.
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
  // Direct labels at the line ends (spread so they do not collide), with leader lines.
  const ends = series.map((s) => {
    const last = s.ttftCdfNs.at(-1) ?? lo;
    return [X(last), Y(1)] as const;
  });
  const labelYs = spread(
    ends.map(([, y]) => y),
    15,
    m.top,
    m.top + ph,
  );
  series.forEach((s, i) => {
    const [ex, ey] = ends[i] ?? [0, 0];
    const ly = labelYs[i] ?? ey;
    const lx = m.left + pw + 12;
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
  // Legend (line sample with its dash and marker) at the top left inside the plot.
  const legendH = series.length * 16 + 8;
  out.push(
    `<rect x="${m.left + 8}" y="${m.top + 8}" width="220" height="${legendH}" fill="#fff" fill-opacity="0.9" stroke="#999"/>`,
  );
  out.push(
    legend(
      m.left + 16,
      m.top + 20,
      series.map((s) => s.label),
      (i, x, y) => {
        const dash = pick(DASH_PATTERNS, i);
        return `${line(x, y, x + 26, y, `stroke="${pick(SERIES_COLOURS, i)}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}`)}${marker(markerShape(i), x + 13, y, 4, pick(SERIES_COLOURS, i))}`;
      },
    ),
  );
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// 2. Decision mix
// ---------------------------------------------------------------------------------------------

/** One bar of the decision mix: request counts per decision. */
export interface DecisionMixRow {
  readonly label: string;
  readonly exact: number;
  readonly partial: number;
  readonly fullPrefill: number;
}

const DECISIONS = [
  { key: 'exact', name: 'exact reuse', colour: '#0072B2', pattern: 'diagonal' },
  { key: 'partial', name: 'partial reuse (layers recomputed)', colour: '#E69F00', pattern: 'dots' },
  { key: 'fullPrefill', name: 'full prefill', colour: '#D55E00', pattern: 'cross' },
] as const;

/** The three hatch patterns (colour underneath, a black texture over it). */
function hatchPatterns(id: string): string {
  const defs = DECISIONS.map((d) => {
    const pid = `${id}-${d.key}`;
    const base = `<rect width="8" height="8" fill="${d.colour}"/>`;
    const tex =
      d.pattern === 'diagonal'
        ? '<path d="M-2,2L2,-2M0,8L8,0M6,10L10,6" stroke="#000" stroke-opacity="0.45" stroke-width="1.5"/>'
        : d.pattern === 'dots'
          ? '<circle cx="2" cy="2" r="1.3" fill="#000" fill-opacity="0.5"/><circle cx="6" cy="6" r="1.3" fill="#000" fill-opacity="0.5"/>'
          : '<path d="M0,4H8M4,0V8" stroke="#000" stroke-opacity="0.45" stroke-width="1.2"/>';
    return `<pattern id="${pid}" patternUnits="userSpaceOnUse" width="8" height="8">${base}${tex}</pattern>`;
  });
  return `<defs>\n${defs.join('\n')}\n</defs>`;
}

/**
 * Decision mix: one stacked horizontal bar per topology (exact / partial / full prefill as a
 * share of requests), each segment filled with a hatch pattern over its colour and its
 * percentage written in it (beside the bar when the segment is too narrow).
 */
export function decisionMixSvg(rows: readonly DecisionMixRow[], options: ChartOptions): string {
  const W = 900;
  const barH = 28;
  const gap = 14;
  const m = { left: 200, right: 40, top: 40, bottom: 90 };
  const pw = W - m.left - m.right;
  const H = m.top + rows.length * (barH + gap) + m.bottom;
  const share = (r: DecisionMixRow, k: (typeof DECISIONS)[number]['key']): number => {
    const n = r.exact + r.partial + r.fullPrefill;
    return n > 0 ? r[k] / n : 0;
  };
  const out: string[] = [];
  out.push(
    open(
      options.id,
      W,
      H,
      'Reuse decision mix per topology',
      `Share of requests served by exact reuse, partial reuse and full prefill. ${rows.map((r) => `${r.label}: ${DECISIONS.map((d) => `${d.name} ${formatPercent(share(r, d.key))}`).join(', ')}`).join('; ')}.`,
    ),
  );
  out.push(hatchPatterns(options.id));
  const X = (f: number): number => m.left + f * pw;
  out.push('<g stroke="#ddd">');
  for (const f of [0, 0.25, 0.5, 0.75, 1])
    out.push(line(X(f), m.top - 6, X(f), m.top + rows.length * (barH + gap) - gap + 6, ''));
  out.push('</g>');
  rows.forEach((r, i) => {
    const y = m.top + i * (barH + gap);
    out.push(`<g aria-label="${escapeXml(r.label)}">`);
    out.push(text(m.left - 8, y + barH / 2 + 4, r.label, { anchor: 'end' }));
    let acc = 0;
    const narrow: string[] = [];
    for (const d of DECISIONS) {
      const f = share(r, d.key);
      const x0 = X(acc);
      const w = f * pw;
      acc += f;
      if (w <= 0) continue;
      out.push(
        `<rect x="${fmt(x0)}" y="${fmt(y)}" width="${fmt(w)}" height="${barH}" fill="url(#${options.id}-${d.key})" stroke="#000" stroke-width="1"><title>${escapeXml(`${r.label}: ${d.name} ${formatPercent(f)} (${r[d.key]} requests)`)}</title></rect>`,
      );
      const label = formatPercent(f, 2);
      if (w >= 8 * label.length)
        out.push(
          text(x0 + w / 2, y + barH / 2 + 4, label, {
            anchor: 'middle',
            weight: 'bold',
            halo: true,
          }),
        );
      else narrow.push(`${d.name.split(' ')[0] ?? ''} ${label}`);
    }
    if (narrow.length > 0)
      out.push(text(X(1), y + barH + 11, narrow.join(', '), { anchor: 'end', size: 10 }));
    out.push('</g>');
  });
  const axisY = m.top + rows.length * (barH + gap) - gap + 8;
  for (const f of [0, 0.25, 0.5, 0.75, 1])
    out.push(text(X(f), axisY + 14, `${f * 100} %`, { anchor: 'middle' }));
  out.push(text(m.left + pw / 2, axisY + 32, 'share of requests (%)', { anchor: 'middle' }));
  // Legend in one row under the axis.
  const ly = axisY + 52;
  let lx = m.left;
  for (const d of DECISIONS) {
    out.push(
      `<rect x="${fmt(lx)}" y="${ly - 9}" width="26" height="14" fill="url(#${options.id}-${d.key})" stroke="#000"/>`,
    );
    out.push(text(lx + 32, ly + 2, d.name));
    lx += 60 + d.name.length * 7;
  }
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// 3. Utilisation heat map
// ---------------------------------------------------------------------------------------------

/** One row of the heat map: a topology's busiest resources, busiest first. */
export interface HeatRow {
  readonly label: string;
  /** `SimResult.utilisation.top` (fractions 0–1). */
  readonly top: readonly { readonly id: string; readonly utilisation: number }[];
}

/** White → dark blue; `t` in [0, 1]. */
function shade(t: number): string {
  const c = Math.max(0, Math.min(1, t));
  const mix = (a: number, b: number): string =>
    Math.round(a + (b - a) * c)
      .toString(16)
      .padStart(2, '0');
  return `#${mix(0xf7, 0x08)}${mix(0xfb, 0x30)}${mix(0xff, 0x6b)}`;
}

/**
 * Utilisation heat map: one row per topology, one cell per busy resource (its 20 busiest link
 * directions and device media, busiest first), shaded by utilisation relative to the busiest
 * cell of the chart, the percentage printed in every cell and the resource id as its tooltip.
 */
export function utilisationHeatmapSvg(rows: readonly HeatRow[], options: ChartOptions): string {
  const cells = Math.max(1, ...rows.map((r) => r.top.length));
  const W = 1200;
  const m = { left: 200, right: 20, top: 56, bottom: 70 };
  const cw = (W - m.left - m.right) / cells;
  const ch = 30;
  const H = m.top + rows.length * ch + m.bottom;
  const max = Math.max(1e-9, ...rows.flatMap((r) => r.top.map((t) => t.utilisation)));
  const out: string[] = [];
  out.push(
    open(
      options.id,
      W,
      H,
      'Utilisation of the busiest resources per topology',
      `Heat map: for each topology its ${cells} busiest resources (link directions and device media), busiest first, shaded by utilisation (darkest = ${formatPercent(max)}). ${rows.map((r) => `${r.label}: busiest ${r.top[0]?.id ?? 'none'} at ${formatPercent(r.top[0]?.utilisation ?? 0)}`).join('; ')}.`,
    ),
  );
  out.push(
    text(
      m.left + (cells * cw) / 2,
      18,
      'rank of the resource within its topology (1 = busiest); cell value = utilisation (%)',
      { anchor: 'middle' },
    ),
  );
  for (let k = 0; k < cells; k++)
    out.push(
      text(m.left + (k + 0.5) * cw, m.top - 8, String(k + 1), { anchor: 'middle', size: 11 }),
    );
  rows.forEach((r, i) => {
    const y = m.top + i * ch;
    out.push(text(m.left - 8, y + ch / 2 + 4, r.label, { anchor: 'end' }));
    r.top.forEach((t, k) => {
      const x = m.left + k * cw;
      const rel = t.utilisation / max;
      out.push(
        `<g><title>${escapeXml(`${r.label} #${k + 1}: ${t.id} — ${formatPercent(t.utilisation)}`)}</title><rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(cw)}" height="${ch}" fill="${shade(rel)}" stroke="#fff"/>${text(x + cw / 2, y + ch / 2 + 4, (t.utilisation * 100).toFixed(t.utilisation >= 0.1 ? 0 : 1), { anchor: 'middle', size: 11, fill: rel > 0.55 ? '#fff' : '#000' })}</g>`,
      );
    });
  });
  // Scale bar.
  const sy = m.top + rows.length * ch + 24;
  const steps = 10;
  for (let k = 0; k < steps; k++)
    out.push(
      `<rect x="${fmt(m.left + k * 30)}" y="${sy}" width="30" height="14" fill="${shade((k + 0.5) / steps)}" stroke="#999" stroke-width="0.5"/>`,
    );
  out.push(text(m.left, sy + 30, '0 %', { anchor: 'middle', size: 11 }));
  out.push(text(m.left + steps * 30, sy + 30, formatPercent(max), { anchor: 'middle', size: 11 }));
  out.push(
    text(
      m.left + steps * 30 + 40,
      sy + 12,
      'utilisation (shade relative to the busiest cell; hover a cell for its resource id)',
      { size: 11 },
    ),
  );
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// 4. Cost vs goodput
// ---------------------------------------------------------------------------------------------

/** One point of the cost–goodput scatter. */
export interface CostPoint {
  readonly label: string;
  /** Fabric cost per host (USD). */
  readonly costPerHostUsd: number;
  /** Requests per second meeting the SLOs. */
  readonly goodputPerS: number;
}

/** Cost vs goodput: one labelled point per topology, each with its own marker shape and colour. */
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
    // Labels sit in the right margin, joined to their point by a leader line.
    const ly = labelYs[i] ?? y;
    const lx = m.left + pw + 12;
    out.push(line(x + 7, y, lx - 2, ly, 'stroke="#999" stroke-width="0.8"'));
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

// ---------------------------------------------------------------------------------------------
// 5. Topology drawing
// ---------------------------------------------------------------------------------------------

type Tier = 'spine' | 'tor' | 'host' | 'switch' | 'device';

const TIERS: readonly Tier[] = ['spine', 'tor', 'host', 'switch', 'device'];

/** The drawn tier of a node, or undefined for GPUs and NICs (folded into their host). */
function tierOf(a: NodeAttributes): Tier | undefined {
  switch (a.kind) {
    case 'host':
      return 'host';
    case 'mhd':
    case 'memory-device':
      return 'device';
    case 'cxl-switch':
      return 'switch';
    case 'tor':
      return 'tor';
    case 'spine':
      return 'spine';
    default:
      return undefined;
  }
}

const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/**
 * A drawing of one topology: hosts as squares in a row, grouped by island (or by rack when
 * hosts have no island), memory devices (MHDs, switched memory devices) as circles below, CXL
 * switches as diamonds between them, ToR and spine switches as triangles above. CXL links are
 * thin solid lines, network links dashed (a NIC's cable is drawn from its host); GPUs and NICs
 * are not drawn. Switches and devices are ordered by the mean position of what they connect
 * to, so the drawing stays legible up to about 100 hosts and 200 devices.
 */
export function topologySvg(
  graph: TopologyGraph,
  options: ChartOptions & { readonly label?: string },
): string {
  const W = 1200;
  const H = 420;
  const left = 30;
  const right = 30;
  const name = options.label ?? graph.getAttribute('name');
  const byTier: Record<Tier, string[]> = { spine: [], tor: [], host: [], switch: [], device: [] };
  const owner = new Map<string, string>(); // GPU/NIC → host
  graph.forEachNode((id, a) => {
    const t = tierOf(a);
    if (t !== undefined) byTier[t].push(id);
    else if (a.kind === 'gpu' || a.kind === 'nic') owner.set(id, a.host);
  });
  // Rows from top to bottom, only for the tiers present (hosts leave room for group labels).
  const present = TIERS.filter((t) => byTier[t].length > 0);
  const TIER_Y = {} as Record<Tier, number>;
  const top = 40;
  const bottom = H - 80;
  present.forEach(
    (t, k) =>
      (TIER_Y[t] =
        present.length === 1
          ? (top + bottom) / 2
          : top + (k * (bottom - top)) / (present.length - 1) + (t === 'host' && k === 0 ? 30 : 0)),
  );
  for (const t of TIERS) TIER_Y[t] ??= 0;
  const drawn = (id: string): string | undefined => (owner.has(id) ? owner.get(id) : id);
  // Edges between drawn nodes, deduplicated (a host's two NICs to one ToR are one line).
  const edges = new Map<string, { a: string; b: string; kind: 'cxl' | 'network' }>();
  const neighbours = new Map<string, Set<string>>();
  graph.forEachEdge((_e, attrs, s, t) => {
    if (attrs.kind === 'pcie') return;
    const a = drawn(s);
    const b = drawn(t);
    if (a === undefined || b === undefined || a === b) return;
    const [p, q] = natural(a, b) <= 0 ? [a, b] : [b, a];
    edges.set(`${p}\u0000${q}`, { a: p, b: q, kind: attrs.kind });
    for (const [u, v] of [
      [a, b],
      [b, a],
    ] as const) {
      const set = neighbours.get(u) ?? new Set<string>();
      set.add(v);
      neighbours.set(u, set);
    }
  });
  // Hosts: grouped by island when any host has one, else by rack.
  const hostAttrs = (id: string): NodeAttributes => graph.getNodeAttributes(id);
  const byIsland = byTier.host.some((h) => {
    const a = hostAttrs(h);
    return a.kind === 'host' && a.island !== undefined;
  });
  const groupOf = (h: string): number => {
    const a = hostAttrs(h);
    if (a.kind !== 'host') return 0;
    return byIsland ? (a.island ?? -1) : a.placement.rack;
  };
  const groups = new Map<number, string[]>();
  for (const h of byTier.host) groups.set(groupOf(h), [...(groups.get(groupOf(h)) ?? []), h]);
  const groupKeys = [...groups.keys()].sort((a, b) => a - b);
  for (const k of groupKeys) groups.get(k)?.sort(natural);
  const groupGap = 24;
  const usable = W - left - right - groupGap * Math.max(0, groupKeys.length - 1);
  const hostStep = usable / Math.max(1, byTier.host.length);
  const hostSize = Math.max(3, Math.min(14, hostStep * 0.75));
  const pos = new Map<string, readonly [number, number]>();
  const groupSpans: { key: number; x0: number; x1: number }[] = [];
  let x = left;
  for (const k of groupKeys) {
    const hs = groups.get(k) ?? [];
    const x0 = x;
    for (const h of hs) {
      pos.set(h, [x + hostStep / 2, TIER_Y.host]);
      x += hostStep;
    }
    groupSpans.push({ key: k, x0, x1: x });
    x += groupGap;
  }
  // Other tiers: evenly spaced, ordered by the barycentre of already placed neighbours.
  const placeTier = (tier: Tier, y: number, rows = 1): void => {
    const ids = byTier[tier];
    if (ids.length === 0) return;
    const bary = new Map<string, number>();
    for (const id of ids) {
      const xs = [...(neighbours.get(id) ?? [])]
        .map((n) => pos.get(n)?.[0])
        .filter((v): v is number => v !== undefined);
      bary.set(
        id,
        xs.length === 0 ? Number.POSITIVE_INFINITY : xs.reduce((s, v) => s + v, 0) / xs.length,
      );
    }
    const sorted = [...ids].sort(
      (a, b) => (bary.get(a) ?? 0) - (bary.get(b) ?? 0) || natural(a, b),
    );
    const step = (W - left - right) / sorted.length;
    sorted.forEach((id, k) =>
      pos.set(id, [left + (k + 0.5) * step, y + (rows > 1 ? (k % rows) * 16 - 8 : 0)]),
    );
  };
  placeTier('switch', TIER_Y.switch);
  placeTier('tor', TIER_Y.tor);
  placeTier('spine', TIER_Y.spine);
  placeTier('device', TIER_Y.device, byTier.device.length > 100 ? 2 : 1);
  const deviceStep = (W - left - right) / Math.max(1, byTier.device.length);
  const deviceR = Math.max(2, Math.min(7, deviceStep * (byTier.device.length > 100 ? 0.8 : 0.4)));
  const switchR = Math.max(
    4,
    Math.min(10, ((W - left - right) / Math.max(1, byTier.switch.length)) * 0.3),
  );
  const triR = 9;

  const cxlLinks = [...edges.values()].filter((e) => e.kind === 'cxl').length;
  const netLinks = [...edges.values()].length - cxlLinks;
  const out: string[] = [];
  out.push(
    open(
      options.id,
      W,
      H,
      `Topology ${name}`,
      `Drawing of ${name}: ${byTier.host.length} hosts in ${groupKeys.length} ${byIsland ? 'islands' : 'racks'}, ${byTier.device.length} memory devices, ${byTier.switch.length} CXL switches, ${byTier.tor.length} ToR and ${byTier.spine.length} spine switches; ${cxlLinks} CXL links (solid) and ${netLinks} network links (dashed, NIC cables drawn from their host).`,
    ),
  );
  // Links first, under the nodes.
  const seg = (e: { a: string; b: string }): string => {
    const [x1, y1] = pos.get(e.a) ?? [0, 0];
    const [x2, y2] = pos.get(e.b) ?? [0, 0];
    return `M${fmt(x1)},${fmt(y1)}L${fmt(x2)},${fmt(y2)}`;
  };
  const sortedEdges = [...edges.values()].sort((p, q) => natural(p.a, q.a) || natural(p.b, q.b));
  const cxlPath = sortedEdges
    .filter((e) => e.kind === 'cxl')
    .map(seg)
    .join('');
  const netPath = sortedEdges
    .filter((e) => e.kind === 'network')
    .map(seg)
    .join('');
  if (cxlPath !== '')
    out.push(
      `<path d="${cxlPath}" stroke="#0072B2" stroke-opacity="0.45" stroke-width="${cxlLinks > 300 ? 0.4 : 0.8}" fill="none"/>`,
    );
  if (netPath !== '')
    out.push(
      `<path d="${netPath}" stroke="#555" stroke-opacity="0.7" stroke-width="0.8" stroke-dasharray="4 3" fill="none"/>`,
    );
  // Group labels and brackets.
  for (const g of groupSpans) {
    out.push(
      line(
        g.x0 + 1,
        TIER_Y.host - hostSize / 2 - 10,
        g.x1 - 1,
        TIER_Y.host - hostSize / 2 - 10,
        'stroke="#333" stroke-width="1"',
      ),
    );
    out.push(
      text(
        (g.x0 + g.x1) / 2,
        TIER_Y.host - hostSize / 2 - 14,
        `${byIsland ? 'island' : 'rack'} ${g.key}`,
        { anchor: 'middle', size: 11 },
      ),
    );
  }
  // Nodes, one element each with its id as a tooltip.
  const node = (id: string, shapeSvg: string): string =>
    `<g><title>${escapeXml(id)}</title>${shapeSvg}</g>`;
  for (const h of byTier.host) {
    const [hx, hy] = pos.get(h) ?? [0, 0];
    out.push(
      node(
        h,
        `<rect x="${fmt(hx - hostSize / 2)}" y="${fmt(hy - hostSize / 2)}" width="${fmt(hostSize)}" height="${fmt(hostSize)}" fill="#ddd" stroke="#000" stroke-width="0.8"/>`,
      ),
    );
  }
  for (const d of byTier.device) {
    const [dx, dy] = pos.get(d) ?? [0, 0];
    out.push(
      node(
        d,
        `<circle cx="${fmt(dx)}" cy="${fmt(dy)}" r="${fmt(deviceR)}" fill="#56B4E9" stroke="#000" stroke-width="0.6"/>`,
      ),
    );
  }
  for (const s of byTier.switch) {
    const [sx, sy] = pos.get(s) ?? [0, 0];
    out.push(node(s, marker('diamond', sx, sy, switchR, '#E69F00')));
  }
  for (const t of [...byTier.tor, ...byTier.spine]) {
    const [tx, ty] = pos.get(t) ?? [0, 0];
    out.push(
      node(
        t,
        marker(
          'triangle',
          tx,
          ty,
          triR,
          graph.getNodeAttribute(t, 'kind') === 'spine' ? '#999' : '#fff',
        ),
      ),
    );
  }
  // Tier labels on the left.
  const tierLabel: readonly [Tier, string][] = [
    ['spine', 'spine'],
    ['tor', 'ToR'],
    ['host', 'hosts'],
    ['switch', 'CXL switches'],
    ['device', 'memory devices'],
  ];
  for (const [t, s] of tierLabel)
    if (byTier[t].length > 0)
      out.push(
        text(4, TIER_Y[t] - 14 + (t === 'host' ? -16 : 0), `${s} (${byTier[t].length})`, {
          size: 10,
          fill: '#333',
        }),
      );
  // Legend along the bottom.
  const ly = H - 22;
  const items: [string, string][] = [
    ['host', `<rect x="-5" y="-5" width="10" height="10" fill="#ddd" stroke="#000"/>`],
    ['memory device (MHD / behind a switch)', `<circle r="5" fill="#56B4E9" stroke="#000"/>`],
    ['CXL switch', marker('diamond', 0, 0, 5, '#E69F00')],
    ['ToR (white) / spine (grey)', marker('triangle', 0, 0, 6, '#fff')],
    ['CXL link', `<path d="M-12,0H12" stroke="#0072B2" stroke-width="1.5"/>`],
    [
      'network link',
      `<path d="M-12,0H12" stroke="#555" stroke-width="1.5" stroke-dasharray="4 3"/>`,
    ],
  ];
  let lx = left;
  for (const [label, sw] of items) {
    out.push(`<g transform="translate(${fmt(lx + 12)} ${ly})">${sw}</g>`);
    out.push(text(lx + 30, ly + 4, label, { size: 11 }));
    lx += 40 + label.length * 6.2;
  }
  out.push('</svg>');
  return out.join('\n');
}
