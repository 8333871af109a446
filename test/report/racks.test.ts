/**
 * One vocabulary for racks (issue 14: rdma-96x3's file said `racks: 3`, inspect said 7, the
 * drawing "rack 0–5" under 3 ToRs): a generator's racks are ToR racks and the drawing groups hosts
 * by them; the layout's racks are physical racks, and inspect says so.
 */
import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../src/io/index.ts';
import { topologySvg } from '../../src/report/svg.ts';
import { renderInspect } from '../../src/report/topology.ts';
import { topologyMetrics } from '../../src/topology/metrics.ts';

describe('one vocabulary for racks (issue 14)', () => {
  it('rdma-96x3 (racks: 3 in its file) is drawn as 3 ToR racks; inspect calls its layout racks physical', () => {
    const g = loadTopology('rdma-96x3').graph;
    const svg = topologySvg(g, { id: 'r' });
    const labels = [...svg.matchAll(/>(ToR rack \d+)</g)].map((m) => m[1]);
    expect(labels).toEqual(['ToR rack 0', 'ToR rack 1', 'ToR rack 2']);
    const text = renderInspect(topologyMetrics(g));
    expect(text).toMatch(/physical racks \(layout, docs\/layout\.md\) +\d+/);
    expect(text).not.toMatch(/^racks /m);
  });
});
