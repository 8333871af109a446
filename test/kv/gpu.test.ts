/**
 * GPU profiles (src/kv/gpu.ts): the datasheet figures the hardware checks and the compute model
 * read — host-link generation, HBM size and bandwidth, dense bf16 peak — for every built-in.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_GPU_IDS, getGpu } from '../../src/kv/index.ts';
import { GiB } from '../../src/units/index.ts';

describe('GPU profiles', () => {
  it('lists A100, H100, H200, GH200, B200 and L40S', () => {
    expect([...BUILTIN_GPU_IDS].sort()).toEqual(
      ['a100-80gb', 'b200', 'gh200', 'h100-80gb', 'h200', 'l40s'].sort(),
    );
  });

  it('carries each GPU’s host link: PCIe 4 (A100, L40S), 5 (Hopper), 6 (B200); GH200 over NVLink-C2C', () => {
    const link = (id: string): [number, string] => [getGpu(id).pcieGeneration, getGpu(id).hostLink];
    expect(link('a100-80gb')).toEqual([4, 'pcie']);
    expect(link('l40s')).toEqual([4, 'pcie']);
    expect(link('h100-80gb')).toEqual([5, 'pcie']);
    expect(link('h200')).toEqual([5, 'pcie']);
    expect(link('gh200')).toEqual([5, 'nvlink-c2c']);
    expect(link('b200')).toEqual([6, 'pcie']);
  });

  it('has the datasheet memory and peaks, each generation above the last', () => {
    expect(getGpu('h200').hbmBytes).toBe(141e9);
    expect(getGpu('b200').hbmBytes).toBe(179 * GiB);
    expect(getGpu('h200').hbmBandwidthBytesPerNs).toBe(4800);
    expect(getGpu('b200').hbmBandwidthBytesPerNs).toBe(8000);
    expect(getGpu('b200').peakFlopsPerNs).toBe(2.25e6);
    const order = ['a100-80gb', 'h100-80gb', 'h200', 'b200'].map((id) => getGpu(id));
    for (let i = 1; i < order.length; i++) {
      expect(order[i]?.hbmBandwidthBytesPerNs).toBeGreaterThan(
        order[i - 1]?.hbmBandwidthBytesPerNs ?? 0,
      );
      expect(order[i]?.hbmBytes).toBeGreaterThanOrEqual(order[i - 1]?.hbmBytes ?? 0);
    }
  });

  it('keeps every efficiency a fraction of its roof', () => {
    for (const id of BUILTIN_GPU_IDS) {
      const g = getGpu(id);
      for (const f of [g.gemmEfficiency, g.attentionEfficiency, g.memoryEfficiency]) {
        expect(f).toBeGreaterThan(0);
        expect(f).toBeLessThanOrEqual(1);
      }
      expect(g.layerOverheadNs).toBeGreaterThanOrEqual(0);
    }
  });
});
