/**
 * Tests of the tornado chart (src/report/svg-tornado.ts): well-formed SVG with role, title and
 * desc; one bar group per input, sorted by swing; bar geometry either side of the base line;
 * sign-flipping rows highlighted; row labels that never cross; input values printed at the bar
 * ends; hostile names escaped; byte-identical output; and a chart fed straight from a
 * sensitivity run (src/cost/sensitivity.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tornadoSvg, type TornadoBar } from '../../src/report/svg.ts';
import { DEFAULT_COST_CATALOGUE, priceInputs, sensitivity } from '../../src/cost/index.ts';
import { parseXml, type XmlElement } from '../helpers/xml.ts';

const BARS: TornadoBar[] = [
  // swing 0.02
  {
    name: 'retimer',
    low: 50,
    high: 300,
    atLow: -0.04,
    atHigh: -0.06,
    flipsSign: false,
    unit: 'usd',
  },
  // swing 0.10, crosses zero
  { name: 'dramPerGiB', low: 2, high: 11, atLow: -0.1, atHigh: 0.02, flipsSign: true, unit: 'usd' },
  // swing 0.04
  { name: 'peakToMean', low: 1.2, high: 3, atLow: -0.07, atHigh: -0.03, flipsSign: false },
];
const BASE = -0.05;

function all(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}
/** The bar groups: `<g aria-label>` children of the root. */
const rows = (svg: XmlElement): XmlElement[] =>
  svg.children.filter((c) => c.name === 'g' && c.attrs['aria-label'] !== undefined);
const num = (el: XmlElement | undefined, attr: string): number => Number(el?.attrs[attr]);

describe('tornadoSvg', () => {
  const out = tornadoSvg(BASE, BARS, { id: 'tor' });
  const svg = parseXml(out);

  it('is one accessible, well-formed <svg> with a title and a desc that lists every input', () => {
    expect(svg.name).toBe('svg');
    expect(svg.attrs['role']).toBe('img');
    expect(svg.attrs['aria-labelledby']).toBe('tor-title tor-desc');
    const desc = all(svg, 'desc')[0]?.text ?? '';
    for (const b of BARS) expect(desc).toContain(b.name);
    expect(desc).toContain('Flip the sign: dramPerGiB');
    expect(all(svg, 'title')[0]?.text).toBe('Sensitivity of the net saving');
  });

  it('draws one row per input, largest swing on top, each with a low and a high half-bar', () => {
    const groups = rows(svg);
    expect(groups.map((g) => g.attrs['aria-label'])).toEqual([
      'dramPerGiB',
      'peakToMean',
      'retimer',
    ]);
    for (const g of groups)
      expect(all(g, 'rect').filter((r) => r.attrs['height'] === '16')).toHaveLength(2);
  });

  it('puts each half-bar between the base line and its result, the high side hatched', () => {
    const baseLine = svg.children.filter(
      (c) => c.name === 'line' && c.attrs['stroke-width'] === '1.5',
    );
    expect(baseLine).toHaveLength(1);
    const xBase = num(baseLine[0], 'x1');
    // dramPerGiB: low result −0.10 < base → its low bar ends at the base; its high result +0.02 > base → starts there.
    const [low, high] = all(rows(svg)[0] as XmlElement, 'rect').filter(
      (r) => r.attrs['height'] === '16',
    );
    expect(num(low, 'x') + num(low, 'width')).toBeCloseTo(xBase, 0);
    expect(num(high, 'x')).toBeCloseTo(xBase, 0);
    expect(high?.attrs['fill']).toBe('url(#tor-high)');
    expect(all(svg, 'pattern').map((p) => p.attrs['id'])).toEqual(['tor-high']);
    // Zero lies inside the domain (a bar crosses it): a dashed zero line right of the base.
    const zero = svg.children.filter(
      (c) => c.name === 'line' && c.attrs['stroke-dasharray'] === '4 3',
    );
    expect(zero).toHaveLength(1);
    expect(num(zero[0], 'x1')).toBeGreaterThan(xBase);
  });

  it('highlights exactly the rows that flip the sign', () => {
    const flagged = rows(svg).filter((g) => g.attrs['data-flips-sign'] === 'true');
    expect(flagged.map((g) => g.attrs['aria-label'])).toEqual(['dramPerGiB']);
    const band = all(flagged[0] as XmlElement, 'rect').filter((r) => r.attrs['fill'] === '#F0E442');
    expect(band).toHaveLength(1);
    expect(all(flagged[0] as XmlElement, 'text')[0]?.attrs['font-weight']).toBe('bold');
    expect(all(flagged[0] as XmlElement, 'title')[0]?.text).toContain('flips the sign');
    for (const g of rows(svg).slice(1))
      expect(all(g, 'rect').some((r) => r.attrs['fill'] === '#F0E442')).toBe(false);
  });

  it('prints the input values at the bar ends, a combined label when both ends lie on one side', () => {
    const texts = (g: XmlElement): string[] => all(g, 'text').map((t) => t.text);
    const [dram, peak, retimer] = rows(svg) as [XmlElement, XmlElement, XmlElement];
    expect(texts(dram)).toEqual(['dramPerGiB', '$2', '$11']);
    expect(texts(peak)).toEqual(['peakToMean', '1.2', '3']);
    // retimer: −0.04 lies right of the base −0.05 and −0.06 left of it, so one label each side.
    expect(texts(retimer)).toEqual(['retimer', '$50', '$300']);
    const sameSide = parseXml(
      tornadoSvg(
        0,
        [{ name: 'vee', low: 1, high: 3, atLow: -0.02, atHigh: -0.08, flipsSign: false }],
        { id: 'v' },
      ),
    );
    expect(all(rows(sameSide)[0] as XmlElement, 'text').map((t) => t.text)).toEqual([
      'vee',
      '1 / 3',
    ]);
  });

  it('keeps row labels apart and inside the label column, for any number of inputs and names', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.string({ minLength: 1, maxLength: 60 }),
            atLow: fc.double({ min: -1, max: 1, noNaN: true }),
            atHigh: fc.double({ min: -1, max: 1, noNaN: true }),
          }),
          { maxLength: 25 },
        ),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (raw, base) => {
          const bars = raw.map((r, i) => ({
            ...r,
            name: `${i}:${r.name}`,
            low: 0,
            high: 1,
            flipsSign: false,
          }));
          const doc = parseXml(tornadoSvg(base, bars, { id: 'p' }));
          const labels = rows(doc).map((g) => all(g, 'text')[0] as XmlElement);
          expect(labels).toHaveLength(bars.length);
          const ys = labels.map((t) => num(t, 'y'));
          for (let k = 1; k < ys.length; k++)
            expect((ys[k] ?? 0) - (ys[k - 1] ?? 0)).toBeGreaterThanOrEqual(14);
          for (const t of labels) {
            expect(t.attrs['text-anchor']).toBe('end');
            expect(num(t, 'x')).toBeLessThanOrEqual(240);
            expect([...t.text].length).toBeLessThanOrEqual(30);
          }
          const height = num(doc, 'height');
          for (const t of all(doc, 'text')) {
            expect(num(t, 'y')).toBeLessThanOrEqual(height);
            expect(num(t, 'x')).toBeGreaterThanOrEqual(0);
            expect(num(t, 'x')).toBeLessThanOrEqual(num(doc, 'width'));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('escapes hostile names, is byte-identical across calls, and draws an empty run', () => {
    const hostile = tornadoSvg(0.1, [{ ...BARS[0], name: '<b>&"x"' } as TornadoBar], { id: 'h' });
    expect(hostile).not.toContain('<b>');
    expect(rows(parseXml(hostile))[0]?.attrs['aria-label']).toBe('<b>&"x"');
    expect(tornadoSvg(BASE, BARS, { id: 'tor' })).toBe(out);
    const empty = parseXml(tornadoSvg(0.03, [], { id: 'e' }));
    expect(rows(empty)).toEqual([]);
    expect(all(empty, 'text').map((t) => t.text)).toContain('no inputs');
  });

  it('charts a sensitivity run directly, in its order', () => {
    const c = DEFAULT_COST_CATALOGUE;
    const inputs = priceInputs(c, undefined, [
      'dramUsdPerGiB',
      'retimerUsd',
      'generalServerBaseUsd',
    ]);
    // saving = (200 GiB × dram − 4 × retimer) / (general server + 500 GiB × dram)
    const r = sensitivity(
      c,
      {},
      inputs,
      (k) =>
        (200 * k.dramUsdPerGiB - 4 * k.retimerUsd) /
        (k.generalServerBaseUsd + 500 * k.dramUsdPerGiB),
    );
    const doc = parseXml(tornadoSvg(r.base, r.rows, { id: 's', title: 'What decides it' }));
    expect(rows(doc).map((g) => g.attrs['aria-label'])).toEqual(r.rows.map((x) => x.name));
    expect(all(doc, 'title')[0]?.text).toBe('What decides it');
  });
});
