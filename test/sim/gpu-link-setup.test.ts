/**
 * A run refuses a scenario GPU that the topology does not wire (issue 12: H100 compute on an
 * A100's PCIe 4 link was accepted silently), and accepts each generation on its own topology.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import { compileFabric } from '../../src/fabric/compile.ts';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { getGpu } from '../../src/kv/gpu.ts';
import { runSimulation } from '../../src/sim/engine.ts';
import type { SimConfig } from '../../src/sim/types.ts';

const { scenario } = loadScenario('droidspeak-8b');
const small = (gpu: string): SimConfig => ({
  ...scenario,
  gpu: getGpu(gpu),
  workload: { ...scenario.workload, requests: 20 },
});

describe('the scenario GPU and the topology GPU link agree', () => {
  it('H100 compute on octopus-96 (A100s on PCIe 4) is refused at gpu, naming both and the way out', () => {
    const f = compileFabric(loadTopology('octopus-96').graph);
    let err: unknown;
    try {
      runSimulation(f, small('h100-80gb'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const issue = (err as InputError).issues[0];
    expect(issue?.path).toEqual(['gpu']);
    expect(issue?.message).toMatch(/PCIe 5 device.*PCIe 4 x16.*octopus-96-h100/s);
  });

  it('each generation runs on its own topology', () => {
    for (const [gpu, topology] of [
      ['a100-80gb', 'octopus-96'],
      ['h100-80gb', 'octopus-96-h100'],
      ['gh200', 'octopus-96-gh200'],
    ] as const) {
      const r = runSimulation(compileFabric(loadTopology(topology).graph), small(gpu));
      expect(r.requests.completed, `${gpu} on ${topology}`).toBe(20);
    }
  });
});
