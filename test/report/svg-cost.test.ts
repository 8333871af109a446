/**
 * The cost vs goodput chart (issue 14: its labels' leader lines crossed when fabrics had the
 * same goodput at different costs): labels stack in the points' vertical order, and nothing is
 * drawn from a point to its label.
 */
import { describe, expect, it } from 'vitest';
import { costGoodputSvg } from '../../src/report/svg.ts';

describe('costGoodputSvg', () => {
  it('three fabrics of equal goodput at different costs: no leader lines, labels in point order', () => {
    const svg = costGoodputSvg(
      [
        { label: 'octopus-96', costPerHostUsd: 9000, goodputPerS: 23.2 },
        { label: 'switched-96', costPerHostUsd: 14000, goodputPerS: 23.2 },
        { label: 'rdma-96x3', costPerHostUsd: 4000, goodputPerS: 23.2 },
      ],
      { id: 'c' },
    );
    const groups = [...svg.matchAll(/<g aria-label="([^"]+)">([\s\S]*?)<\/g>/g)];
    expect(groups.map((g) => g[1])).toEqual(['octopus-96', 'switched-96', 'rdma-96x3']);
    for (const g of groups) expect(g[2]).not.toContain('<line');
    const labelY = groups.map((g) => Number(/<text x="[\d.]+" y="([\d.]+)"/.exec(g[2] ?? '')?.[1]));
    // Equal goodput: the spread keeps the given order, top to bottom.
    expect([...labelY].sort((a, b) => a - b)).toEqual(labelY);
  });
});
