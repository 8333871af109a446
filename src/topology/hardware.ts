/**
 * What a topology's GPUs and NICs are attached with (docs/hardware.md): each distinct GPU link
 * (PCIe generation × lanes, or a coherent C2C link) and NIC attachment (line rate, PCIe link,
 * GPUDirect RDMA) with how many hosts have it. `podsim topology inspect` shows it so a user sees
 * what bounds a cache fetch, and `checkGpuLink` (src/fabric/gpu-link.ts) compares it with a
 * scenario's GPU.
 */
import { formatBandwidth, type BytesPerNs } from '../units/index.ts';
import type { GpuHostLinkKind } from './defaults.ts';
import { nodeId } from './keys.ts';
import type { TopologyGraph } from './types.ts';

/** One kind of GPU-to-host link found in a topology. */
export interface GpuLinkSummary {
  readonly kind: GpuHostLinkKind;
  /** PCIe generation (PCIe links only). */
  readonly generation?: number;
  /** PCIe lanes (PCIe links only). */
  readonly lanes?: number;
  /** Per-direction bandwidth. */
  readonly bandwidthBytesPerNs: BytesPerNs;
  /** GPUs attached this way. */
  readonly gpus: number;
  /** GPUs of these that also have a GPUDirect RDMA link to a NIC. */
  readonly gpuDirectGpus: number;
  /** One GPU attached this way (the first in graph order), for messages. */
  readonly exampleGpu: string;
}

/** One kind of NIC attachment found in a topology. */
export interface NicSummary {
  readonly rateBytesPerNs: BytesPerNs;
  readonly pcieGeneration: number;
  readonly pcieLanes: number;
  /** Per-direction bandwidth of the NIC's PCIe link. */
  readonly pcieBandwidthBytesPerNs: BytesPerNs;
  readonly nics: number;
}

/** Every distinct GPU link and NIC attachment of a topology, in order of first appearance. */
export interface HardwareSummary {
  readonly gpuModels: readonly string[];
  readonly gpuLinks: readonly GpuLinkSummary[];
  readonly nics: readonly NicSummary[];
}

/** A GPU link in words: `PCIe 5 x16, 56 GB/s` or `C2C, 450 GB/s` (per direction). */
export function describeGpuLink(
  l: Pick<GpuLinkSummary, 'kind' | 'generation' | 'lanes' | 'bandwidthBytesPerNs'>,
): string {
  const bw = formatBandwidth(l.bandwidthBytesPerNs);
  return l.kind === 'c2c'
    ? `coherent C2C, ${bw} per direction`
    : `PCIe ${l.generation ?? '?'} x${l.lanes ?? '?'}, ${bw} per direction`;
}

/** Tallies `key` in `map`, creating the entry with `make` the first time. */
function tally<T extends { count: number }>(map: Map<string, T>, key: string, make: () => T): T {
  let e = map.get(key);
  if (e === undefined) {
    e = make();
    map.set(key, e);
  }
  e.count++;
  return e;
}

/** The GPU links and NIC attachments of `graph`. */
export function hardwareSummary(graph: TopologyGraph): HardwareSummary {
  const models = new Set<string>();
  const gpuLinks = new Map<
    string,
    { count: number; direct: number; s: Omit<GpuLinkSummary, 'gpus' | 'gpuDirectGpus'> }
  >();
  const nics = new Map<string, { count: number; s: Omit<NicSummary, 'nics'> }>();
  graph.forEachNode((key, a) => {
    if (a.kind === 'gpu') {
      models.add(a.model);
      let direct = 0;
      let group: { direct: number } | undefined;
      graph.forEachEdge(key, (_e, l, s, t, sa, ta) => {
        if (l.kind === 'pcie' && (sa.kind === 'nic' || ta.kind === 'nic')) direct++;
        if ((l.kind !== 'pcie' && l.kind !== 'c2c') || (s !== a.host && t !== a.host)) return;
        const s2: Omit<GpuLinkSummary, 'gpus' | 'gpuDirectGpus'> =
          l.kind === 'c2c'
            ? { kind: 'c2c', bandwidthBytesPerNs: l.bandwidthBytesPerNs, exampleGpu: nodeId(key) }
            : {
                kind: 'pcie',
                generation: l.generation,
                lanes: l.lanes,
                bandwidthBytesPerNs: l.bandwidthBytesPerNs,
                exampleGpu: nodeId(key),
              };
        group = tally(gpuLinks, describeGpuLink(s2), () => ({ count: 0, direct: 0, s: s2 }));
      });
      if (direct > 0 && group !== undefined) group.direct++;
      return;
    }
    if (a.kind !== 'nic') return;
    graph.forEachEdge(key, (_e, l, s, t) => {
      if (l.kind !== 'pcie' || (s !== a.host && t !== a.host)) return;
      tally(
        nics,
        `${a.rateBytesPerNs}/${l.generation}/${l.lanes}/${l.bandwidthBytesPerNs}`,
        () => ({
          count: 0,
          s: {
            rateBytesPerNs: a.rateBytesPerNs,
            pcieGeneration: l.generation,
            pcieLanes: l.lanes,
            pcieBandwidthBytesPerNs: l.bandwidthBytesPerNs,
          },
        }),
      );
    });
  });
  return {
    gpuModels: [...models],
    gpuLinks: [...gpuLinks.values()].map((e) => ({
      ...e.s,
      gpus: e.count,
      gpuDirectGpus: e.direct,
    })),
    nics: [...nics.values()].map((e) => ({ ...e.s, nics: e.count })),
  };
}
