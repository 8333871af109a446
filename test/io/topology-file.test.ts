/**
 * Topology files: every bundled preset loads and validates; explicit files build as written;
 * generator files build and render. User mistakes are in topology-mistakes.test.ts, fuzzing in
 * topology-fuzz.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import {
  COMPONENT_KEYS,
  GENERATOR_PARAM_SCHEMAS,
  TOPOLOGIES_DIR,
  listPresets,
  loadTopology,
  parseTopologyText,
  renderTopologyFile,
  topologyJsonSchema,
  type TopologyFileDocument,
} from '../../src/io/index.ts';
import { DEFAULT_COMPONENTS } from '../../src/topology/defaults.ts';
import { GENERATOR_NAMES } from '../../src/topology/generators/index.ts';
import type { TopologyGraph } from '../../src/topology/types.ts';
import { validateTopology } from '../../src/topology/validate.ts';
import { GiB, TiB } from '../../src/units/index.ts';
import { BASE, count, thrown, where } from './topology-helpers.ts';

describe('bundled topologies', () => {
  const expectedHosts: Record<string, number> = {
    'droidspeak-testbed': 2,
    'hybrid-4x13': 52,
    'octopus-96': 96,
    'octopus-96-gh200': 96,
    'octopus-96-h100': 96,
    'octopus-96-reach': 96,
    'octopus-bibd-25': 25,
    'prototype-3': 3,
    'prototype-3-rdma': 3,
    'prototype-3-switched': 3,
    'rdma-32x1': 32,
    'rdma-96x3': 96,
    'rdma-96x3-gh200': 96,
    'rdma-96x3-h100': 96,
    'switched-96': 96,
    'switched-96-gh200': 96,
    'switched-96-h100': 96,
  };

  it('lists exactly the expected presets, sorted, each with a description', () => {
    const presets = listPresets();
    expect(presets.map((p) => p.name)).toEqual(Object.keys(expectedHosts).sort());
    for (const p of presets) expect(p.description.length).toBeGreaterThan(20);
  });

  for (const [name, hosts] of Object.entries(expectedHosts)) {
    it(`${name} loads, validates with zero issues and has ${hosts} hosts`, () => {
      const { graph, file } = loadTopology(name);
      expect(file).toBe(join(TOPOLOGIES_DIR, `${name}.yaml`));
      expect(validateTopology(graph)).toEqual([]);
      expect(count(graph, 'host')).toBe(hosts);
      expect(graph.getAttribute('name')).toBe(name);
    });
  }

  it('encodes the papers’ shapes: 25 hosts / 50 MHDs, 192 MHDs, equal pooled capacity, 13-host pods', () => {
    expect(count(loadTopology('octopus-bibd-25').graph, 'mhd')).toBe(50);
    const octopus = loadTopology('octopus-96').graph;
    const switched = loadTopology('switched-96').graph;
    const pooled = (g: TopologyGraph): number =>
      g.reduceNodes(
        (s, _, a) => s + (a.kind === 'mhd' || a.kind === 'memory-device' ? a.capacityBytes : 0),
        0,
      );
    expect(count(octopus, 'mhd')).toBe(192);
    expect(pooled(octopus)).toBe(192 * 256 * GiB);
    expect(pooled(switched)).toBe(pooled(octopus));
    expect(count(switched, 'memory-device')).toBe(48);
    expect(switched.getAttribute('components').mhdCapacityBytes).toBe(TiB);
    const hybrid = loadTopology('hybrid-4x13').graph;
    expect(count(hybrid, 'mhd')).toBe(4 * 13);
    expect(count(hybrid, 'nic')).toBe(52);
    const rdma = loadTopology('rdma-96x3').graph;
    expect(count(rdma, 'nic')).toBe(192);
    expect(rdma.getAttribute('components').nicRateBytesPerNs).toBe(50);
    expect(rdma.getAttribute('components').torPorts).toBe(128);
  });

  it('prototype-3 is 3 hosts on one 4-port MHD with one port free, plus a ToR', () => {
    const g = loadTopology('prototype-3').graph;
    const d0 = g.getNodeAttributes('d0');
    expect(d0.kind === 'mhd' && d0.ports).toBe(4);
    expect(g.degree('d0')).toBe(3);
    expect(g.degree('tor0')).toBe(3);
    expect(count(g, 'gpu')).toBe(3);
  });

  it('the committed JSON Schema equals the generated one (regenerate with `npm run schema`)', () => {
    const committed = readFileSync(join(TOPOLOGIES_DIR, 'topology.schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(topologyJsonSchema(), null, 2)}\n`);
  });

  it('an unknown preset is an InputError that lists the presets', () => {
    const e = thrown(InputError, () => loadTopology('octopus-97'));
    expect(e.issues[0]?.code).toBe('input.not-found');
    expect(e.message).toContain('octopus-96');
  });
});

describe('explicit files', () => {
  it('builds the base file with derived GPUs, NICs, placements and lengths', () => {
    const g = parseTopologyText(BASE, 'dir/base.yaml');
    expect(g.getAttribute('name')).toBe('base');
    expect(g.getAttribute('family')).toBe('custom');
    expect(g.hasNode('h0.gpu0') && g.hasNode('h1.nic0')).toBe(true);
    expect(g.hasEdge('h0--d0')).toBe(true);
    const l = g.getEdgeAttributes('h0--d0');
    expect(l.kind === 'cxl' && l.lengthM > 0 && l.retimers === 0).toBe(true);
  });

  it('reads JSON too (JSON is YAML)', () => {
    const json = JSON.stringify({
      name: 'j',
      nodes: [
        { id: 'h0', kind: 'host' },
        { id: 'd0', kind: 'mhd' },
      ],
      links: [{ a: 'h0', b: 'd0', kind: 'cxl' }],
    });
    expect(parseTopologyText(json, 'j.json').order).toBeGreaterThan(2);
  });

  it('applies components overrides derived from the profile keys, including time per length', () => {
    const g = parseTopologyText(
      `${BASE}components: { retimerLatency: "45 ns", cablePropagation: "4.9 ns/m", mhdCapacity: "512 GiB", gpusPerHost: 2, gpuModel: H100 }\n`,
      'c.yaml',
    );
    const c = g.getAttribute('components');
    expect(c.retimerLatencyNs).toBe(45);
    expect(c.cablePropagationNsPerM).toBe(4.9);
    expect(c.mhdCapacityBytes).toBe(512 * GiB);
    expect(c.gpuModel).toBe('H100');
    const d0 = g.getNodeAttributes('d0');
    expect(d0.kind === 'mhd' && d0.capacityBytes).toBe(512 * GiB);
  });

  it('derives the components key table from every profile key', () => {
    expect(COMPONENT_KEYS.map((c) => c.profileKey).sort()).toEqual(
      Object.keys(DEFAULT_COMPONENTS).sort(),
    );
    const byFile = new Map(COMPONENT_KEYS.map((c) => [c.fileKey, c]));
    expect(byFile.get('retimerLatency')?.profileKey).toBe('retimerLatencyNs');
    expect(byFile.get('nicRate')?.kind).toBe('bandwidth');
    expect(byFile.get('cablePropagation')?.kind).toBe('time-per-length');
    expect(byFile.get('copperReach')?.kind).toBe('length');
    expect(byFile.get('mhdPorts')?.kind).toBe('count');
    expect(byFile.get('gpuModel')?.kind).toBe('text');
  });

  it('a link id "b--a" builds the link that way round', () => {
    const g = parseTopologyText(
      BASE.replace('{ a: h1, b: d0, kind: cxl }', '{ a: h1, b: d0, kind: cxl, id: d0--h1 }'),
      'x.yaml',
    );
    expect(g.hasEdge('d0--h1')).toBe(true);
  });
});

describe('generator files and rendering', () => {
  it('applies defaults (seed 1) and the file stem as name', () => {
    const g = parseTopologyText(
      'generator: octopus-islands\nparams: { hosts: 16, hostPorts: 4, devicePorts: 4 }\n',
      'pods/islands-16.yaml',
    );
    expect(g.getAttribute('name')).toBe('islands-16');
    expect(g.getAttribute('generator')?.params['seed']).toBe(1);
    expect(count(g, 'host')).toBe(16);
  });

  it('renders a document that loads back to the same topology, with a schema line', () => {
    const doc: TopologyFileDocument<'octopus-sparse'> = {
      name: 'sparse-20',
      description: 'test',
      generator: 'octopus-sparse',
      params: { hosts: 20, hostPorts: 4, devicePorts: 4 },
      components: { mhdCapacity: '512 GiB' },
    };
    const text = renderTopologyFile(doc);
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=topology.schema.json');
    expect(text).toContain('seed: 1');
    const g = parseTopologyText(text, 'out.yaml');
    expect(g.getAttribute('name')).toBe('sparse-20');
    expect(count(g, 'host')).toBe(20);
    expect(g.getAttribute('components').mhdCapacityBytes).toBe(512 * GiB);
  });

  it('refuses to render an invalid document', () => {
    const doc = {
      generator: 'full-pod',
      params: { hosts: 2.5, devices: 2 },
      components: { nicRate: 200 },
    } as unknown as TopologyFileDocument;
    const e = thrown(InputError, () => renderTopologyFile(doc));
    expect(where(e).sort()).toEqual(
      ['input.integer @ params.hosts', 'unit.invalid @ components.nicRate'].sort(),
    );
  });

  it('describes every generator parameter (the CLI builds flags from them)', () => {
    expect(Object.keys(GENERATOR_PARAM_SCHEMAS).sort()).toEqual([...GENERATOR_NAMES].sort());
    for (const name of GENERATOR_NAMES) {
      for (const [key, field] of Object.entries(GENERATOR_PARAM_SCHEMAS[name].shape)) {
        expect(field.description, `${name}.${key}`).toBeTruthy();
      }
    }
  });

  it('exports a draft 2020-12 JSON Schema with both forms', () => {
    const s = topologyJsonSchema() as {
      $schema: string;
      anyOf: unknown[];
      $defs: Record<string, unknown>;
    };
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.anyOf).toHaveLength(2);
    expect(Object.keys(s.$defs)).toEqual(
      expect.arrayContaining(['components', 'host-node', 'cxl-link', 'params-octopus-bibd']),
    );
  });
});
