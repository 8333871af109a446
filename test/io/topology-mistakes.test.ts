/**
 * Topology files, user mistakes: each kind becomes the right error class with the right issue
 * code and path (not message text, docs/design.md convention §5); several problems are reported
 * at once.
 */
import { describe, expect, it } from 'vitest';
import type { PodsimError } from '../../src/errors/index.ts';
import { GeneratorError, InputError, TopologyError } from '../../src/errors/index.ts';
import { parseTopologyText } from '../../src/io/index.ts';
import { BASE, thrown, where } from './topology-helpers.ts';

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
