/**
 * RPC by locality (src/fabric/rpc-locality.ts): hand-derived splits and weighted percentiles on
 * one-way matrices written out here, the classes a small hand-wired topology gives (each pair
 * checked against `rpcCost`), the bundled fabrics' splits, and the prototype under a two-pair
 * file matrix.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import { compileFabric } from '../../src/fabric/compile.ts';
import {
  rpcAllPairs,
  rpcByLocality,
  rpcCost,
  rpcLocalityOf,
  type RpcMatrices,
  type RpcMedium,
} from '../../src/fabric/rpc.ts';
import { loadTopology, parseTopologyText } from '../../src/io/index.ts';
import { parseTrafficCsv } from '../../src/io/traffic-file.ts';
import { bytes } from '../../src/units/index.ts';
import { thrown } from '../helpers/errors.ts';

/**
 * Four hosts a, b, c, d: a–b share a device (500 ns each way), b–c share one (600 ns), a–c relay
 * (1,500 ns each way), d has only RDMA (2,000 ns each way to everyone; a–b too, dearer than
 * their device).
 */
function handMatrices(): RpcMatrices {
  const n = 4;
  const inf = Number.POSITIVE_INFINITY;
  const blank = (): Float64Array => new Float64Array(n * n).fill(inf);
  const ow: Record<RpcMedium, Float64Array> = {
    'cxl-mhd': blank(),
    'cxl-switch': blank(),
    'cxl-relay': blank(),
    rdma: blank(),
  };
  const both = (m: Float64Array, i: number, j: number, v: number): void => {
    m[i * n + j] = v;
    m[j * n + i] = v;
  };
  both(ow['cxl-mhd'], 0, 1, 500);
  both(ow['cxl-mhd'], 1, 2, 600);
  both(ow['cxl-relay'], 0, 2, 1500);
  for (const i of [0, 1, 2]) both(ow.rdma, i, 3, 2000);
  both(ow.rdma, 0, 1, 2000);
  return { hosts: ['a', 'b', 'c', 'd'], oneWayNs: ow };
}
const B64 = bytes(64);

describe('rpcLocalityOf on hand-written matrices', () => {
  // pairs and round trips: ab 1000 direct, ac 3000 relayed, ad 4000 RDMA, bc 1200 direct,
  // bd 4000 RDMA, cd 4000 RDMA
  it('uniform: shares by pair count, nearest-rank percentiles', () => {
    const l = rpcLocalityOf(handMatrices(), B64, { kind: 'uniform' });
    expect(l.hostPairs).toBe(6);
    expect(l.direct).toMatchObject({ pairs: 2, p50Ns: 1000, p99Ns: 1200, minNs: 1000 });
    expect(l.direct.pairShare).toBeCloseTo(2 / 6, 12);
    expect(l.direct.cheapestBy).toEqual({ 'cxl-mhd': 2 });
    expect(l.relayed).toMatchObject({ pairs: 1, p50Ns: 3000, p99Ns: 3000 });
    expect(l.rdmaOnly).toMatchObject({ pairs: 3, p50Ns: 4000, p99Ns: 4000 });
    // sorted 1000, 1200, 3000, 4000 ×3: rank ⌈0.5·6⌉ = 3 → 3000; rank ⌈0.99·6⌉ = 6 → 4000
    expect(l.all).toMatchObject({ pairs: 6, p50Ns: 3000, p99Ns: 4000, maxNs: 4000 });
    expect(l.all.trafficShare).toBe(1);
    expect(l.unreachable).toEqual({ pairs: 0, trafficShare: 0 });
    expect(l.traffic).toBe('uniform');
  });

  it('a two-pair file matrix: a→b ×3, c→a ×1', () => {
    const traffic = parseTrafficCsv('a,b,3\nc,a,1\n', 'two.csv', ['a', 'b', 'c', 'd']);
    const l = rpcLocalityOf(handMatrices(), B64, traffic);
    // weights ab 3, ac 1 of 4: half (2) is reached at 1000; 99 % (3.96) only at 3000
    expect(l.all).toMatchObject({ p50Ns: 1000, p99Ns: 3000, minNs: 1000, maxNs: 3000 });
    expect(l.direct.trafficShare).toBe(0.75);
    expect(l.relayed.trafficShare).toBe(0.25);
    // RDMA-only pairs exist but carry nothing: no percentile for them
    expect(l.rdmaOnly).toMatchObject({ pairs: 3, trafficShare: 0, p50Ns: null, p99Ns: null });
    // bc carries nothing, so the direct class is ab alone
    expect(l.direct).toMatchObject({ p50Ns: 1000, p99Ns: 1000, maxNs: 1000 });
    expect(l.traffic).toBe('file two.csv');
  });

  it('local:0.8: each host sends 80 % to the hosts it shares a device with', () => {
    // near peers a:{b} b:{a,c} c:{b} d:{} → per peer a .8/.1, b .4/.2, c .8/.1, d –/(1/3)
    // ab 1.2, ac .2, ad .1+1/3, bc 1.2, bd .2+1/3, cd .1+1/3; total 4 (one per host)
    const l = rpcLocalityOf(handMatrices(), B64, { kind: 'local', localShare: 0.8 });
    expect(l.direct.trafficShare).toBeCloseTo(2.4 / 4, 12);
    expect(l.relayed.trafficShare).toBeCloseTo(0.2 / 4, 12);
    expect(l.rdmaOnly.trafficShare).toBeCloseTo(1.4 / 4, 12);
    // cumulative 1.2 (1000), 2.4 (1200) ≥ 2 → p50 1200; 99 % (3.96) only at 4000
    expect(l.all).toMatchObject({ p50Ns: 1200, p99Ns: 4000 });
    expect(l.traffic).toBe('local:0.8');
  });

  it('unknown hosts in an explicit matrix are input errors at the entry', () => {
    const e = thrown(InputError, () =>
      rpcLocalityOf(handMatrices(), B64, {
        kind: 'pairs',
        source: 'lib',
        entries: [{ src: 'a', dst: 'zz', weight: 1 }],
      }),
    );
    expect(e.issues.map((i) => [i.code, i.path])).toEqual([
      ['traffic.unknown-host', ['entries', 0, 'dst']],
    ]);
  });
});

/**
 * Hand-wired: h0–h1 share d0, h1–h2 share d1 (so h0–h2 relay through h1), h3 has only a NIC;
 * every host has a NIC on one ToR.
 */
const WIRED = `
name: wired-4
nodes:
  - { id: h0, kind: host, gpus: 1, nics: 1 }
  - { id: h1, kind: host, gpus: 1, nics: 1 }
  - { id: h2, kind: host, gpus: 1, nics: 1 }
  - { id: h3, kind: host, gpus: 1, nics: 1 }
  - { id: d0, kind: mhd, ports: 4 }
  - { id: d1, kind: mhd, ports: 4 }
  - { id: tor0, kind: tor }
links:
  - { a: h0, b: d0, kind: cxl, length: "1 m" }
  - { a: h1, b: d0, kind: cxl, length: "1 m" }
  - { a: h1, b: d1, kind: cxl, length: "1 m" }
  - { a: h2, b: d1, kind: cxl, length: "1 m" }
  - { a: h0.nic0, b: tor0, kind: network }
  - { a: h1.nic0, b: tor0, kind: network }
  - { a: h2.nic0, b: tor0, kind: network }
  - { a: h3.nic0, b: tor0, kind: network }
`;

describe('rpcByLocality on a hand-wired topology', () => {
  const f = compileFabric(parseTopologyText(WIRED, 'wired-4.yaml'));
  const rtt = (a: string, b: string): number => rpcCost(f, a, b, B64).best?.roundTripNs ?? NaN;

  it('classes: h0–h1 and h1–h2 direct, h0–h2 relayed, pairs with h3 RDMA only', () => {
    const l = rpcByLocality(f);
    expect([l.direct.pairs, l.relayed.pairs, l.rdmaOnly.pairs, l.all.pairs]).toEqual([2, 1, 3, 6]);
    expect(l.direct.maxNs).toBe(Math.max(rtt('h0', 'h1'), rtt('h1', 'h2')));
    expect(l.relayed.p50Ns).toBe(rtt('h0', 'h2'));
    expect(rpcCost(f, 'h0', 'h2', B64).best?.medium).toBe('cxl-relay');
    expect(l.rdmaOnly.cheapestBy).toEqual({ rdma: 3 });
    // three RDMA round trips: the median is the second smallest (rank ⌈0.5·3⌉ = 2)
    const rdma = ['h0', 'h1', 'h2'].map((h) => rtt(h, 'h3')).sort((a, b) => a - b);
    expect(l.rdmaOnly.p50Ns).toBe(rdma[1]);
    expect(l.rdmaOnly.p99Ns).toBe(rdma[2]);
  });

  it('a host out of service: its pairs leave the table, file traffic to it is lost', () => {
    const down = compileFabric(parseTopologyText(WIRED, 'wired-4.yaml'), { hosts: ['h3'] });
    const traffic = parseTrafficCsv('h0,h1,1\nh0,h3,1\n', 't.csv', ['h0', 'h1', 'h2', 'h3']);
    const l = rpcByLocality(down, { traffic });
    expect(l.hostPairs).toBe(3);
    expect(l.unreachable).toEqual({ pairs: 0, trafficShare: 0.5 });
    expect(l.direct.trafficShare).toBe(0.5);
  });
});

describe('rpcByLocality on the bundled fabrics', () => {
  it('uniform all pairs agree with rpcAllPairs (the cheapest medium per pair)', () => {
    for (const t of ['octopus-96', 'hybrid-4x13', 'rdma-32x1']) {
      const f = compileFabric(loadTopology(t).graph);
      const s = rpcAllPairs(f, B64);
      const l = rpcByLocality(f);
      expect(l.all).toMatchObject({
        pairs: s.cheapest.pairs,
        p50Ns: s.cheapest.p50Ns,
        p99Ns: s.cheapest.p99Ns,
        minNs: s.cheapest.minNs,
        maxNs: s.cheapest.maxNs,
      });
    }
  });

  it('octopus-96: a quarter of pairs share a device, the rest relay; switches and RDMA are one class each', () => {
    const oct = rpcByLocality(compileFabric(loadTopology('octopus-96').graph));
    expect([oct.direct.pairs, oct.relayed.pairs, oct.rdmaOnly.pairs]).toEqual([1146, 3414, 0]);
    const sw = rpcByLocality(compileFabric(loadTopology('switched-96').graph));
    expect([sw.direct.pairs, sw.relayed.pairs, sw.rdmaOnly.pairs]).toEqual([4560, 0, 0]);
    expect(sw.direct.cheapestBy).toEqual({ 'cxl-switch': 4560 });
    const rd = rpcByLocality(compileFabric(loadTopology('rdma-96x3').graph));
    expect([rd.direct.pairs, rd.relayed.pairs, rd.rdmaOnly.pairs]).toEqual([0, 0, 4560]);
    // the island design's case: direct pairs beat a switched pool and RDMA
    expect(oct.direct.p50Ns ?? Infinity).toBeLessThan((sw.all.p50Ns ?? 0) / 1.5);
    expect(oct.direct.p50Ns ?? Infinity).toBeLessThan((rd.all.p50Ns ?? 0) / 3);
    // …while the uniform all-pairs average favours the switch
    expect(oct.all.p50Ns ?? 0).toBeGreaterThan(sw.all.p50Ns ?? Infinity);
    // local traffic puts 90 % of the weight on direct pairs
    const local = rpcByLocality(compileFabric(loadTopology('octopus-96').graph), {
      traffic: { kind: 'local', localShare: 0.9 },
    });
    expect(local.direct.trafficShare).toBeCloseTo(0.9, 12);
    expect(local.all.p50Ns ?? Infinity).toBeLessThan(sw.all.p50Ns ?? 0);
  });

  it('prototype-3 under a two-pair file matrix: every pair direct, p50 the h0–h1 round trip', () => {
    const f = compileFabric(loadTopology('prototype-3').graph);
    const traffic = parseTrafficCsv('src,dst,weight\nh0,h1,3\nh2,h0,1\n', 'p.csv', [
      'h0',
      'h1',
      'h2',
    ]);
    const l = rpcByLocality(f, { traffic });
    expect(l.direct).toMatchObject({ pairs: 3, pairShare: 1, trafficShare: 1 });
    expect(l.all.p50Ns).toBe(rpcCost(f, 'h0', 'h1', B64).best?.roundTripNs);
    expect(l.all.p99Ns).toBe(rpcCost(f, 'h0', 'h2', B64).best?.roundTripNs);
  });
});
