/**
 * What-if: columns per fabric, winners marked per row, and the failure view (hosts that lose
 * pooled memory, the same scenario re-run).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { renderText } from '../../src/report/table.ts';
import { whatIfTable } from '../../src/report/whatif.ts';
import type { SimConfig } from '../../src/sim/types.ts';
import { whatIf } from '../../src/app/whatif.ts';
import {
  BOUND_THRESHOLDS,
  classifyBound,
  gpuLinkBytesPerNs,
  resourceClasses,
  type BoundInput,
} from '../../src/app/whatif-bounds.ts';
import { compileFabric } from '../../src/fabric/compile.ts';
import { boundNotes, busyPercent, percentDown } from '../../src/report/whatif-load.ts';

const { scenario } = loadScenario('droidspeak-8b');
const small: SimConfig = { ...scenario, workload: { ...scenario.workload, requests: 200 } };

describe('whatIf', () => {
  const proto = loadTopology('prototype-3').graph;
  const rdma = loadTopology('rdma-32x1').graph;
  const cfg: SimConfig = {
    ...small,
    serving: {
      ...small.serving,
      replicas: [
        { variant: 'evolcode', count: 1 },
        { variant: 'toolace', count: 1 },
      ],
    },
    workload: {
      ...small.workload,
      variants: [
        { id: 'evolcode', weight: 1 },
        { id: 'toolace', weight: 1 },
      ],
    },
  };

  it('runs every column and marks the best of each comparable row with ★', () => {
    const cols = whatIf(
      [
        { label: 'prototype-3', graph: proto, failures: {} },
        { label: 'rdma-32x1', graph: rdma, failures: {} },
      ],
      cfg,
    );
    expect(cols.map((c) => c.run.requests.completed)).toEqual([200, 200]);
    const table = whatIfTable(cols, 'droidspeak-8b', [1000, 2000]);
    const costRow = table.rows.find((r) => r[0] === 'fabric cost per host');
    expect(costRow?.[1]).toContain('★');
    expect(costRow?.[2]).not.toContain('★');
    const rpc = table.rows.find((r) => r[0] === 'RPC p50, 64 B, all pairs, uniform traffic');
    expect(rpc?.[1]).toContain('★'); // the shared MHD beats RDMA
    // RDMA has no pair sharing a device: nothing to compare, so no ★ in that row
    const direct = table.rows.find((r) => r[0] === 'RPC p50, 64 B, hosts sharing a device');
    expect(direct?.slice(1).map((v) => v.includes('★'))).toEqual([false, false]);
    expect(direct?.[2]).toBe('–');
    expect(table.rows.find((r) => r[0]?.startsWith('RPC traffic'))?.slice(1)).toEqual([
      '100 % / 0 % / 0 %',
      '0 % / 0 % / 100 %',
    ]);
    expect(table.title).toContain('RPC traffic: uniform');
    expect(renderText(table).split('\n').length).toBeGreaterThan(10);
  });

  it('the RPC rows follow the traffic matrix given, and the title names it', () => {
    const cases = [{ label: 'prototype-3', graph: proto, failures: {} }];
    const cols = whatIf(cases, cfg, undefined, { traffic: { kind: 'local', localShare: 0.5 } });
    expect(cols[0]?.rpcLocality.traffic).toBe('local:0.5');
    const table = whatIfTable(cols, 'droidspeak-8b');
    expect(table.title).toContain('RPC traffic: local:0.5');
    expect(table.rows.some((r) => r[0] === 'RPC p50, 64 B, all pairs, local:0.5 traffic')).toBe(
      true,
    );
  });

  it('with failures: the column reports hosts that lose pooled memory', () => {
    const cols = whatIf(
      [{ label: 'prototype-3 (fail device:d0)', graph: proto, failures: { devices: ['d0'] } }],
      cfg,
    );
    expect(cols[0]?.reachLoss?.hostsAffected).toBe(3);
    // an intact run caches on d0; failing d0 at its end destroys those objects
    expect(cols[0]?.reachLoss?.objectsLost).toBeGreaterThan(0);
    expect(cols[0]?.reachLoss?.bytesLost).toBeGreaterThan(0);
    // with the only MHD down, the pool falls back to host DRAM and caches travel over RDMA
    expect(cols[0]?.run.bytesMoved.fetchCxl).toBe(0);
    expect(cols[0]?.run.bytesMoved.fetchRdma).toBeGreaterThan(0);
  });
});

describe('classifyBound (hand-built utilisation)', () => {
  const base: BoundInput = {
    gpuMean: 0.5,
    gpuBusiest: { id: 'replica 0 (a100-80gb)', utilisation: 0.6 },
    resources: [
      { id: 'h0--h0.gpu0:fwd', utilisation: 0.3, cls: 'gpu-link' },
      { id: 'h0--d0:fwd', utilisation: 0.2, cls: 'fabric-link' },
      { id: 'h1--d0:fwd', utilisation: 0.25, cls: 'fabric-link' },
      { id: 'd0:media', utilisation: 0.1, cls: 'device-media' },
    ],
    gpuLinkBytesPerNs: 28,
    fetchBytesPerNs: 28,
  };

  it('nothing at or above 80 % busy: none; the busiest of each class is kept', () => {
    const v = classifyBound(base);
    expect(v.kind).toBe('none');
    expect(v.thresholdShare).toBe(BOUND_THRESHOLDS.saturatedShare);
    expect(v.fabricLink).toEqual({ id: 'h1--d0:fwd', utilisation: 0.25 });
    expect(v.gpuLink?.utilisation).toBe(0.3);
    expect(v.deviceMedia?.id).toBe('d0:media');
    // 28 ≥ 0.98 × 28: the fetch runs at the GPU link's rate
    expect(v.fetchCappedByGpuLink).toBe(true);
  });

  it('the busiest class at or above the threshold bounds; GPU compute wins a tie', () => {
    const gpu = { ...base, gpuBusiest: { id: 'replica 3 (a100-80gb)', utilisation: 0.8 } };
    expect(classifyBound(gpu).kind).toBe('gpu-compute'); // exactly 0.8 counts
    const link = {
      ...gpu,
      resources: [
        ...base.resources,
        { id: 'sw0--md0:fwd', utilisation: 0.93, cls: 'fabric-link' as const },
      ],
    };
    expect(classifyBound(link).kind).toBe('fabric-link'); // 0.93 > 0.8
    const tie = {
      ...gpu,
      resources: [{ id: 'd1:media', utilisation: 0.8, cls: 'device-media' as const }],
    };
    expect(classifyBound(tie).kind).toBe('gpu-compute');
    const media = {
      ...base,
      resources: [{ id: 'd1:media', utilisation: 0.97, cls: 'device-media' as const }],
    };
    expect(classifyBound(media).kind).toBe('device-media');
    const pcie = {
      ...base,
      resources: [{ id: 'h0--h0.gpu0:rev', utilisation: 0.85, cls: 'gpu-link' as const }],
    };
    expect(classifyBound(pcie).kind).toBe('gpu-link');
  });

  it('a fetch slower than the GPU link (12 of 28 GB/s) is capped by the fabric, not the link', () => {
    expect(classifyBound({ ...base, fetchBytesPerNs: 12 }).fetchCappedByGpuLink).toBe(false);
    // 27.5 ≥ 0.98 × 28 = 27.44: capped; 27.4 is not
    expect(classifyBound({ ...base, fetchBytesPerNs: 27.5 }).fetchCappedByGpuLink).toBe(true);
    expect(classifyBound({ ...base, fetchBytesPerNs: 27.4 }).fetchCappedByGpuLink).toBe(false);
    expect(classifyBound({ ...base, gpuLinkBytesPerNs: 0 }).fetchCappedByGpuLink).toBe(false);
  });

  it("classes a fabric's resources: GPU PCIe links, fabric links, device media", () => {
    const f = compileFabric(loadTopology('prototype-3').graph);
    const classes = resourceClasses(f);
    expect(classes.size).toBe(f.resources.length);
    for (const [id, cls] of classes) {
      if (id.endsWith(':media')) expect(cls).toBe('device-media');
      else if (/\.gpu\d+:(fwd|rev)$/.test(id)) expect(cls).toBe('gpu-link');
      else expect(cls).toBe('fabric-link');
    }
    expect([...classes.values()]).toContain('gpu-link');
    expect([...classes.values()]).toContain('fabric-link');
    // the bundled A100 hosts: PCIe 4 x16 to each GPU, 28 GB/s (the what-if's fetch row)
    expect(gpuLinkBytesPerNs(f, f.nodes.find((n) => n.includes('gpu')) ?? '')).toBeCloseTo(28, 6);
    expect(gpuLinkBytesPerNs(f, 'no-such-gpu')).toBe(0);
  });

  it('a GPU on a coherent C2C link: the link is the GPU link, 450 GB/s, not a PCIe link of 0', () => {
    const f = compileFabric(loadTopology('rdma-96x3-gh200').graph);
    // C2C to the host (450 GB/s) and, with GPUDirect, PCIe 6 x16 to its NIC (112 GB/s): the
    // fastest is the GPU's own link a fetch can ride.
    expect(gpuLinkBytesPerNs(f, 'h0.gpu0')).toBeCloseTo(450, 6);
    const classes = resourceClasses(f);
    expect(classes.get('h0--h0.gpu0:fwd')).toBe('gpu-link');
  });
});

describe('percentDown', () => {
  it('truncates, never rounding up across a threshold', () => {
    expect(percentDown(0.9995)).toBe('99.95 %');
    expect(percentDown(0.99999)).toBe('99.99 %');
    expect(percentDown(0.29)).toBe('29.00 %');
    expect(percentDown(1)).toBe('100 %');
    expect(percentDown(0.8, 0)).toBe('80 %');
  });
});

describe('whatIf: reuse gain and bounds', () => {
  const octo = loadTopology('octopus-bibd-25').graph;
  const rdma = loadTopology('rdma-32x1').graph;
  const cases = [
    { label: 'octopus-bibd-25', graph: octo, failures: {} },
    { label: 'rdma-32x1', graph: rdma, failures: {} },
  ];
  const tiny: SimConfig = { ...small, workload: { ...small.workload, requests: 60 } };

  it('measures goodput against full prefill on the same fabric and seed', () => {
    const cols = whatIf(cases, tiny, undefined, { reuseGain: { search: false } });
    const base = whatIf(cases, { ...tiny, planner: { ...tiny.planner, policy: 'full-prefill' } });
    cols.forEach((c, i) => {
      const g = c.reuseGain;
      expect(g?.policy).toBe(tiny.planner.policy);
      expect(g?.baselinePolicy).toBe('full-prefill');
      expect(g?.ratePerS).toBe(24);
      expect(g?.goodputPerS).toBe(c.run.goodputPerS);
      expect(g?.baselineGoodputPerS).toBe(base[i]?.run.goodputPerS);
      expect(g?.goodputRatio).toBeCloseTo(c.run.goodputPerS / (base[i]?.run.goodputPerS ?? 1), 12);
      expect(g?.sustainable).toBeUndefined();
    });
    // without the option nothing extra runs
    expect(whatIf(cases, tiny)[0]?.reuseGain).toBeUndefined();
  });

  it('a full-prefill scenario is its own baseline: ×1, no second run, one search', () => {
    const fp: SimConfig = { ...tiny, planner: { ...tiny.planner, policy: 'full-prefill' } };
    const runs: string[] = [];
    const [c] = whatIf([cases[1] ?? cases[0]!], fp, undefined, {
      reuseGain: { search: true, relTolerance: 0.25 },
      onRun: (label) => runs.push(label),
    });
    expect(c?.reuseGain?.goodputRatio).toBe(1);
    expect(c?.reuseGain?.sustainable?.ratio).toBe(1);
    expect(c?.reuseGain?.sustainable?.baseline).toBe(c?.reuseGain?.sustainable?.policy);
    // every extra run is a search point (the column's own run is the search's first point)
    expect(runs).toHaveLength((c?.reuseGain?.sustainable?.policy.points.length ?? 0) - 1);
  });

  it('with search: each policy meets its SLOs at its answer and the ratio is theirs', () => {
    const [c] = whatIf([cases[1] ?? cases[0]!], tiny, undefined, {
      reuseGain: { search: true, relTolerance: 0.25 },
    });
    const s = c?.reuseGain?.sustainable;
    expect(s).toBeDefined();
    expect(s?.policy.points.find((p) => p.ratePerS === s.policy.ratePerS)?.meetsSlo).toBe(true);
    if (s !== undefined && s.baseline.ratePerS > 0)
      expect(s.ratio).toBeCloseTo(s.policy.ratePerS / s.baseline.ratePerS, 12);
  });

  it('every column carries a verdict; identical columns are explained in one line', () => {
    const cols = whatIf(cases, tiny);
    for (const c of cols) {
      expect(['gpu-compute', 'gpu-link', 'fabric-link', 'device-media', 'none']).toContain(
        c.bound.kind,
      );
      expect(c.bound.gpuMean).toBe(c.run.utilisation.gpu.mean);
    }
    const notes = boundNotes(cols);
    // a heading, one line on why the columns agree or differ, one per column
    expect(notes).toHaveLength(2 + cols.length);
    expect(notes[1]).toMatch(/columns agree because|the columns differ in TTFT p99 or goodput/);
    // a copy whose pool served 10 of 60 requests fewer as exact hits, over a slower fetch path
    const c0 = cols[0]!;
    const d = c0.run.decisions;
    const other = {
      ...c0,
      label: 'other',
      run: {
        ...c0.run,
        ttft: { ...c0.run.ttft, p99: c0.run.ttft.p99 * 2 },
        decisions: { ...d, exact: d.exact - 10, fullPrefill: d.fullPrefill + 10 },
      },
      costs: {
        ...c0.costs,
        fetch: { ...c0.costs.fetch, reachable: true, effectiveBandwidthBytesPerNs: 12.5 },
      },
    };
    const differ = boundNotes([c0, other])[1] ?? '';
    expect(differ).toContain('the columns differ in TTFT p99 or goodput');
    expect(differ).toContain('the reuse mix differs');
    expect(differ).toContain('the KV fetch bandwidth differs');
    expect(differ).toContain('12.5 GB/s');
    // nothing saturated but SLOs missed: the line says where the misses come from
    const calm = {
      ...c0,
      run: { ...c0.run, sloAttainment: 0.888 },
      bound: { ...c0.bound, kind: 'none' as const },
    };
    expect(boundNotes([calm])[1]).toContain(
      'yet only 88.80 % of requests meet the SLOs: the misses come from long requests',
    );
    expect(boundNotes([calm], 0.8)[1]).not.toContain('yet only');
    const same = [cols[0]!, { ...cols[0]!, label: 'copy' }];
    const lines = boundNotes(same);
    expect(lines[1]).toContain('both columns agree because');
    expect(lines[2]?.startsWith('  octopus-bibd-25: ')).toBe(true);
    expect(lines[3]?.startsWith('  copy: ')).toBe(true);
  });
});

describe('busyPercent', () => {
  it('keeps significant digits and truncates', () => {
    expect(busyPercent(0.95649)).toBe('95.6 %');
    expect(busyPercent(0.057199)).toBe('5.71 %');
    expect(busyPercent(0.9999, 2)).toBe('99 %');
    expect(busyPercent(0.083, 2)).toBe('8.3 %');
    expect(busyPercent(0)).toBe('0 %');
    expect(busyPercent(1)).toBe('100 %');
  });
});
