/**
 * Every component figure podsim uses, in one frozen, commented place (docs/design.md convention §9). Each value
 * carries its unit in its name and its source in a comment; sources are in
 * `docs/references.md` (quoted as "ref §N"). Values marked *(estimate)* have no
 * published figure: they are configurable per topology file (`components:`) and `podsim
 * calibrate` labels them as estimates. Never present an estimate as measured.
 *
 * Topology files override any field under `components:` with a unit string, e.g.
 * `components: { retimerLatency: "45 ns" }`; the resolved profile is stored on the graph.
 */
import {
  bytes,
  bytesPerNs,
  GiB,
  metres,
  ns,
  type Bytes,
  type BytesPerNs,
  type Metres,
  type Nanoseconds,
} from '../units/index.ts';

/** How a GPU attaches to its host: a PCIe link, or a coherent CPU–GPU link (NVLink-C2C-like). */
export type GpuHostLinkKind = 'pcie' | 'c2c';

/** The GPU host-link kinds, in the order files and messages list them. */
export const GPU_HOST_LINK_KINDS: readonly GpuHostLinkKind[] = ['pcie', 'c2c'];

/** Component figures resolved for one topology (defaults plus file overrides). */
export interface ComponentProfile {
  // ---- host side ----
  /** Core + uncore time of a memory load before it leaves the socket (shared by DRAM and CXL loads). */
  readonly hostMemoryPathLatencyNs: Nanoseconds;
  /** Local DDR5 DRAM access beyond the host memory path. */
  readonly localDramLatencyNs: Nanoseconds;
  /** CXL root port (host side), one crossing in one direction. */
  readonly cxlRootPortLatencyNs: Nanoseconds;
  /** CXL link layer and PHY of one link (flit packing, CRC, both ends' ports), one crossing in one direction. */
  readonly cxlLinkLayerLatencyNs: Nanoseconds;
  /** PCIe root complex to a GPU or NIC, one crossing in one direction. */
  readonly pcieHopLatencyNs: Nanoseconds;

  // ---- links ----
  /** Signal propagation in copper or fibre, per metre. */
  readonly cablePropagationNsPerM: number;
  /** One retimer on a CXL cable, one direction. */
  readonly retimerLatencyNs: Nanoseconds;
  /** Longest passive copper CXL (PCIe 5) cable; beyond it a retimer is required. */
  readonly copperReachM: Metres;
  /** Usable bandwidth of one PCIe/CXL lane, one direction, for PCIe generation 4. */
  readonly pcieGen4LaneBandwidthBytesPerNs: BytesPerNs;
  /** Same for PCIe generation 5 (CXL 2.0/3.x). */
  readonly pcieGen5LaneBandwidthBytesPerNs: BytesPerNs;
  /** Same for PCIe generation 6. */
  readonly pcieGen6LaneBandwidthBytesPerNs: BytesPerNs;

  // ---- CXL devices and switches (defaults for nodes that do not say) ----
  readonly mhdPorts: number;
  readonly mhdCapacityBytes: Bytes;
  readonly mhdMediaBandwidthBytesPerNs: BytesPerNs;
  readonly deviceControllerLatencyNs: Nanoseconds;
  readonly deviceMediaLatencyNs: Nanoseconds;
  /** One pass through a CXL switch in one direction (ingress port, crossbar, egress port). */
  readonly cxlSwitchTraversalLatencyNs: Nanoseconds;
  readonly cxlSwitchPorts: number;

  // ---- hosts (defaults for generated hosts) ----
  readonly hostSockets: number;
  readonly hostCxlPorts: number;
  readonly hostCxlPortLanes: number;
  readonly hostLocalDramBytes: Bytes;
  readonly gpusPerHost: number;
  readonly gpuModel: string;
  readonly gpuHbmBytes: Bytes;
  readonly gpuPcieGeneration: number;
  readonly gpuPcieLanes: number;
  /**
   * How each GPU attaches to its host: `pcie` (a PCIe link of `gpuPcieGeneration` ×
   * `gpuPcieLanes`) or `c2c` (a coherent CPU–GPU link, NVLink-C2C-like, of `gpuC2cBandwidth`),
   * through which the GPU reaches host DRAM and the host's CXL memory.
   */
  readonly gpuHostLink: GpuHostLinkKind;
  /** Per-direction bandwidth of a coherent CPU–GPU link (`gpuHostLink: c2c`). */
  readonly gpuC2cBandwidthBytesPerNs: BytesPerNs;
  /** One crossing of the coherent CPU–GPU link, one direction. */
  readonly gpuC2cLatencyNs: Nanoseconds;

  // ---- RDMA ----
  readonly nicsPerHost: number;
  readonly nicRateBytesPerNs: BytesPerNs;
  /** PCIe generation of each NIC's link (to its host, and to its GPU with GPUDirect RDMA). */
  readonly nicPcieGeneration: number;
  /** PCIe lanes of each NIC's link. */
  readonly nicPcieLanes: number;
  /**
   * GPUDirect RDMA: each GPU is paired with a NIC under a common PCIe switch (GPU k with NIC
   * ⌊k × nics ÷ gpus⌋) and RDMA data moves NIC ↔ GPU directly, without the host's root complex
   * and DRAM bounce.
   */
  readonly gpuDirectRdma: boolean;
  /** One traversal of an RDMA NIC (either direction), including its PCIe DMA. */
  readonly nicLatencyNs: Nanoseconds;
  readonly torLatencyNs: Nanoseconds;
  readonly torPorts: number;
  readonly spineLatencyNs: Nanoseconds;
  /** RDMA software path at one end (post work request / poll completion). */
  readonly rdmaSoftwareLatencyNs: Nanoseconds;

  // ---- shared-memory RPC protocol (Oasis-style channel; ref §1) ----
  /** Pause between two polls of the receiver (back-to-back polling = 0); detection then takes one load plus half this on average. */
  readonly pollIntervalNs: Nanoseconds;
  /** Software at each end of a shared-memory message (build/parse the message, issue the flush or the poll). */
  readonly cxlMessageSoftwareLatencyNs: Nanoseconds;
  /** CPU cost of forwarding a message at a relay host (receive + re-send bookkeeping). */
  readonly relayForwardLatencyNs: Nanoseconds;
}

/** The defaults, frozen. Change a figure here only with a source. */
export const DEFAULT_COMPONENTS: ComponentProfile = Object.freeze({
  // LiteSwitch (OSDI '26, ref §2): local DDR5 load 81–117 ns → 40 ns path + 60 ns DRAM = 100 ns.
  hostMemoryPathLatencyNs: ns(40), // (estimate) split of the 81–117 ns local load
  localDramLatencyNs: ns(60), // (estimate) split of the 81–117 ns local load
  cxlRootPortLatencyNs: ns(25), // (estimate) with the link layer below, a direct CXL load is ≈ 305 ns, inside 214–394 ns (LiteSwitch, ref §2)
  cxlLinkLayerLatencyNs: ns(30), // (estimate) chosen so a load through one switch on short cables is ≈ 590 ns, near LiteSwitch's ≈ 600 ns (ref §2)
  pcieHopLatencyNs: ns(250), // (estimate) PCIe DMA hop host↔GPU, typical posted-write latency

  cablePropagationNsPerM: 5, // docs/design.md: propagation ≈ 5 ns/m
  retimerLatencyNs: ns(60), // vendor blog figure ≈ 60 ns per retimer (ref §1)
  copperReachM: metres(1.5), // Octopus (NSDI '26): 1.5 m PCIe 5 copper reach (ref §1, §2)
  pcieGen4LaneBandwidthBytesPerNs: bytesPerNs(1.75), // (estimate) half of gen 5 per lane
  pcieGen5LaneBandwidthBytesPerNs: bytesPerNs(3.5), // LiteSwitch: 3.12–3.75 GB/s per lane each direction (ref §2); x8 → 28 GB/s
  pcieGen6LaneBandwidthBytesPerNs: bytesPerNs(7), // (estimate) double of gen 5, as the PCIe 6 signalling rate doubles gen 5's (64 vs 32 GT/s, ref §10)

  mhdPorts: 4, // Octopus: N = 4 port MHDs (ref §1)
  mhdCapacityBytes: bytes(256 * GiB), // (estimate) no published MHD capacity
  mhdMediaBandwidthBytesPerNs: bytesPerNs(76), // (estimate) 2 × DDR5-5600 channels (89.6 GB/s) × 0.85 (CXL-DMSim: 82–83 % of DDR bandwidth, ref §2)
  deviceControllerLatencyNs: ns(90), // (estimate) chosen with the root port so a direct load is ≈ 270 ns, inside 214–394 ns (ref §2)
  deviceMediaLatencyNs: ns(60), // (estimate) same DRAM access as local DDR5
  cxlSwitchTraversalLatencyNs: ns(110), // vendor blog: 100–120 ns per pass, each direction (ref §2)
  cxlSwitchPorts: 32, // (estimate) typical first-generation CXL switch port count

  hostSockets: 2, // (estimate) two-socket server
  hostCxlPorts: 8, // Octopus: X = 8 CXL ports per host (ref §1)
  hostCxlPortLanes: 8, // LiteSwitch: 64 CXL lanes per socket (ref §2) → x8 ports
  hostLocalDramBytes: bytes(512 * GiB), // (estimate) typical cloud GPU host
  gpusPerHost: 8, // DroidSpeak testbed: 8 × A100-80GB per VM (ref §2)
  gpuModel: 'A100-80GB', // DroidSpeak testbed (ref §3)
  gpuHbmBytes: bytes(80 * GiB), // A100-80GB
  gpuPcieGeneration: 4, // A100 is a PCIe 4 device
  gpuPcieLanes: 16, // A100 x16
  gpuHostLink: 'pcie', // A100 (SXM4 and PCIe) attaches to its host over PCIe 4 (NVIDIA A100 datasheet, ref §10)
  gpuC2cBandwidthBytesPerNs: bytesPerNs(450), // NVLink-C2C: 900 GB/s total = 450 GB/s per direction (NVIDIA GH200/GB200 datasheets, ref §10)
  gpuC2cLatencyNs: ns(100), // (estimate) an on-package die-to-die link: below the 250 ns PCIe hop estimate, no published one-way figure (ref §10)

  nicsPerHost: 8, // Azure ND A100 v4: one 200 Gb/s HDR NIC per GPU (ref §2)
  nicRateBytesPerNs: bytesPerNs(25), // 200 Gb/s HDR InfiniBand = 25 GB/s (ref §2)
  nicPcieGeneration: 4, // ConnectX-6 HDR (the A100 generation's NIC) is a PCIe 4 x16 card (ref §10)
  nicPcieLanes: 16, // ConnectX-6 x16 (ref §10)
  gpuDirectRdma: false, // podsim's A100 baseline: RDMA data lands in host memory, then crosses the GPU's PCIe link
  nicLatencyNs: ns(500), // (estimate) NIC pipeline + PCIe DMA, chosen so a small RDMA round trip ≈ 3 µs (vendor slides, ref §2)
  torLatencyNs: ns(300), // (estimate) cut-through ToR switch
  torPorts: 64, // (estimate) 64-port ToR
  spineLatencyNs: ns(300), // (estimate) same silicon as the ToR
  rdmaSoftwareLatencyNs: ns(300), // (estimate) verbs post + completion poll per end

  pollIntervalNs: ns(50), // (estimate) short pause between polls of the message cache line
  cxlMessageSoftwareLatencyNs: ns(50), // (estimate) message build/parse and flush/poll issue per end (Oasis-style channel, ref §1)
  relayForwardLatencyNs: ns(200), // (estimate) relay host's receive-and-resend bookkeeping
});

/** Per-lane, per-direction bandwidth of a PCIe/CXL generation from a profile. */
export function laneBandwidth(profile: ComponentProfile, generation: number): BytesPerNs {
  switch (generation) {
    case 4:
      return profile.pcieGen4LaneBandwidthBytesPerNs;
    case 5:
      return profile.pcieGen5LaneBandwidthBytesPerNs;
    case 6:
      return profile.pcieGen6LaneBandwidthBytesPerNs;
    default:
      throw new RangeError(`PCIe generation ${generation} is not modelled (4, 5 or 6)`);
  }
}

/** Which fields of the profile are estimates (no published figure): shown by `podsim calibrate`. */
export const ESTIMATED_COMPONENTS: ReadonlySet<keyof ComponentProfile> = new Set<
  keyof ComponentProfile
>([
  'hostMemoryPathLatencyNs',
  'localDramLatencyNs',
  'cxlRootPortLatencyNs',
  'cxlLinkLayerLatencyNs',
  'pcieHopLatencyNs',
  'pcieGen4LaneBandwidthBytesPerNs',
  'pcieGen6LaneBandwidthBytesPerNs',
  'mhdCapacityBytes',
  'mhdMediaBandwidthBytesPerNs',
  'deviceControllerLatencyNs',
  'deviceMediaLatencyNs',
  'cxlSwitchPorts',
  'hostSockets',
  'hostLocalDramBytes',
  'nicLatencyNs',
  'gpuC2cLatencyNs',
  'torLatencyNs',
  'torPorts',
  'spineLatencyNs',
  'rdmaSoftwareLatencyNs',
  'pollIntervalNs',
  'cxlMessageSoftwareLatencyNs',
  'relayForwardLatencyNs',
]);

/** Default rack geometry: 42U racks 0.6 m apart (standard 600 mm rack width). */
export const DEFAULT_LAYOUT = Object.freeze({ racks: 1, heightU: 42, rackPitchM: metres(0.6) });

/** Height of one rack unit: 1.75 in = 0.04445 m (EIA-310). */
export const RACK_UNIT_M = 0.04445;
/** Slack added to every derived cable length for routing to the port (estimate). */
export const CABLE_SLACK_M = 0.3;
