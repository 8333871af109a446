/**
 * The what-if report's utilisation heat map (`podsim whatif --report`): per topology, its
 * busiest link directions and device media, each named, as shaded bars with the percentage. A pure string builder
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

/** Busiest resources shown per topology (the Markdown table lists 5; the JSON keeps 20). */
export const HEATMAP_RESOURCES = 10;

/**
 * Utilisation heat map, labelled: one block per topology, one row per busy resource (its
 * {@link HEATMAP_RESOURCES} busiest link directions and device media, busiest first) with the
 * resource named on the left, a cell shaded by utilisation relative to the busiest of the chart
 * and the percentage printed beside it. Names are printed, not left to a tooltip.
 */
export function utilisationHeatmapSvg(rows: readonly HeatRow[], options: ChartOptions): string {
  const W = 1200;
  const m = { left: 340, right: 20, top: 40, bottom: 70 };
  const rh = 18;
  const shown = rows.map((r) => r.top.slice(0, HEATMAP_RESOURCES));
  const H = m.top + shown.reduce((s, t) => s + (t.length + 1) * rh + 8, 0) + m.bottom;
  const max = Math.max(1e-9, ...shown.flatMap((t) => t.map((x) => x.utilisation)));
  const barW = W - m.left - m.right - 70;
  const out: string[] = [];
  out.push(
    open(
      options.id,
      W,
      H,
      'Utilisation of the busiest resources per topology',
      `Heat map: for each topology its busiest resources (link directions and device media), busiest first, each named, shaded and sized by utilisation (darkest = ${formatPercent(max)}). ${rows.map((r) => `${r.label}: busiest ${r.top[0]?.id ?? 'none'} at ${formatPercent(r.top[0]?.utilisation ?? 0)}`).join('; ')}.`,
    ),
  );
  out.push(
    text(
      m.left,
      18,
      'utilisation of each resource over the run (bar length and shade; value in %)',
      {
        size: 12,
      },
    ),
  );
  let y = m.top;
  rows.forEach((r, i) => {
    out.push(text(8, y + rh - 4, r.label, { size: 13 }));
    y += rh;
    (shown[i] ?? []).forEach((t, k) => {
      const rel = t.utilisation / max;
      const w = Math.max(1, rel * barW);
      out.push(
        `<g><title>${escapeXml(`${r.label} #${k + 1}: ${t.id} — ${formatPercent(t.utilisation)}`)}</title>${text(m.left - 8, y + rh - 5, `${k + 1}. ${t.id}`, { anchor: 'end', size: 11 })}<rect x="${m.left}" y="${fmt(y + 2)}" width="${fmt(w)}" height="${rh - 4}" fill="${shade(rel)}" stroke="#999" stroke-width="0.5"/>${text(m.left + w + 6, y + rh - 5, formatPercent(t.utilisation), { size: 11 })}</g>`,
      );
      y += rh;
    });
    y += 8;
  });
  // Scale bar.
  const sy = y + 16;
  const steps = 10;
  for (let k = 0; k < steps; k++)
    out.push(
      `<rect x="${fmt(m.left + k * 30)}" y="${fmt(sy)}" width="30" height="14" fill="${shade((k + 0.5) / steps)}" stroke="#999" stroke-width="0.5"/>`,
    );
  out.push(text(m.left, sy + 30, '0 %', { anchor: 'middle', size: 11 }));
  out.push(text(m.left + steps * 30, sy + 30, formatPercent(max), { anchor: 'middle', size: 11 }));
  out.push(
    text(m.left + steps * 30 + 40, sy + 12, 'shade relative to the busiest resource of the chart', {
      size: 11,
    }),
  );
  out.push('</svg>');
  return out.join('\n');
}
