/**
 * The explicit form of a topology file (`nodes` + `links`): the schema and the cross-references
 * (./references.ts) together, then placements in racks, then the builder, then
 * {@link validateTopology} with each issue mapped back to `nodes[i].field` / `links[j].field`.
 */
import { basename } from 'node:path';
import { InputError, TopologyError, type Issue } from '../../errors/index.ts';
import { TopologyBuilder, linkId } from '../../topology/builder.ts';
import { DEFAULT_LAYOUT } from '../../topology/defaults.ts';
import { HEIGHT_U } from '../../topology/layout.ts';
import type { Placement, TopologyGraph } from '../../topology/types.ts';
import { validateTopology, type TopologyIssue } from '../../topology/validate.ts';
import type { Metres } from '../../units/index.ts';
import { stem } from '../files.ts';
import { fromZodIssues } from '../issues.ts';
import { byPath, resolveProfile } from './common.ts';
import { crossReferences, type IdIndex } from './references.ts';
import { checkTopologySize, explicitSize } from './size.ts';
import {
  explicitFileSchema,
  type ExplicitFile,
  type FileLink,
  type FileNode,
} from './schema-explicit.ts';

/** A link of the file by its built id: index in `links` and the entry. */
type LinkIndex = Map<string, { index: number; link: FileLink }>;

const heightOf = (node: FileNode): number =>
  node.kind === 'host'
    ? HEIGHT_U.host
    : node.kind === 'cxl-switch'
      ? HEIGHT_U.cxlSwitch
      : node.kind === 'tor'
        ? HEIGHT_U.tor
        : node.kind === 'spine'
          ? HEIGHT_U.spine
          : HEIGHT_U.device;

/**
 * Placements for every node: `slot` given → (rack ?? 0, slot); otherwise the next free slot in
 * file order above everything already placed in the rack — in the given `rack` (an issue when it
 * is full), or, with no `rack`, filling racks from 0 upwards like the generators' RackAllocator.
 */
function place(
  nodes: readonly FileNode[],
  heightU: number,
): { placements: Placement[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const top = new Map<number, number>();
  const placements: (Placement | undefined)[] = nodes.map((n, i) => {
    if (n.slot === undefined) return undefined;
    const rack = n.rack ?? 0;
    const h = heightOf(n);
    if (n.slot + h > heightU)
      issues.push({
        code: 'topology.bad-placement',
        path: ['nodes', i, 'slot'],
        message: `a ${h}U ${n.kind} at slot ${n.slot} does not fit a ${heightU}U rack (slots 0–${heightU - h})`,
      });
    top.set(rack, Math.max(top.get(rack) ?? 0, n.slot + h));
    return { rack, slotU: n.slot };
  });
  let autoRack = 0;
  nodes.forEach((n, i) => {
    if (placements[i] !== undefined) return;
    const h = heightOf(n);
    let rack = n.rack ?? autoRack;
    if (n.rack === undefined) {
      while ((top.get(rack) ?? 0) + h > heightU) rack++;
      autoRack = rack;
    } else if ((top.get(rack) ?? 0) + h > heightU) {
      issues.push({
        code: 'topology.rack-full',
        path: ['nodes', i, 'rack'],
        message: `rack ${rack} is full (${heightU}U) when this ${h}U ${n.kind} comes to be placed: give it another rack or a slot, or raise layout.heightU`,
      });
    }
    const slotU = top.get(rack) ?? 0;
    top.set(rack, slotU + h);
    placements[i] = { rack, slotU };
  });
  return { placements: placements as Placement[], issues };
}

/** Copies only the defined fields (exactOptionalPropertyTypes: absent ≠ undefined). */
function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
/** Adds every node of the file to the builder, at its placement. */
function addNodes(
  b: TopologyBuilder,
  nodes: readonly FileNode[],
  placements: readonly Placement[],
): void {
  nodes.forEach((n: FileNode, i) => {
    const placement = placements[i] as Placement;
    switch (n.kind) {
      case 'host':
        b.addHost(n.id, {
          placement,
          ...defined({
            sockets: n.sockets,
            cxlPorts: n.cxlPorts,
            cxlPortLanes: n.cxlPortLanes,
            localDramBytes: n.localDram,
            gpus: n.gpus,
            island: n.island,
          }),
          nics: n.nics ?? 0,
          attachment: defined({
            gpuHostLink: n.gpuHostLink,
            gpuPcieGeneration: n.gpuPcieGeneration,
            gpuPcieLanes: n.gpuPcieLanes,
            nicRateBytesPerNs: n.nicRate,
            nicPcieGeneration: n.nicPcieGeneration,
            nicPcieLanes: n.nicPcieLanes,
            gpuDirectRdma: n.gpuDirectRdma,
          }),
        });
        break;
      case 'mhd':
      case 'memory-device': {
        const o = {
          placement,
          ...defined({
            ports: n.ports,
            capacityBytes: n.capacity,
            mediaBandwidthBytesPerNs: n.mediaBandwidth,
            controllerLatencyNs: n.controllerLatency,
            mediaLatencyNs: n.mediaLatency,
          }),
        };
        if (n.kind === 'mhd') b.addMhd(n.id, o);
        else b.addMemoryDevice(n.id, o);
        break;
      }
      case 'cxl-switch':
        b.addCxlSwitch(n.id, {
          placement,
          ...defined({ ports: n.ports, traversalLatencyNs: n.traversalLatency }),
        });
        break;
      case 'tor':
      case 'spine': {
        const o = { placement, ...defined({ ports: n.ports, latencyNs: n.latency }) };
        if (n.kind === 'tor') b.addTor(n.id, o);
        else b.addSpine(n.id, o);
        break;
      }
    }
  });
}

/** Adds every link of the file to the builder; returns the links by their built id. */
function addLinks(b: TopologyBuilder, links: readonly FileLink[]): LinkIndex {
  const linkIndex: LinkIndex = new Map();
  links.forEach((l: FileLink, j) => {
    // A given id "b--a" names the link the other way round: build it in that order.
    const [a, z] = l.id !== undefined && l.id === linkId(l.b, l.a) ? [l.b, l.a] : [l.a, l.b];
    linkIndex.set(linkId(a, z), { index: j, link: l });
    if (l.kind === 'cxl')
      b.connectCxl(
        a,
        z,
        defined({
          generation: l.generation,
          lanes: l.lanes,
          lengthM: l.length,
          retimers: l.retimers,
        }),
      );
    else
      b.connectNetwork(
        a,
        z,
        defined({ protocol: l.protocol, bandwidthBytesPerNs: l.rate, lengthM: l.length }),
      );
  });
  return linkIndex;
}

/**
 * Builds and validates the graph of an explicit-form file.
 * @throws InputError (schema, with any cross-reference problems) or TopologyError (cross-references
 *   alone, placements, or the built graph's validation)
 */
export function buildExplicit(
  data: Readonly<Record<string, unknown>>,
  file: string,
): TopologyGraph {
  // Counted on the raw data, so a file of a million nodes is refused before its schema runs.
  checkTopologySize(
    explicitSize(data),
    'this file',
    { hosts: ['nodes'], devices: ['nodes'], links: ['links'] },
    file,
  );
  const parsed = explicitFileSchema.safeParse(data, { reportInput: true });
  const refs = crossReferences(data);
  const schemaIssues = parsed.success ? [] : fromZodIssues(parsed.error.issues);
  if (!parsed.success || refs.issues.length > 0) {
    const all = [...schemaIssues, ...refs.issues].sort(byPath);
    throw schemaIssues.length > 0 ? new InputError(all, file) : new TopologyError(all, file);
  }
  const f: ExplicitFile = parsed.data;
  const components = resolveProfile(f.components as Record<string, unknown> | undefined);
  const heightU = f.layout?.heightU ?? DEFAULT_LAYOUT.heightU;
  const rackPitchM: Metres = f.layout?.rackPitch ?? DEFAULT_LAYOUT.rackPitchM;
  const { placements, issues: placeIssues } = place(f.nodes, heightU);
  if (placeIssues.length > 0) throw new TopologyError(placeIssues.sort(byPath), file);

  const b = new TopologyBuilder({
    name: f.name ?? stem(file),
    family: 'custom',
    description: f.description ?? `explicit topology from ${basename(file)}`,
    components,
    layout: { heightU, rackPitchM },
  });
  addNodes(b, f.nodes, placements);
  const linkIndex = addLinks(b, f.links);
  const graph = b.build();

  const problems = validateTopology(graph);
  if (problems.length > 0)
    throw new TopologyError(
      problems.map((p) => locate(p, f, refs.ids, linkIndex, graph)).sort(byPath),
      file,
    );
  return graph;
}

/** Maps a validation issue's subject and field to a path in the explicit file. */
function locate(
  p: TopologyIssue,
  f: ExplicitFile,
  ids: IdIndex,
  links: LinkIndex,
  graph: TopologyGraph,
): Issue {
  const base = { code: p.code, message: p.message };
  if ('node' in p.subject) {
    const id = p.subject.node;
    const i = ids.declared.get(id);
    if (i !== undefined) {
      const node = f.nodes[i];
      const field = p.field === 'ports' && node?.kind === 'host' ? 'cxlPorts' : p.field;
      return { ...base, path: field === undefined ? ['nodes', i] : ['nodes', i, field] };
    }
    const d = ids.derived.get(id);
    if (d !== undefined)
      return {
        ...base,
        path: ['nodes', d.hostIndex, `${d.kind}s`],
        message: `${id}: ${p.message}`,
      };
    return { ...base, path: ['nodes'], message: `${id}: ${p.message}` };
  }
  if ('link' in p.subject) {
    const id = p.subject.link;
    const entry = links.get(id);
    if (entry !== undefined) {
      const field =
        p.field === 'bandwidth' ? (entry.link.kind === 'cxl' ? 'lanes' : 'rate') : p.field;
      return {
        ...base,
        path: field === undefined ? ['links', entry.index] : ['links', entry.index, field],
      };
    }
    // A host-internal PCIe link: point at the host's gpus/nics count.
    if (graph.hasEdge(id)) {
      for (const end of graph.extremities(id)) {
        const d = ids.derived.get(end);
        if (d !== undefined)
          return {
            ...base,
            path: ['nodes', d.hostIndex, `${d.kind}s`],
            message: `${id}: ${p.message}`,
          };
      }
    }
    return { ...base, path: ['links'], message: `${id}: ${p.message}` };
  }
  return { ...base, path: [] };
}
