/**
 * Pure exporters of a topology graph (`podsim topology export <file> --format json|dot|graphml`):
 * each is a `(graph, options) → string` function picked from {@link EXPORTERS} (docs/design.md convention §6); the
 * CLI writes the string. JSON is the machine contract (scripts and the fabric engine's `flows`
 * command read it): every node and link with its attributes in canonical units (ns, bytes,
 * bytes/ns, metres; the unit is in each field's name), each link's one-way latency, and the
 * capacity-limited resources of the flow model (`<linkId>:fwd`, `<linkId>:rev`,
 * `<deviceId>:media`, named by {@link resourceId} and {@link mediaResourceId}). DOT is a picture
 * for Graphviz (shapes per kind, a cluster per rack, GPUs and NICs folded into their host unless
 * asked for). GraphML is for graph tools (Gephi, yEd, networkx): typed `<key>`s, flattened
 * attributes. Every output is deterministic: the same graph gives byte-identical text (graph
 * insertion order, 2-space indent, trailing newline).
 */
import { TopologyError, type Issue } from '../errors/index.ts';
import { linkLatencyNs } from '../fabric/components.ts';
import { mediaResourceId, resourceId, type LinkDirection } from '../fabric/resources.ts';
import { DEFAULT_COMPONENTS, type ComponentProfile } from '../topology/defaults.ts';
import type {
  LinkAttributes,
  MemoryDeviceAttributes,
  MhdAttributes,
  NodeAttributes,
  NodeKind,
  Placement,
  TopologyAttributes,
  TopologyGraph,
} from '../topology/types.ts';
import {
  formatBandwidth,
  formatLength,
  formatSize,
  type BytesPerNs,
  type Nanoseconds,
} from '../units/index.ts';

// ---------------------------------------------------------------------------------------------
// Shared
// ---------------------------------------------------------------------------------------------

/** The export formats, as `--format` spells them. */
export type ExportFormat = 'json' | 'dot' | 'graphml';

/** Every export format in a stable order (for CLI choices and help text). */
export const EXPORT_FORMATS: readonly ExportFormat[] = Object.freeze([
  'json',
  'dot',
  'graphml',
] as const);

/** Options shared by the exporters; each exporter reads only the fields it knows. */
export interface ExportOptions {
  /**
   * DOT only: draw GPUs, NICs and their host-internal PCIe links as nodes of their own. When
   * false (the default) they are folded into their host, whose label then reads e.g.
   * `8× A100-80GB`. JSON and GraphML always contain every node: they are data, not pictures.
   */
  readonly internals?: boolean;
}

/** An exporter: a pure function from a topology graph to the text of one file. */
export type Exporter = (g: TopologyGraph, options?: ExportOptions) => string;

/**
 * Flow-model resource naming, re-exported from the fabric layer so the export and the flow
 * engine cannot drift apart: `resourceId(linkId, 'fwd' | 'rev')` → `"<linkId>:fwd"` (graph
 * source → target) or `"<linkId>:rev"`; `mediaResourceId(deviceId)` → `"<deviceId>:media"`.
 */
export { mediaResourceId, resourceId, type LinkDirection } from '../fabric/resources.ts';

/** Node kinds that are memory devices with a media bandwidth (a flow-model resource). */
function isMemoryDevice(a: NodeAttributes): a is MhdAttributes | MemoryDeviceAttributes {
  return a.kind === 'mhd' || a.kind === 'memory-device';
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

/** A node in the JSON export: its id, then its attributes (kind first) in canonical units. */
export type TopologyJsonNode = { readonly id: string } & NodeAttributes;

/**
 * A link in the JSON export: id, endpoints as stored (`source` → `target` is the `fwd`
 * direction), kind, per-direction bandwidth, one-way unloaded latency (cable propagation,
 * retimers or the PCIe hop: {@link linkLatencyNs}) and the kind's own fields.
 */
export type TopologyJsonLink = {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** One-way latency of the link alone (no endpoint latencies). */
  readonly latencyNs: Nanoseconds;
} & LinkAttributes;

/** One direction of a link as a flow-model resource. */
export interface LinkResourceJson {
  /** {@link resourceId}`(link, direction)`. */
  readonly id: string;
  readonly kind: 'link';
  readonly link: string;
  readonly direction: LinkDirection;
  /** Node the traffic leaves. */
  readonly from: string;
  /** Node the traffic enters. */
  readonly to: string;
  /** The link's bandwidth in this direction. */
  readonly capacityBytesPerNs: BytesPerNs;
}

/** The media bandwidth of a memory device as a flow-model resource (shared by all heads). */
export interface MediaResourceJson {
  /** {@link mediaResourceId}`(device)`. */
  readonly id: string;
  readonly kind: 'media';
  readonly device: string;
  readonly capacityBytesPerNs: BytesPerNs;
}

/** A capacity-limited resource of the flow model. */
export type ResourceJson = LinkResourceJson | MediaResourceJson;

/** The JSON export of a topology (see the file header for the contract). */
export interface TopologyJson extends TopologyAttributes {
  /** Every node, in graph insertion order. */
  readonly nodes: readonly TopologyJsonNode[];
  /** Every link, in graph insertion order. */
  readonly links: readonly TopologyJsonLink[];
  /** For each link (in link order) its `fwd` then `rev` resource, then each memory device's media (in node order). */
  readonly resources: readonly ResourceJson[];
}

/**
 * The node's attributes with its id, keys in a fixed order (id, kind, then the type's
 * declaration order), whatever order the graph's attribute object happens to have. Typed per
 * kind so that a new required attribute fails to compile here until the export lists it.
 */
function nodeJson(id: string, a: NodeAttributes): TopologyJsonNode {
  const place = (p: Placement): Placement => ({ rack: p.rack, slotU: p.slotU });
  switch (a.kind) {
    case 'host':
      return {
        id,
        kind: a.kind,
        sockets: a.sockets,
        cxlPorts: a.cxlPorts,
        cxlPortLanes: a.cxlPortLanes,
        localDramBytes: a.localDramBytes,
        placement: place(a.placement),
        ...(a.island === undefined ? {} : { island: a.island }),
      };
    case 'gpu':
      return { id, kind: a.kind, host: a.host, model: a.model, hbmBytes: a.hbmBytes };
    case 'nic':
      return {
        id,
        kind: a.kind,
        host: a.host,
        rateBytesPerNs: a.rateBytesPerNs,
        latencyNs: a.latencyNs,
      };
    case 'mhd':
    case 'memory-device':
      return {
        id,
        kind: a.kind,
        ports: a.ports,
        capacityBytes: a.capacityBytes,
        mediaBandwidthBytesPerNs: a.mediaBandwidthBytesPerNs,
        controllerLatencyNs: a.controllerLatencyNs,
        mediaLatencyNs: a.mediaLatencyNs,
        placement: place(a.placement),
      };
    case 'cxl-switch':
      return {
        id,
        kind: a.kind,
        ports: a.ports,
        traversalLatencyNs: a.traversalLatencyNs,
        placement: place(a.placement),
      };
    case 'tor':
    case 'spine':
      return {
        id,
        kind: a.kind,
        ports: a.ports,
        latencyNs: a.latencyNs,
        placement: place(a.placement),
      };
  }
}

/** The link's JSON record: common fields first, then the kind's own fields. */
function linkJson(
  id: string,
  source: string,
  target: string,
  a: LinkAttributes,
  profile: ComponentProfile,
): TopologyJsonLink {
  const common = { id, source, target };
  const latencyNs = linkLatencyNs(profile, a);
  switch (a.kind) {
    case 'cxl':
      return {
        ...common,
        kind: a.kind,
        bandwidthBytesPerNs: a.bandwidthBytesPerNs,
        latencyNs,
        generation: a.generation,
        lanes: a.lanes,
        lengthM: a.lengthM,
        retimers: a.retimers,
      };
    case 'pcie':
      return {
        ...common,
        kind: a.kind,
        bandwidthBytesPerNs: a.bandwidthBytesPerNs,
        latencyNs,
        generation: a.generation,
        lanes: a.lanes,
      };
    case 'network':
      return {
        ...common,
        kind: a.kind,
        bandwidthBytesPerNs: a.bandwidthBytesPerNs,
        latencyNs,
        protocol: a.protocol,
        lengthM: a.lengthM,
      };
  }
}

/** The profile with its keys in the canonical order of DEFAULT_COMPONENTS (then any others). */
function canonicalProfile(profile: ComponentProfile): ComponentProfile {
  const out: Record<string, unknown> = {};
  const source = profile as unknown as Readonly<Record<string, unknown>>;
  for (const k of Object.keys(DEFAULT_COMPONENTS)) if (k in source) out[k] = source[k];
  for (const k of Object.keys(source)) if (!(k in out)) out[k] = source[k];
  return out as unknown as ComponentProfile;
}

/**
 * Builds the plain object of the JSON export (see {@link TopologyJson}): what
 * {@link exportJson} serialises, for in-process callers that want the data, not the text.
 * Does not mutate the graph.
 */
export function topologyToJson(g: TopologyGraph): TopologyJson {
  const attrs = g.getAttributes();
  const profile = attrs.components;
  const nodes: TopologyJsonNode[] = [];
  const links: TopologyJsonLink[] = [];
  const linkResources: ResourceJson[] = [];
  const mediaResources: ResourceJson[] = [];
  g.forEachNode((id, a) => {
    nodes.push(nodeJson(id, a));
    if (isMemoryDevice(a))
      mediaResources.push({
        id: mediaResourceId(id),
        kind: 'media',
        device: id,
        capacityBytesPerNs: a.mediaBandwidthBytesPerNs,
      });
  });
  g.forEachEdge((id, a, source, target) => {
    links.push(linkJson(id, source, target, a, profile));
    const capacityBytesPerNs = a.bandwidthBytesPerNs;
    linkResources.push({
      id: resourceId(id, 'fwd'),
      kind: 'link',
      link: id,
      direction: 'fwd',
      from: source,
      to: target,
      capacityBytesPerNs,
    });
    linkResources.push({
      id: resourceId(id, 'rev'),
      kind: 'link',
      link: id,
      direction: 'rev',
      from: target,
      to: source,
      capacityBytesPerNs,
    });
  });
  return {
    name: attrs.name,
    family: attrs.family,
    description: attrs.description,
    ...(attrs.generator === undefined
      ? {}
      : { generator: { name: attrs.generator.name, params: attrs.generator.params } }),
    components: canonicalProfile(profile),
    layout: {
      racks: attrs.layout.racks,
      heightU: attrs.layout.heightU,
      rackPitchM: attrs.layout.rackPitchM,
    },
    nodes,
    links,
    resources: [...linkResources, ...mediaResources],
  };
}

/**
 * The JSON export: {@link topologyToJson} with 2-space indent and a trailing newline.
 * Throws a RangeError naming the field if a number is not finite (JSON would turn it into
 * `null` silently; the builder never produces one, so this is a programming error).
 */
export function exportJson(g: TopologyGraph): string {
  const text = JSON.stringify(
    topologyToJson(g),
    (key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value))
        throw new RangeError(
          `topology export: field "${key}" is ${value}; JSON has no such number`,
        );
      return value;
    },
    2,
  );
  return `${text}\n`;
}

// ---------------------------------------------------------------------------------------------
// DOT
// ---------------------------------------------------------------------------------------------

/**
 * Look of each node kind. Shapes (and, for memory devices behind switches, a dashed outline)
 * tell kinds apart without colour; fills are light tints of the Okabe–Ito colour-blind-safe
 * palette; every label also names the kind.
 */
const DOT_NODE_STYLE: Readonly<
  Record<NodeKind, { readonly shape: string; readonly fill: string; readonly style: string }>
> = Object.freeze({
  host: { shape: 'box', fill: '#cde6f7', style: 'filled' }, // sky blue
  gpu: { shape: 'box3d', fill: '#cce8df', style: 'filled' }, // bluish green
  nic: { shape: 'invtrapezium', fill: '#e6e6e6', style: 'filled' }, // grey
  mhd: { shape: 'cylinder', fill: '#f9e3b3', style: 'filled' }, // orange
  'memory-device': { shape: 'cylinder', fill: '#f9e3b3', style: 'filled,dashed' }, // orange, dashed outline
  'cxl-switch': { shape: 'diamond', fill: '#f3cfb3', style: 'filled' }, // vermillion
  tor: { shape: 'hexagon', fill: '#eed8e5', style: 'filled' }, // reddish purple
  spine: { shape: 'doubleoctagon', fill: '#eed8e5', style: 'filled' }, // reddish purple
});

/** Line style per link kind (distinguishable without colour). */
const DOT_EDGE_STYLE: Readonly<Record<LinkAttributes['kind'], string>> = Object.freeze({
  cxl: 'solid',
  pcie: 'dotted',
  network: 'dashed',
});

/**
 * A DOT double-quoted string. Escaping is one-to-one (backslash, quote, LF as `\n`, CR as `\r`),
 * so distinct ids stay distinct and every statement stays on one line.
 */
function dotQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** A DOT label from lines: each line escaped, line breaks inside it normalised, lines joined by `\n` (centred line break). */
function dotLabel(lines: readonly string[]): string {
  return `"${lines.map((l) => dotQuote(l.replace(/\r\n?/g, '\n')).slice(1, -1)).join('\\n')}"`;
}

/** `N× what` lines from counts in first-appearance order. */
function countLines(counts: ReadonlyMap<string, number>): string[] {
  return [...counts].map(([what, n]) => `${n}× ${what}`);
}

/** Detail lines of a node label (after the id and the kind). */
function dotDetails(a: NodeAttributes, folded: ReadonlyMap<string, number> | undefined): string[] {
  switch (a.kind) {
    case 'host':
      return [
        ...(a.island === undefined ? [] : [`island ${a.island}`]),
        ...(folded === undefined ? [] : countLines(folded)),
      ];
    case 'gpu':
      return [a.model];
    case 'nic':
      return [formatBandwidth(a.rateBytesPerNs)];
    case 'mhd':
    case 'memory-device':
      return [`${formatSize(a.capacityBytes)} · ${a.ports} port${a.ports === 1 ? '' : 's'}`];
    case 'cxl-switch':
    case 'tor':
    case 'spine':
      return [`${a.ports} ports`];
  }
}

/** Edge label: link kind plus width (lanes or rate) and length. */
function dotEdgeLabel(a: LinkAttributes): string {
  switch (a.kind) {
    case 'cxl':
      return [
        `cxl x${a.lanes}`,
        formatLength(a.lengthM),
        ...(a.retimers === 0 ? [] : [`${a.retimers} retimer${a.retimers === 1 ? '' : 's'}`]),
      ].join(' · ');
    case 'pcie':
      return `pcie${a.generation} x${a.lanes}`;
    case 'network':
      return [
        `${a.protocol === 'infiniband' ? 'ib' : 'eth'} ${formatBandwidth(a.bandwidthBytesPerNs)}`,
        formatLength(a.lengthM),
      ].join(' · ');
  }
}

/** Whether a node is host-internal (folded into its host unless `internals`). */
function isInternal(a: NodeAttributes): a is Extract<NodeAttributes, { kind: 'gpu' | 'nic' }> {
  return a.kind === 'gpu' || a.kind === 'nic';
}

/**
 * The DOT (Graphviz) export: `graph "<name>" { … }` with one `subgraph cluster_rackN` per rack
 * (from placements; GPUs and NICs sit in their host's rack), node shapes and fills per kind
 * and a label `id / kind / details`, and edges labelled with link kind, width and length.
 * Unless `options.internals`, GPUs and NICs are folded into their host (label `8× A100-80GB`,
 * `8× NIC 25 GB/s`), their PCIe links dropped and their network links drawn from the host,
 * parallel identical edges merged into one labelled `N× …`.
 *
 * @example exportDot(g, { internals: true }) // every node, including h0.gpu0 …
 */
export function exportDot(g: TopologyGraph, options: ExportOptions = {}): string {
  const internals = options.internals ?? false;
  const owner = (id: string): string => {
    const a = g.getNodeAttributes(id);
    return !internals && isInternal(a) ? a.host : id;
  };
  // Folded contents per host: "A100-80GB" → 8, "NIC 25 GB/s" → 8 (first-appearance order).
  const folded = new Map<string, Map<string, number>>();
  const rackOf = new Map<string, number>();
  g.forEachNode((id, a) => {
    if ('placement' in a) rackOf.set(id, a.placement.rack);
    if (internals || !isInternal(a)) return;
    const what = a.kind === 'gpu' ? a.model : `NIC ${formatBandwidth(a.rateBytesPerNs)}`;
    const counts = folded.get(a.host) ?? new Map<string, number>();
    counts.set(what, (counts.get(what) ?? 0) + 1);
    folded.set(a.host, counts);
  });

  // Node statements grouped by rack (ascending), graph order within a rack.
  const byRack = new Map<number | undefined, string[]>();
  g.forEachNode((id, a) => {
    if (!internals && isInternal(a)) return;
    const st = DOT_NODE_STYLE[a.kind];
    const label = dotLabel([id, a.kind, ...dotDetails(a, folded.get(id))]);
    const line = `${dotQuote(id)} [label=${label}, shape=${st.shape}, style=${dotQuote(st.style)}, fillcolor=${dotQuote(st.fill)}];`;
    const rack = isInternal(a) ? rackOf.get(a.host) : rackOf.get(id);
    const list = byRack.get(rack) ?? [];
    list.push(line);
    byRack.set(rack, list);
  });

  // Edges between (folded) owners; identical parallel edges merged with a count.
  const edges = new Map<
    string,
    { source: string; target: string; label: string; style: string; count: number }
  >();
  g.forEachEdge((_id, a, s, t) => {
    const source = owner(s);
    const target = owner(t);
    if (source === target) return;
    const label = dotEdgeLabel(a);
    const key = JSON.stringify([source, target, label]);
    const e = edges.get(key);
    if (e === undefined)
      edges.set(key, { source, target, label, style: DOT_EDGE_STYLE[a.kind], count: 1 });
    else e.count++;
  });

  const attrs = g.getAttributes();
  const out: string[] = [];
  out.push(`graph ${dotQuote(attrs.name)} {`);
  out.push(
    `  graph [label=${dotLabel([attrs.name, attrs.description])}, labelloc="t", fontname="Helvetica"];`,
  );
  out.push('  node [fontname="Helvetica", fontsize=10];');
  out.push('  edge [fontname="Helvetica", fontsize=8];');
  const racks = [...byRack.keys()]
    .filter((r): r is number => r !== undefined)
    .sort((x, y) => x - y);
  for (const r of racks) {
    out.push(`  subgraph cluster_rack${r} {`);
    out.push(`    label=${dotQuote(`rack ${r}`)};`);
    out.push('    style="rounded";');
    for (const line of byRack.get(r) ?? []) out.push(`    ${line}`);
    out.push('  }');
  }
  for (const line of byRack.get(undefined) ?? []) out.push(`  ${line}`);
  for (const e of edges.values()) {
    const label = e.count === 1 ? e.label : `${e.count}× ${e.label}`;
    out.push(
      `  ${dotQuote(e.source)} -- ${dotQuote(e.target)} [label=${dotQuote(label)}, style=${e.style}];`,
    );
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// GraphML
// ---------------------------------------------------------------------------------------------
//
// Hand-written: graphology-graphml (0.5.2, the published version) exports only `parse`; a
// writer exists in the graphology monorepo but is neither published nor documented, and a
// generic writer would neither flatten `placement` nor type counts as `int` and quantities as
// `double`. GraphML is small: typed <key> declarations, then <node>/<edge> with <data>.

/** GraphML attribute types used here. */
type GraphmlType = 'string' | 'int' | 'double' | 'boolean';
/** A flat attribute value. */
type Flat = string | number | boolean;
/** GraphML key domains, with the prefix of their key ids. */
const DOMAINS = Object.freeze({ graph: 'g', node: 'n', edge: 'e' } as const);
type Domain = keyof typeof DOMAINS;

/** Attribute names that carry a unit suffix (Ns, Bytes, BytesPerNs, M, NsPerM) are quantities: always `double`. */
const UNIT_SUFFIX = /(Ns|Bytes|M)$/;
const INT32_MAX = 2 ** 31 - 1;

/**
 * Flattens a JSON record into GraphML attributes: strings, numbers and booleans as they are,
 * `placement` → `rack` + `slotU`, any other object or array as its JSON text.
 */
function flatten(record: object, skip: ReadonlySet<string>): [string, Flat][] {
  const out: [string, Flat][] = [];
  for (const [k, v] of Object.entries(record) as [string, unknown][]) {
    if (skip.has(k) || v === undefined) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push([k, v]);
    else if (
      k === 'placement' &&
      typeof v === 'object' &&
      v !== null &&
      'rack' in v &&
      'slotU' in v
    ) {
      out.push(['rack', Number(v.rack)], ['slotU', Number(v.slotU)]);
    } else out.push([k, JSON.stringify(v)]);
  }
  return out;
}

/** Characters XML 1.0 cannot carry at all, not even as references: C0 controls other than tab/LF/CR, U+FFFE/FFFF, lone surrogates. */
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/u; // in `u` mode a surrogate range matches only lone surrogates

/** Escapes XML character data (callers have rejected forbidden characters first). */
function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an XML attribute value (quotes, and whitespace that parsers would normalise). */
function xmlAttr(s: string): string {
  return xmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** XSD lexical form of a double (`INF`, `-INF`, `NaN` for the non-finite values). */
function xsdDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'INF' : '-INF';
  return String(v);
}

/**
 * Every string the GraphML output would hold that XML 1.0 cannot carry (replacing the character
 * could merge two ids, so it is reported, not coerced: docs/design.md convention §4).
 */
function xmlIssues(
  graphData: readonly [string, Flat][],
  items: readonly {
    readonly what: 'nodes' | 'links';
    readonly ids: readonly string[];
    readonly data: readonly [string, Flat][];
  }[],
): Issue[] {
  const issues: Issue[] = [];
  const check = (s: string, path: readonly (string | number)[], what: string): void => {
    const m = XML_FORBIDDEN.exec(s);
    if (m !== null) {
      const code = `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      issues.push({
        code: 'export.xml-char',
        path,
        message: `${what} ${JSON.stringify(s)} contains ${code}, which XML 1.0 (GraphML) cannot carry`,
      });
    }
  };
  for (const [k, v] of graphData) if (typeof v === 'string') check(v, [k], k);
  items.forEach((item, i) => {
    for (const id of item.ids)
      check(id, [item.what, i], item.what === 'nodes' ? 'node id' : 'link id');
    for (const [k, v] of item.data) if (typeof v === 'string') check(v, [item.what, i, k], k);
  });
  return issues;
}

/**
 * The GraphML 1.0 export: `edgedefault="undirected"`, one typed `<key>` per attribute used
 * (graph keys, then node keys, then edge keys, each in first-use order; ids `g_…`, `n_…`,
 * `e_…`), graph data (identity, generator, every component figure, rack layout), and every
 * node and link with the same fields as the JSON export (`placement` flattened to `rack`,
 * `slotU`). Types: strings `string`; quantities (names ending in a unit: `…Ns`, `…Bytes`,
 * `…M`) and non-integers `double`; unitless integer counts `int`. Values are XML-escaped.
 * Throws {@link TopologyError} (code `export.xml-char`, one issue per string) when a name, id
 * or value holds a character XML 1.0 cannot carry at all (NUL and other C0 controls, lone
 * surrogates): replacing it could merge two ids.
 */
export function exportGraphml(g: TopologyGraph): string {
  const json = topologyToJson(g);
  const graphData: [string, Flat][] = [
    ['name', json.name],
    ['family', json.family],
    ['description', json.description],
    ...(json.generator === undefined
      ? []
      : ([
          ['generator', json.generator.name],
          ['generatorParams', JSON.stringify(json.generator.params)],
        ] as [string, Flat][])),
    ...flatten(json.components, new Set()),
    ...flatten(json.layout, new Set()),
  ];
  const skipId = new Set(['id']);
  const nodes = json.nodes.map((n) => ({ id: n.id, data: flatten(n, skipId) }));
  const edges = json.links.map((l) => ({
    id: l.id,
    source: l.source,
    target: l.target,
    data: flatten(l, new Set(['id', 'source', 'target'])),
  }));
  const issues = xmlIssues(graphData, [
    ...nodes.map((n) => ({ what: 'nodes' as const, ids: [n.id], data: n.data })),
    ...edges.map((e) => ({ what: 'links' as const, ids: [e.id], data: e.data })), // link ends are node ids, checked above
  ]);
  if (issues.length > 0)
    throw new TopologyError(
      issues,
      undefined,
      `cannot export "${json.name}" as GraphML: ${issues.length} string${issues.length === 1 ? '' : 's'} with characters XML cannot carry:`,
    );

  // Keys: every (domain, name) used, in first-use order, typed from all of its values.
  const keys = new Map<string, { domain: Domain; name: string; values: Flat[] }>();
  const use = (domain: Domain, data: readonly [string, Flat][]): void => {
    for (const [name, v] of data) {
      const id = `${DOMAINS[domain]}_${name}`;
      const k = keys.get(id) ?? { domain, name, values: [] };
      k.values.push(v);
      keys.set(id, k);
    }
  };
  use('graph', graphData);
  for (const n of nodes) use('node', n.data);
  for (const e of edges) use('edge', e.data);
  const types = new Map<string, GraphmlType>();
  for (const [id, k] of keys) {
    let type: GraphmlType;
    if (k.values.every((v) => typeof v === 'boolean')) type = 'boolean';
    else if (k.values.some((v) => typeof v !== 'number')) type = 'string';
    else if (
      !UNIT_SUFFIX.test(k.name) &&
      k.values.every((v) => Number.isInteger(v) && Math.abs(v as number) <= INT32_MAX)
    )
      type = 'int';
    else type = 'double';
    types.set(id, type);
  }
  const value = (id: string, v: Flat): string => {
    const type = types.get(id);
    if (type === 'double' && typeof v === 'number') return xsdDouble(v);
    return xmlText(String(v));
  };
  const dataLines = (domain: Domain, data: readonly [string, Flat][], indent: string): string[] =>
    data.map(([name, v]) => {
      const id = `${DOMAINS[domain]}_${name}`;
      return `${indent}<data key="${xmlAttr(id)}">${value(id, v)}</data>`;
    });

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<!-- podsim topology export; GraphML 1.0 (http://graphml.graphdrawing.org/) -->');
  out.push(
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  );
  for (const [id, k] of keys)
    out.push(
      `  <key id="${xmlAttr(id)}" for="${k.domain}" attr.name="${xmlAttr(k.name)}" attr.type="${types.get(id) ?? 'string'}"/>`,
    );
  out.push('  <graph id="G" edgedefault="undirected">');
  out.push(...dataLines('graph', graphData, '    '));
  for (const n of nodes) {
    out.push(`    <node id="${xmlAttr(n.id)}">`);
    out.push(...dataLines('node', n.data, '      '));
    out.push('    </node>');
  }
  for (const e of edges) {
    out.push(
      `    <edge id="${xmlAttr(e.id)}" source="${xmlAttr(e.source)}" target="${xmlAttr(e.target)}">`,
    );
    out.push(...dataLines('edge', e.data, '      '));
    out.push('    </edge>');
  }
  out.push('  </graph>');
  out.push('</graphml>');
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

/**
 * Every exporter by format, for `podsim topology export --format`. Each takes the graph and
 * optional {@link ExportOptions} (only DOT reads `internals`).
 *
 * @example EXPORTERS[format](graph, { internals: argv.internals })
 */
export const EXPORTERS: Readonly<Record<ExportFormat, Exporter>> = Object.freeze({
  json: (g: TopologyGraph) => exportJson(g),
  dot: (g: TopologyGraph, options?: ExportOptions) => exportDot(g, options),
  graphml: (g: TopologyGraph) => exportGraphml(g),
});
