/**
 * What bounds a cache fetch on a topology (docs/hardware.md "What bounds a fetch"): one unloaded
 * fetch into the first GPU of the first host — striped over every memory device that host
 * reaches, or, on a fabric without devices, from another host's GPU over RDMA — and the flow
 * resources it saturates, named by what they are (GPU link, CXL link, device media, NIC link,
 * network). `podsim topology inspect` prints it beside the GPU and NIC links.
 */
import { bytes as toBytes } from '../units/index.ts';
import type { Fabric } from './compile.ts';
import { fetchCost, type FetchResult } from './fetch.ts';
import { cxlPaths, hostGpus } from './paths.ts';

/** One sample fetch and what limits it. */
export interface FetchBound {
  readonly consumer: string;
  readonly gpu: string;
  /** Where the bytes come from, in words (`8 memory devices`, `h95's GPU over RDMA`). */
  readonly source: string;
  readonly result: FetchResult;
  /** Saturated resources (id and what it is, {@link resourceRole}), in resource order. */
  readonly bound: readonly { readonly resource: string; readonly role: string }[];
}

/** Size of the sample fetch: 1 GB, large enough that latency is < 0.1 % of its time. */
export const SAMPLE_FETCH_BYTES = toBytes(1e9);

/** What a flow resource is, in words. */
export function resourceRole(f: Fabric, r: number): string {
  const l = r >> 1;
  if (l >= f.links.length) return 'device media';
  const kinds = [f.nodeKind[f.linkA[l] ?? 0], f.nodeKind[f.linkB[l] ?? 0]];
  switch (f.linkKind[l]) {
    case 'c2c':
      return 'GPU C2C link';
    case 'pcie':
      if (kinds.includes('gpu') && kinds.includes('nic')) return 'GPUDirect NIC–GPU link';
      return kinds.includes('gpu') ? 'GPU PCIe link' : 'NIC PCIe link';
    case 'cxl':
      return 'CXL link';
    default:
      return kinds.includes('nic') ? 'NIC line rate' : 'network link';
  }
}

/**
 * The sample fetch on fabric `f` and the resources that bound it (those whose stripes' mean
 * rates add up to ≥ 99.9 % of their capacity), or undefined when the fabric has no host with a GPU
 * or no source to fetch from.
 */
export function fetchBound(f: Fabric): FetchBound | undefined {
  const consumer = [...f.hosts].find((h) => hostGpus(f, h).length > 0);
  if (consumer === undefined) return undefined;
  const host = f.nodes[consumer] ?? '';
  const devices = cxlPaths(f, consumer).map((p) => f.nodes[p.device] ?? '');
  const other = [...f.hosts].reverse().find((h) => h !== consumer && hostGpus(f, h).length > 0);
  if (devices.length === 0 && other === undefined) return undefined;
  const source =
    devices.length > 0
      ? { kind: 'devices' as const, devices }
      : { kind: 'host' as const, host: f.nodes[other ?? 0] ?? '', memory: 'gpu' as const };
  const result = fetchCost(f, host, source, SAMPLE_FETCH_BYTES);
  if (!result.reachable) return undefined;
  const load = new Map<string, number>();
  for (const s of result.stripes)
    for (const r of s.resources)
      load.set(r, (load.get(r) ?? 0) + s.bytes / (s.finishNs - s.latencyNs));
  const bound: { resource: string; role: string }[] = [];
  f.resources.forEach((id, r) => {
    const cap = f.resourceCapacityBytesPerNs[r] ?? 0;
    const used = load.get(id) ?? 0;
    if (cap > 0 && used >= 0.999 * cap) bound.push({ resource: id, role: resourceRole(f, r) });
  });
  return {
    consumer: host,
    gpu: result.gpu,
    source:
      source.kind === 'devices'
        ? `${devices.length} memory device${devices.length === 1 ? '' : 's'} over CXL`
        : `${source.host}'s GPU over RDMA`,
    result,
    bound,
  };
}
