/**
 * The DOT export of a topology (`podsim topology export --format dot`), a picture for Graphviz:
 * a shape per node kind, a cluster per rack, links labelled with their bandwidth and length,
 * and GPUs and NICs folded into their host unless asked for. Part of src/report/export.ts,
 * which re-exports it.
 */
import { nodeId } from '../topology/keys.ts';
import type { LinkAttributes, NodeAttributes, NodeKind, TopologyGraph } from '../topology/types.ts';
import { formatBandwidth, formatLength, formatSize } from '../units/index.ts';

/** Options shared by the exporters; each exporter reads only the fields it knows. */
export interface ExportOptions {
  /**
   * DOT only: draw GPUs, NICs and their host-internal PCIe links as nodes of their own. When
   * false (the default) they are folded into their host, whose label then reads e.g.
   * `8× A100-80GB`. JSON and GraphML always contain every node: they are data, not pictures.
   */
  readonly internals?: boolean;
}

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
  c2c: 'dotted',
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
    case 'c2c':
      return `c2c ${formatBandwidth(a.bandwidthBytesPerNs)}`;
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
  // Graph keys throughout; decoded to node ids where written (src/topology/keys.ts).
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
    const label = dotLabel([nodeId(id), a.kind, ...dotDetails(a, folded.get(id))]);
    const line = `${dotQuote(nodeId(id))} [label=${label}, shape=${st.shape}, style=${dotQuote(st.style)}, fillcolor=${dotQuote(st.fill)}];`;
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
      `  ${dotQuote(nodeId(e.source))} -- ${dotQuote(nodeId(e.target))} [label=${dotQuote(label)}, style=${e.style}];`,
    );
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
