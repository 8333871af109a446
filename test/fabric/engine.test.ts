/**
 * The cost engine against the issue's contract: calibration targets, breakdowns that add up,
 * all-pairs summaries consistent with single queries, failure views, fetch striping through the
 * flow engine, and data routes. Topologies come from the bundled presets and the generators.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors/index.ts';
import { calibrate } from '../../src/fabric/calibrate.ts';
import { compileFabric } from '../../src/fabric/compile.ts';
import { fetchCost, reachableDevices } from '../../src/fabric/fetch.ts';
import { cxlPaths, loadLatencyNs } from '../../src/fabric/paths.ts';
import { dataRoute } from '../../src/fabric/route.ts';
import { RPC_MEDIA, rpcAllPairs, rpcCost, rpcOneWayMatrices } from '../../src/fabric/rpc.ts';
import { loadTopology } from '../../src/io/index.ts';
import { generate } from '../../src/topology/generators/index.ts';
import { bytes, GB } from '../../src/units/index.ts';
import { expectApprox } from '../helpers/approx.ts';

const preset = (name: string) => compileFabric(loadTopology(name).graph);
const small = bytes(64);

describe('calibration (issue 3 targets, from components, never hard-coded)', () => {
  const c = calibrate({
    octopus: loadTopology('prototype-3').graph,
    switched: loadTopology('prototype-3-switched').graph,
    rdma: loadTopology('prototype-3-rdma').graph,
  });
  const model = (q: string): number => {
    const r = c.rows.find((x) => x.quantity.startsWith(q));
    if (r === undefined) throw new Error(`no row ${q}`);
    return r.model;
  };
  it('Octopus RPC is 3.2× (±0.3) faster than in-rack RDMA', () => {
    expect(Math.abs(model('Octopus RPC speed-up over in-rack RDMA') - 3.2)).toBeLessThanOrEqual(
      0.3,
    );
  });
  it('Octopus RPC is 2.4× (±0.25) faster than through a CXL switch', () => {
    expect(Math.abs(model('Octopus RPC speed-up over a CXL switch') - 2.4)).toBeLessThanOrEqual(
      0.25,
    );
  });
  it('a direct CXL load lands in 214–394 ns and one switch on short cables is near 600 ns', () => {
    const direct = model('direct-attached CXL load');
    expect(direct).toBeGreaterThanOrEqual(214);
    expect(direct).toBeLessThanOrEqual(394);
    expect(Math.abs(model('load through one CXL switch') - 600)).toBeLessThanOrEqual(90);
  });
  it('lists every component with estimates marked', () => {
    expect(c.components.find((r) => r.component === 'retimerLatencyNs')?.estimate).toBe(false);
    expect(c.components.find((r) => r.component === 'nicLatencyNs')?.estimate).toBe(true);
  });
});

describe('rpcCost', () => {
  it('explains each option: the breakdown adds up to the one-way cost', () => {
    const r = rpcCost(preset('prototype-3'), 'h0', 'h2', bytes(4096));
    expect(r.options.map((o) => o.medium)).toEqual(['cxl-mhd', 'rdma']);
    for (const o of r.options) {
      for (const side of [o.request, o.response])
        expectApprox(
          side.breakdown.reduce((s, p) => s + p.ns, 0),
          side.ns,
        );
      expectApprox(o.request.ns + o.response.ns, o.roundTripNs);
    }
    expect(r.best?.request.path).toEqual(['h0', 'd0', 'h2']);
  });

  it('hosts that share no device relay, and a relay costs more than a direct message', () => {
    const f = compileFabric(
      generate('octopus-islands', { hosts: 96, hostPorts: 8, devicePorts: 4, seed: 1 }),
    );
    const s = rpcAllPairs(f, small);
    expect(s.perMedium['cxl-relay']?.pairs).toBeGreaterThan(0);
    expect(s.perMedium['cxl-relay']?.minNs ?? 0).toBeGreaterThan(
      s.perMedium['cxl-mhd']?.minNs ?? Infinity,
    );
    expect(s.unreachablePairs).toBe(0);
  });

  it('all-pairs matrices give exactly the single-pair answer on every medium (sampled pairs)', () => {
    for (const name of ['octopus-96', 'hybrid-4x13', 'switched-96'] as const) {
      const f = preset(name);
      const m = rpcOneWayMatrices(f, small);
      const n = m.hosts.length;
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: n - 1 }),
          fc.integer({ min: 0, max: n - 1 }),
          (i, j) => {
            fc.pre(i !== j);
            const single = rpcCost(f, m.hosts[i] ?? '', m.hosts[j] ?? '', small);
            for (const medium of RPC_MEDIA) {
              const rtt =
                (m.oneWayNs[medium][i * n + j] ?? Infinity) +
                (m.oneWayNs[medium][j * n + i] ?? Infinity);
              const opt = single.options.find((o) => o.medium === medium);
              if (opt === undefined) expect(Number.isFinite(rtt), `${name} ${medium}`).toBe(false);
              else expectApprox(rtt, opt.roundTripNs, 1e-9);
            }
          },
        ),
        { numRuns: 25 },
      );
    }
  });

  it('round trips grow with the payload', () => {
    const f = preset('prototype-3');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 1, max: 1e7 }), (a, d) => {
        const x = rpcCost(f, 'h0', 'h1', bytes(a)).best?.roundTripNs ?? 0;
        const y = rpcCost(f, 'h0', 'h1', bytes(a + d)).best?.roundTripNs ?? 0;
        return y > x;
      }),
      { numRuns: 40 },
    );
  });

  it('a failed shared device sends the prototype to RDMA; unreachable is a result', () => {
    const f = compileFabric(loadTopology('prototype-3').graph, { devices: ['d0'] });
    expect(rpcCost(f, 'h0', 'h1', small).best?.medium).toBe('rdma');
    const g = compileFabric(loadTopology('prototype-3-switched').graph, { devices: ['sw0'] });
    const r = rpcCost(g, 'h0', 'h1', small);
    expect(r.reachable).toBe(false);
    expect(r.options).toEqual([]);
  });

  it('unknown hosts and unknown failures are InputErrors with paths', () => {
    const f = preset('prototype-3');
    expect(() => rpcCost(f, 'h0', 'h9', small)).toThrow(InputError);
    try {
      compileFabric(loadTopology('prototype-3').graph, { links: ['h0--d9'], hosts: ['d0'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues.map((i) => i.path)).toEqual([
        ['fail', 'hosts', 0],
        ['fail', 'links', 0],
      ]);
    }
  });
});

describe('loads', () => {
  it('cross the path twice: a longer cable adds twice its propagation', () => {
    const f = preset('prototype-3');
    const p = cxlPaths(f, f.nodeIndex.get('h0') ?? 0)[0];
    if (p === undefined) throw new Error('no path');
    const prof = f.profile;
    expectApprox(
      loadLatencyNs(f, p),
      prof.hostMemoryPathLatencyNs +
        2 *
          (prof.cxlRootPortLatencyNs +
            prof.cxlLinkLayerLatencyNs +
            1 * prof.cablePropagationNsPerM) +
        prof.deviceControllerLatencyNs +
        prof.deviceMediaLatencyNs,
    );
  });
});

describe('fetchCost', () => {
  it('striped fetches share the GPU PCIe link: time = latency + bytes / 28 GB/s', () => {
    const f = preset('octopus-96');
    const size = bytes(1.43 * GB);
    const r = fetchCost(f, 'h0', { kind: 'devices', devices: reachableDevices(f, 'h0') }, size);
    expect(r.reachable).toBe(true);
    expect(r.stripes).toHaveLength(8);
    expectApprox(
      r.stripes.reduce((s, x) => s + x.bytes, 0),
      size,
      1e-12,
    );
    expectApprox(r.effectiveBandwidthBytesPerNs, 28, 1e-3);
  });

  it('one device is limited by its x8 link, the same 28 GB/s; more bytes take longer', () => {
    const f = preset('prototype-3');
    const a = fetchCost(f, 'h0', { kind: 'devices', devices: ['d0'] }, bytes(1e9));
    const b = fetchCost(f, 'h0', { kind: 'devices', devices: ['d0'] }, bytes(2e9));
    expect(b.totalNs).toBeGreaterThan(a.totalNs);
    expectApprox(a.totalNs - a.latencyNs, 1e9 / 28, 1e-6);
  });

  it('GPU-to-GPU over RDMA stripes over NIC pairs; a down source is unreachable, not an exception', () => {
    const f = preset('rdma-96x3');
    const r = fetchCost(f, 'h0', { kind: 'host', host: 'h40', memory: 'gpu' }, bytes(1e9));
    expect(r.stripes).toHaveLength(2);
    expect(r.stripes[0]?.path[0]).toBe('h40.gpu0');
    const down = fetchCost(
      compileFabric(loadTopology('rdma-96x3').graph, { hosts: ['h40'] }),
      'h0',
      { kind: 'host', host: 'h40', memory: 'dram' },
      bytes(1e9),
    );
    expect(down.reachable).toBe(false);
    expect(down.reason).toMatch(/down/);
  });
});

describe('dataRoute', () => {
  it('device → GPU crosses the media, the CXL link and the GPU PCIe link in travel order', () => {
    const f = preset('prototype-3');
    const r = dataRoute(f, 'd0', 'h1.gpu0', 1e6);
    expect(r?.resources.map((x) => f.resources[x])).toEqual([
      'd0:media',
      'h1--d0:rev',
      'h1--h1.gpu0:fwd',
    ]);
  });

  it('host → host through a shared device writes then reads it: media twice', () => {
    const f = preset('prototype-3');
    const r = dataRoute(f, 'h0', 'h2', 4096);
    expect(r?.medium).toBe('cxl-shared-device');
    expect(r?.resources.filter((x) => f.resources[x] === 'd0:media')).toHaveLength(2);
  });

  it('no shared device and no network: no route', () => {
    const f = compileFabric(loadTopology('prototype-3').graph, { devices: ['d0', 'tor0'] });
    expect(dataRoute(f, 'h0', 'h1', 1)).toBeUndefined();
  });
});

describe('fetch through a relay host', () => {
  it('a device the consumer does not reach is copied by a host that shares a device with it', () => {
    const f = preset('octopus-96');
    const mine = new Set(reachableDevices(f, 'h0'));
    const far = reachableDevices(f, 'h95').find((d) => !mine.has(d));
    if (far === undefined) throw new Error('test needs a device h0 does not reach');
    const r = fetchCost(f, 'h0', { kind: 'devices', devices: [far] }, bytes(1e9));
    expect(r.reachable).toBe(true);
    const path = r.stripes[0]?.path ?? [];
    expect(path[0]).toBe(far);
    expect(path.at(-1)).toBe('h0.gpu0');
    // the relay writes into a shared device and h0 reads it: that device's media appears twice
    const media = (r.stripes[0]?.resources ?? []).filter((x) => x.endsWith(':media'));
    expect(media).toHaveLength(3);
    expect(new Set(media.slice(1)).size).toBe(1);
    // slower to first byte than a device h0 reaches directly
    const direct = fetchCost(
      f,
      'h0',
      { kind: 'devices', devices: [[...mine][0] ?? ''] },
      bytes(1e9),
    );
    expect(r.latencyNs).toBeGreaterThan(direct.latencyNs);
  });
});

describe('fetch through a chain of relays', () => {
  it('reaches devices two relays away, each shared device written then read', () => {
    const f = preset('octopus-96');
    const mine = new Set(reachableDevices(f, 'h0'));
    const hostsOnPath = (path: readonly string[]): number =>
      path.filter((id) => /^h\d+$/.test(id)).length - 1; // minus the consumer
    let found: readonly string[] | undefined;
    for (const h of ['h95', 'h80', 'h64', 'h48', 'h33', 'h17']) {
      for (const d of reachableDevices(f, h)) {
        if (mine.has(d)) continue;
        const r = fetchCost(f, 'h0', { kind: 'devices', devices: [d] }, bytes(1e8));
        expect(r.reachable).toBe(true);
        if (hostsOnPath(r.stripes[0]?.path ?? []) >= 2) found = r.stripes[0]?.resources;
      }
    }
    expect(found).toBeDefined();
    const media = (found ?? []).filter((x) => x.endsWith(':media'));
    // source device once, then every shared device twice (written, then read)
    const counts = new Map<string, number>();
    for (const m of media.slice(1)) counts.set(m, (counts.get(m) ?? 0) + 1);
    expect([...counts.values()].every((c) => c === 2)).toBe(true);
    expect(counts.size).toBeGreaterThanOrEqual(2);
  });
});
