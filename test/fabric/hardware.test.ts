/**
 * GPU-to-fabric paths beyond PCIe 4 (docs/hardware.md): PCIe 5/6 GPU links, CXL x16 ports, the
 * coherent C2C link, NIC PCIe links and GPUDirect RDMA — each with a route bandwidth and
 * latency derived by hand from the default component profile (src/topology/defaults.ts):
 * host memory path 40 ns, local DRAM 60 ns, root port 25 ns, CXL link layer 30 ns, 5 ns/m,
 * device controller 90 ns + media 60 ns, PCIe hop 250 ns, C2C 100 ns, NIC 500 ns, ToR 300 ns,
 * RDMA software 300 ns per end; PCIe 5 lane 3.5 GB/s, PCIe 6 lane 7 GB/s; MHD media 76 GB/s.
 */
import { describe, expect, it } from 'vitest';
import { compileFabric } from '../../src/fabric/compile.ts';
import { fetchCost } from '../../src/fabric/fetch.ts';
import { dataRoute } from '../../src/fabric/route.ts';
import { TopologyBuilder } from '../../src/topology/builder.ts';
import { DEFAULT_COMPONENTS, type ComponentProfile } from '../../src/topology/defaults.ts';
import { validateTopology } from '../../src/topology/validate.ts';
import { bytes, bytesPerNs, metres } from '../../src/units/index.ts';
import { expectApprox } from '../helpers/approx.ts';

const GB = bytes(1e9);
const at = (slotU: number) => ({ placement: { rack: 0, slotU } });

/** One host with one GPU and `mhds` MHDs, each on a 1 m CXL cable. */
function cxlPod(over: Partial<ComponentProfile>, mhds: number) {
  const b = new TopologyBuilder({
    name: 'hw',
    family: 'custom',
    description: 'hand-built',
    components: { ...DEFAULT_COMPONENTS, ...over },
  });
  b.addHost('h0', { ...at(0), gpus: 1, nics: 0 });
  for (let d = 0; d < mhds; d++) {
    b.addMhd(`d${d}`, at(2 + d));
    b.connectCxl('h0', `d${d}`, { lengthM: metres(1) });
  }
  return compileFabric(b.build());
}

/** Two hosts with 2 GPUs and 2 NICs each (400 Gb/s on PCIe 5 x16), one ToR, 1 m cables. */
function rdmaPair(gpuDirectRdma: boolean) {
  const b = new TopologyBuilder({
    name: 'pair',
    family: 'custom',
    description: 'hand-built',
    components: {
      ...DEFAULT_COMPONENTS,
      gpuPcieGeneration: 5,
      nicPcieGeneration: 5,
      nicRateBytesPerNs: bytesPerNs(50),
      gpuDirectRdma,
    },
  });
  b.addTor('tor0', at(0));
  for (const h of ['h0', 'h1']) {
    b.addHost(h, { ...at(h === 'h0' ? 2 : 6), gpus: 2, nics: 2 });
    for (const n of [0, 1]) b.connectNetwork(`${h}.nic${n}`, 'tor0', { lengthM: metres(1) });
  }
  return compileFabric(b.build());
}

describe('GPU links beyond PCIe 4', () => {
  it('PCIe 5 x16 with CXL x16: one MHD into the GPU at 56 GB/s, first byte 560 ns', () => {
    // CXL x16 gen 5 = 16 × 3.5 = 56 GB/s; media 76; GPU PCIe 5 x16 = 56 → bottleneck 56.
    // First byte: load 40 + 2 × (25 + 30 + 1 m × 5) + 90 + 60 = 310, + PCIe hop 250 = 560 ns.
    const f = cxlPod({ gpuPcieGeneration: 5, hostCxlPortLanes: 16 }, 1);
    const r = fetchCost(f, 'h0', { kind: 'devices', devices: ['d0'] }, GB);
    expect(r.latencyNs).toBe(560);
    expectApprox(r.effectiveBandwidthBytesPerNs, 56);
    expectApprox(r.totalNs, 560 + 1e9 / 56);
  });

  it('PCIe 6 x16: the GPU link is 112 GB/s, so two x16 CXL cables (2 × 56) bound the fetch', () => {
    // GPU PCIe 6 x16 = 16 × 7 = 112 GB/s; stripes over d0, d1 each 56 GB/s on their own cable and
    // media (76) → 2 × 56 = 112 = the GPU link: every resource on the way is exactly full.
    const f = cxlPod({ gpuPcieGeneration: 6, hostCxlPortLanes: 16 }, 2);
    expect(f.linkBandwidthBytesPerNs[f.linkIndex.get('h0--h0.gpu0') ?? -1]).toBe(112);
    const r = fetchCost(f, 'h0', { kind: 'devices', devices: ['d0', 'd1'] }, GB);
    expectApprox(r.effectiveBandwidthBytesPerNs, 112);
  });

  it('the A100 default stays PCIe 4 x16 at 28 GB/s with x8 CXL ports', () => {
    // PCIe 4 lane 1.75 × 16 = 28; CXL x8 gen 5 = 28: both bound at 28.
    const f = cxlPod({}, 1);
    const r = fetchCost(f, 'h0', { kind: 'devices', devices: ['d0'] }, GB);
    expectApprox(r.effectiveBandwidthBytesPerNs, 28);
    expect(r.latencyNs).toBe(560); // same path shape as PCIe 5: load 310 + PCIe hop 250
  });
});

describe('coherent CPU–GPU link (C2C)', () => {
  const c2c = { gpuHostLink: 'c2c' as const, hostCxlPortLanes: 16 };

  it('joins the GPU to its host with a c2c link of 450 GB/s and 100 ns', () => {
    const f = cxlPod(c2c, 1);
    const l = f.linkIndex.get('h0--h0.gpu0') ?? -1;
    expect(f.linkKind[l]).toBe('c2c');
    expect(f.linkBandwidthBytesPerNs[l]).toBe(450);
    expect(f.linkLatencyNs[l]).toBe(100);
    expect(validateTopology(f.graph)).toEqual([]);
  });

  it('reaches CXL memory through the coherent link: 8 x16 cables (8 × 56 = 448 GB/s) bound it, not the GPU link', () => {
    // First byte: load 310 + C2C 100 = 410 ns. Stripes 8 × 56 = 448 < 450 (C2C) → 448 GB/s.
    const f = cxlPod(c2c, 8);
    const devices = Array.from({ length: 8 }, (_, d) => `d${d}`);
    const r = fetchCost(f, 'h0', { kind: 'devices', devices }, GB);
    expect(r.latencyNs).toBe(410);
    expectApprox(r.effectiveBandwidthBytesPerNs, 448);
  });

  it('reaches host DRAM at the coherent link rate: 450 GB/s after 200 ns', () => {
    // Own DRAM: memory path 40 + DRAM 60 + C2C 100 = 200 ns; only the C2C link is crossed.
    const f = cxlPod(c2c, 1);
    const r = fetchCost(f, 'h0', { kind: 'host', host: 'h0', memory: 'dram' }, GB);
    expect(r.latencyNs).toBe(200);
    expectApprox(r.effectiveBandwidthBytesPerNs, 450);
    expect(r.stripes[0]?.resources).toEqual(['h0--h0.gpu0:fwd']);
  });
});

describe('GPUDirect RDMA', () => {
  it('pairs GPU k with NIC ⌊k × nics ÷ gpus⌋ by a PCIe edge as fast as the slower device link', () => {
    const f = rdmaPair(true);
    for (const [nic, gpu] of [
      ['h0.nic0', 'h0.gpu0'],
      ['h0.nic1', 'h0.gpu1'],
    ]) {
      const l = f.linkIndex.get(`${nic}--${gpu}`) ?? -1;
      expect(f.linkKind[l]).toBe('pcie');
      expect(f.linkBandwidthBytesPerNs[l]).toBe(56); // min(NIC PCIe 5 x16 56, GPU PCIe 5 x16 56)
    }
    expect(validateTopology(f.graph)).toEqual([]);
    expect(rdmaPair(false).linkIndex.has('h0.nic0--h0.gpu0')).toBe(false);
  });

  it('a fetch from a remote GPU skips both hosts: 4 resources, the NIC bound (50 GB/s), 3,220 ns', () => {
    // oneWay = NIC 500 + cable 5 + ToR 300 + cable 5 + NIC 500 = 1,310; RDMA READ crosses it twice
    // plus software 2 × 300: 600 + 2,620 = 3,220 ns, no PCIe hop (the NIC's DMA lands in the GPU).
    // Resources: h1.gpu0 → h1.nic0 (GPUDirect), h1.nic0 → tor0, tor0 → h0.nic1, h0.nic1 → h0.gpu1.
    const f = rdmaPair(true);
    const r = fetchCost(f, 'h0', { kind: 'host', host: 'h1', memory: 'gpu' }, GB, {
      gpu: 'h0.gpu1',
    });
    expect(r.stripes).toHaveLength(1);
    expect(r.stripes[0]?.path).toEqual(['h1.gpu0', 'h1.nic0', 'tor0', 'h0.nic1', 'h0.gpu1']);
    expect(r.stripes[0]?.resources).toEqual([
      'h1.nic0--h1.gpu0:rev',
      'h1.nic0--tor0:fwd',
      'h0.nic1--tor0:rev',
      'h0.nic1--h0.gpu1:fwd',
    ]);
    expect(r.latencyNs).toBe(3220);
    expectApprox(r.effectiveBandwidthBytesPerNs, 50);
  });

  it('without GPUDirect the same fetch bounces through both hosts: 6 resources per stripe, +500 ns', () => {
    // Two NIC-pair stripes, each: h1.gpu0 → h1 → h1.nicK → tor0 → h0.nicK → h0 → h0.gpu1; both
    // share the two GPU PCIe links (56 GB/s) while their NICs give 2 × 50: bound 56 GB/s.
    // Latency 3,220 + the PCIe hop into the consumer GPU 250 + out of the source GPU 250 = 3,720.
    const f = rdmaPair(false);
    const r = fetchCost(f, 'h0', { kind: 'host', host: 'h1', memory: 'gpu' }, GB, {
      gpu: 'h0.gpu1',
    });
    expect(r.stripes).toHaveLength(2);
    for (const s of r.stripes) expect(s.resources).toHaveLength(6);
    expect(r.latencyNs).toBe(3720);
    expectApprox(r.effectiveBandwidthBytesPerNs, 56);
  });

  it('from remote DRAM: host → NIC k → … → paired NIC → GPU, 5 nodes and 4 resources', () => {
    // h1's DRAM leaves on h1.nic1 (the index of h0.gpu1's NIC), lands in h0.gpu1 directly.
    const f = rdmaPair(true);
    const r = fetchCost(f, 'h0', { kind: 'host', host: 'h1', memory: 'dram' }, GB, {
      gpu: 'h0.gpu1',
    });
    expect(r.stripes[0]?.path).toEqual(['h1', 'h1.nic1', 'tor0', 'h0.nic1', 'h0.gpu1']);
    expect(r.stripes[0]?.resources).toHaveLength(4);
    expect(r.latencyNs).toBe(3220);
  });

  it('dataRoute GPU → GPU takes the GPUDirect NICs: one PCIe hop per end instead of two', () => {
    // GPUDirect: 250 + NIC 500 + (5 + 300 + 5) + NIC 500 + 250 + software 600 = 2,410 ns.
    // Through the hosts: GPU hop 250 + host–NIC 250 at each end → 2,410 + 500 = 2,910 ns.
    const direct = dataRoute(rdmaPair(true), 'h1.gpu0', 'h0.gpu1', 1e9);
    expect(direct?.medium).toBe('rdma');
    expect(direct?.latencyNs).toBe(2410);
    expect(direct?.resources).toHaveLength(4);
    expect(direct?.bottleneckBytesPerNs).toBe(50);
    const bounced = dataRoute(rdmaPair(false), 'h1.gpu0', 'h0.gpu1', 1e9);
    expect(bounced?.latencyNs).toBe(2910);
    expect(bounced?.resources).toHaveLength(6);
  });

  it('falls back through the host when the paired NIC is down', () => {
    const b = rdmaPair(true).graph;
    const f = compileFabric(b, { links: ['h0.nic1--tor0'] });
    const r = fetchCost(f, 'h0', { kind: 'host', host: 'h1', memory: 'gpu' }, GB, {
      gpu: 'h0.gpu1',
    });
    expect(r.reachable).toBe(true);
    expect(r.stripes[0]?.path).toContain('h0');
  });

  it('one 100 Gb/s NIC per host: every GPU pairs with it, and it bounds each at 12.5 GB/s', () => {
    // 100 Gb/s = 12.5 GB/s; 4 GPUs, 1 NIC: GPU k → NIC ⌊k × 1 ÷ 4⌋ = nic0 for all k.
    const b = new TopologyBuilder({
      name: 'per-host',
      family: 'custom',
      description: 'hand-built',
      components: {
        ...DEFAULT_COMPONENTS,
        nicRateBytesPerNs: bytesPerNs(12.5),
        gpuDirectRdma: true,
      },
    });
    b.addTor('tor0', at(0));
    for (const [h, slot] of [
      ['h0', 2],
      ['h1', 6],
    ] as const) {
      b.addHost(h, { ...at(slot), gpus: 4, nics: 1 });
      b.connectNetwork(`${h}.nic0`, 'tor0', { lengthM: metres(1) });
    }
    const f = compileFabric(b.build());
    for (const g of [0, 1, 2, 3]) expect(f.linkIndex.has(`h0.nic0--h0.gpu${g}`)).toBe(true);
    const r = fetchCost(f, 'h0', { kind: 'host', host: 'h1', memory: 'dram' }, GB, {
      gpu: 'h0.gpu3',
    });
    expect(r.stripes[0]?.path).toEqual(['h1', 'h1.nic0', 'tor0', 'h0.nic0', 'h0.gpu3']);
    expectApprox(r.effectiveBandwidthBytesPerNs, 12.5);
  });
});
