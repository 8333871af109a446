/**
 * The GraphML export of a topology (`podsim topology export --format graphml`), for graph
 * tools (Gephi, yEd, networkx): typed `<key>`s, then every node and link with the JSON export's
 * fields flattened. Strings XML 1.0 cannot carry are reported, not coerced. Part of
 * src/report/export.ts, which re-exports it.
 */
import { TopologyError, type Issue } from '../errors/index.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { topologyToJson } from './export-json.ts';

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

/** A GraphML key: its domain, attribute name and every value it takes (to pick its type). */
interface GraphmlKey {
  readonly domain: Domain;
  readonly name: string;
  readonly values: Flat[];
}

/** Every (domain, name) used, in first-use order (graph, then nodes, then edges), typed from all of its values. */
function graphmlKeys(
  graphData: readonly [string, Flat][],
  nodes: readonly { readonly data: readonly [string, Flat][] }[],
  edges: readonly { readonly data: readonly [string, Flat][] }[],
): { keys: Map<string, GraphmlKey>; types: Map<string, GraphmlType> } {
  const keys = new Map<string, GraphmlKey>();
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
  return { keys, types };
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

  const { keys, types } = graphmlKeys(graphData, nodes, edges);
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
