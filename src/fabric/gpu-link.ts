/**
 * A scenario's GPU and the topology's GPU link must agree (issue 12, item 10; docs/hardware.md
 * "Scenario GPU and topology GPU link"): H100 compute on an A100 topology's PCIe 4 link would
 * fetch caches at the wrong rate without anyone noticing. `checkGpuLink` compares the scenario
 * GPU's PCIe generation (and host-link kind, when the profile states one) with every GPU link
 * of the fabric and returns one issue per mismatching link, each naming the scenario GPU, the
 * topology, its link and the two ways out.
 */
import type { Issue } from '../errors/index.ts';
import { describeGpuLink, hardwareSummary } from '../topology/hardware.ts';
import type { Fabric } from './compile.ts';

/**
 * What `checkGpuLink` needs of a GPU profile (a structural subset of `GpuProfile` in
 * src/kv/gpu.ts): its name, the PCIe generation it attaches with, and — for GPUs that come as
 * a CPU–GPU superchip — whether it attaches to its host over PCIe or a coherent C2C link.
 * An absent field is not checked.
 */
export interface GpuLinkProfile {
  readonly name: string;
  readonly pcieGeneration?: number;
  /** `nvlink-c2c` (the GPU profiles' name, src/kv/gpu.ts) and `c2c` (the topology's link kind) are one link. */
  readonly hostLink?: 'pcie' | 'c2c' | 'nvlink-c2c';
}

/** The bundled topologies of each current generation, for the way out (docs/hardware.md). */
const BUNDLED_PCIE5 = '; bundled: octopus-96-h100, switched-96-h100, rdma-96x3-h100';
const BUNDLED_C2C = '; bundled: octopus-96-gh200, switched-96-gh200, rdma-96x3-gh200';

/** Why one GPU link of the topology does not fit the GPU, or undefined when it does. */
function mismatch(
  gpu: GpuLinkProfile,
  link: { kind: 'pcie' | 'c2c'; generation?: number },
): string | undefined {
  const wants = gpu.hostLink === 'nvlink-c2c' ? 'c2c' : gpu.hostLink;
  if (wants !== undefined && wants !== link.kind)
    return wants === 'c2c'
      ? `${gpu.name} attaches to its CPU over a coherent C2C link`
      : `${gpu.name} attaches to its host over PCIe${gpu.pcieGeneration === undefined ? '' : ` ${gpu.pcieGeneration}`}`;
  if (
    link.kind === 'pcie' &&
    gpu.pcieGeneration !== undefined &&
    gpu.pcieGeneration !== link.generation
  )
    return `${gpu.name} is a PCIe ${gpu.pcieGeneration} device`;
  return undefined;
}

/**
 * Issues (empty when they agree) for each GPU link of fabric `f` that does not match the
 * scenario's GPU `gpu`; `path` is the scenario field that names the GPU (default `['gpu']`).
 * Pure: reads the fabric's graph only.
 * @example checkGpuLink(compileFabric(octopus96), { name: 'H100-80GB', pcieGeneration: 5 })
 *   // → [{ code: 'scenario.gpu-link-mismatch', path: ['gpu'], message: 'scenario GPU H100-80GB … PCIe 4 x16 …' }]
 */
export function checkGpuLink(
  f: Fabric,
  gpu: GpuLinkProfile,
  path: readonly (string | number)[] = ['gpu'],
): Issue[] {
  const topology = f.graph.getAttribute('name');
  const issues: Issue[] = [];
  for (const link of hardwareSummary(f.graph).gpuLinks) {
    const why = mismatch(gpu, link);
    if (why === undefined) continue;
    const generation = gpu.pcieGeneration ?? link.generation ?? 4;
    const wanted =
      gpu.hostLink === 'c2c' || gpu.hostLink === 'nvlink-c2c'
        ? `a coherent C2C link (components: { gpuHostLink: c2c }${BUNDLED_C2C})`
        : `a PCIe ${generation} link (components: { gpuHostLink: pcie, gpuPcieGeneration: ${generation} }${generation === 5 ? BUNDLED_PCIE5 : ''})`;
    const has = link.kind === 'c2c' ? 'a coherent C2C link' : `a PCIe ${link.generation} link`;
    issues.push({
      code: 'scenario.gpu-link-mismatch',
      path,
      message:
        `scenario GPU ${gpu.name} does not match topology ${topology}: ${why}, but the topology's ` +
        `${link.gpus} GPUs (e.g. ${link.exampleGpu}) attach over ${describeGpuLink(link)}. ` +
        `Either use a topology whose GPUs have ${wanted}, or choose a scenario GPU with ${has}`,
    });
  }
  return issues;
}
