/**
 * The contract every topology generator meets: a name, a family, a one-line summary, and a
 * pure, deterministic `generate(params, options)` that returns a graph built with
 * {@link TopologyBuilder}. Parameters are plain resolved objects; the zod schemas that parse
 * them from files and flags live in `src/io/`.
 */
import type { ComponentProfile } from '../defaults.ts';
import type { LayoutGeometry } from '../layout-geometry.ts';
import type { TopologyFamily, TopologyGraph } from '../types.ts';

/** Options common to every generator. */
export interface GenerateOptions {
  /** Topology name (defaults to a name derived from the generator and its parameters). */
  readonly name?: string;
  /** Resolved component profile (defaults to DEFAULT_COMPONENTS). */
  readonly components?: ComponentProfile;
  /** GPUs per host (defaults to the profile's `gpusPerHost`). */
  readonly gpusPerHost?: number;
  /** RDMA NICs per host; generators of CXL-only pods default to 0, RDMA families to the profile's `nicsPerHost`. */
  readonly nicsPerHost?: number;
  /**
   * Octopus generators only: rack geometry, placement strategy and retimer policy (unset fields
   * from DEFAULT_LAYOUT_GEOMETRY; docs/layout.md). Other generators refuse it.
   */
  readonly layout?: Partial<LayoutGeometry>;
}

/** A topology generator. */
export interface Generator<P> {
  readonly name: string;
  readonly family: TopologyFamily;
  readonly summary: string;
  /** Builds the topology; throws GeneratorError (with suggestions) when `params` cannot be built. */
  generate(params: P, options?: GenerateOptions): TopologyGraph;
}

/** `octopus-bibd`: λ = 1 block design; every pair of hosts shares exactly one MHD. */
export interface OctopusBibdParams {
  /** CXL ports per host used for the pod (X): each host joins X devices. */
  readonly hostPorts: number;
  /** Ports per MHD (N): each device serves N hosts. */
  readonly devicePorts: number;
}

/** `octopus-islands`: full pairwise overlap inside islands, sparse links between them. */
export interface OctopusIslandsParams {
  readonly hosts: number;
  /** CXL ports per host (X). */
  readonly hostPorts: number;
  /** Ports per MHD (N). */
  readonly devicePorts: number;
  /** Hosts per island; when absent, the generator picks the largest island its ports allow. */
  readonly islandSize?: number;
  /**
   * Inter-island wiring: `spread` (devices spread over all islands, the default) or `local`
   * (devices join islands near each other in rack order, docs/octopus-generators.md).
   */
  readonly interIsland?: 'spread' | 'local';
  /** Deterministic seed for the inter-island wiring. */
  readonly seed: number;
}

/** `octopus-sparse`: any host count, host degree ≤ X, device degree ≤ N, built to an objective. */
export interface OctopusSparseParams {
  readonly hosts: number;
  readonly hostPorts: number;
  readonly devicePorts: number;
  /** `pair-coverage`: maximise host pairs sharing a device. */
  readonly objective: 'pair-coverage';
  /**
   * `coverage` (the default): wire for pair coverage within a window of hosts, then place;
   * `reach`: place first, then wire each device only to hosts within copper reach of it, so the
   * pod fits the reach by construction (docs/octopus-generators.md "Wired for the layout").
   */
  readonly wiring?: 'coverage' | 'reach';
  readonly seed: number;
}

/** `full-pod`: every host cabled to every device (small pods only). */
export interface FullPodParams {
  readonly hosts: number;
  readonly devices: number;
}

/** `switched-cxl`: hosts → CXL switches → memory devices. */
export interface SwitchedCxlParams {
  readonly hosts: number;
  /** Single-headed memory devices behind the switches. */
  readonly devices: number;
  /** Ports per switch. */
  readonly switchPorts: number;
  /** CXL links from each host to the switch layer. */
  readonly hostLinks: number;
}

/** `rdma-rack`: hosts with NICs → ToR per rack → spine when more than one rack. */
export interface RdmaRackParams {
  readonly hosts: number;
  readonly racks: number;
}

/** `hybrid`: Octopus pods, one per rack, joined by RDMA (ToR per rack, spine above). */
export interface HybridParams {
  readonly pods: number;
  /** Generator of each pod. */
  readonly pod:
    | { readonly generator: 'octopus-bibd'; readonly params: OctopusBibdParams }
    | { readonly generator: 'octopus-islands'; readonly params: OctopusIslandsParams }
    | { readonly generator: 'octopus-sparse'; readonly params: OctopusSparseParams };
}

/** Parameters of each generator, by generator name. */
export interface GeneratorParams {
  'octopus-bibd': OctopusBibdParams;
  'octopus-islands': OctopusIslandsParams;
  'octopus-sparse': OctopusSparseParams;
  'full-pod': FullPodParams;
  'switched-cxl': SwitchedCxlParams;
  'rdma-rack': RdmaRackParams;
  hybrid: HybridParams;
}

/** Every generator name. */
export type GeneratorName = keyof GeneratorParams;
