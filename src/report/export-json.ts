/**
 * The JSON export of a topology (`podsim topology export --format json`), the machine contract
 * that scripts and the fabric engine's `flows` command read: every node and link with its
 * attributes in canonical units (the unit is in each field's name), each link's one-way latency,
 * and the capacity-limited resources of the flow model. Part of src/report/export.ts, which
 * re-exports it.
 */
import { linkLatencyNs } from '../fabric/components.ts';
import { mediaResourceId, resourceId, type LinkDirection } from '../fabric/resources.ts';
import { DEFAULT_COMPONENTS, type ComponentProfile } from '../topology/defaults.ts';
import { nodeId } from '../topology/keys.ts';
import type {
  LinkAttributes,
  MemoryDeviceAttributes,
  MhdAttributes,
  NodeAttributes,
  Placement,
  TopologyAttributes,
  TopologyGraph,
} from '../topology/types.ts';
import type { BytesPerNs, Nanoseconds } from '../units/index.ts';

/** Node kinds that are memory devices with a media bandwidth (a flow-model resource). */
function isMemoryDevice(a: NodeAttributes): a is MhdAttributes | MemoryDeviceAttributes {
  return a.kind === 'mhd' || a.kind === 'memory-device';
}

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
      return { id, kind: a.kind, host: nodeId(a.host), model: a.model, hbmBytes: a.hbmBytes };
    case 'nic':
      return {
        id,
        kind: a.kind,
        host: nodeId(a.host),
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
    case 'c2c':
      return { ...common, kind: a.kind, bandwidthBytesPerNs: a.bandwidthBytesPerNs, latencyNs };
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
  g.forEachNode((key, a) => {
    const id = nodeId(key);
    nodes.push(nodeJson(id, a));
    if (isMemoryDevice(a))
      mediaResources.push({
        id: mediaResourceId(id),
        kind: 'media',
        device: id,
        capacityBytesPerNs: a.mediaBandwidthBytesPerNs,
      });
  });
  g.forEachEdge((id, a, sourceKey, targetKey) => {
    const source = nodeId(sourceKey);
    const target = nodeId(targetKey);
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
