/**
 * The what-if report's drawing of a topology (`podsim whatif --report`): hosts in a row grouped
 * by island or rack, memory devices below, CXL switches between, ToR and spine switches above,
 * CXL and network links under them, tier labels and a legend. Lays the nodes out (hosts first,
 * then each other tier by the mean position of its neighbours) and draws them; a pure string
 * builder (src/report/svg.ts).
 */
import { nodeId } from '../topology/keys.ts';
import type { NodeAttributes, TopologyGraph } from '../topology/types.ts';
import { escapeXml, fmt, line, marker, open, text, type ChartOptions } from './svg-kit.ts';
import { drawsAsMatrix, podMatrixSvg } from './svg-pod-matrix.ts';

type Tier = 'spine' | 'tor' | 'host' | 'switch' | 'device';

const TIERS: readonly Tier[] = ['spine', 'tor', 'host', 'switch', 'device'];

/** Drawing size and side margins (user units). */
const W = 1200;
const H = 420;
const LEFT = 30;
const RIGHT = 30;

/** A drawn link between two drawn nodes (ids in natural order). */
interface Link {
  readonly a: string;
  readonly b: string;
  readonly kind: 'cxl' | 'network';
}

type Positions = Map<string, readonly [number, number]>;

/** Where the hosts went: their groups' spans, what the groups are, and the host square size. */
interface HostRow {
  /** What the host groups are: islands, the racks of one ToR each, or physical racks. */
  readonly grouping: 'island' | 'ToR rack' | 'rack';
  readonly groupSpans: readonly {
    readonly key: number;
    readonly x0: number;
    readonly x1: number;
  }[];
  readonly hostSize: number;
}

/** The drawn tier of a node, or undefined for GPUs and NICs (folded into their host). */
function tierOf(a: NodeAttributes): Tier | undefined {
  switch (a.kind) {
    case 'host':
      return 'host';
    case 'mhd':
    case 'memory-device':
      return 'device';
    case 'cxl-switch':
      return 'switch';
    case 'tor':
      return 'tor';
    case 'spine':
      return 'spine';
    default:
      return undefined;
  }
}

/** Natural order of graph keys by the node ids they stand for (src/topology/keys.ts). */
const natural = (a: string, b: string): number =>
  nodeId(a).localeCompare(nodeId(b), 'en', { numeric: true });

/**
 * A drawing of one topology: hosts as squares in a row, grouped by island (or by rack when
 * hosts have no island), memory devices (MHDs, switched memory devices) as circles below, CXL
 * switches as diamonds between them, ToR and spine switches as triangles above. CXL links are
 * thin solid lines, network links dashed (a NIC's cable is drawn from its host); GPUs and NICs
 * are not drawn. Switches and devices are ordered by the mean position of what they connect
 * to, so the drawing stays legible up to about 100 hosts and 200 devices.
 */
export function topologySvg(
  graph: TopologyGraph,
  options: ChartOptions & { readonly label?: string },
): string {
  if (drawsAsMatrix(graph)) return podMatrixSvg(graph, options);
  const name = options.label ?? graph.getAttribute('name');
  const byTier: Record<Tier, string[]> = { spine: [], tor: [], host: [], switch: [], device: [] };
  const owner = new Map<string, string>(); // GPU/NIC → host
  graph.forEachNode((id, a) => {
    const t = tierOf(a);
    if (t !== undefined) byTier[t].push(id);
    else if (a.kind === 'gpu' || a.kind === 'nic') owner.set(id, a.host);
  });
  const tierY = tierRows(byTier);
  const { edges, neighbours } = drawnLinks(graph, owner);
  const pos: Positions = new Map();
  const hosts = placeHosts(graph, byTier.host, tierY.host, pos, torRacks(byTier.tor, neighbours));
  placeTier(byTier.switch, neighbours, pos, tierY.switch);
  placeTier(byTier.tor, neighbours, pos, tierY.tor);
  placeTier(byTier.spine, neighbours, pos, tierY.spine);
  placeTier(byTier.device, neighbours, pos, tierY.device, byTier.device.length > 100 ? 2 : 1);

  const cxlLinks = [...edges.values()].filter((e) => e.kind === 'cxl').length;
  const netLinks = [...edges.values()].length - cxlLinks;
  const out: string[] = [];
  out.push(
    open(
      options.id,
      W,
      H,
      `Topology ${name}`,
      `Drawing of ${name}: ${byTier.host.length} hosts in ${hosts.groupSpans.length} ${hosts.grouping === 'island' ? 'islands' : hosts.grouping === 'ToR rack' ? 'ToR racks' : 'physical racks'}, ${byTier.device.length} memory devices, ${byTier.switch.length} CXL switches, ${byTier.tor.length} ToR and ${byTier.spine.length} spine switches; ${cxlLinks} CXL links (solid) and ${netLinks} network links (dashed, NIC cables drawn from their host).`,
    ),
  );
  drawLinks(out, edges, pos, cxlLinks);
  drawGroups(out, hosts, tierY.host);
  drawNodes(out, graph, byTier, pos, hosts.hostSize);
  drawTierLabels(out, byTier, tierY);
  drawLegend(out, byTier, cxlLinks, netLinks);
  out.push('</svg>');
  return out.join('\n');
}

/** Rows from top to bottom, only for the tiers present (hosts leave room for group labels). */
function tierRows(byTier: Record<Tier, string[]>): Record<Tier, number> {
  const present = TIERS.filter((t) => byTier[t].length > 0);
  const tierY = {} as Record<Tier, number>;
  const top = 40;
  const bottom = H - 80;
  present.forEach(
    (t, k) =>
      (tierY[t] =
        present.length === 1
          ? (top + bottom) / 2
          : top + (k * (bottom - top)) / (present.length - 1) + (t === 'host' && k === 0 ? 30 : 0)),
  );
  for (const t of TIERS) tierY[t] ??= 0;
  return tierY;
}

/** Links between drawn nodes, deduplicated (a host's two NICs to one ToR are one line), and each drawn node's neighbours. */
function drawnLinks(
  graph: TopologyGraph,
  owner: ReadonlyMap<string, string>,
): { edges: Map<string, Link>; neighbours: Map<string, Set<string>> } {
  const drawn = (id: string): string | undefined => (owner.has(id) ? owner.get(id) : id);
  const edges = new Map<string, Link>();
  const neighbours = new Map<string, Set<string>>();
  graph.forEachEdge((_e, attrs, s, t) => {
    if (attrs.kind === 'pcie' || attrs.kind === 'c2c') return;
    const a = drawn(s);
    const b = drawn(t);
    if (a === undefined || b === undefined || a === b) return;
    const [p, q] = natural(a, b) <= 0 ? [a, b] : [b, a];
    edges.set(`${p}\u0000${q}`, { a: p, b: q, kind: attrs.kind });
    for (const [u, v] of [
      [a, b],
      [b, a],
    ] as const) {
      const set = neighbours.get(u) ?? new Set<string>();
      set.add(v);
      neighbours.set(u, set);
    }
  });
  return { edges, neighbours };
}

/**
 * Each host's network rack: the ordinal of the ToR it is cabled to (ToRs in id order), the rack
 * an RDMA generator's `racks` counts. Empty without ToRs.
 */
function torRacks(
  tors: readonly string[],
  neighbours: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, number> {
  const out = new Map<string, number>();
  [...tors].sort(natural).forEach((t, k) => {
    for (const n of neighbours.get(t) ?? []) if (!out.has(n)) out.set(n, k);
  });
  return out;
}

/**
 * Places the hosts in a row at height `y`: grouped by island when any host has one, else by
 * the ToR rack they are cabled to (as the RDMA generators count racks), else by physical rack.
 */
function placeHosts(
  graph: TopologyGraph,
  hostIds: readonly string[],
  y: number,
  pos: Positions,
  torRack: ReadonlyMap<string, number>,
): HostRow {
  const hostAttrs = (id: string): NodeAttributes => graph.getNodeAttributes(id);
  const byIsland = hostIds.some((h) => {
    const a = hostAttrs(h);
    return a.kind === 'host' && a.island !== undefined;
  });
  const byTor = !byIsland && hostIds.some((h) => torRack.has(h));
  const groupOf = (h: string): number => {
    const a = hostAttrs(h);
    if (a.kind !== 'host') return 0;
    if (byIsland) return a.island ?? -1;
    return byTor ? (torRack.get(h) ?? -1) : a.placement.rack;
  };
  const groups = new Map<number, string[]>();
  for (const h of hostIds) groups.set(groupOf(h), [...(groups.get(groupOf(h)) ?? []), h]);
  const groupKeys = [...groups.keys()].sort((a, b) => a - b);
  for (const k of groupKeys) groups.get(k)?.sort(natural);
  const groupGap = 24;
  const usable = W - LEFT - RIGHT - groupGap * Math.max(0, groupKeys.length - 1);
  const hostStep = usable / Math.max(1, hostIds.length);
  const hostSize = Math.max(3, Math.min(14, hostStep * 0.75));
  const groupSpans: { key: number; x0: number; x1: number }[] = [];
  let x = LEFT;
  for (const k of groupKeys) {
    const hs = groups.get(k) ?? [];
    const x0 = x;
    for (const h of hs) {
      pos.set(h, [x + hostStep / 2, y]);
      x += hostStep;
    }
    groupSpans.push({ key: k, x0, x1: x });
    x += groupGap;
  }
  return { grouping: byIsland ? 'island' : byTor ? 'ToR rack' : 'rack', groupSpans, hostSize };
}

/** Places a tier evenly spaced at height `y`, ordered by the barycentre of already placed neighbours. */
function placeTier(
  ids: readonly string[],
  neighbours: ReadonlyMap<string, ReadonlySet<string>>,
  pos: Positions,
  y: number,
  rows = 1,
): void {
  if (ids.length === 0) return;
  const bary = new Map<string, number>();
  for (const id of ids) {
    const xs = [...(neighbours.get(id) ?? [])]
      .map((n) => pos.get(n)?.[0])
      .filter((v): v is number => v !== undefined);
    bary.set(
      id,
      xs.length === 0 ? Number.POSITIVE_INFINITY : xs.reduce((s, v) => s + v, 0) / xs.length,
    );
  }
  const sorted = [...ids].sort((a, b) => (bary.get(a) ?? 0) - (bary.get(b) ?? 0) || natural(a, b));
  const step = (W - LEFT - RIGHT) / sorted.length;
  sorted.forEach((id, k) =>
    pos.set(id, [LEFT + (k + 0.5) * step, y + (rows > 1 ? (k % rows) * 16 - 8 : 0)]),
  );
}

/** Links first, under the nodes: one path of CXL links, one of network links. */
function drawLinks(
  out: string[],
  edges: ReadonlyMap<string, Link>,
  pos: Positions,
  cxlLinks: number,
): void {
  const seg = (e: Link): string => {
    const [x1, y1] = pos.get(e.a) ?? [0, 0];
    const [x2, y2] = pos.get(e.b) ?? [0, 0];
    return `M${fmt(x1)},${fmt(y1)}L${fmt(x2)},${fmt(y2)}`;
  };
  const sortedEdges = [...edges.values()].sort((p, q) => natural(p.a, q.a) || natural(p.b, q.b));
  const cxlPath = sortedEdges
    .filter((e) => e.kind === 'cxl')
    .map(seg)
    .join('');
  const netPath = sortedEdges
    .filter((e) => e.kind === 'network')
    .map(seg)
    .join('');
  if (cxlPath !== '')
    out.push(
      `<path d="${cxlPath}" stroke="#0072B2" stroke-opacity="0.45" stroke-width="${cxlLinks > 300 ? 0.4 : 0.8}" fill="none"/>`,
    );
  if (netPath !== '')
    out.push(
      `<path d="${netPath}" stroke="#555" stroke-opacity="0.7" stroke-width="0.8" stroke-dasharray="4 3" fill="none"/>`,
    );
}

/** Group labels and brackets above the hosts. */
function drawGroups(out: string[], hosts: HostRow, hostY: number): void {
  const { hostSize } = hosts;
  for (const g of hosts.groupSpans) {
    out.push(
      line(
        g.x0 + 1,
        hostY - hostSize / 2 - 10,
        g.x1 - 1,
        hostY - hostSize / 2 - 10,
        'stroke="#333" stroke-width="1"',
      ),
    );
    out.push(
      text((g.x0 + g.x1) / 2, hostY - hostSize / 2 - 14, `${hosts.grouping} ${g.key}`, {
        anchor: 'middle',
        size: 11,
      }),
    );
  }
}

/** Nodes, one element each with its id as a tooltip. */
function drawNodes(
  out: string[],
  graph: TopologyGraph,
  byTier: Record<Tier, string[]>,
  pos: Positions,
  hostSize: number,
): void {
  const deviceStep = (W - LEFT - RIGHT) / Math.max(1, byTier.device.length);
  const deviceR = Math.max(2, Math.min(7, deviceStep * (byTier.device.length > 100 ? 0.8 : 0.4)));
  const switchR = Math.max(
    4,
    Math.min(10, ((W - LEFT - RIGHT) / Math.max(1, byTier.switch.length)) * 0.3),
  );
  const triR = 9;
  const node = (id: string, shapeSvg: string): string =>
    `<g><title>${escapeXml(nodeId(id))}</title>${shapeSvg}</g>`;
  for (const h of byTier.host) {
    const [hx, hy] = pos.get(h) ?? [0, 0];
    out.push(
      node(
        h,
        `<rect x="${fmt(hx - hostSize / 2)}" y="${fmt(hy - hostSize / 2)}" width="${fmt(hostSize)}" height="${fmt(hostSize)}" fill="#ddd" stroke="#000" stroke-width="0.8"/>`,
      ),
    );
  }
  for (const d of byTier.device) {
    const [dx, dy] = pos.get(d) ?? [0, 0];
    out.push(
      node(
        d,
        `<circle cx="${fmt(dx)}" cy="${fmt(dy)}" r="${fmt(deviceR)}" fill="#56B4E9" stroke="#000" stroke-width="0.6"/>`,
      ),
    );
  }
  for (const s of byTier.switch) {
    const [sx, sy] = pos.get(s) ?? [0, 0];
    out.push(node(s, marker('diamond', sx, sy, switchR, '#E69F00')));
  }
  for (const t of [...byTier.tor, ...byTier.spine]) {
    const [tx, ty] = pos.get(t) ?? [0, 0];
    out.push(
      node(
        t,
        marker(
          'triangle',
          tx,
          ty,
          triR,
          graph.getNodeAttribute(t, 'kind') === 'spine' ? '#999' : '#fff',
        ),
      ),
    );
  }
}

/** Tier labels on the left, with each tier's node count. */
function drawTierLabels(
  out: string[],
  byTier: Record<Tier, string[]>,
  tierY: Record<Tier, number>,
): void {
  const tierLabel: readonly [Tier, string][] = [
    ['spine', 'spine'],
    ['tor', 'ToR'],
    ['host', 'hosts'],
    ['switch', 'CXL switches'],
    ['device', 'memory devices'],
  ];
  for (const [t, s] of tierLabel)
    if (byTier[t].length > 0)
      out.push(
        text(4, tierY[t] - 14 + (t === 'host' ? -16 : 0), `${s} (${byTier[t].length})`, {
          size: 10,
          fill: '#333',
        }),
      );
}

/** The legend along the bottom: only the kinds the drawing has. */
function drawLegend(
  out: string[],
  byTier: Record<Tier, string[]>,
  cxlLinks: number,
  netLinks: number,
): void {
  const ly = H - 22;
  const switches = byTier.tor.length + byTier.spine.length;
  const entries: [boolean, string, string][] = [
    [true, 'host', `<rect x="-5" y="-5" width="10" height="10" fill="#ddd" stroke="#000"/>`],
    [
      byTier.device.length > 0,
      'memory device (MHD / behind a switch)',
      `<circle r="5" fill="#56B4E9" stroke="#000"/>`,
    ],
    [byTier.switch.length > 0, 'CXL switch', marker('diamond', 0, 0, 5, '#E69F00')],
    [
      switches > 0,
      byTier.spine.length > 0 ? 'ToR (white) / spine (grey)' : 'ToR switch',
      marker('triangle', 0, 0, 6, '#fff'),
    ],
    [cxlLinks > 0, 'CXL link', `<path d="M-12,0H12" stroke="#0072B2" stroke-width="1.5"/>`],
    [
      netLinks > 0,
      'network link',
      `<path d="M-12,0H12" stroke="#555" stroke-width="1.5" stroke-dasharray="4 3"/>`,
    ],
  ];
  const items = entries.filter(([drawn]) => drawn).map(([, label, sw]) => [label, sw] as const);
  let lx = LEFT;
  for (const [label, sw] of items) {
    out.push(`<g transform="translate(${fmt(lx + 12)} ${ly})">${sw}</g>`);
    out.push(text(lx + 30, ly + 4, label, { size: 11 }));
    lx += 40 + label.length * 6.2;
  }
}
