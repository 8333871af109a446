/**
 * The shared pieces of the report's hand-written SVG charts (src/report/svg.ts explains why they
 * are hand-written): XML escaping and coordinate rounding, the colour-blind-safe series styles
 * (colours, dash patterns, marker shapes), the `<svg>` opening with its accessible title and
 * description, text and line elements, axis ticks, label spreading and legends.
 */

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

/** The `i`-th item of a style list, cycling when there are more series than styles. */
export const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

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
export function open(
  id: string,
  width: number,
  height: number,
  title: string,
  desc: string,
): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="sans-serif" font-size="12">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(desc)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  ].join('\n');
}

/** Optional attributes of a {@link text} element. */
export interface TextOptions {
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly size?: number;
  readonly weight?: 'bold';
  readonly fill?: string;
  /** A white outline behind the glyphs so the text reads on any background. */
  readonly halo?: boolean;
  readonly rotate?: number;
}

/** A `<text>` element at (x, y) with its content escaped. */
export function text(x: number, y: number, s: string, o: TextOptions = {}): string {
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

/** A `<line>` element from (x1, y1) to (x2, y2) with extra attributes `style`. */
export const line = (x1: number, y1: number, x2: number, y2: number, style: string): string =>
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
export function spread(ys: readonly number[], gap: number, lo: number, hi: number): number[] {
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
export function legend(
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
