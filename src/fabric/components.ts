/**
 * Per-component latency of the physical pieces a path crosses, from the resolved component
 * profile on the graph (`src/topology/defaults.ts`). Links carry propagation and retimers;
 * nodes carry port, switch, NIC and device latencies. All figures are one direction.
 */
import { ns, type Nanoseconds } from '../units/index.ts';
import type { ComponentProfile } from '../topology/defaults.ts';
import type { LinkAttributes } from '../topology/types.ts';

/**
 * One-direction latency of a link: link layer, cable propagation and retimers for CXL; the PCIe hop for
 * host-internal PCIe (and a GPUDirect NIC–GPU hop); the coherent link's crossing for C2C; propagation for Ethernet/InfiniBand.
 */
export function linkLatencyNs(profile: ComponentProfile, link: LinkAttributes): Nanoseconds {
  switch (link.kind) {
    case 'cxl':
      return ns(
        profile.cxlLinkLayerLatencyNs +
          link.lengthM * profile.cablePropagationNsPerM +
          link.retimers * profile.retimerLatencyNs,
      );
    case 'pcie':
      return profile.pcieHopLatencyNs;
    case 'c2c':
      return profile.gpuC2cLatencyNs;
    case 'network':
      return ns(link.lengthM * profile.cablePropagationNsPerM);
  }
}
