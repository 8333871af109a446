/**
 * The one way topologies are assembled (by generators and by the explicit-file loader): adds
 * typed nodes and links with defaults from the component profile, derives cable lengths from
 * rack placements, and declares retimers where a CXL cable outruns copper reach.
 * Structural checks (ports, connectivity, reach) live in `validate.ts`, so a builder can also
 * assemble a wrong topology for validation to report on.
 */
import { UndirectedGraph } from 'graphology';
import { GeneratorError } from '../errors/index.ts';
import {
  bytesPerNs,
  metres,
  type Bytes,
  type BytesPerNs,
  type Metres,
  type Nanoseconds,
} from '../units/index.ts';
import {
  CABLE_SLACK_M,
  DEFAULT_COMPONENTS,
  DEFAULT_LAYOUT,
  laneBandwidth,
  RACK_UNIT_M,
  type ComponentProfile,
} from './defaults.ts';
import { nodeId, nodeKey } from './keys.ts';
import type {
  C2cLinkAttributes,
  LinkAttributes,
  NodeAttributes,
  PcieLinkAttributes,
  Placement,
  RackLayout,
  TopologyAttributes,
  TopologyFamily,
  TopologyGraph,
} from './types.ts';

/**
 * Derived length of a cable between two placements: horizontal distance between racks plus
 * vertical distance in rack units plus routing slack (estimate: no published layout model).
 */
export function cableLength(layout: RackLayout, a: Placement, b: Placement): Metres {
  const horizontal = Math.abs(a.rack - b.rack) * layout.rackPitchM;
  const vertical = Math.abs(a.slotU - b.slotU) * RACK_UNIT_M;
  return metres(Number((horizontal + vertical + CABLE_SLACK_M).toFixed(4)));
}

/** Retimers needed so that every copper segment is within reach: ⌈length / reach⌉ − 1. */
export function retimersNeeded(length: Metres, reach: Metres): number {
  if (length <= reach) return 0;
  return Math.ceil(length / reach) - 1;
}

/** The link each GPU of a host gets to its host under profile `p`: PCIe or coherent C2C. */
export function gpuHostLinkAttributes(p: ComponentProfile): PcieLinkAttributes | C2cLinkAttributes {
  if (p.gpuHostLink === 'c2c')
    return { kind: 'c2c', bandwidthBytesPerNs: p.gpuC2cBandwidthBytesPerNs };
  return {
    kind: 'pcie',
    generation: p.gpuPcieGeneration,
    lanes: p.gpuPcieLanes,
    bandwidthBytesPerNs: bytesPerNs(laneBandwidth(p, p.gpuPcieGeneration) * p.gpuPcieLanes),
  };
}

/** The PCIe link each NIC of a host gets under profile `p` (to its host; to its GPU with GPUDirect). */
export function nicLinkAttributes(p: ComponentProfile): PcieLinkAttributes {
  return {
    kind: 'pcie',
    generation: p.nicPcieGeneration,
    lanes: p.nicPcieLanes,
    bandwidthBytesPerNs: bytesPerNs(laneBandwidth(p, p.nicPcieGeneration) * p.nicPcieLanes),
  };
}

/** Id of the link between nodes `a` and `b` (ids, not graph keys; order as given). */
export const linkId = (a: string, b: string): string => `${a}--${b}`;

/** Options for a host; unset fields come from the component profile. */
export interface HostOptions {
  readonly placement: Placement;
  readonly sockets?: number;
  readonly cxlPorts?: number;
  readonly cxlPortLanes?: number;
  readonly localDramBytes?: Bytes;
  readonly gpus?: number;
  readonly nics?: number;
  readonly island?: number;
  /** How this host's GPUs and NICs attach, where it differs from the component profile. */
  readonly attachment?: HostAttachment;
}

/** The profile fields a host may override for its own GPUs and NICs (explicit files, per host). */
export type HostAttachment = Partial<
  Pick<
    ComponentProfile,
    | 'gpuHostLink'
    | 'gpuPcieGeneration'
    | 'gpuPcieLanes'
    | 'nicRateBytesPerNs'
    | 'nicPcieGeneration'
    | 'nicPcieLanes'
    | 'gpuDirectRdma'
  >
>;

/** Options for a memory device (MHD or behind-switch device). */
export interface DeviceOptions {
  readonly placement: Placement;
  readonly ports?: number;
  readonly capacityBytes?: Bytes;
  readonly mediaBandwidthBytesPerNs?: BytesPerNs;
  readonly controllerLatencyNs?: Nanoseconds;
  readonly mediaLatencyNs?: Nanoseconds;
}

/** Options for a CXL cable. */
export interface CxlLinkOptions {
  readonly generation?: number;
  readonly lanes?: number;
  /** Given length; derived from placements when absent. */
  readonly lengthM?: Metres;
  /** Declared retimers; when absent, the minimum for the copper reach. */
  readonly retimers?: number;
}

/** Options for an Ethernet/InfiniBand cable. */
export interface NetworkLinkOptions {
  readonly protocol?: 'ethernet' | 'infiniband';
  readonly bandwidthBytesPerNs?: BytesPerNs;
  readonly lengthM?: Metres;
}

/** Identity of the topology being built. */
export interface TopologyMeta {
  readonly name: string;
  readonly family: TopologyFamily;
  readonly description: string;
  readonly generator?: {
    readonly name: string;
    readonly params: Readonly<Record<string, unknown>>;
  };
  readonly components?: ComponentProfile;
  readonly layout?: Partial<RackLayout>;
}

/**
 * Incrementally builds a {@link TopologyGraph}. Not reusable after {@link build}. Every method
 * takes node ids as the user wrote them; graph keys are made here ({@link nodeKey}), so any id —
 * `__proto__` included — is an ordinary id.
 */
export class TopologyBuilder {
  private readonly graph: TopologyGraph;
  private readonly profile: ComponentProfile;
  private readonly layout: RackLayout;

  constructor(meta: TopologyMeta) {
    this.profile = meta.components ?? DEFAULT_COMPONENTS;
    this.layout = { ...DEFAULT_LAYOUT, ...meta.layout };
    const attrs: TopologyAttributes = {
      name: meta.name,
      family: meta.family,
      description: meta.description,
      components: this.profile,
      layout: this.layout,
      ...(meta.generator === undefined ? {} : { generator: meta.generator }),
    };
    this.graph = new UndirectedGraph<NodeAttributes, LinkAttributes, TopologyAttributes>({
      allowSelfLoops: false,
    });
    this.graph.replaceAttributes(attrs);
  }

  /** The component profile in use. */
  get components(): ComponentProfile {
    return this.profile;
  }

  /** Whether a node id is taken. */
  has(id: string): boolean {
    return this.graph.hasNode(nodeKey(id));
  }

  /** Whether a link joins `a` and `b` (either order). */
  hasLink(a: string, b: string): boolean {
    return this.graph.hasEdge(nodeKey(a), nodeKey(b));
  }

  private addNode(id: string, attrs: NodeAttributes): void {
    const key = nodeKey(id);
    if (this.graph.hasNode(key))
      throw new GeneratorError([
        { code: 'topology.duplicate-id', path: [], message: `duplicate node id "${id}"` },
      ]);
    this.graph.addNode(key, attrs);
  }

  private placementOf(id: string): Placement {
    const a = this.graph.getNodeAttributes(nodeKey(id));
    if ('placement' in a) return a.placement;
    if (a.kind === 'gpu' || a.kind === 'nic') return this.placementOf(nodeId(a.host));
    throw new Error(`node ${id} has no placement`);
  }

  /**
   * Adds a host with its GPUs (`id.gpuK`, on PCIe or coherent C2C links per the profile's
   * `gpuHostLink`) and NICs (`id.nicK`, on PCIe links), plus the NIC–GPU links of GPUDirect RDMA
   * when the profile enables it.
   */
  addHost(id: string, o: HostOptions): this {
    const p: ComponentProfile =
      o.attachment === undefined ? this.profile : { ...this.profile, ...o.attachment };
    const hostKey = nodeKey(id);
    this.addNode(id, {
      kind: 'host',
      sockets: o.sockets ?? p.hostSockets,
      cxlPorts: o.cxlPorts ?? p.hostCxlPorts,
      cxlPortLanes: o.cxlPortLanes ?? p.hostCxlPortLanes,
      localDramBytes: o.localDramBytes ?? p.hostLocalDramBytes,
      placement: o.placement,
      ...(o.island === undefined ? {} : { island: o.island }),
    });
    const gpuLink = gpuHostLinkAttributes(p);
    const nicLink = nicLinkAttributes(p);
    const gpus = o.gpus ?? p.gpusPerHost;
    const nics = o.nics ?? p.nicsPerHost;
    for (let g = 0; g < gpus; g++) {
      const gid = `${id}.gpu${g}`;
      this.addNode(gid, { kind: 'gpu', host: hostKey, model: p.gpuModel, hbmBytes: p.gpuHbmBytes });
      this.graph.addEdgeWithKey(linkId(id, gid), hostKey, nodeKey(gid), gpuLink);
    }
    for (let n = 0; n < nics; n++) {
      const nid = `${id}.nic${n}`;
      this.addNode(nid, {
        kind: 'nic',
        host: hostKey,
        rateBytesPerNs: p.nicRateBytesPerNs,
        latencyNs: p.nicLatencyNs,
      });
      this.graph.addEdgeWithKey(linkId(id, nid), hostKey, nodeKey(nid), nicLink);
    }
    if (p.gpuDirectRdma && nics > 0) {
      // GPUDirect RDMA: GPU g and NIC ⌊g × nics ÷ gpus⌋ share a PCIe switch; their edge is one
      // switch hop, as fast as the slower of the two devices' links.
      const direct: PcieLinkAttributes = {
        ...nicLink,
        bandwidthBytesPerNs: bytesPerNs(
          Math.min(nicLink.bandwidthBytesPerNs, gpuLink.bandwidthBytesPerNs),
        ),
      };
      for (let g = 0; g < gpus; g++) {
        const nid = `${id}.nic${Math.floor((g * nics) / gpus)}`;
        const gid = `${id}.gpu${g}`;
        this.graph.addEdgeWithKey(linkId(nid, gid), nodeKey(nid), nodeKey(gid), direct);
      }
    }
    return this;
  }

  /** Adds a multi-headed memory device. */
  addMhd(id: string, o: DeviceOptions): this {
    const p = this.profile;
    this.addNode(id, {
      kind: 'mhd',
      ports: o.ports ?? p.mhdPorts,
      capacityBytes: o.capacityBytes ?? p.mhdCapacityBytes,
      mediaBandwidthBytesPerNs: o.mediaBandwidthBytesPerNs ?? p.mhdMediaBandwidthBytesPerNs,
      controllerLatencyNs: o.controllerLatencyNs ?? p.deviceControllerLatencyNs,
      mediaLatencyNs: o.mediaLatencyNs ?? p.deviceMediaLatencyNs,
      placement: o.placement,
    });
    return this;
  }

  /** Adds a single-headed memory device (behind a CXL switch). */
  addMemoryDevice(id: string, o: DeviceOptions): this {
    const p = this.profile;
    this.addNode(id, {
      kind: 'memory-device',
      ports: o.ports ?? 1,
      capacityBytes: o.capacityBytes ?? p.mhdCapacityBytes,
      mediaBandwidthBytesPerNs: o.mediaBandwidthBytesPerNs ?? p.mhdMediaBandwidthBytesPerNs,
      controllerLatencyNs: o.controllerLatencyNs ?? p.deviceControllerLatencyNs,
      mediaLatencyNs: o.mediaLatencyNs ?? p.deviceMediaLatencyNs,
      placement: o.placement,
    });
    return this;
  }

  /** Adds a CXL switch. */
  addCxlSwitch(
    id: string,
    o: { placement: Placement; ports?: number; traversalLatencyNs?: Nanoseconds },
  ): this {
    this.addNode(id, {
      kind: 'cxl-switch',
      ports: o.ports ?? this.profile.cxlSwitchPorts,
      traversalLatencyNs: o.traversalLatencyNs ?? this.profile.cxlSwitchTraversalLatencyNs,
      placement: o.placement,
    });
    return this;
  }

  /** Adds a top-of-rack switch. */
  addTor(id: string, o: { placement: Placement; ports?: number; latencyNs?: Nanoseconds }): this {
    this.addNode(id, {
      kind: 'tor',
      ports: o.ports ?? this.profile.torPorts,
      latencyNs: o.latencyNs ?? this.profile.torLatencyNs,
      placement: o.placement,
    });
    return this;
  }

  /** Adds a spine switch. */
  addSpine(id: string, o: { placement: Placement; ports?: number; latencyNs?: Nanoseconds }): this {
    this.addNode(id, {
      kind: 'spine',
      ports: o.ports ?? this.profile.torPorts,
      latencyNs: o.latencyNs ?? this.profile.spineLatencyNs,
      placement: o.placement,
    });
    return this;
  }

  /** Connects two nodes with a CXL cable; length from placements unless given; retimers as needed unless declared. */
  connectCxl(a: string, b: string, o: CxlLinkOptions = {}): this {
    const p = this.profile;
    const generation = o.generation ?? 5;
    const lanes = o.lanes ?? this.defaultLanes(a, b);
    const lengthM = o.lengthM ?? cableLength(this.layout, this.placementOf(a), this.placementOf(b));
    const retimers = o.retimers ?? retimersNeeded(lengthM, p.copperReachM);
    this.graph.addEdgeWithKey(linkId(a, b), nodeKey(a), nodeKey(b), {
      kind: 'cxl',
      generation,
      lanes,
      lengthM,
      retimers,
      bandwidthBytesPerNs: bytesPerNs(laneBandwidth(p, generation) * lanes),
    });
    return this;
  }

  private defaultLanes(a: string, b: string): number {
    for (const id of [a, b]) {
      const attrs = this.graph.getNodeAttributes(nodeKey(id));
      if (attrs.kind === 'host') return attrs.cxlPortLanes;
    }
    return this.profile.hostCxlPortLanes;
  }

  /** Default rate of a network cable: its NIC's line rate, else the profile's `nicRate`. */
  private defaultRate(a: string, b: string): BytesPerNs {
    for (const id of [a, b]) {
      const attrs = this.graph.getNodeAttributes(nodeKey(id));
      if (attrs.kind === 'nic') return attrs.rateBytesPerNs;
    }
    return this.profile.nicRateBytesPerNs;
  }

  /**
   * Connects two nodes (NIC–ToR, ToR–spine) with an Ethernet/InfiniBand cable; its rate defaults
   * to the NIC's line rate (the profile's `nicRate` between switches).
   */
  connectNetwork(a: string, b: string, o: NetworkLinkOptions = {}): this {
    const lengthM = o.lengthM ?? cableLength(this.layout, this.placementOf(a), this.placementOf(b));
    this.graph.addEdgeWithKey(linkId(a, b), nodeKey(a), nodeKey(b), {
      kind: 'network',
      protocol: o.protocol ?? 'infiniband',
      lengthM,
      bandwidthBytesPerNs: o.bandwidthBytesPerNs ?? this.defaultRate(a, b),
    });
    return this;
  }

  /** Finishes the build and hands over the graph, recording how many racks the placements use. */
  build(): TopologyGraph {
    let maxRack = 0;
    this.graph.forEachNode((_, a) => {
      if ('placement' in a) maxRack = Math.max(maxRack, a.placement.rack);
    });
    this.graph.setAttribute('layout', { ...this.layout, racks: maxRack + 1 });
    return this.graph;
  }
}
