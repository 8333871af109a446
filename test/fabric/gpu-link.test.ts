/**
 * A scenario's GPU and the topology's GPU link must agree (src/fabric/gpu-link.ts): a PCIe
 * generation that differs, or a host-link kind that differs, is one issue per mismatching link,
 * with the scenario field's path; a match, or a GPU that states neither, is no issue.
 */
import { describe, expect, it } from 'vitest';
import { compileFabric } from '../../src/fabric/compile.ts';
import { checkGpuLink } from '../../src/fabric/gpu-link.ts';
import { loadTopology } from '../../src/io/index.ts';
import { TopologyBuilder } from '../../src/topology/builder.ts';
import { DEFAULT_COMPONENTS, type ComponentProfile } from '../../src/topology/defaults.ts';

function oneHost(over: Partial<ComponentProfile>, name = 'pod') {
  const b = new TopologyBuilder({
    name,
    family: 'custom',
    description: 'hand-built',
    components: { ...DEFAULT_COMPONENTS, ...over },
  });
  b.addHost('h0', { placement: { rack: 0, slotU: 0 }, gpus: 2, nics: 0 });
  return compileFabric(b.build());
}

describe('checkGpuLink', () => {
  it('H100 compute (PCIe 5) on an A100 topology (PCIe 4 x16) is one issue at the scenario GPU', () => {
    const issues = checkGpuLink(oneHost({}, 'a100-pod'), { name: 'H100-80GB', pcieGeneration: 5 });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe('scenario.gpu-link-mismatch');
    expect(issues[0]?.path).toEqual(['gpu']);
    // The message names the scenario GPU, the topology, its link and both ways out.
    for (const part of [
      'H100-80GB',
      'a100-pod',
      'PCIe 4 x16',
      'PCIe 5 device',
      'a topology whose GPUs have a PCIe 5 link',
      'a scenario GPU with a PCIe 4 link',
    ])
      expect(issues[0]?.message).toContain(part);
  });

  it('agrees when the generations match, or when the GPU states no link', () => {
    expect(checkGpuLink(oneHost({}), { name: 'A100-80GB', pcieGeneration: 4 })).toEqual([]);
    expect(
      checkGpuLink(oneHost({ gpuPcieGeneration: 5 }), { name: 'H100-80GB', pcieGeneration: 5 }),
    ).toEqual([]);
    expect(checkGpuLink(oneHost({}), { name: 'custom' })).toEqual([]);
  });

  it('compares the host-link kind: a PCIe GPU on a C2C topology, a C2C GPU on PCIe', () => {
    const c2c = oneHost({ gpuHostLink: 'c2c' });
    expect(
      checkGpuLink(c2c, { name: 'H100-80GB', pcieGeneration: 5, hostLink: 'pcie' }),
    ).toHaveLength(1);
    expect(checkGpuLink(c2c, { name: 'GH200', hostLink: 'c2c' })).toEqual([]);
    // A PCIe generation alone says nothing about a coherent link: not a mismatch.
    expect(checkGpuLink(c2c, { name: 'H100-80GB', pcieGeneration: 5 })).toEqual([]);
    const pcie = checkGpuLink(oneHost({ gpuPcieGeneration: 5 }), {
      name: 'GH200',
      hostLink: 'c2c',
    });
    expect(pcie).toHaveLength(1);
    expect(pcie[0]?.message).toContain('coherent C2C');
  });

  it('uses the path it is given, and checks the bundled generations', () => {
    const f = compileFabric(loadTopology('octopus-96-h100').graph);
    expect(checkGpuLink(f, { name: 'H100-80GB', pcieGeneration: 5 })).toEqual([]);
    const a100 = compileFabric(loadTopology('octopus-96').graph);
    expect(
      checkGpuLink(a100, { name: 'H100-80GB', pcieGeneration: 5 }, ['serving', 'gpu'])[0]?.path,
    ).toEqual(['serving', 'gpu']);
  });
});
