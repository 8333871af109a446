/**
 * The what-if report's reuse decision mix chart (`podsim whatif --report`): per topology, one
 * stacked bar of the shares of exact reuse, partial reuse and full prefill, each segment with
 * its own hatch pattern and printed percentage. A pure string builder (src/report/svg.ts).
 */
import { formatPercent } from '../units/index.ts';
import { escapeXml, fmt, open, text, line, type ChartOptions } from './svg-kit.ts';

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
