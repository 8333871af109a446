/**
 * The TTFT CDF chart (issue 14: no line at the SLO, and its legend drawn twice): with an SLO a
 * labelled vertical line sits at the SLO's x, and each series is named once.
 */
import { describe, expect, it } from 'vitest';
import { ttftCdfSvg } from '../../src/report/svg.ts';

// Two series rising linearly over 0.5–5 s (51 points each).
const cdf = (scale: number): number[] =>
  Array.from({ length: 51 }, (_, k) => scale * (5e8 + k * 9e7));
const series = [
  { label: 'octopus-96', ttftCdfNs: cdf(1) },
  { label: 'rdma-96x3', ttftCdfNs: cdf(1.2) },
];

describe('ttftCdfSvg', () => {
  it('names each series once (direct labels are the legend)', () => {
    const svg = ttftCdfSvg(series, { id: 't' });
    for (const s of series) expect(svg.split(`>${s.label}<`).length - 1).toBe(1);
  });

  it('draws the TTFT SLO as a labelled vertical line at its x', () => {
    const svg = ttftCdfSvg(series, { id: 't', ttftSloNs: 3e9 });
    const g = /<g aria-label="TTFT SLO"><line x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"/.exec(svg);
    expect(g).not.toBeNull();
    expect(g?.[1]).toBe(g?.[2]); // vertical
    expect(svg).toContain('TTFT SLO 3.00 s');
    expect(ttftCdfSvg(series, { id: 't' })).not.toContain('TTFT SLO');
  });
});
