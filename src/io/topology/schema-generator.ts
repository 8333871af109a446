/**
 * The generator form of a topology file: `generator: <name>`, its `params:` (one schema per
 * generator, matching src/topology/generators/types.ts) and `options:`.
 */
import { z } from 'zod';
import {
  GENERATOR_NAMES,
  type GeneratorName,
  type GeneratorParams,
} from '../../topology/generators/index.ts';
import {
  integer,
  MAX_COUNT,
  MAX_PORTS,
  optional,
  strict,
  unitString,
  withDefault,
} from '../schema-fields.ts';
import { common } from './schema-common.ts';

const hostPorts = integer(
  1,
  MAX_PORTS,
  'CXL ports per host used for the pod (Octopus X): each host joins X devices',
);
const devicePorts = integer(
  2,
  MAX_PORTS,
  'ports per multi-headed device (Octopus N): each device serves N hosts',
);
const hosts = integer(1, MAX_COUNT, 'number of hosts');
const seed = withDefault(
  integer(0, 2 ** 32 - 1, 'seed of the deterministic wiring choices (default 1)'),
  1,
);

const octopusBibdParams = strict({ hostPorts, devicePorts }).meta({
  id: 'params-octopus-bibd',
  description: 'octopus-bibd: λ=1 block design; n = X(N−1)+1 hosts, nX/N MHDs.',
});
const octopusIslandsParams = strict({
  hosts,
  hostPorts,
  devicePorts,
  islandSize: optional(
    integer(
      2,
      MAX_COUNT,
      'hosts per island; default: the largest island size with a design that divides the host count',
    ),
  ),
  interIsland: optional(
    z
      .enum(['spread', 'local'])
      .describe(
        'inter-island wiring: spread = devices spread over all islands (default); local = devices join islands near each other in rack order',
      ),
  ),
  seed,
}).meta({
  id: 'params-octopus-islands',
  description: 'octopus-islands: full overlap inside islands, sparse inter-island devices.',
});
const octopusSparseParams = strict({
  hosts,
  hostPorts,
  devicePorts,
  objective: withDefault(
    z
      .enum(['pair-coverage'])
      .describe('what the wiring maximises: pair-coverage = host pairs sharing a device (default)'),
    'pair-coverage',
  ),
  wiring: optional(
    z
      .enum(['coverage', 'reach'])
      .describe(
        'coverage = wire for pair coverage, then place (default); reach = place first, then wire each MHD only to hosts within copper reach of it, so every cable fits the reach',
      ),
  ),
  seed,
}).meta({
  id: 'params-octopus-sparse',
  description: 'octopus-sparse: any host count, host degree ≤ X, device degree ≤ N.',
});
const fullPodParams = strict({
  hosts: integer(1, MAX_COUNT, 'number of hosts (each device has one port per host)'),
  devices: integer(1, MAX_COUNT, 'number of devices (each host has one CXL port per device)'),
}).meta({ id: 'params-full-pod', description: 'full-pod: every host cabled to every device.' });
const switchedCxlParams = strict({
  hosts,
  devices: integer(1, MAX_COUNT, 'single-headed memory devices behind the switches'),
  switchPorts: integer(1, MAX_PORTS, 'ports per CXL switch'),
  hostLinks: integer(1, MAX_PORTS, 'CXL links from each host to the switch layer'),
}).meta({
  id: 'params-switched-cxl',
  description: 'switched-cxl: hosts → CXL switches → memory devices.',
});
const rdmaRackParams = strict({
  hosts,
  racks: integer(
    1,
    MAX_COUNT,
    'racks the hosts are split over (one ToR each; spines join them when more than one)',
  ),
}).meta({
  id: 'params-rdma-rack',
  description: 'rdma-rack: hosts with NICs → ToR per rack → spine layer.',
});

const podOf = <
  K extends 'octopus-bibd' | 'octopus-islands' | 'octopus-sparse',
  P extends z.ZodType,
>(
  generator: K,
  params: P,
) => strict({ generator: z.literal(generator).describe('generator of each pod'), params });

const hybridPod = z
  .discriminatedUnion('generator', [
    podOf('octopus-bibd', octopusBibdParams),
    podOf('octopus-islands', octopusIslandsParams),
    podOf('octopus-sparse', octopusSparseParams),
  ])
  .describe('the pod: an Octopus generator and its parameters');
const hybridParams = strict({
  pods: integer(1, 1000, 'number of Octopus pods, joined by RDMA'),
  pod: hybridPod,
}).meta({
  id: 'params-hybrid',
  description: 'hybrid: Octopus pods joined by RDMA (ToR per pod, spine across pods).',
});

const PARAM_SCHEMAS = {
  'octopus-bibd': octopusBibdParams,
  'octopus-islands': octopusIslandsParams,
  'octopus-sparse': octopusSparseParams,
  'full-pod': fullPodParams,
  'switched-cxl': switchedCxlParams,
  'rdma-rack': rdmaRackParams,
  hybrid: hybridParams,
} as const;

/** What a generator's `params:` look like in a file (before defaults are applied). */
export type GeneratorFileParams = { [K in GeneratorName]: z.input<(typeof PARAM_SCHEMAS)[K]> };

/**
 * The zod schema of each generator's `params:` (matching src/topology/generators/types.ts),
 * every field with `.describe()` text so the CLI can build flags from them. Output is the
 * generator's resolved parameter object (defaults applied: `seed: 1`, `objective: pair-coverage`).
 */
export const GENERATOR_PARAM_SCHEMAS: {
  readonly [K in GeneratorName]: (typeof PARAM_SCHEMAS)[K] &
    z.ZodType<GeneratorParams[K] | z.output<(typeof PARAM_SCHEMAS)[K]>, GeneratorFileParams[K]>;
} = PARAM_SCHEMAS;

/** `options.layout:` of the Octopus generators (docs/layout.md). */
export const layoutOptionsSchema = strict({
  rackHeightU: optional(integer(1, 100, 'rack units per rack (default 42)')),
  rackPitch: optional(
    unitString('length', 'distance between adjacent racks in the row (default "0.6 m")', {
      positive: true,
    }),
  ),
  hostHeightU: optional(integer(1, 100, 'height of one host in rack units (default 2)')),
  deviceHeightU: optional(integer(1, 100, 'height of one MHD in rack units (default 1)')),
  retimers: optional(
    z
      .enum(['allow', 'forbid'])
      .describe(
        'allow (default): cables beyond copper reach get retimers; forbid: such a pod is refused, naming its longest cable',
      ),
  ),
  placement: optional(
    z
      .enum(['optimised', 'fill'])
      .describe(
        'optimised (default): the layout optimiser keeps cables within reach where it can; fill: hosts in index order fill racks bottom-up',
      ),
  ),
  seed: optional(
    integer(0, 2 ** 32 - 1, "seed of the layout optimiser's local search (default 1)"),
  ),
}).meta({
  id: 'layout-options',
  description:
    'Octopus generators only: rack geometry, placement and retimer policy (docs/layout.md).',
});

/** `options:` of the generator form. */
export const generateOptionsSchema = strict({
  gpusPerHost: optional(integer(0, 64, 'GPUs per host; default components.gpusPerHost')),
  nicsPerHost: optional(
    integer(
      0,
      64,
      'RDMA NICs per host; default 0 for CXL-only pods, components.nicsPerHost for RDMA families',
    ),
  ),
  layout: optional(layoutOptionsSchema),
}).meta({ id: 'generate-options', description: 'Options common to every generator.' });

function generatorVariant<K extends GeneratorName>(name: K) {
  return strict(
    {
      ...common,
      generator: z.literal(name).describe('the topology generator'),
      params: PARAM_SCHEMAS[name] as (typeof PARAM_SCHEMAS)[K],
      options: optional(generateOptionsSchema),
    },
    {
      nodes:
        'a file has either `generator` (generated topology) or `nodes`/`links` (explicit topology), not both',
      links: 'links belong to explicit files (`nodes` + `links`), not generated ones',
    },
  );
}

const generatorVariants = GENERATOR_NAMES.map((n) => generatorVariant(n));

/** The generator form: `generator: <name>`, `params: {…}`, optional `options`. */
export const generatorFileSchema = z
  .discriminatedUnion(
    'generator',
    generatorVariants as unknown as [
      ReturnType<typeof generatorVariant<'octopus-bibd'>>,
      ...ReturnType<typeof generatorVariant>[],
    ],
  )
  .describe('Generated topology: a generator name and its parameters.');
