/**
 * What bounds a what-if column (docs/whatif.md "What bounds a column"): from a run's utilisation
 * — the serving GPUs' busy share and the busiest fabric resources — and the fabric's compiled
 * resource kinds, which class of resource is saturated: GPU compute, the GPUs' PCIe links, a
 * fabric link (CXL, network, a NIC's PCIe link) or device media; or none. Also whether the
 * reference KV fetch is capped by the GPU's own link, the reason a fetch costs the same on every
 * fabric.
 */
import type { Fabric } from '../fabric/compile.ts';
import type { FetchResult } from '../fabric/fetch.ts';
import type { SimResult } from '../sim/types.ts';
import type { BoundKind, BoundVerdict, BusyResource } from '../sim/whatif.ts';

/**
 * Thresholds of the verdict (docs/design.md convention §9).
 * - `saturatedShare` 0.8 (estimate): a resource busy ≥ 80 % of the run bounds it — in a single
 *   queue the mean wait at 80 % load is already 4× the service time (ρ ÷ (1 − ρ)), so the TTFT
 *   tail is set there; below it, nothing is called a bound.
 * - `fetchCapShare` 0.98 (estimate): a fetch reaching ≥ 98 % of the GPU link's bandwidth is
 *   capped by that link (the rest is rounding in the flow engine's shares).
 */
export const BOUND_THRESHOLDS: Readonly<{ saturatedShare: number; fetchCapShare: number }> =
  Object.freeze({ saturatedShare: 0.8, fetchCapShare: 0.98 });

/** The class of a fabric resource for the verdict. */
export type ResourceClass = 'gpu-link' | 'fabric-link' | 'device-media';

/** Hand-made or measured figures the pure classifier takes. */
export interface BoundInput {
  readonly gpuMean: number;
  readonly gpuBusiest: BusyResource;
  /** The busiest fabric resources with their class (any order). */
  readonly resources: readonly (BusyResource & { readonly cls: ResourceClass })[];
  /** The GPU's own link (PCIe or C2C) bandwidth and the reference fetch's achieved bandwidth (bytes/ns; 0 when unknown or unreachable). */
  readonly gpuLinkBytesPerNs: number;
  readonly fetchBytesPerNs: number;
}

/**
 * The verdict: the busiest class (GPU compute, then GPU link, fabric link, device media on
 * ties) when its busiest member is at or above `saturatedShare`, else `none`.
 */
export function classifyBound(
  input: BoundInput,
  thresholds: typeof BOUND_THRESHOLDS = BOUND_THRESHOLDS,
): BoundVerdict {
  const busiest = (cls: ResourceClass): BusyResource | null => {
    let best: BusyResource | null = null;
    for (const r of input.resources)
      if (r.cls === cls && r.utilisation > (best?.utilisation ?? 0))
        best = { id: r.id, utilisation: r.utilisation };
    return best;
  };
  const gpuLink = busiest('gpu-link');
  const fabricLink = busiest('fabric-link');
  const deviceMedia = busiest('device-media');
  const candidates: [BoundKind, number][] = [
    ['gpu-compute', input.gpuBusiest.utilisation],
    ['gpu-link', gpuLink?.utilisation ?? 0],
    ['fabric-link', fabricLink?.utilisation ?? 0],
    ['device-media', deviceMedia?.utilisation ?? 0],
  ];
  let kind: BoundKind = 'none';
  let top: number = thresholds.saturatedShare;
  for (const [k, u] of candidates)
    if (u >= top && (kind === 'none' || u > top)) {
      kind = k;
      top = u;
    }
  return {
    kind,
    thresholdShare: thresholds.saturatedShare,
    gpuMean: input.gpuMean,
    gpuBusiest: input.gpuBusiest,
    gpuLink,
    fabricLink,
    deviceMedia,
    gpuLinkBytesPerNs: input.gpuLinkBytesPerNs,
    fetchCappedByGpuLink:
      input.gpuLinkBytesPerNs > 0 &&
      input.fetchBytesPerNs >= thresholds.fetchCapShare * input.gpuLinkBytesPerNs,
  };
}

/** The class of each flow resource of a fabric, by resource index. */
export function resourceClasses(f: Fabric): Map<string, ResourceClass> {
  const out = new Map<string, ResourceClass>();
  f.resources.forEach((id, r) => {
    if (r >= 2 * f.links.length) {
      out.set(id, 'device-media');
      return;
    }
    const l = Math.floor(r / 2);
    const a = f.linkA[l] ?? -1;
    const b = f.linkB[l] ?? -1;
    const toGpu = f.nodeKind[a] === 'gpu' || f.nodeKind[b] === 'gpu';
    const gpuLinkKind = f.linkKind[l] === 'pcie' || f.linkKind[l] === 'c2c';
    out.set(id, gpuLinkKind && toGpu ? 'gpu-link' : 'fabric-link');
  });
  return out;
}

/**
 * Bandwidth (bytes/ns) of GPU `gpu`'s own link — PCIe, or a coherent C2C link — the fastest when
 * it has several (a GPUDirect GPU also has a PCIe link to its NIC); 0 when it has none.
 */
export function gpuLinkBytesPerNs(f: Fabric, gpu: string): number {
  const g = f.nodeIndex.get(gpu);
  if (g === undefined) return 0;
  let bw = 0;
  for (let k = f.adjStart[g] ?? 0; k < (f.adjStart[g + 1] ?? 0); k++) {
    const l = f.adjLink[k] ?? -1;
    const b = f.linkBandwidthBytesPerNs[l] ?? 0;
    if ((f.linkKind[l] === 'pcie' || f.linkKind[l] === 'c2c') && b > bw) bw = b;
  }
  return bw;
}

/** What bounds a run on a fabric, given the fabric's reference KV fetch. */
export function boundOf(f: Fabric, run: SimResult, fetch: FetchResult): BoundVerdict {
  const classes = resourceClasses(f);
  const u = run.utilisation;
  const resources = [...u.top, u.busiestLink, u.busiestDevice]
    .filter((r) => classes.has(r.id))
    .map((r) => ({ ...r, cls: classes.get(r.id) as ResourceClass }));
  return classifyBound({
    gpuMean: u.gpu.mean,
    gpuBusiest: u.gpu.busiest,
    resources,
    gpuLinkBytesPerNs: gpuLinkBytesPerNs(f, fetch.gpu),
    fetchBytesPerNs: fetch.reachable ? fetch.effectiveBandwidthBytesPerNs : 0,
  });
}
