/**
 * A large switch-free pod drawn as a host × device matrix (`podsim whatif --report`): drawn as
 * nodes and lines, octopus-96's 768 CXL links are a hairball in which no one can see which
 * devices an island shares. Here each host is a column, grouped by island; each multi-headed
 * device is a row, under the island all its hosts belong to, or in the block of devices that
 * join several islands at the bottom; a filled cell is a CXL link. Islands show as blocks on the
 * diagonal, the sparse links between them as the scattered cells below. A pure string builder
 * (src/report/svg.ts); src/report/svg-topology.ts picks it for pods too dense to draw as a graph.
 */
import { nodeId } from '../topology/keys.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { escapeXml, fmt, open, text, type ChartOptions } from './svg-kit.ts';

const W = 1200;
const LEFT = 150;
const RIGHT = 20;
const TOP = 70;
const GROUP_GAP = 10;
/** Row height of one device (user units): 192 devices take ≈ 580. */
const ROW = 3;
const BLOCK_GAP = 12;

/** Natural order of graph keys by the node ids they stand for. */
const natural = (a: string, b: string): number =>
  nodeId(a).localeCompare(nodeId(b), 'en', { numeric: true });

/** Hosts by island (ascending; hosts without an island form island -1) and each device's hosts. */
function incidence(graph: TopologyGraph): {
  islands: Map<number, string[]>;
  deviceHosts: Map<string, string[]>;
} {
  const islands = new Map<number, string[]>();
  const deviceHosts = new Map<string, string[]>();
  graph.forEachNode((id, a) => {
    if (a.kind === 'host')
      islands.set(a.island ?? -1, [...(islands.get(a.island ?? -1) ?? []), id]);
    else if (a.kind === 'mhd') deviceHosts.set(id, []);
  });
  graph.forEachEdge((_e, attrs, s, t) => {
    if (attrs.kind !== 'cxl') return;
    const [d, h] = deviceHosts.has(s) ? [s, t] : [t, s];
    deviceHosts.get(d)?.push(h);
  });
  for (const hs of islands.values()) hs.sort(natural);
  return { islands, deviceHosts };
}

/** Whether a topology is drawn as a matrix: multi-headed devices and too many CXL links for lines. */
export function drawsAsMatrix(graph: TopologyGraph): boolean {
  let mhds = 0;
  let cxl = 0;
  graph.forEachNode((_id, a) => {
    if (a.kind === 'mhd') mhds++;
  });
  graph.forEachEdge((_e, a) => {
    if (a.kind === 'cxl') cxl++;
  });
  return mhds > 0 && cxl > 300;
}

/**
 * The host × device matrix of a switch-free pod (see the file header). Every host and device
 * keeps its id as a tooltip; islands and device blocks are labelled.
 */
export function podMatrixSvg(
  graph: TopologyGraph,
  options: ChartOptions & { readonly label?: string },
): string {
  const name = options.label ?? graph.getAttribute('name');
  const { islands, deviceHosts } = incidence(graph);
  const keys = [...islands.keys()].sort((a, b) => a - b);
  const hostCount = [...islands.values()].reduce((s, h) => s + h.length, 0);
  const colW = (W - LEFT - RIGHT - GROUP_GAP * Math.max(0, keys.length - 1)) / hostCount;
  const col = new Map<string, number>();
  const islandOf = new Map<string, number>();
  const spans: { key: number; x0: number; x1: number }[] = [];
  let x = LEFT;
  for (const k of keys) {
    const x0 = x;
    for (const h of islands.get(k) ?? []) {
      col.set(h, x);
      islandOf.set(h, k);
      x += colW;
    }
    spans.push({ key: k, x0, x1: x });
    x += GROUP_GAP;
  }
  // Devices: under the one island of all their hosts, else in the "between islands" block.
  const blocks = new Map<number | 'between', string[]>();
  for (const [d, hs] of deviceHosts) {
    const own = new Set(hs.map((h) => islandOf.get(h)));
    const key = own.size === 1 ? ([...own][0] ?? -1) : 'between';
    blocks.set(key, [...(blocks.get(key) ?? []), d]);
  }
  const order: (number | 'between')[] = [...keys, 'between' as const].filter((k) => blocks.has(k));
  const height = TOP + deviceHostsRows(order, blocks) + 70;
  const out: string[] = [];
  const between = blocks.get('between')?.length ?? 0;
  out.push(
    open(
      options.id,
      W,
      height,
      `Topology ${name} (host × device matrix)`,
      `Host × device matrix of ${name}: ${hostCount} hosts (columns) in ${keys.length} islands, ${deviceHosts.size} multi-headed devices (rows); a filled cell is a CXL link. ${deviceHosts.size - between} devices serve one island (the blocks on the diagonal), ${between} join several islands (the rows at the bottom).`,
    ),
  );
  for (const s of spans) {
    out.push(
      text(
        (s.x0 + s.x1) / 2,
        TOP - 44,
        keys.length > 1 && s.key >= 0 ? `island ${s.key}` : 'hosts',
        {
          anchor: 'middle',
          size: 11,
        },
      ),
    );
    for (const h of islands.get(s.key) ?? [])
      out.push(
        `<g><title>${escapeXml(nodeId(h))}</title><rect x="${fmt(col.get(h) ?? 0)}" y="${TOP - 34}" width="${fmt(Math.max(1, colW - 1))}" height="24" fill="#ddd" stroke="#000" stroke-width="0.3"/></g>`,
      );
  }
  drawRows(out, order, blocks, deviceHosts, col, colW);
  out.push(
    text(
      LEFT,
      height - 30,
      'columns: hosts (grey), grouped by island · rows: multi-headed devices · a filled cell: a CXL link',
      { size: 11 },
    ),
  );
  out.push('</svg>');
  return out.join('\n');
}

/** Height of the device rows and the gaps between their blocks. */
function deviceHostsRows(
  order: readonly (number | 'between')[],
  blocks: ReadonlyMap<number | 'between', readonly string[]>,
): number {
  return order.reduce<number>((s, k) => s + (blocks.get(k)?.length ?? 0) * ROW + BLOCK_GAP, 0);
}

/** Each block's label and its devices' rows: a hover band with the device id, and one cell per link. */
function drawRows(
  out: string[],
  order: readonly (number | 'between')[],
  blocks: ReadonlyMap<number | 'between', readonly string[]>,
  deviceHosts: ReadonlyMap<string, readonly string[]>,
  col: ReadonlyMap<string, number>,
  colW: number,
): void {
  let y = TOP;
  for (const k of order) {
    const ds = [...(blocks.get(k) ?? [])].sort(natural);
    const label =
      k === 'between' ? `between islands (${ds.length})` : `island ${k} devices (${ds.length})`;
    out.push(text(LEFT - 8, y + (ds.length * ROW) / 2 + 4, label, { anchor: 'end', size: 10 }));
    for (const d of ds) {
      const cells = (deviceHosts.get(d) ?? [])
        .map(
          (h) =>
            `M${fmt(col.get(h) ?? 0)},${fmt(y)}h${fmt(Math.max(1, colW - 1))}v${ROW}h-${fmt(Math.max(1, colW - 1))}z`,
        )
        .join('');
      out.push(
        `<g><title>${escapeXml(nodeId(d))}: ${(deviceHosts.get(d) ?? []).length} hosts</title><rect x="${LEFT}" y="${fmt(y)}" width="${W - LEFT - RIGHT}" height="${ROW}" fill="#f4f4f4"/><path d="${cells}" fill="#0072B2"/></g>`,
      );
      y += ROW;
    }
    y += BLOCK_GAP;
  }
}
