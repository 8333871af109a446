/**
 * Topology files, fuzzed (docs/design.md convention §12): whatever the text, the loader returns a
 * graph or throws a PodsimError, and a mutated field is blamed by its path.
 */
import fc from 'fast-check';
import {
  fuzzLoaderBasics,
  mutationBlamesItsField,
  parsesOrPodsimError,
} from '../helpers/errors.ts';
import { describe, expect, it } from 'vitest';
import { parseTopologyText } from '../../src/io/index.ts';
import { validateTopology } from '../../src/topology/validate.ts';
import { GENERATOR_NAMES } from '../../src/topology/generators/index.ts';

describe('fuzzing the loader', () => {
  const onlyPodsimErrors = (text: string): void => parsesOrPodsimError(parseTopologyText, text);

  fuzzLoaderBasics(parseTopologyText, 'a graph');

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
