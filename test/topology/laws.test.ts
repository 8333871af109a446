/**
 * podsim's own generators run the `podsim/testing` law suite (docs/design.md convention §12): every generator's
 * arbitrary × every law, plus deliberately broken generators showing each law can fail.
 * Bugs the suite found in the generators are pinned as regression tests at the end.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkTopologyLaws,
  degreesWithinPorts,
  deterministic,
  generatedTopology,
  hostsConnected,
  idConventions,
  octopusBibdParams,
  pairOverlapClaims,
  TOPOLOGY_LAWS,
  topologyArbitrary,
  topologyLawProperties,
  validationClean,
  type GeneratedTopology,
} from '../../src/testing/index.ts';
import {
  GENERATOR_NAMES,
  GENERATORS,
  generate,
  type Generator,
  type OctopusBibdParams,
} from '../../src/topology/generators/index.ts';
import { octopusIslands } from '../../src/topology/generators/octopus-islands.ts';
import { switchedCxl } from '../../src/topology/generators/switched-cxl.ts';
import { octopusSparse } from '../../src/topology/generators/octopus-sparse.ts';
import type { TopologyGraph } from '../../src/topology/types.ts';

const NUM_RUNS = 20;

describe.each(GENERATOR_NAMES)('%s passes every topology law', (name) => {
  for (const law of topologyLawProperties(topologyArbitrary(name))) {
    it(law.name, () => fc.assert(law.property, { numRuns: NUM_RUNS }));
  }
});

describe('law suite', () => {
  it('lists the laws the brief asks for, with distinct names', () => {
    const names = TOPOLOGY_LAWS.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(9);
  });

  it('holds for a handful of concrete topologies, checked all at once', () => {
    for (const [name, params] of [
      ['octopus-bibd', { hostPorts: 3, devicePorts: 3 }],
      ['octopus-bibd', { hostPorts: 8, devicePorts: 4 }],
      ['full-pod', { hosts: 4, devices: 2 }],
      ['rdma-rack', { hosts: 8, racks: 2 }],
      [
        'hybrid',
        { pods: 2, pod: { generator: 'octopus-bibd', params: { hostPorts: 3, devicePorts: 3 } } },
      ],
    ] as const) {
      const t = generatedTopology(GENERATORS[name] as Generator<unknown>, params, {
        gpusPerHost: 1,
      });
      expect(checkTopologyLaws(t), `${name} ${JSON.stringify(params)}`).toEqual({});
    }
  });
});

// ------------------------------------------------------- the laws can fail

/** A generator whose output is mangled after a correct run (the broken generators below). */
function broken(name: string, mangle: (g: TopologyGraph) => void): Generator<OctopusBibdParams> {
  return {
    name,
    family: 'octopus',
    summary: 'deliberately broken octopus-bibd',
    generate(params, options) {
      const g = generate('octopus-bibd', params, options);
      mangle(g);
      return g;
    },
  };
}

/** Runs one law over octopus-bibd shapes of a broken generator; returns fast-check's verdict. */
function verdict(gen: Generator<OctopusBibdParams>, law: (typeof TOPOLOGY_LAWS)[number]) {
  // report the generator as octopus-bibd so the parameter-dependent claims apply
  const arb = octopusBibdParams({ maxHosts: 30 })
    .filter((p) => p.hostPorts >= 2)
    .map(
      (p) =>
        ({
          ...generatedTopology(gen, p, { gpusPerHost: 0 }),
          generator: 'octopus-bibd',
        }) as GeneratedTopology,
    );
  const [prop] = topologyLawProperties(arb, [law]);
  if (prop === undefined) throw new Error('no property');
  return fc.check(prop.property, { numRuns: 10 });
}

describe('the laws can fail', () => {
  // Over-subscribe an MHD: cable one more host to d0 than it has ports.
  const overSubscribe = broken('over-subscribe', (g) => {
    const hosts = g.filterNodes((_, a) => a.kind === 'host');
    const extra = hosts.find((h) => !g.hasEdge(h, 'd0'));
    if (extra !== undefined)
      g.addEdgeWithKey(`${extra}--d0`, extra, 'd0', {
        ...g.getEdgeAttributes(g.edges('d0')[0] as string),
      });
  });
  // Drop a pair: remove one host's link to one device, so some pairs share nothing.
  const dropPair = broken('drop-pair', (g) => {
    const e = g.edges('d0')[0];
    if (e !== undefined) g.dropEdge(e);
  });
  // Cut the pod in two: isolate one host from every device.
  const isolate = broken('isolate', (g) => {
    for (const e of g.edges('h0')) if (g.getEdgeAttribute(e, 'kind') === 'cxl') g.dropEdge(e);
  });
  // Nondeterministic: a fresh random capacity on every run.
  const noisy = broken('noisy', (g) =>
    g.mergeNodeAttributes('d0', { capacityBytes: (1 + Math.random()) * 2 ** 30 } as never),
  );
  // A badly named node.
  const badName = broken('bad-name', (g) => {
    g.addNode('memory7', { ...g.getNodeAttributes('d0') });
    g.addEdgeWithKey('h0--memory7', 'h0', 'memory7', {
      ...g.getEdgeAttributes(g.edges('d0')[0] as string),
    });
  });

  it('an over-subscribed MHD breaks "degrees within ports", validation and the pair claim', () => {
    expect(verdict(overSubscribe, degreesWithinPorts).failed).toBe(true);
    expect(verdict(overSubscribe, validationClean).failed).toBe(true);
    expect(verdict(overSubscribe, pairOverlapClaims).failed).toBe(true);
  });
  it('a dropped pair breaks the BIBD pair claim', () => {
    const r = verdict(dropPair, pairOverlapClaims);
    expect(r.failed).toBe(true);
    expect(String(r.errorInstance)).toMatch(/share 0 devices/);
  });
  it('an isolated host breaks connectivity', () => {
    expect(verdict(isolate, hostsConnected).failed).toBe(true);
  });
  it('a nondeterministic generator breaks determinism', () => {
    expect(verdict(noisy, deterministic).failed).toBe(true);
  });
  it('an unconventional id breaks the id conventions', () => {
    expect(verdict(badName, idConventions).failed).toBe(true);
  });
  it('a correct generator passes the same checks', () => {
    for (const law of TOPOLOGY_LAWS)
      expect(
        verdict(
          broken('ok', () => undefined),
          law,
        ).failed,
        law.name,
      ).toBe(false);
  });
});

// ------------------------------------------------------ known generator bugs

describe('regressions: generator bugs found by the law suite', () => {
  // Was: octopus-islands accepted these shapes but its greedy inter-island wiring pairs the same
  // islands over and over (N = 2), or groups 3-host islands into closed triples (N = 3), so the
  // pod falls apart into several fabrics: validateTopology reports topology.disconnected.
  it('octopus-islands: N = 2 and N = 3 island pods stay connected', () => {
    for (const p of [
      { hosts: 8, hostPorts: 2, devicePorts: 2, seed: 1 },
      { hosts: 16, hostPorts: 5, devicePorts: 2, seed: 1 },
      { hosts: 27, hostPorts: 2, devicePorts: 3, seed: 1 },
      { hosts: 54, hostPorts: 3, devicePorts: 3, seed: 1 },
    ]) {
      const t = generatedTopology(octopusIslands, p, { gpusPerHost: 0 });
      expect(hostsConnected.check(t), JSON.stringify(p)).toEqual([]);
    }
  });

  // Was: switched-cxl put device d on switch d mod S regardless of how many host links and ring
  // ports that switch already carries, so a switch can be cabled beyond its ports
  // (e.g. 2 hosts × 3 links, 73 devices, 9-port switches: sw0 has 10 links on 9 ports).
  it('switched-cxl: switches are never cabled beyond their ports', () => {
    const t = generatedTopology(
      switchedCxl,
      { hosts: 2, devices: 73, switchPorts: 9, hostLinks: 3 },
      { gpusPerHost: 0 },
    );
    expect(degreesWithinPorts.check(t)).toEqual([]);
  });

  // Was: octopus-sparse accepted hostPorts = 1, but a host with one port joins one device, so
  // any pod larger than one device falls apart (topology.disconnected, sometimes
  // topology.disconnected-host). It should refuse (GeneratorError) or document the limit.
  it('octopus-sparse: hostPorts = 1 is refused or still gives a connected pod', () => {
    const p = {
      hosts: 10,
      hostPorts: 1,
      devicePorts: 4,
      objective: 'pair-coverage' as const,
      seed: 1,
    };
    let t: GeneratedTopology | undefined;
    try {
      t = generatedTopology(octopusSparse, p, { gpusPerHost: 0 });
    } catch {
      return; // refusing is a fix
    }
    expect(validationClean.check(t)).toEqual([]);
  });
});
