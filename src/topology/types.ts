/**
 * The typed graph model of record (docs/design.md convention §7): a graphology undirected graph whose node and
 * link attributes are unions keyed on `kind`. Every link is full duplex: each direction
 * (source→target and target→source) has the link's full `bandwidthBytesPerNs`.
 *
 * Node ids follow one convention so files and CLI flags stay readable: hosts `h0…`, GPUs
 * `h0.gpu0…`, NICs `h0.nic0…`, multi-headed devices `d0…`, CXL switches `sw0…`, memory devices
 * behind switches `md0…`, ToR switches `tor0…`, spines `spine0…`. Link ids are `a--b`.
 */
import type { UndirectedGraph } from 'graphology';
import type { Bytes, BytesPerNs, Metres, Nanoseconds } from '../units/index.ts';
import type { ComponentProfile } from './defaults.ts';

/** Where a piece of equipment sits: rack index and rack unit (0 = bottom). */
export interface Placement {
  readonly rack: number;
  readonly slotU: number;
}

/** A server: CPU sockets, CXL ports, local DRAM; its GPUs and NICs are separate nodes. */
export interface HostAttributes {
  readonly kind: 'host';
  readonly sockets: number;
  /** Number of CXL ports (Octopus's X). */
  readonly cxlPorts: number;
  /** PCIe lanes per CXL port (x8 → 8). */
  readonly cxlPortLanes: number;
  readonly localDramBytes: Bytes;
  readonly placement: Placement;
  /** Island index for island pods; absent elsewhere. */
  readonly island?: number;
}

/** A GPU inside a host, attached by a host-internal PCIe link or a coherent C2C link. */
export interface GpuAttributes {
  readonly kind: 'gpu';
  /** Graph key of the host (`src/topology/keys.ts`: decode with `nodeId` to show it). */
  readonly host: string;
  readonly model: string;
  readonly hbmBytes: Bytes;
}

/** An RDMA NIC inside a host, attached by a host-internal PCIe link. */
export interface NicAttributes {
  readonly kind: 'nic';
  /** Graph key of the host (`src/topology/keys.ts`: decode with `nodeId` to show it). */
  readonly host: string;
  readonly rateBytesPerNs: BytesPerNs;
  /** One traversal of the NIC (either direction). */
  readonly latencyNs: Nanoseconds;
}

/** Multi-headed CXL memory device (MHD): a few ports, all sharing one media bandwidth. */
export interface MhdAttributes {
  readonly kind: 'mhd';
  /** Number of host-facing ports (Octopus's N). */
  readonly ports: number;
  readonly capacityBytes: Bytes;
  /** Internal DRAM bandwidth shared by all heads. */
  readonly mediaBandwidthBytesPerNs: BytesPerNs;
  /** CXL controller latency per access (request + response processing). */
  readonly controllerLatencyNs: Nanoseconds;
  /** DRAM media access latency. */
  readonly mediaLatencyNs: Nanoseconds;
  readonly placement: Placement;
}

/** A CXL switch: hosts on some ports, memory devices on others. */
export interface CxlSwitchAttributes {
  readonly kind: 'cxl-switch';
  readonly ports: number;
  /** One pass through the switch, in one direction. */
  readonly traversalLatencyNs: Nanoseconds;
  readonly placement: Placement;
}

/** A single-headed CXL memory device behind a switch. */
export interface MemoryDeviceAttributes {
  readonly kind: 'memory-device';
  readonly ports: number;
  readonly capacityBytes: Bytes;
  readonly mediaBandwidthBytesPerNs: BytesPerNs;
  readonly controllerLatencyNs: Nanoseconds;
  readonly mediaLatencyNs: Nanoseconds;
  readonly placement: Placement;
}

/** Top-of-rack Ethernet/InfiniBand switch. */
export interface TorAttributes {
  readonly kind: 'tor';
  readonly ports: number;
  /** One pass through the switch. */
  readonly latencyNs: Nanoseconds;
  readonly placement: Placement;
}

/** Spine switch joining ToRs of several racks. */
export interface SpineAttributes {
  readonly kind: 'spine';
  readonly ports: number;
  readonly latencyNs: Nanoseconds;
  readonly placement: Placement;
}

/** Attributes of any node, discriminated by `kind`. */
export type NodeAttributes =
  | HostAttributes
  | GpuAttributes
  | NicAttributes
  | MhdAttributes
  | CxlSwitchAttributes
  | MemoryDeviceAttributes
  | TorAttributes
  | SpineAttributes;

/** Every node kind. */
export type NodeKind = NodeAttributes['kind'];
/** Node kinds in a stable order (for tables and iteration). */
export const NODE_KINDS: readonly NodeKind[] = [
  'host',
  'gpu',
  'nic',
  'mhd',
  'cxl-switch',
  'memory-device',
  'tor',
  'spine',
];

/** A CXL cable between a host port and a device or switch port (or switch to device). */
export interface CxlLinkAttributes {
  readonly kind: 'cxl';
  /** PCIe generation of the electrical layer (5 for CXL 2.0/3.x on PCIe 5). */
  readonly generation: number;
  readonly lanes: number;
  readonly lengthM: Metres;
  /** Retimers on the cable (needed beyond copper reach). */
  readonly retimers: number;
  /** Usable bandwidth in each direction. */
  readonly bandwidthBytesPerNs: BytesPerNs;
}

/**
 * Host-internal PCIe link: host root complex to a GPU or a NIC, or — with GPUDirect RDMA — a NIC
 * to its paired GPU of the same host through their common PCIe switch.
 */
export interface PcieLinkAttributes {
  readonly kind: 'pcie';
  readonly generation: number;
  readonly lanes: number;
  readonly bandwidthBytesPerNs: BytesPerNs;
}

/** Coherent CPU–GPU link (NVLink-C2C-like) between a host and one of its GPUs. */
export interface C2cLinkAttributes {
  readonly kind: 'c2c';
  /** Usable bandwidth in each direction. */
  readonly bandwidthBytesPerNs: BytesPerNs;
}

/** Ethernet or InfiniBand cable (NIC–ToR, ToR–spine). */
export interface NetworkLinkAttributes {
  readonly kind: 'network';
  readonly protocol: 'ethernet' | 'infiniband';
  readonly lengthM: Metres;
  readonly bandwidthBytesPerNs: BytesPerNs;
}

/** Attributes of any link, discriminated by `kind`. Every link is full duplex. */
export type LinkAttributes =
  CxlLinkAttributes | PcieLinkAttributes | C2cLinkAttributes | NetworkLinkAttributes;
/** Every link kind. */
export type LinkKind = LinkAttributes['kind'];

/** Rack geometry used to derive cable lengths from placements. */
export interface RackLayout {
  readonly racks: number;
  /** Rack units per rack. */
  readonly heightU: number;
  /** Centre-to-centre distance of adjacent racks. */
  readonly rackPitchM: Metres;
}

/** The topology families podsim knows. */
export type TopologyFamily = 'octopus' | 'full-pod' | 'switched-cxl' | 'rdma' | 'hybrid' | 'custom';

/** Graph-level attributes: identity, provenance and the resolved component profile. */
export interface TopologyAttributes {
  readonly name: string;
  readonly family: TopologyFamily;
  readonly description: string;
  /** Generator and parameters that built it, when generated. */
  readonly generator?: {
    readonly name: string;
    readonly params: Readonly<Record<string, unknown>>;
  };
  /** Resolved component figures (defaults plus the file's overrides). */
  readonly components: ComponentProfile;
  readonly layout: RackLayout;
}

/** The graph of record. Treat as read-only outside builders and generators. */
export type TopologyGraph = UndirectedGraph<NodeAttributes, LinkAttributes, TopologyAttributes>;

/** A node's attributes narrowed by kind. */
export type NodeOf<K extends NodeKind> = Extract<NodeAttributes, { kind: K }>;
/** A link's attributes narrowed by kind. */
export type LinkOf<K extends LinkKind> = Extract<LinkAttributes, { kind: K }>;
