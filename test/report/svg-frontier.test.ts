/**
 * The capacity frontier chart (src/report/svg-frontier.ts): positions derived by hand from the
 * axis maps, the Pareto step line through exactly the frontier points, the target line, the
 * cheapest ring, a legend listing once each thing drawn and nothing else, labels that do not
 * overlap, well-formed and deterministic output, and the edge cases (nothing ran, one point,
 * every rate 0, a family none of whose sizes ran).
 */
import { describe, expect, it } from 'vitest';
import { frontierSvg, SERIES_COLOURS, type FrontierSeries } from '../../src/report/svg.ts';
import { parseXml, type XmlElement } from '../helpers/xml.ts';
import { CROWDED_SERIES } from './capacity-report-input.ts';

const series = (
  family: string,
  pts: readonly [number, number, number, boolean][],
): FrontierSeries => ({
  family,
  points: pts.map(([hosts, totalUsd, maxRatePerS, onFrontier]) => ({
    hosts,
    totalUsd,
    maxRatePerS,
    onFrontier,
  })),
});

function all(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}
const byClass = (el: XmlElement, cls: string): XmlElement[] =>
  [el, ...el.children.flatMap((c) => byClass(c, cls))].filter((e) => e.attrs['class'] === cls);
const texts = (el: XmlElement): string[] => all(el, 'text').map((t) => t.text);
const desc = (el: XmlElement): string => all(el, 'desc')[0]?.text ?? '';

/*
 * The two-family case. Pareto by hand: beta 8 ($200,000, 40 /s) is beaten by alpha 8 ($100,000,
 * 50 /s) on both; alpha 8, alpha 16 ($300,000, 150 /s) and beta 16 ($400,000, 200 /s) each buy
 * more rate for more money, so they form the frontier. With a 180 /s target, beta 16 is the
 * cheapest meeting it.
 *
 * Axes: plot area x ∈ [90, 700] (width 900 − 90 − 200 = 610), y ∈ [40, 400] (460 − 40 − 60 =
 * 360). x (cost ticks): the span from 0.95 × $100,000 = 95,000 to 1.05 × $400,000 = 420,000
 * is 325,000; linearTicks(325,000) steps by 10^5 (raw step 65,000, magnitude 10^4, first nice
 * step ≥ it); the last multiple ≤ 95,000 is 0 and the first ≥ 420,000 is 500,000, so
 * X(v) = 90 + v / 500,000 × 610. y: linearTicks(max(200, 180) × 1.05 = 210): raw 42, magnitude
 * 10 → step 50, ticks 0 … 250, so Y(v) = 40 + (1 − v / 250) × 360.
 *   X(100k) = 212, X(200k) = 334, X(300k) = 456, X(400k) = 578;
 *   Y(50) = 328, Y(40) = 342.4, Y(150) = 184, Y(200) = 112, Y(180) = 140.8.
 */
const TWO = [
  series('alpha', [
    [16, 300_000, 150, true],
    [8, 100_000, 50, true],
  ]),
  series('beta', [
    [8, 200_000, 40, false],
    [16, 400_000, 200, true],
  ]),
];
const FULL = { id: 'f', targetRatePerS: 180, cheapest: { family: 'beta', hosts: 16 } };

describe('frontierSvg: positions and overlays', () => {
  const svgText = frontierSvg(TWO, FULL);
  const svg = parseXml(svgText);

  it('places each point from the axis maps derived above, with money ticks on x', () => {
    const point = (label: string): XmlElement | undefined =>
      all(svg, 'g').find((g) => g.attrs['aria-label'] === label);
    const a8 = all(point('alpha, 8 hosts') as XmlElement, 'circle')[0];
    expect([a8?.attrs['cx'], a8?.attrs['cy']]).toEqual(['212', '328']);
    // beta's squares are 1.8 r = 9 wide, centred: 334 − 4.5, 342.4 − 4.5
    const b8 = all(point('beta, 8 hosts') as XmlElement, 'rect')[0];
    expect([b8?.attrs['x'], b8?.attrs['y'], b8?.attrs['width']]).toEqual(['329.5', '337.9', '9']);
    const t = texts(svg);
    for (const m of ['$0', '$100,000', '$200,000', '$300,000', '$400,000', '$500,000'])
      expect(t).toContain(m);
    for (const v of ['0', '50', '100', '150', '200', '250']) expect(t).toContain(v);
  });

  it('draws each family as a line through its sizes in ascending host order', () => {
    const lines = all(svg, 'polyline').map((l) => l.attrs['points']);
    expect(lines).toEqual(['212,328 456,184', '334,342.4 578,112']);
  });

  it('draws the Pareto frontier once, as a step line through exactly the frontier points', () => {
    const paths = byClass(svg, 'frontier');
    expect(paths).toHaveLength(1);
    // right to the next point's cost, then up to its rate: the corners (456, 328) and (578, 184)
    expect(paths[0]?.attrs['d']).toBe('M212,328H456V184H578V112');
  });

  it('draws the target dashed at Y(180) = 140.8 with its label, and rings the cheapest once', () => {
    const target = byClass(svg, 'target')[0] as XmlElement;
    const l = all(target, 'line')[0];
    expect([l?.attrs['y1'], l?.attrs['y2'], l?.attrs['stroke-dasharray']]).toEqual([
      '140.8',
      '140.8',
      '8 4',
    ]);
    expect(texts(target)).toEqual(['target 180 /s']);
    const rings = byClass(svg, 'cheapest');
    expect(rings).toHaveLength(1);
    expect([rings[0]?.attrs['cx'], rings[0]?.attrs['cy']]).toEqual(['578', '112']);
    expect(texts(svg).filter((s) => s.includes('cheapest'))).toEqual([
      '16 hosts, cheapest',
      'cheapest (ringed)',
    ]);
  });

  it('labels every point with its host count; the legend names each drawn thing once', () => {
    const labels = texts(byClass(svg, 'labels')[0] as XmlElement);
    expect([...labels].sort()).toEqual(['16 hosts', '16 hosts, cheapest', '8 hosts', '8 hosts']);
    for (const e of ['alpha', 'beta', 'Pareto frontier', 'target', 'cheapest (ringed)'])
      expect(texts(svg).filter((s) => s === e)).toHaveLength(1);
  });

  it('keeps labels off the frontier: alpha 8 is labelled on its left, where the step line is not', () => {
    // Right of the point (x from 212 + 6 + 3 = 221, box 323–335 around baseline 332) the label
    // would sit on the step line's first run (y = 328, 212 → 456); the next spot is the left,
    // ending at 212 − 9 = 203.
    const labels = all(byClass(svg, 'labels')[0] as XmlElement, 'text');
    const a8 = labels.find((t) => t.text === '8 hosts' && t.attrs['fill'] === SERIES_COLOURS[0]);
    expect([a8?.attrs['x'], a8?.attrs['y'], a8?.attrs['text-anchor']]).toEqual([
      '203',
      '332',
      'end',
    ]);
  });

  it('says every point, the frontier, the target and the cheapest in its desc', () => {
    const d = desc(svg);
    expect(d).toContain('alpha, 8 hosts: $100,000, 50 /s (frontier)');
    expect(d).toContain('beta, 8 hosts: $200,000, 40 /s;');
    expect(d).toContain('Pareto frontier: alpha 8 hosts, alpha 16 hosts, beta 16 hosts.');
    expect(d).toContain('Target rate: 180 /s.');
    expect(d).toContain('Cheapest configuration meeting the plan: beta, 16 hosts.');
    expect(svg.attrs['aria-labelledby']).toBe('f-title f-desc');
  });

  it('rounds every coordinate to one decimal at most (deterministic across platforms)', () => {
    const out = frontierSvg(CROWDED_SERIES, { id: 'd', targetRatePerS: 113.3 });
    for (const m of out.matchAll(/\s(?:x|y|x1|y1|x2|y2|cx|cy|r|width|height)="([^"]+)"/g))
      expect(m[1]).toMatch(/^-?\d+(\.\d)?$/);
    for (const m of out.matchAll(/\s(?:d|points)="([^"]+)"/g))
      for (const n of m[1]?.match(/-?[\d.]+/g) ?? []) expect(n).toMatch(/^-?\d+(\.\d)?$/);
  });

  it('is deterministic, and the order points are given in does not matter', () => {
    expect(frontierSvg(TWO, FULL)).toBe(svgText);
    const shuffled = TWO.map((s) => ({ ...s, points: [...s.points].reverse() }));
    expect(frontierSvg(shuffled, FULL)).toBe(svgText);
  });
});

describe('frontierSvg: only what is drawn', () => {
  it('no frontier, target or cheapest: no step line, no dashed target, no ring, none in the legend', () => {
    const plain = TWO.map((s) => ({
      ...s,
      points: s.points.map((p) => ({ ...p, onFrontier: false })),
    }));
    const svg = parseXml(frontierSvg(plain, { id: 'p' }));
    expect(byClass(svg, 'frontier')).toHaveLength(0);
    expect(byClass(svg, 'target')).toHaveLength(0);
    expect(byClass(svg, 'cheapest')).toHaveLength(0);
    const t = texts(svg);
    for (const e of ['Pareto frontier', 'target', 'cheapest (ringed)']) expect(t).not.toContain(e);
    expect(t.filter((s) => s === 'alpha' || s === 'beta')).toHaveLength(2);
  });

  it('a cheapest configuration that is not among the points is not ringed', () => {
    const svg = parseXml(frontierSvg(TWO, { id: 'q', cheapest: { family: 'beta', hosts: 32 } }));
    expect(byClass(svg, 'cheapest')).toHaveLength(0);
    expect(texts(svg)).not.toContain('cheapest (ringed)');
  });

  it('a family none of whose sizes ran is not drawn, named in the desc, and does not shift colours', () => {
    const svg = parseXml(frontierSvg([series('gamma', []), ...TWO], { id: 'g' }));
    expect(texts(svg)).not.toContain('gamma');
    expect(desc(svg)).toContain('Not drawn, no size ran: gamma.');
    // alpha is the second series given: it keeps the second colour and shape (a square)
    const lines = all(svg, 'polyline');
    expect(lines[0]?.attrs['stroke']).toBe(SERIES_COLOURS[1]);
    const a8 = all(svg, 'g').find((g) => g.attrs['aria-label'] === 'alpha, 8 hosts');
    expect(all(a8 as XmlElement, 'rect')).toHaveLength(1);
  });
});

describe('frontierSvg: edge cases', () => {
  it('nothing ran: a valid chart that says so', () => {
    for (const input of [[], [series('gamma', [])]]) {
      const svg = parseXml(frontierSvg(input, { id: 'e', targetRatePerS: 100 }));
      expect(svg.name).toBe('svg');
      expect(texts(svg)).toContain('No configuration ran: nothing to chart.');
      expect(all(svg, 'polyline')).toHaveLength(0);
      expect(desc(svg)).toContain('No configuration ran');
    }
  });

  it('one point: a marker and no line, the cost axis zoomed around it', () => {
    // x: 0.95 × 250,000 = 237,500 to 1.05 × 250,000 = 262,500, span 25,000: linearTicks steps it
    // by 5,000 (raw 5,000, magnitude 10^3), so the axis runs 235,000 … 265,000 and
    // X(250,000) = 90 + 15/30 × 610 = 395. y: linearTicks(84) → step 20 (raw 16.8), max 100, so
    // Y(80) = 40 + (1 − 80/100) × 360 = 112.
    const svg = parseXml(frontierSvg([series('solo', [[32, 250_000, 80, true]])], { id: 'o' }));
    expect(all(svg, 'polyline')).toHaveLength(0);
    const c = all(svg, 'g').find((g) => g.attrs['aria-label'] === 'solo, 32 hosts');
    const m = all(c as XmlElement, 'circle')[0];
    expect([m?.attrs['cx'], m?.attrs['cy']]).toEqual(['395', '112']);
    expect(byClass(svg, 'frontier')[0]?.attrs['d']).toBe('M395,112');
    const money = texts(svg).filter((t) => t.startsWith('$'));
    expect([money[0], money.at(-1), money.length]).toEqual(['$235,000', '$265,000', 7]);
  });

  it('every rate 0: y spans [0, 1] and every point sits on the x axis (Y(0) = 400), no NaN', () => {
    // y: linearTicks(0) = [0, 1], so Y(0) = 40 + 360 = 400. x: the span 95,000 … 210,000 is
    // 115,000, linearTicks steps it by 5 × 10^4 (raw 23,000, magnitude 10^4), so the axis runs
    // from 50,000 to 250,000: X(100k) = 90 + 50/200 × 610 = 242.5, X(200k) = 90 + 150/200 × 610
    // = 547.5.
    const zero = series('z', [
      [8, 100_000, 0, true],
      [16, 200_000, 0, false],
    ]);
    const out = frontierSvg([zero], { id: 'z' });
    expect(out).not.toContain('NaN');
    expect(all(parseXml(out), 'polyline')[0]?.attrs['points']).toBe('242.5,400 547.5,400');
    // the search knows only that the rate is below the lowest it tried: the desc says so
    expect(desc(parseXml(out))).toContain(
      'z, 8 hosts: $100,000, below the lowest rate tried (frontier)',
    );
  });

  it('skips points whose cost or rate is not finite', () => {
    const out = frontierSvg(
      [
        series('n', [
          [8, Number.NaN, 10, false],
          [16, 200_000, Number.POSITIVE_INFINITY, false],
          [32, 300_000, 30, false],
        ]),
      ],
      { id: 'n' },
    );
    expect(out).not.toMatch(/NaN|Infinity/);
    expect(texts(parseXml(out)).filter((s) => s.endsWith('hosts'))).toEqual(['32 hosts']);
  });

  it('escapes hostile family names', () => {
    const out = frontierSvg([series('<b>&"x"', [[8, 1000, 1, true]])], { id: 'h' });
    expect(out).not.toContain('<b>');
    expect(texts(parseXml(out))).toContain('<b>&"x"');
  });
});

describe('frontierSvg: labels do not overlap', () => {
  it('crowded points of three families: labels whose spans overlap across x are a line height apart', () => {
    const svg = parseXml(frontierSvg(CROWDED_SERIES, { id: 'c', targetRatePerS: 110 }));
    const labels = all(byClass(svg, 'labels')[0] as XmlElement, 'text');
    expect(labels).toHaveLength(12);
    // Each label's horizontal span from its anchor at ≈ 6 px per character at 11 px (an under-
    // estimate of the chart's own 6.6, so a pass here is not the chart grading itself).
    const span = (t: XmlElement): [number, number] => {
      const x = Number(t.attrs['x']);
      const w = [...t.text].length * 6;
      const a = t.attrs['text-anchor'] ?? 'start';
      return a === 'start' ? [x, x + w] : a === 'end' ? [x - w, x] : [x - w / 2, x + w / 2];
    };
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++) {
        const [a0, a1] = span(labels[i] as XmlElement);
        const [b0, b1] = span(labels[j] as XmlElement);
        if (a0 < b1 && b0 < a1)
          expect(
            Math.abs(Number(labels[i]?.attrs['y']) - Number(labels[j]?.attrs['y'])),
            `${labels[i]?.text} vs ${labels[j]?.text}`,
          ).toBeGreaterThanOrEqual(11);
      }
  });
});
