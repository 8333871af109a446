/**
 * A striped transfer as one lockstep flow (src/fabric/transfer.ts): the merge itself, and the
 * claim the simulator relies on — alone on a fabric, a fetch moved in lockstep lands when
 * `fetchCost`'s independent stripes do, up to the spread of the stripes' first-byte latencies
 * (independent stripes start as their own latency passes, lockstep ones together after the
 * slowest; once moving, lockstep is never slower, being held only by its most loaded resource).
 */
import { describe, expect, it } from 'vitest';
import { compileFabric } from '../../src/fabric/compile.ts';
import { fetchCost, planFetch } from '../../src/fabric/fetch.ts';
import { FluidNetwork } from '../../src/fabric/flows.ts';
import { lockstepTransfer } from '../../src/fabric/transfer.ts';
import { loadTopology } from '../../src/io/index.ts';
import { bytes } from '../../src/units/index.ts';

describe('lockstepTransfer', () => {
  it('weighs each resource by the share of stripes crossing it, and waits for the slowest stripe', () => {
    const t = lockstepTransfer(
      [
        { resources: [1, 9], latencyNs: 300, nodes: [0, 5], bytes: 250 },
        { resources: [2, 9], latencyNs: 250, nodes: [0, 7], bytes: 250 },
        { resources: [3, 9, 9], latencyNs: 400, nodes: [0, 6, 5], bytes: 250 },
        { resources: [4, 9], latencyNs: 100, nodes: [0, 5], bytes: 250 },
      ],
      (v) => v === 6,
    );
    expect([...t.resources]).toEqual([1, 9, 2, 3, 4]);
    expect([...t.weights]).toEqual([0.25, 1.25, 0.25, 0.25, 0.25]); // resource 9: four stripes, one of them twice
    expect(t.latencyNs).toBe(400);
    expect(t.relayedShare).toBe(0.25);
  });

  it('weighs by byte shares when stripes differ in size, equally when they carry none', () => {
    const stripe = (
      resources: number[],
      node: number,
      bytes: number,
    ): { resources: number[]; latencyNs: number; nodes: number[]; bytes: number } => ({
      resources,
      latencyNs: 1,
      nodes: [node],
      bytes,
    });
    const t = lockstepTransfer([stripe([0, 2], 0, 300), stripe([1, 2], 1, 100)], (v) => v === 1);
    expect([...t.weights]).toEqual([0.75, 1, 0.25]);
    expect(t.relayedShare).toBe(0.25);
    expect([
      ...lockstepTransfer([stripe([0, 2], 0, 0), stripe([1, 2], 1, 0)], () => false).weights,
    ]).toEqual([0.5, 1, 0.5]);
    expect(() => lockstepTransfer([], () => false)).toThrow(RangeError);
    expect(() => lockstepTransfer([stripe([0], 0, -1)], () => false)).toThrow(RangeError);
  });
});

describe('a lone fetch: lockstep vs independent stripes', () => {
  for (const name of ['octopus-96', 'switched-96', 'octopus-bibd-25', 'hybrid-4x13']) {
    it(`lands within the stripes' latency spread of fetchCost on ${name}, relayed stripes included`, () => {
      const f = compileFabric(loadTopology(name).graph);
      const devices = f.nodes.filter(
        (_, i) => f.nodeKind[i] === 'mhd' || f.nodeKind[i] === 'memory-device',
      );
      const size = bytes(1.43e9);
      let compared = 0;
      let relayed = 0;
      for (const h of Array.from(f.hosts).slice(0, 6)) {
        const host = f.nodes[h] as string;
        for (let s = 0; s + 8 <= Math.min(devices.length, 48); s += 8) {
          const source = { kind: 'devices' as const, devices: devices.slice(s, s + 8) };
          const independent = fetchCost(f, host, source, size);
          const plan = planFetch(f, host, source, size);
          if (!independent.reachable || !plan.ok) continue;
          const t = lockstepTransfer(plan.stripes, (v) => v !== h && f.nodeKind[v] === 'host');
          if (t.relayedShare > 0) relayed++;
          const net = new FluidNetwork(f.resourceCapacityBytesPerNs);
          net.start({ resources: t.resources, weights: t.weights, bytes: size });
          const lockstepNs = t.latencyNs + net.nextCompletionNs();
          const spreadNs = t.latencyNs - Math.min(...plan.stripes.map((x) => x.latencyNs));
          expect(Math.abs(lockstepNs - independent.totalNs)).toBeLessThanOrEqual(
            spreadNs + 1e-9 * independent.totalNs,
          );
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(4);
      if (name === 'octopus-96') expect(relayed).toBeGreaterThan(0);
    });
  }
});
