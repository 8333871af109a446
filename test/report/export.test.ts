/**
 * Tests of the topology exporters (src/report/export.ts): the JSON contract (every node and
 * link with its fields, the flow-model resources), DOT structure (one statement per node,
 * balanced braces, folding of GPUs/NICs), GraphML well-formedness (checked by a small XML
 * tokenizer below, not a dependency), escaping of hostile ids, byte-identical output, and a
 * golden JSON file for the 3-host full pod. Regenerate the golden file with
 * `UPDATE_GOLDEN=1 npx vitest run test/report/export.test.ts` and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EXPORTERS,
  EXPORT_FORMATS,
  exportDot,
  exportGraphml,
  exportJson,
  mediaResourceId,
  resourceId,
  topologyToJson,
  type TopologyJson,
} from '../../src/report/export.ts';
import { linkLatencyNs } from '../../src/fabric/components.ts';
import { TopologyBuilder } from '../../src/topology/builder.ts';
import { generate } from '../../src/topology/generators/index.ts';
import { nodeId } from '../../src/topology/keys.ts';
import { GeneratorError, TopologyError } from '../../src/errors/index.ts';
import { bytesPerNs } from '../../src/units/index.ts';
import type { NodeAttributes, TopologyGraph } from '../../src/topology/types.ts';
import { parseXml, XML_FORBIDDEN, type XmlElement } from '../helpers/xml.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** The small topologies every contract is checked on. */
const FIXTURES: readonly (readonly [string, () => TopologyGraph])[] = [
  ['full-pod 3×2', () => generate('full-pod', { hosts: 3, devices: 2 })],
  ['octopus-bibd 3/3', () => generate('octopus-bibd', { hostPorts: 3, devicePorts: 3 })],
  ['rdma-rack 4×1', () => generate('rdma-rack', { hosts: 4, racks: 1 }, { nicsPerHost: 1 })],
  [
    'rdma-rack 4×2 (2 NICs)',
    () => generate('rdma-rack', { hosts: 4, racks: 2 }, { nicsPerHost: 2, gpusPerHost: 2 }),
  ],
  [
    'switched-cxl 8/4',
    () => generate('switched-cxl', { hosts: 8, devices: 4, switchPorts: 16, hostLinks: 1 }),
  ],
  [
    'hybrid 2 pods',
    () =>
      generate(
        'hybrid',
        { pods: 2, pod: { generator: 'octopus-bibd', params: { hostPorts: 3, devicePorts: 3 } } },
        { gpusPerHost: 1, nicsPerHost: 1 },
      ),
  ],
];

const isMemoryDevice = (a: NodeAttributes): boolean =>
  a.kind === 'mhd' || a.kind === 'memory-device';
const isInternal = (a: NodeAttributes): boolean => a.kind === 'gpu' || a.kind === 'nic';

/** A topology whose name, description and ids contain everything XML, DOT and JSON must escape. */
function hostileGraph(hostId = `h<0>&"x'\\`, deviceId = 'd "1" & <2>'): TopologyGraph {
  return new TopologyBuilder({
    name: `pod <&> "q" 's' \\`,
    family: 'custom',
    description: 'line1\nline2 & <b>\t"tab"',
  })
    .addHost(hostId, { placement: { rack: 0, slotU: 0 }, gpus: 1, nics: 1 })
    .addMhd(deviceId, { placement: { rack: 0, slotU: 2 } })
    .connectCxl(hostId, deviceId)
    .build();
}

/** Parsed GraphML: keys by id, and node/edge ids with their data values by attribute name. */
function readGraphml(text: string): {
  root: XmlElement;
  graph: XmlElement;
  keys: Map<string, { for: string; name: string; type: string }>;
  data: (el: XmlElement) => Map<string, string>;
} {
  const root = parseXml(text);
  expect(root.name).toBe('graphml');
  expect(root.attrs['xmlns']).toBe('http://graphml.graphdrawing.org/xmlns');
  const keys = new Map<string, { for: string; name: string; type: string }>();
  for (const k of root.children.filter((c) => c.name === 'key')) {
    const id = k.attrs['id'] ?? '';
    expect(keys.has(id), `duplicate key ${id}`).toBe(false);
    keys.set(id, {
      for: k.attrs['for'] ?? '',
      name: k.attrs['attr.name'] ?? '',
      type: k.attrs['attr.type'] ?? '',
    });
  }
  const graphs = root.children.filter((c) => c.name === 'graph');
  expect(graphs).toHaveLength(1);
  const graph = graphs[0] as XmlElement;
  const data = (el: XmlElement): Map<string, string> => {
    const out = new Map<string, string>();
    for (const d of el.children.filter((c) => c.name === 'data')) {
      const key = keys.get(d.attrs['key'] ?? '');
      expect(key, `data key ${d.attrs['key']} declared`).toBeDefined();
      expect(key?.for).toBe(el.name);
      out.set(key?.name ?? '', d.text);
    }
    return out;
  };
  return { root, graph, keys, data };
}

// ---------------------------------------------------------------------------------------------
// A small DOT reader: statements by line, braces outside quoted strings
// ---------------------------------------------------------------------------------------------

const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';
const NODE_STATEMENT = new RegExp(`^\\s*${QUOTED} \\[`);
const EDGE_STATEMENT = new RegExp(`^\\s*${QUOTED} -- ${QUOTED} \\[`);

/** The id a DOT quoted string stands for (the exporter's escapes undone: `\\n` LF, `\\r` CR, `\\x` x). */
function dotUnquote(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** Node and edge statements of a DOT text written one statement per line. */
function readDot(text: string): { nodes: string[]; edges: [string, string, string][] } {
  const nodes: string[] = [];
  const edges: [string, string, string][] = [];
  for (const line of text.split('\n')) {
    const e = EDGE_STATEMENT.exec(line);
    if (e !== null) {
      edges.push([dotUnquote(e[1] ?? ''), dotUnquote(e[2] ?? ''), line]);
      continue;
    }
    const n = NODE_STATEMENT.exec(line);
    if (n !== null) nodes.push(dotUnquote(n[1] ?? ''));
  }
  return { nodes, edges };
}

/** Whether `{`/`}` balance outside quoted strings (never closing more than opened). */
function bracesBalanced(text: string): boolean {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0 && !quoted;
}

// ---------------------------------------------------------------------------------------------
// Contracts, applied to every fixture and to random generator output
// ---------------------------------------------------------------------------------------------

/** The JSON contract of the issue, checked against the graph it came from. */
function checkJsonContract(g: TopologyGraph, text: string): void {
  const json = JSON.parse(text) as TopologyJson;
  expect(Object.keys(json)).toEqual([
    'name',
    'family',
    'description',
    ...(g.getAttribute('generator') === undefined ? [] : ['generator']),
    'components',
    'layout',
    'nodes',
    'links',
    'resources',
  ]);
  expect(json.name).toBe(g.getAttribute('name'));
  expect(json.components).toEqual(g.getAttribute('components'));
  // Nodes: graph order, id + kind + every attribute as stored (canonical units already).
  expect(json.nodes.map((n) => n.id)).toEqual(g.nodes());
  for (const n of json.nodes) {
    const { id, ...attrs } = n;
    expect(Object.keys(n).slice(0, 2)).toEqual(['id', 'kind']);
    expect(attrs).toEqual(g.getNodeAttributes(id));
    if (isMemoryDevice(attrs)) expect(n).toHaveProperty('mediaBandwidthBytesPerNs');
  }
  // Links: graph order, endpoints as stored, bandwidth, latency, kind-specific fields.
  expect(json.links.map((l) => l.id)).toEqual(g.edges());
  const profile = g.getAttribute('components');
  for (const l of json.links) {
    const { id, source, target, latencyNs, ...attrs } = l;
    expect([source, target]).toEqual(g.extremities(id));
    expect(attrs).toEqual(g.getEdgeAttributes(id));
    expect(latencyNs).toBe(linkLatencyNs(profile, g.getEdgeAttributes(id)));
    expect(Object.keys(l).slice(0, 6)).toEqual([
      'id',
      'source',
      'target',
      'kind',
      'bandwidthBytesPerNs',
      'latencyNs',
    ]);
    const specific = {
      cxl: ['generation', 'lanes', 'lengthM', 'retimers'],
      pcie: ['generation', 'lanes'],
      c2c: [],
      network: ['protocol', 'lengthM'],
    }[l.kind];
    expect(Object.keys(l).slice(6)).toEqual(specific);
  }
  // Resources: 2 per link + 1 per memory device, unique ids, the right capacities.
  const devices = g.filterNodes((_, a) => isMemoryDevice(a));
  expect(json.resources).toHaveLength(2 * g.size + devices.length);
  expect(new Set(json.resources.map((r) => r.id)).size).toBe(json.resources.length);
  const byId = new Map(json.resources.map((r) => [r.id, r]));
  g.forEachEdge((id, a, s, t) => {
    expect(byId.get(resourceId(id, 'fwd'))).toMatchObject({
      kind: 'link',
      link: id,
      from: s,
      to: t,
      capacityBytesPerNs: a.bandwidthBytesPerNs,
    });
    expect(byId.get(resourceId(id, 'rev'))).toMatchObject({
      kind: 'link',
      link: id,
      from: t,
      to: s,
      capacityBytesPerNs: a.bandwidthBytesPerNs,
    });
  });
  for (const d of devices) {
    const a = g.getNodeAttributes(d);
    expect(byId.get(mediaResourceId(d))).toEqual({
      id: `${d}:media`,
      kind: 'media',
      device: d,
      capacityBytesPerNs: 'mediaBandwidthBytesPerNs' in a ? a.mediaBandwidthBytesPerNs : NaN,
    });
  }
}

/** DOT: one node statement per drawn node, edges between drawn nodes, balanced braces. */
function checkDotContract(g: TopologyGraph, internals: boolean): void {
  const text = exportDot(g, { internals });
  expect(text.startsWith(`graph "`)).toBe(true);
  expect(text.endsWith('}\n')).toBe(true);
  expect(bracesBalanced(text)).toBe(true);
  const { nodes, edges } = readDot(text);
  const drawn = internals ? g.nodes() : g.filterNodes((_, a) => !isInternal(a));
  expect(nodes).toEqual(expect.arrayContaining(drawn));
  expect(nodes).toHaveLength(drawn.length);
  const declared = new Set(nodes);
  for (const [s, t] of edges) {
    expect(declared.has(s), `edge end ${s} declared`).toBe(true);
    expect(declared.has(t), `edge end ${t} declared`).toBe(true);
  }
  if (internals) expect(edges).toHaveLength(g.size);
  else expect(edges.length).toBeLessThanOrEqual(g.size);
  // One cluster per rack that holds drawn equipment.
  const racks = new Set<number>();
  g.forEachNode((_, a) => {
    if ('placement' in a) racks.add(a.placement.rack);
  });
  for (const r of racks) expect(text).toContain(`subgraph cluster_rack${r} {`);
}

/** GraphML: well-formed, every node and edge with declared, typed data. */
function checkGraphmlContract(g: TopologyGraph): void {
  const { graph, keys, data } = readGraphml(exportGraphml(g));
  expect(graph.attrs['edgedefault']).toBe('undirected');
  const nodes = graph.children.filter((c) => c.name === 'node');
  const edges = graph.children.filter((c) => c.name === 'edge');
  expect(nodes.map((n) => n.attrs['id'])).toEqual(g.nodes());
  expect(edges.map((e) => e.attrs['id'])).toEqual(g.edges());
  for (const e of edges)
    expect([e.attrs['source'], e.attrs['target']]).toEqual(g.extremities(e.attrs['id'] ?? ''));
  for (const n of nodes)
    expect(data(n).get('kind')).toBe(g.getNodeAttribute(n.attrs['id'] ?? '', 'kind'));
  for (const e of edges)
    expect(Number(data(e).get('bandwidthBytesPerNs'))).toBe(
      g.getEdgeAttribute(e.attrs['id'] ?? '', 'bandwidthBytesPerNs'),
    );
  expect(data(graph).get('name')).toBe(g.getAttribute('name'));
  // Every value parses as its key's declared type.
  const typeOf = new Map([...keys.values()].map((k) => [`${k.for}:${k.name}`, k.type]));
  for (const el of [graph, ...nodes, ...edges])
    for (const [name, v] of data(el)) {
      const type = typeOf.get(`${el.name}:${name}`);
      if (type === 'int') expect(v, `${name} is an int`).toMatch(/^-?\d+$/);
      if (type === 'double')
        expect(Number.isNaN(Number(v)) && v !== 'NaN', `${name}=${v} is a double`).toBe(false);
      expect(['string', 'int', 'double', 'boolean']).toContain(type);
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('resource naming', () => {
  it('names link directions and device media the way the JSON lists them', () => {
    expect(resourceId('h0--d0', 'fwd')).toBe('h0--d0:fwd');
    expect(resourceId('h0--d0', 'rev')).toBe('h0--d0:rev');
    expect(mediaResourceId('d3')).toBe('d3:media');
  });
});

describe('EXPORTERS', () => {
  it('has one exporter per format, each ending in a newline and byte-identical on repeat', () => {
    expect(Object.keys(EXPORTERS).sort()).toEqual([...EXPORT_FORMATS].sort());
    for (const [label, make] of FIXTURES) {
      const a = make();
      const b = make();
      for (const format of EXPORT_FORMATS) {
        const text = EXPORTERS[format](a);
        expect(text.endsWith('\n'), `${label} ${format}`).toBe(true);
        expect(EXPORTERS[format](a), `${label} ${format} repeat`).toBe(text);
        expect(EXPORTERS[format](b), `${label} ${format} rebuilt`).toBe(text);
      }
    }
  });
  it('passes options to the DOT exporter only', () => {
    const g = generate('full-pod', { hosts: 2, devices: 1 }, { gpusPerHost: 1 });
    expect(EXPORTERS.dot(g, { internals: true })).toBe(exportDot(g, { internals: true }));
    expect(EXPORTERS.dot(g)).toBe(exportDot(g));
    expect(EXPORTERS.json(g, { internals: true })).toBe(exportJson(g));
  });
  it('does not mutate the graph', () => {
    const g = generate(
      'switched-cxl',
      { hosts: 4, devices: 2, switchPorts: 8, hostLinks: 1 },
      { gpusPerHost: 1 },
    );
    const before = JSON.stringify(g.export());
    for (const format of EXPORT_FORMATS) EXPORTERS[format](g, { internals: true });
    expect(JSON.stringify(g.export())).toBe(before);
  });
});

describe('exportJson', () => {
  it.each(FIXTURES)(
    '%s: every node, link and resource with its contract fields',
    (_label, make) => {
      const g = make();
      checkJsonContract(g, exportJson(g));
    },
  );
  it('is topologyToJson with 2-space indent and a trailing newline', () => {
    const g = generate('full-pod', { hosts: 2, devices: 1 }, { gpusPerHost: 1 });
    expect(exportJson(g)).toBe(`${JSON.stringify(topologyToJson(g), null, 2)}\n`);
    expect(exportJson(g).split('\n')[1]).toBe('  "name": "full-pod-2x1",');
  });
  it('lists link resources (fwd then rev, in link order) before media resources', () => {
    const g = generate('full-pod', { hosts: 2, devices: 1 }, { gpusPerHost: 0 });
    expect(topologyToJson(g).resources.map((r) => r.id)).toEqual([
      'h0--d0:fwd',
      'h0--d0:rev',
      'h1--d0:fwd',
      'h1--d0:rev',
      'd0:media',
    ]);
  });
  it('orders node fields canonically whatever order the attribute object has', () => {
    const g = generate('full-pod', { hosts: 2, devices: 1 }, { gpusPerHost: 0 });
    const a = g.getNodeAttributes('d0');
    const shuffled = Object.fromEntries(Object.entries(a).reverse()) as NodeAttributes;
    g.replaceNodeAttributes('d0', shuffled);
    expect(Object.keys(topologyToJson(g).nodes.find((n) => n.id === 'd0') ?? {})).toEqual([
      'id',
      'kind',
      'ports',
      'capacityBytes',
      'mediaBandwidthBytesPerNs',
      'controllerLatencyNs',
      'mediaLatencyNs',
      'placement',
    ]);
  });
  it('escapes hostile names and ids (JSON round-trips them)', () => {
    const g = hostileGraph();
    const json = JSON.parse(exportJson(g)) as TopologyJson;
    expect(json.name).toBe(g.getAttribute('name'));
    expect(json.description).toBe(g.getAttribute('description'));
    expect(json.nodes.map((n) => n.id)).toEqual(g.nodes());
    checkJsonContract(g, exportJson(g));
  });
  it('refuses a non-finite number instead of writing null', () => {
    const g = new TopologyBuilder({ name: 'inf', family: 'custom', description: '' })
      .addMhd('d0', {
        placement: { rack: 0, slotU: 0 },
        mediaBandwidthBytesPerNs: bytesPerNs(Number.POSITIVE_INFINITY),
      })
      .build();
    expect(() => exportJson(g)).toThrow(RangeError);
  });
});

describe('exportDot', () => {
  it.each(FIXTURES)(
    '%s: one statement per node, balanced braces, with and without internals',
    (_label, make) => {
      const g = make();
      checkDotContract(g, true);
      checkDotContract(g, false);
    },
  );
  it('folds GPUs and NICs into their host by default', () => {
    const g = generate('rdma-rack', { hosts: 2, racks: 1 }, { nicsPerHost: 2 });
    const folded = exportDot(g);
    expect(folded).not.toContain('h0.gpu0');
    expect(folded).toMatch(/"h0" \[label="h0\\nhost\\n8× A100-80GB\\n2× NIC 25\.0 GB\/s"/);
    // The two NIC cables of h0 become one host–ToR edge labelled 2×.
    expect(readDot(folded).edges.filter(([s, t]) => s === 'h0' && t === 'tor0')).toHaveLength(1);
    expect(folded).toContain('"h0" -- "tor0" [label="2× ib 25.0 GB/s');
    const full = exportDot(g, { internals: true });
    expect(full).toContain('"h0.gpu0" [label="h0.gpu0\\ngpu\\nA100-80GB"');
    expect(full).toContain('"h0.nic1" -- "tor0"');
  });
  it('gives every kind its own shape and names the kind in the label', () => {
    const text = exportDot(
      generate(
        'switched-cxl',
        { hosts: 2, devices: 1, switchPorts: 8, hostLinks: 1 },
        { gpusPerHost: 0 },
      ),
    );
    expect(text).toMatch(/"h0" \[label="h0\\nhost", shape=box,/);
    expect(text).toMatch(/"sw0" \[label="sw0\\ncxl-switch\\n8 ports", shape=diamond,/);
    expect(text).toMatch(
      /"md0" \[label="md0\\nmemory-device\\n256 GiB · 1 port", shape=cylinder, style="filled,dashed"/,
    );
    expect(text).toMatch(/"h0" -- "sw0" \[label="cxl x8 · [0-9.]+ m", style=solid\]/);
  });
  it('escapes hostile names and ids', () => {
    const g = hostileGraph();
    for (const internals of [false, true]) {
      const text = exportDot(g, { internals });
      expect(bracesBalanced(text)).toBe(true);
      const { nodes, edges } = readDot(text);
      expect(nodes).toEqual(g.filterNodes((_, a) => internals || !isInternal(a)));
      expect(edges.map(([s, t]) => [s, t])).toContainEqual(
        g.extremities(g.edges().find((e) => g.getEdgeAttribute(e, 'kind') === 'cxl') ?? ''),
      );
      // Every line is one statement: no raw line break escaped into the text.
      for (const line of text.split('\n').slice(1, -2))
        expect(line.trim() === '}' || /[;{]$/.test(line)).toBe(true);
    }
  });
});

describe('exportGraphml', () => {
  it.each(FIXTURES)(
    '%s: well-formed GraphML with typed keys for every attribute',
    (_label, make) => {
      checkGraphmlContract(make());
    },
  );
  it('declares counts as int, quantities as double, text as string', () => {
    const { keys } = readGraphml(
      exportGraphml(generate('full-pod', { hosts: 2, devices: 1 }, { gpusPerHost: 1 })),
    );
    const type = (f: string, n: string): string | undefined =>
      [...keys.values()].find((k) => k.for === f && k.name === n)?.type;
    expect(type('node', 'ports')).toBe('int');
    expect(type('node', 'rack')).toBe('int');
    expect(type('node', 'capacityBytes')).toBe('double');
    expect(type('node', 'kind')).toBe('string');
    expect(type('edge', 'lengthM')).toBe('double');
    expect(type('edge', 'lanes')).toBe('int');
    expect(type('graph', 'retimerLatencyNs')).toBe('double');
    expect(type('graph', 'gpuModel')).toBe('string');
  });
  it('escapes hostile names and ids (the XML parses back to them)', () => {
    const g = hostileGraph();
    const { graph, data } = readGraphml(exportGraphml(g));
    expect(graph.children.filter((c) => c.name === 'node').map((n) => n.attrs['id'])).toEqual(
      g.nodes(),
    );
    expect(data(graph).get('name')).toBe(g.getAttribute('name'));
    expect(data(graph).get('description')).toBe(g.getAttribute('description'));
    checkGraphmlContract(g);
  });
  it('refuses characters XML cannot carry, listing every offending string', () => {
    const g = hostileGraph('h\u0000', 'd\u0001');
    let caught: unknown;
    try {
      exportGraphml(g);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TopologyError);
    const issues = (caught as TopologyError).issues;
    expect(issues.every((i) => i.code === 'export.xml-char')).toBe(true);
    // Node ids h\0, h\0.gpu0, h\0.nic0, d\1; the `host` field of the GPU and the NIC; the 3 link ids.
    expect(issues.filter((i) => i.path[0] === 'nodes' && i.path.length === 2)).toHaveLength(4);
    expect(issues.filter((i) => i.path[0] === 'nodes' && i.path[2] === 'host')).toHaveLength(2);
    expect(issues.filter((i) => i.path[0] === 'links')).toHaveLength(3);
    expect(issues).toHaveLength(9);
  });
  it('stays well-formed, or refuses, whatever characters the ids hold', () => {
    const id = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(id, id, fc.string({ unit: 'binary' }), (h, d, description) => {
        fc.pre(h !== d && !d.startsWith(`${h}.`));
        const g = new TopologyBuilder({ name: description, family: 'custom', description })
          .addHost(h, { placement: { rack: 0, slotU: 0 }, gpus: 1, nics: 0 })
          .addMhd(d, { placement: { rack: 0, slotU: 2 } })
          .connectCxl(h, d)
          .build();
        const ids = g.nodes().map(nodeId); // graph keys shown as the ids given
        const representable = [h, d, description].every((s) => !XML_FORBIDDEN.test(s));
        if (representable) {
          const { graph } = readGraphml(exportGraphml(g));
          expect(graph.children.filter((c) => c.name === 'node').map((n) => n.attrs['id'])).toEqual(
            ids,
          );
        } else expect(() => exportGraphml(g)).toThrow(TopologyError);
        expect(bracesBalanced(exportDot(g, { internals: true }))).toBe(true);
        expect(readDot(exportDot(g, { internals: true })).nodes).toEqual(ids);
        expect((JSON.parse(exportJson(g)) as TopologyJson).nodes.map((n) => n.id)).toEqual(ids);
      }),
      { numRuns: 100 },
    );
  });
});

describe('every generator output meets every export contract', () => {
  const spec = fc.oneof(
    fc
      .record({
        hosts: fc.integer({ min: 2, max: 6 }),
        devices: fc.integer({ min: 1, max: 4 }),
        gpus: fc.integer({ min: 0, max: 2 }),
      })
      .map(
        (p) => () =>
          generate('full-pod', { hosts: p.hosts, devices: p.devices }, { gpusPerHost: p.gpus }),
      ),
    fc
      .record({
        racks: fc.integer({ min: 1, max: 3 }),
        extra: fc.integer({ min: 0, max: 4 }),
        nics: fc.integer({ min: 1, max: 2 }),
      })
      .map(
        (p) => () =>
          generate(
            'rdma-rack',
            { hosts: p.racks + p.extra, racks: p.racks },
            { nicsPerHost: p.nics, gpusPerHost: 1 },
          ),
      ),
    fc
      .record({
        hosts: fc.integer({ min: 1, max: 10 }),
        devices: fc.integer({ min: 1, max: 4 }),
        switchPorts: fc.integer({ min: 4, max: 16 }),
        hostLinks: fc.integer({ min: 1, max: 2 }),
      })
      .map((p) => () => generate('switched-cxl', p, { gpusPerHost: 1 })),
    fc
      .constantFrom(2, 3)
      .map(
        (x) => () => generate('octopus-bibd', { hostPorts: x, devicePorts: x }, { gpusPerHost: 1 }),
      ),
  );
  it('JSON, DOT and GraphML', () => {
    fc.assert(
      fc.property(spec, fc.boolean(), (make, internals) => {
        let g: TopologyGraph;
        try {
          g = make();
        } catch (e) {
          if (e instanceof GeneratorError) return fc.pre(false);
          throw e;
        }
        checkJsonContract(g, exportJson(g));
        checkDotContract(g, internals);
        checkGraphmlContract(g);
      }),
      { numRuns: 40 },
    );
  });
});

describe('golden JSON', () => {
  const golden = fileURLToPath(new URL('./__golden__/full-pod-3x2.json', import.meta.url));
  it('full-pod 3×2 (regenerate with UPDATE_GOLDEN=1, review the diff)', () => {
    const text = exportJson(generate('full-pod', { hosts: 3, devices: 2 }));
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, text);
    }
    expect(
      existsSync(golden),
      `${golden} is missing: run UPDATE_GOLDEN=1 npx vitest run test/report/export.test.ts`,
    ).toBe(true);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });
});
