/**
 * Turns an Octopus incidence structure (which hosts each MHD serves) into a placed topology.
 * By default the layout optimiser (../layout-optimise.ts, docs/layout.md) places hosts and
 * devices so every CXL cable fits copper reach where it can; `layout.placement: fill` keeps the
 * older placement (hosts in index order filling racks bottom-up, each device right after the
 * host at the median of its hosts). The builder derives cable lengths from the placements and
 * declares retimers where a cable outruns copper reach — or, with `layout.retimers: forbid`,
 * the pod is refused, naming its longest cable.
 */
import { GeneratorError } from '../../errors/index.ts';
import { DEFAULT_COMPONENTS, type ComponentProfile } from '../defaults.ts';
import { refuseNics } from './options.ts';
import { TopologyBuilder } from '../builder.ts';
import { RackAllocator } from '../layout.ts';
import { DEFAULT_LAYOUT_GEOMETRY, type LayoutGeometry } from '../layout-geometry.ts';
import { optimiseLayout } from '../layout-optimise.ts';
import type { Placement, TopologyGraph } from '../types.ts';
import type { GenerateOptions } from './types.ts';

/** An Octopus pod before placement. */
export interface OctopusIncidence {
  readonly hosts: number;
  /** `devices[d]` lists the host indices cabled to MHD d. */
  readonly devices: readonly (readonly number[])[];
  /** Island of each host, for island pods. */
  readonly islandOf?: readonly number[];
  /**
   * Placements chosen together with the wiring (octopus-sparse `wiring: reach`); when given, the
   * layout optimiser is not run and these are used as they are.
   */
  readonly placed?: Placed;
}

/** Placements of every host and device. */
export interface Placed {
  readonly hosts: readonly Placement[];
  readonly devices: readonly Placement[];
}

/** Devices grouped by the host at the median of their hosts (the order nodes are added in). */
function devicesAfterHosts(incidence: OctopusIncidence): number[][] {
  const after: number[][] = Array.from({ length: incidence.hosts }, () => []);
  incidence.devices.forEach((hosts, d) => {
    const median = hosts[Math.floor((hosts.length - 1) / 2)] ?? 0;
    after[median]?.push(d);
  });
  return after;
}

/** The older placement: hosts in index order, each device right after the median of its hosts. */
function fillPlacement(incidence: OctopusIncidence, g: LayoutGeometry): Placed {
  const racks = new RackAllocator(g.rackHeightU);
  const after = devicesAfterHosts(incidence);
  const hosts: Placement[] = [];
  const devices: Placement[] = [];
  for (let h = 0; h < incidence.hosts; h++) {
    hosts.push(racks.place(g.hostHeightU));
    for (const d of after[h] ?? []) devices[d] = racks.place(g.deviceHeightU);
  }
  return { hosts, devices };
}

/** Placements from the optimiser. */
function optimisedPlacement(
  incidence: OctopusIncidence,
  g: LayoutGeometry,
  reachM: number,
): Placed {
  const r = optimiseLayout(incidence, g, reachM);
  return {
    hosts: Array.from(r.hostRack, (rack, h) => ({ rack, slotU: r.hostSlotU[h] ?? 0 })),
    devices: Array.from(r.deviceRack, (rack, d) => ({ rack, slotU: r.deviceSlotU[d] ?? 0 })),
  };
}

/** The resolved geometry of `options.layout` (HEIGHT_U and DEFAULT_LAYOUT_GEOMETRY fill the gaps). */
export function resolveGeometry(options: GenerateOptions): LayoutGeometry {
  return { ...DEFAULT_LAYOUT_GEOMETRY, ...options.layout };
}

/**
 * Builds the graph of an Octopus pod: hosts `h<i>`, MHDs `d<j>` with `devicePorts` ports.
 * @throws GeneratorError (`layout.beyond-reach`) when `layout.retimers` is `forbid` and a cable outruns copper reach
 */
export function assembleOctopus(
  incidence: OctopusIncidence,
  shape: { hostPorts: number; devicePorts: number },
  meta: {
    name: string;
    description: string;
    generator: { name: string; params: Readonly<Record<string, unknown>> };
  },
  options: GenerateOptions = {},
): TopologyGraph {
  refuseNics(meta.generator.name, options);
  const components = options.components ?? DEFAULT_COMPONENTS;
  const g = resolveGeometry(options);
  const b = new TopologyBuilder({
    name: options.name ?? meta.name,
    family: 'octopus',
    description: meta.description,
    generator: meta.generator,
    components,
    layout: { heightU: g.rackHeightU, rackPitchM: g.rackPitchM },
  });
  const placed =
    incidence.placed ??
    (g.placement === 'fill'
      ? fillPlacement(incidence, g)
      : optimisedPlacement(incidence, g, components.copperReachM));
  const cxlPorts = Math.max(shape.hostPorts, components.hostCxlPorts);
  // Nodes go in in the same order whatever the placement: each host, then the devices whose
  // median host it is (so graph order, and everything indexed by it, does not depend on layout).
  const after = devicesAfterHosts(incidence);
  for (let h = 0; h < incidence.hosts; h++) {
    const island = incidence.islandOf?.[h];
    b.addHost(`h${h}`, {
      placement: placed.hosts[h] ?? { rack: 0, slotU: 0 },
      cxlPorts,
      gpus: options.gpusPerHost ?? components.gpusPerHost,
      nics: 0,
      ...(island === undefined ? {} : { island }),
    });
    for (const d of after[h] ?? [])
      b.addMhd(`d${d}`, {
        placement: placed.devices[d] ?? { rack: 0, slotU: 0 },
        ports: shape.devicePorts,
      });
  }
  incidence.devices.forEach((hosts, d) => {
    for (const h of hosts) b.connectCxl(`h${h}`, `d${d}`);
  });
  const graph = b.build();
  if (g.retimers === 'forbid') refuseBeyondReach(graph, components);
  return graph;
}

/** Throws `layout.beyond-reach` naming the longest CXL cable when any cable outruns copper reach. */
function refuseBeyondReach(graph: TopologyGraph, components: ComponentProfile): void {
  let longest = 0;
  let which = '';
  let beyond = 0;
  graph.forEachEdge((id, l) => {
    if (l.kind !== 'cxl') return;
    if (l.lengthM > components.copperReachM) beyond++;
    if (l.lengthM > longest) {
      longest = l.lengthM;
      which = id;
    }
  });
  if (beyond === 0) return;
  const hosts = graph.filterNodes((_, a) => a.kind === 'host').length;
  throw new GeneratorError([
    {
      code: 'layout.beyond-reach',
      path: ['options', 'layout', 'retimers'],
      message: `retimers: forbid, but ${beyond} of this ${hosts}-host pod's CXL cables outrun the ${components.copperReachM} m copper reach; the longest, ${which}, is ${longest} m. Allow retimers (layout.retimers: allow), raise the reach (components.copperReach), or build a smaller pod`,
    },
  ]);
}
