/**
 * Topology files: every bundled preset loads and validates; each kind of user mistake becomes
 * the right error class with the right issue code and path (not message text, docs/design.md convention §5);
 * several problems are reported at once; and the loader is fuzzed (docs/design.md convention §12): whatever the
 * text, it returns a graph or throws a PodsimError, and a mutated field is blamed by its path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { mutationBlamesItsField, parsesOrPodsimError } from '../helpers/errors.ts';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { PodsimError } from '../../src/errors/index.ts';
import { GeneratorError, InputError, TopologyError, formatPath } from '../../src/errors/index.ts';
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

const count = (g: TopologyGraph, kind: string): number =>
  g.filterNodes((_, a) => a.kind === kind).length;

/** Runs `fn`, expecting it to throw an error of class `cls`; returns the error. */
function thrown<E extends PodsimError>(
  cls: abstract new (...args: never[]) => E,
  fn: () => unknown,
): E {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    return e as E;
  }
  throw new Error('expected an error, none was thrown');
}

const where = (e: PodsimError): string[] =>
  e.issues.map((i) => `${i.code} @ ${formatPath(i.path)}`);

/** A small valid explicit file: 2 hosts on one MHD, one NIC each on a ToR. */
const BASE = `nodes:
  - { id: h0, kind: host, gpus: 1, nics: 1 }
  - { id: d0, kind: mhd, ports: 4 }
  - { id: h1, kind: host, gpus: 1, nics: 1 }
  - { id: tor0, kind: tor }
links:
  - { a: h0, b: d0, kind: cxl }
  - { a: h1, b: d0, kind: cxl }
  - { a: h0.nic0, b: tor0, kind: network }
  - { a: h1.nic0, b: tor0, kind: network }
`;

describe('bundled topologies', () => {
  const expectedHosts: Record<string, number> = {
    'hybrid-4x13': 52,
    'octopus-96': 96,
    'octopus-bibd-25': 25,
    'prototype-3': 3,
    'prototype-3-rdma': 3,
    'prototype-3-switched': 3,
    'rdma-32x1': 32,
    'rdma-96x3': 96,
    'switched-96': 96,
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

describe('one error class, code and path per kind of mistake', () => {
  const fails = <E extends PodsimError>(
    cls: abstract new (...args: never[]) => E,
    text: string,
    file = 'bad.yaml',
  ): E => thrown(cls, () => parseTopologyText(text, file));

  it('wrong unit: a bandwidth where a size belongs', () => {
    const e = fails(InputError, BASE.replace('ports: 4 }', 'ports: 4, capacity: "5 GB/s" }'));
    expect(where(e)).toEqual(['unit.invalid @ nodes[1].capacity']);
    expect(e.message.startsWith('bad.yaml: nodes[1].capacity: ')).toBe(true);
  });

  it('a bare number for a unit field is refused, not guessed', () => {
    expect(
      where(fails(InputError, BASE.replace('ports: 4 }', 'ports: 4, capacity: 512 }'))),
    ).toEqual(['unit.invalid @ nodes[1].capacity']);
    expect(where(fails(InputError, `${BASE}components: { nicRate: 200 }\n`))).toEqual([
      'unit.invalid @ components.nicRate',
    ]);
  });

  it('a count that is not an integer', () => {
    expect(where(fails(InputError, BASE.replace('ports: 4', 'ports: 2.5')))).toEqual([
      'input.integer @ nodes[1].ports',
    ]);
  });

  it('a link naming an unknown node', () => {
    expect(
      where(fails(TopologyError, BASE.replace('{ a: h1.nic0, b: tor0', '{ a: h1.nic0, b: tor9'))),
    ).toEqual(['topology.unknown-node @ links[3].b']);
    expect(where(fails(TopologyError, BASE.replace('{ a: h1.nic0', '{ a: h1.nic1')))).toEqual([
      'topology.unknown-node @ links[3].a',
    ]);
  });

  it('a duplicate node id', () => {
    const text = BASE.replace(
      '{ id: tor0, kind: tor }',
      '{ id: tor0, kind: tor }\n  - { id: d0, kind: mhd }',
    );
    expect(where(fails(TopologyError, text))).toEqual(['topology.duplicate-id @ nodes[4].id']);
  });

  it('a duplicate link and a self-link', () => {
    expect(
      where(
        fails(
          TopologyError,
          `${BASE}  - { a: d0, b: h0, kind: cxl }\n  - { a: d0, b: d0, kind: cxl }\n`,
        ),
      ),
    ).toEqual(['topology.duplicate-link @ links[4]', 'topology.self-link @ links[5].b']);
  });

  it('a cable longer than copper reach without retimers', () => {
    const e = fails(
      TopologyError,
      BASE.replace(
        '{ a: h0, b: d0, kind: cxl }',
        '{ a: h0, b: d0, kind: cxl, length: "2.5 m", retimers: 0 }',
      ),
    );
    expect(where(e)).toEqual(['topology.cable-too-long @ links[0].length']);
  });

  it('ports over-subscribed: 5 cables on a 4-port MHD', () => {
    const hosts = [0, 1, 2, 3, 4]
      .map((h) => `  - { id: h${h}, kind: host, gpus: 0, nics: 0 }`)
      .join('\n');
    const links = [0, 1, 2, 3, 4].map((h) => `  - { a: h${h}, b: d0, kind: cxl }`).join('\n');
    const e = fails(
      TopologyError,
      `nodes:\n  - { id: d0, kind: mhd, ports: 4 }\n${hosts}\nlinks:\n${links}\n`,
    );
    expect(where(e)).toEqual(['topology.ports-exceeded @ nodes[0].ports']);
  });

  it('a host with too few CXL ports is blamed on its cxlPorts', () => {
    expect(
      where(
        fails(
          TopologyError,
          BASE.replace('{ id: h0, kind: host,', '{ id: h0, kind: host, cxlPorts: 0,'),
        ),
      ),
    ).toEqual(['topology.ports-exceeded @ nodes[0].cxlPorts']);
  });

  it('a disconnected host', () => {
    const text = BASE.replace('  - { a: h1, b: d0, kind: cxl }\n', '').replace(
      '  - { a: h1.nic0, b: tor0, kind: network }\n',
      '',
    );
    const e = fails(TopologyError, text);
    expect(e.issues.map((i) => i.code)).toContain('topology.disconnected-host');
    expect(e.issues.find((i) => i.code === 'topology.disconnected-host')?.path).toEqual([
      'nodes',
      2,
    ]);
  });

  it('an unknown node kind, and GPUs declared as nodes', () => {
    expect(where(fails(InputError, BASE.replace('kind: tor }', 'kind: torr }')))).toEqual([
      'input.kind @ nodes[3].kind',
    ]);
    expect(where(fails(InputError, BASE.replace('kind: tor }', 'kind: gpu }')))).toEqual([
      'input.kind @ nodes[3].kind',
    ]);
  });

  it('an unknown key, with the closest allowed key', () => {
    const e = fails(
      InputError,
      BASE.replace('{ id: h0, kind: host,', '{ id: h0, kind: host, cxlport: 2,'),
    );
    expect(where(e)).toEqual(['input.unknown-key @ nodes[0].cxlport']);
    expect(e.message).toContain('cxlPorts');
  });

  it('an unknown components key', () => {
    expect(
      where(fails(InputError, `${BASE}components: { retimerLatencyNs: "60 ns", colour: red }\n`)),
    ).toEqual([
      'input.unknown-key @ components.retimerLatencyNs',
      'input.unknown-key @ components.colour',
    ]);
  });

  it('a YAML syntax error, with line and column', () => {
    const e = fails(InputError, `${BASE}extra: [1, 2\n`);
    expect(e.issues.map((i) => i.code)).toEqual(['input.yaml']);
    expect(e.issues[0]?.message).toMatch(/line \d+, column \d+/);
  });

  it('a file with both or neither of generator and nodes', () => {
    expect(where(fails(InputError, `generator: octopus-bibd\n${BASE}`))).toEqual([
      'input.form @ (root)',
    ]);
    expect(where(fails(InputError, 'name: nothing\n'))).toEqual(['input.form @ (root)']);
    expect(where(fails(InputError, '- a list\n'))).toEqual(['input.type @ (root)']);
  });

  it('an unknown generator', () => {
    expect(
      where(
        fails(InputError, 'generator: octopus-bibdd\nparams: { hostPorts: 3, devicePorts: 3 }\n'),
      ),
    ).toEqual(['input.kind @ generator']);
  });

  it('generator params: integers, unknown keys, missing keys, all at once', () => {
    const e = fails(
      InputError,
      'generator: octopus-islands\nparams: { hosts: 96.5, hostPort: 8, devicePorts: 4 }\n',
    );
    expect(where(e).sort()).toEqual(
      [
        'input.integer @ params.hosts',
        'input.required @ params.hostPorts',
        'input.unknown-key @ params.hostPort',
      ].sort(),
    );
  });

  it('infeasible BIBD parameters are a GeneratorError pointing into params', () => {
    const e = fails(
      GeneratorError,
      'generator: octopus-bibd\nparams: { hostPorts: 3, devicePorts: 4 }\n',
      'bibd.yaml',
    );
    expect(e.issues[0]?.code).toMatch(/^generator\.no-(design|construction)$/);
    expect(e.issues[0]?.path[0]).toBe('params');
    expect(e.message.startsWith('bibd.yaml: ')).toBe(true);
  });

  it('a hybrid pod’s generator problem points at params.pod.params', () => {
    const e = fails(
      GeneratorError,
      'generator: hybrid\nparams: { pods: 2, pod: { generator: octopus-bibd, params: { hostPorts: 3, devicePorts: 4 } } }\noptions: { nicsPerHost: 1 }\n',
    );
    expect(e.issues[0]?.path.slice(0, 3)).toEqual(['params', 'pod', 'params']);
  });

  it('a generator’s own range check points at options', () => {
    const e = fails(
      GeneratorError,
      'generator: rdma-rack\nparams: { hosts: 4, racks: 1 }\noptions: { nicsPerHost: 0 }\n',
    );
    expect(where(e)).toEqual(['generator.out-of-range @ options.nicsPerHost']);
  });

  it('layout is refused in the generator form rather than ignored', () => {
    expect(
      where(
        fails(
          InputError,
          'generator: octopus-bibd\nparams: { hostPorts: 3, devicePorts: 3 }\nlayout: { heightU: 48 }\n',
        ),
      ),
    ).toEqual(['input.unsupported @ layout']);
  });

  it('one file with 4 different problems reports all 4 at once', () => {
    const text = BASE.replace('ports: 4 }', 'ports: 4, capacity: "5 GB/s" }') // wrong unit
      .replace('{ id: h0, kind: host,', '{ id: h0, kind: host, hostport: 2,') // unknown key
      .replace('{ id: tor0, kind: tor }', '{ id: tor0, kind: tor }\n  - { id: d0, kind: mhd }') // duplicate id
      .replace('{ a: h1.nic0, b: tor0', '{ a: h1.nic0, b: tor9'); // unknown node
    const e = fails(InputError, text);
    expect(where(e)).toEqual([
      'input.unknown-key @ nodes[0].hostport',
      'unit.invalid @ nodes[1].capacity',
      'topology.duplicate-id @ nodes[4].id',
      'topology.unknown-node @ links[3].b',
    ]);
    expect(e.message).toMatch(/^4 problems in bad\.yaml:/);
  });

  it('structural problems are also reported together', () => {
    const text = BASE.replace(
      '{ a: h0, b: d0, kind: cxl }',
      '{ a: h0, b: d0, kind: cxl, length: "2.5 m", retimers: 0 }',
    ).replace('ports: 4 }', 'ports: 1 }');
    expect(where(fails(TopologyError, text))).toEqual([
      'topology.ports-exceeded @ nodes[1].ports',
      'topology.cable-too-long @ links[0].length',
    ]);
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

describe('fuzzing the loader', () => {
  const onlyPodsimErrors = (text: string): void => parsesOrPodsimError(parseTopologyText, text);

  it('arbitrary strings give a graph or a PodsimError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), onlyPodsimErrors));
  });

  it('arbitrary JSON values, serialized as JSON or YAML, give a graph or a PodsimError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (v, asYaml) =>
        onlyPodsimErrors(asYaml ? stringify(v) : JSON.stringify(v)),
      ),
    );
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (v) =>
        onlyPodsimErrors(JSON.stringify(v) ?? 'null'),
      ),
    );
  });

  it('files built from the format’s own vocabulary give a graph or a PodsimError', () => {
    const value = fc.oneof(
      fc.integer({ min: -2, max: 12 }),
      fc.constantFrom('1 m', '2.5 m', '256 GiB', '5 GB/s', '60 ns', 'h0', 'd0', 'tor0', 'h0.nic0'),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const nodeArb = fc.record(
      {
        id: fc.constantFrom('h0', 'h1', 'd0', 'sw0', 'tor0', 'h0.gpu0', 'x'),
        kind: fc.constantFrom('host', 'mhd', 'memory-device', 'cxl-switch', 'tor', 'spine', 'gpu'),
        ports: value,
        gpus: value,
        nics: value,
        capacity: value,
        slot: value,
        rack: value,
      },
      { requiredKeys: ['id', 'kind'] },
    );
    const linkArb = fc.record(
      {
        a: fc.constantFrom('h0', 'h1', 'd0', 'sw0', 'tor0', 'h0.nic0', 'h1.nic0', 'h0.gpu0'),
        b: fc.constantFrom('h0', 'h1', 'd0', 'sw0', 'tor0', 'h1.nic0', 'zz'),
        kind: fc.constantFrom('cxl', 'network', 'pcie'),
        length: value,
        lanes: value,
        retimers: value,
        rate: value,
        id: value,
      },
      { requiredKeys: ['a', 'b', 'kind'] },
    );
    const explicit = fc.record(
      {
        nodes: fc.array(nodeArb, { maxLength: 6 }),
        links: fc.array(linkArb, { maxLength: 8 }),
        layout: fc.option(fc.record({ heightU: value }), { nil: undefined }),
      },
      { requiredKeys: ['nodes'] },
    );
    const generated = fc.record(
      {
        generator: fc.constantFrom(...GENERATOR_NAMES, 'nope'),
        params: fc.dictionary(
          fc.constantFrom(
            'hosts',
            'hostPorts',
            'devicePorts',
            'devices',
            'switchPorts',
            'hostLinks',
            'racks',
            'pods',
            'islandSize',
            'seed',
          ),
          fc.integer({ min: -1, max: 14 }),
        ),
        options: fc.record(
          {
            nicsPerHost: fc.integer({ min: -1, max: 3 }),
            gpusPerHost: fc.integer({ min: 0, max: 2 }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['generator', 'params'] },
    );
    fc.assert(
      fc.property(fc.oneof(explicit, generated), (doc) => onlyPodsimErrors(JSON.stringify(doc))),
    );
  });

  /** A valid explicit file using every field, and the fields whose mutation can only be blamed on themselves. */
  const full = (): Record<string, unknown> => ({
    name: 'full',
    components: { retimerLatency: '60 ns', mhdCapacity: '256 GiB', mhdPorts: 4 },
    layout: { rackPitch: '0.6 m', heightU: 42 },
    nodes: [
      {
        id: 'h0',
        kind: 'host',
        sockets: 2,
        cxlPorts: 8,
        cxlPortLanes: 8,
        localDram: '512 GiB',
        gpus: 1,
        nics: 1,
        island: 0,
      },
      {
        id: 'd0',
        kind: 'mhd',
        ports: 4,
        capacity: '256 GiB',
        mediaBandwidth: '76 GB/s',
        controllerLatency: '90 ns',
        mediaLatency: '60 ns',
      },
      {
        id: 'h1',
        kind: 'host',
        sockets: 2,
        cxlPorts: 8,
        cxlPortLanes: 8,
        localDram: '512 GiB',
        gpus: 1,
        nics: 1,
      },
      { id: 'sw0', kind: 'cxl-switch', ports: 8, traversalLatency: '110 ns' },
      { id: 'md0', kind: 'memory-device', ports: 1, capacity: '1 TiB' },
      { id: 'tor0', kind: 'tor', ports: 8, latency: '300 ns' },
    ],
    links: [
      { a: 'h0', b: 'd0', kind: 'cxl', lanes: 8, generation: 5, length: '1 m', retimers: 0 },
      { a: 'h1', b: 'd0', kind: 'cxl', lanes: 8, generation: 5, length: '1 m' },
      { a: 'h1', b: 'sw0', kind: 'cxl' },
      { a: 'sw0', b: 'md0', kind: 'cxl' },
      {
        a: 'h0.nic0',
        b: 'tor0',
        kind: 'network',
        rate: '200 Gb/s',
        protocol: 'infiniband',
        length: '2 m',
      },
      { a: 'h1.nic0', b: 'tor0', kind: 'network' },
    ],
  });
  // Excluded on purpose: ids, kinds and link ends (they re-point other entries), gpus/nics (links
  // name the NICs), rack/slot and retimers (they change which cable is too long), layout (same).
  const MUTABLE: (string | number)[][] = [
    ['name'],
    ['components', 'retimerLatency'],
    ['components', 'mhdCapacity'],
    ['nodes', 0, 'sockets'],
    ['nodes', 0, 'cxlPorts'],
    ['nodes', 0, 'cxlPortLanes'],
    ['nodes', 0, 'localDram'],
    ['nodes', 0, 'island'],
    ['nodes', 1, 'ports'],
    ['nodes', 1, 'capacity'],
    ['nodes', 1, 'mediaBandwidth'],
    ['nodes', 1, 'controllerLatency'],
    ['nodes', 1, 'mediaLatency'],
    ['nodes', 3, 'ports'],
    ['nodes', 3, 'traversalLatency'],
    ['nodes', 4, 'capacity'],
    ['nodes', 5, 'ports'],
    ['nodes', 5, 'latency'],
    ['links', 0, 'lanes'],
    ['links', 0, 'generation'],
    ['links', 0, 'length'],
    ['links', 4, 'rate'],
    ['links', 4, 'protocol'],
    ['links', 4, 'length'],
  ];

  it('the full explicit file is valid', () => {
    expect(validateTopology(parseTopologyText(JSON.stringify(full()), 'full.json'))).toEqual([]);
  });

  it('mutating one field yields success or errors whose paths all start with that field', () => {
    const randomValue = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.integer({ min: -3, max: 20 }),
      fc
        .tuple(
          fc.double({ min: -1, max: 5000, noNaN: true }),
          fc.constantFrom(
            'ns',
            'us',
            'm',
            'cm',
            'B',
            'GiB',
            'TB',
            'GB/s',
            'Gb/s',
            'ns/m',
            'kg',
            '',
          ),
        )
        .map(([n, u]) => `${n} ${u}`),
      fc.constantFrom('ethernet', 'infiniband', 'ether', '', '0 B', '0 GB/s', '100 m'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...MUTABLE), randomValue, (path, value) =>
        mutationBlamesItsField(parseTopologyText, full(), path, value),
      ),
      { numRuns: 300 },
    );
  });
});
