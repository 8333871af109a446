/**
 * The what-if report's utilisation heat map (`podsim whatif --report`): per topology, its
 * busiest link directions and device media as shaded cells with the percentage printed. A pure string builder
 * (src/report/svg.ts).
 */
import { formatPercent } from '../units/index.ts';
import { escapeXml, fmt, open, text, type ChartOptions } from './svg-kit.ts';

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
