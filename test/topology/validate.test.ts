/**
 * validateTopology on hand-built broken graphs: one test per issue code, checking codes,
 * paths and subjects (never message text), plus "every problem at once" (docs/design.md convention §4).
 */
import { describe, expect, it } from 'vitest';
import { TopologyBuilder } from '../../src/topology/builder.ts';
import { validateTopology, type TopologyIssue } from '../../src/topology/validate.ts';
import { generate } from '../../src/topology/generators/index.ts';
import { bytes, bytesPerNs, metres } from '../../src/units/index.ts';
import { GeneratorError } from '../../src/errors/index.ts';
import type { TopologyGraph } from '../../src/topology/types.ts';

const at = (rack: number, slotU: number) => ({ rack, slotU });

/** Two hosts sharing one MHD, no GPUs or NICs: a sound minimal pod. */
function tinyPod(): TopologyBuilder {
  return new TopologyBuilder({ name: 'tiny', family: 'custom', description: 'test pod' })
    .addHost('h0', { placement: at(0, 0), gpus: 0, nics: 0 })
    .addHost('h1', { placement: at(0, 3), gpus: 0, nics: 0 })
    .addMhd('d0', { placement: at(0, 2), ports: 4 })
    .connectCxl('h0', 'd0')
    .connectCxl('h1', 'd0');
}

const codes = (issues: readonly TopologyIssue[]): string[] => issues.map((i) => i.code).sort();
const only = (issues: readonly TopologyIssue[], code: string): TopologyIssue[] =>
  issues.filter((i) => i.code === code);

describe('validateTopology', () => {
  it('a sound pod has no issues; generated pods neither', () => {
    expect(validateTopology(tinyPod().build())).toEqual([]);
    expect(validateTopology(generate('octopus-bibd', { hostPorts: 4, devicePorts: 4 }))).toEqual(
      [],
    );
  });

  it('topology.ports-exceeded: an MHD cabled to more hosts than it has ports', () => {
    const b = tinyPod()
      .addHost('h2', { placement: at(0, 5), gpus: 0, nics: 0 })
      .addMhd('d1', { placement: at(0, 7), ports: 2 });
    b.connectCxl('h0', 'd1').connectCxl('h1', 'd1').connectCxl('h2', 'd1');
    const issues = validateTopology(b.build());
    expect(codes(issues)).toEqual(['topology.ports-exceeded']);
    expect(issues[0]?.path).toEqual(['nodes', 'd1', 'ports']);
    expect(issues[0]?.subject).toEqual({ node: 'd1' });
    expect(issues[0]?.field).toBe('ports');
  });

  it('topology.ports-exceeded: a host with more CXL links than CXL ports (generated graph, broken afterwards)', () => {
    const g = generate('octopus-bibd', { hostPorts: 3, devicePorts: 3 }, { gpusPerHost: 0 });
    g.mergeNodeAttributes('h0', { cxlPorts: 2 });
    const issues = validateTopology(g);
    expect(codes(issues)).toEqual(['topology.ports-exceeded']);
    expect(issues[0]?.path).toEqual(['nodes', 'h0', 'ports']);
  });

  it('topology.ports-exceeded: a ToR with more cables than ports', () => {
    const g = generate('rdma-rack', { hosts: 4, racks: 1 }, { nicsPerHost: 2, gpusPerHost: 0 });
    g.mergeNodeAttributes('tor0', { ports: 7 });
    expect(validateTopology(g).map((i) => [i.code, i.path])).toEqual([
      ['topology.ports-exceeded', ['nodes', 'tor0', 'ports']],
    ]);
  });

  it('topology.bad-link: a CXL cable between two hosts, a PCIe link to another host’s GPU, a network cable to an MHD', () => {
    const b = tinyPod().addHost('h2', { placement: at(0, 5), gpus: 1, nics: 1 });
    b.connectCxl('h2', 'd0');
    const g = b.build();
    g.addEdgeWithKey('h0--h1', 'h0', 'h1', { ...g.getEdgeAttributes('h0--d0') });
    g.addEdgeWithKey('h0--h2.gpu0', 'h0', 'h2.gpu0', { ...g.getEdgeAttributes('h2--h2.gpu0') });
    g.addEdgeWithKey('h2.nic0--d0', 'h2.nic0', 'd0', {
      kind: 'network',
      protocol: 'ethernet',
      lengthM: metres(1),
      bandwidthBytesPerNs: bytesPerNs(25),
    });
    const issues = validateTopology(g);
    const bad = only(issues, 'topology.bad-link');
    expect(bad.map((i) => i.path).sort()).toEqual([
      ['links', 'h0--h1'],
      ['links', 'h0--h2.gpu0'],
      ['links', 'h2.nic0--d0'],
    ]);
    expect(bad.map((i) => i.subject)).toContainEqual({ link: 'h0--h1' });
  });

  it('topology.bad-value: bad generation, lanes, retimers, bandwidth, capacity and port lanes, each with its field', () => {
    const g = tinyPod().build();
    g.mergeEdgeAttributes('h0--d0', { generation: 3, lanes: 3 });
    g.mergeEdgeAttributes('h1--d0', { retimers: 0.5, bandwidthBytesPerNs: bytesPerNs(0) });
    g.mergeNodeAttributes('d0', { capacityBytes: bytes(0) });
    g.mergeNodeAttributes('h1', { cxlPortLanes: 5 });
    const issues = validateTopology(g);
    expect(new Set(codes(issues))).toEqual(new Set(['topology.bad-value']));
    expect(issues.map((i) => i.path.join('.')).sort()).toEqual(
      [
        'links.h0--d0.generation',
        'links.h0--d0.lanes',
        'links.h1--d0.bandwidth',
        'links.h1--d0.retimers',
        'nodes.d0.capacity',
        'nodes.h1.cxlPortLanes',
      ].sort(),
    );
  });

  it('topology.cable-too-long: a declared length beyond copper reach without enough retimers', () => {
    const b = tinyPod().addMhd('d1', { placement: at(0, 8) });
    b.connectCxl('h0', 'd1', { lengthM: metres(2.5), retimers: 0 });
    b.connectCxl('h1', 'd1', { lengthM: metres(2.5) }); // retimers derived: fine
    const issues = validateTopology(b.build());
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['topology.cable-too-long', ['links', 'h0--d1', 'length']],
    ]);
  });

  it('topology.cable-too-long: removing the retimers of a long generated cable', () => {
    const g = generate('octopus-bibd', { hostPorts: 8, devicePorts: 4 }, { gpusPerHost: 0 });
    const long = g.findEdge((_e, l) => l.kind === 'cxl' && l.retimers > 0);
    expect(long).toBeDefined();
    if (long === undefined) return;
    g.mergeEdgeAttributes(long, { retimers: 0 });
    expect(validateTopology(g).map((i) => [i.code, i.path])).toEqual([
      ['topology.cable-too-long', ['links', long, 'length']],
    ]);
  });

  it('topology.orphan-device: a memory device with no CXL link', () => {
    const b = tinyPod().addMemoryDevice('md0', { placement: at(0, 9) });
    const issues = validateTopology(b.build());
    expect(issues.map((i) => [i.code, i.path, i.subject])).toEqual([
      ['topology.orphan-device', ['nodes', 'md0'], { node: 'md0' }],
    ]);
  });

  it('topology.bad-attachment: a GPU cabled to a second host, a NIC detached from its host', () => {
    const b = tinyPod().addHost('h2', { placement: at(0, 5), gpus: 1, nics: 1 });
    b.connectCxl('h2', 'd0');
    const g = b.build();
    g.addEdgeWithKey('h1--h2.gpu0', 'h1', 'h2.gpu0', { ...g.getEdgeAttributes('h2--h2.gpu0') });
    g.dropEdge('h2--h2.nic0');
    const issues = validateTopology(g);
    const att = only(issues, 'topology.bad-attachment');
    expect(att.map((i) => i.path).sort()).toEqual([
      ['nodes', 'h2.gpu0', 'host'],
      ['nodes', 'h2.nic0', 'host'],
    ]);
  });

  it('topology.disconnected-host: a host with neither CXL link nor cabled NIC', () => {
    const b = tinyPod().addHost('h2', { placement: at(0, 5), gpus: 1, nics: 1 });
    const issues = validateTopology(b.build());
    expect(codes(issues)).toEqual([
      'topology.disconnected',
      'topology.disconnected-host',
      'topology.uncabled-nic',
    ]);
    expect(only(issues, 'topology.disconnected-host')[0]?.path).toEqual(['nodes', 'h2']);
  });

  it('topology.disconnected: two pods with no link between them', () => {
    const b = tinyPod()
      .addHost('h2', { placement: at(1, 0), gpus: 0, nics: 0 })
      .addHost('h3', { placement: at(1, 3), gpus: 0, nics: 0 })
      .addMhd('d1', { placement: at(1, 2) })
      .connectCxl('h2', 'd1')
      .connectCxl('h3', 'd1');
    const issues = validateTopology(b.build());
    expect(issues.map((i) => [i.code, i.path, i.subject])).toEqual([
      ['topology.disconnected', [], { topology: true }],
    ]);
  });

  it('topology.disconnected: cutting a generated RDMA fabric at the spine', () => {
    const g = generate('rdma-rack', { hosts: 4, racks: 2 }, { nicsPerHost: 1, gpusPerHost: 0 });
    for (const e of g.edges('spine0')) g.dropEdge(e);
    expect(codes(validateTopology(g))).toEqual(['topology.disconnected']);
  });

  it('a graph with 3 problems reports 3 issues', () => {
    const b = tinyPod()
      .addMemoryDevice('md0', { placement: at(0, 9) })
      .addMhd('d1', { placement: at(0, 8) });
    b.connectCxl('h0', 'd1', { lengthM: metres(4), retimers: 0 });
    const g = b.build();
    g.mergeNodeAttributes('d0', { ports: 1 });
    const issues = validateTopology(g);
    expect(issues).toHaveLength(3);
    expect(codes(issues)).toEqual([
      'topology.cable-too-long',
      'topology.orphan-device',
      'topology.ports-exceeded',
    ]);
  });

  it('does not mutate the graph', () => {
    const g: TopologyGraph = tinyPod()
      .addMemoryDevice('md0', { placement: at(0, 9) })
      .build();
    const before = JSON.stringify(g.export());
    validateTopology(g);
    expect(JSON.stringify(g.export())).toBe(before);
  });
});

describe('TopologyBuilder', () => {
  it('refuses a duplicate node id with topology.duplicate-id', () => {
    const b = tinyPod();
    let err: unknown;
    try {
      b.addMhd('d0', { placement: at(0, 9) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GeneratorError);
    expect((err as GeneratorError).issues.map((i) => i.code)).toEqual(['topology.duplicate-id']);
  });
});
