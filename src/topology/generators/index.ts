/**
 * The registry of topology generators, keyed by name. Files (`generator: octopus-bibd`), the
 * CLI (`podsim topology generate octopus-bibd …`) and the law suite in `podsim/testing` all go
 * through it.
 */
import { octopusBibd } from './octopus-bibd.ts';
import { octopusIslands } from './octopus-islands.ts';
import { octopusSparse } from './octopus-sparse.ts';
import { fullPod } from './full-pod.ts';
import { switchedCxl } from './switched-cxl.ts';
import { rdmaRack } from './rdma-rack.ts';
import { hybrid } from './hybrid.ts';
import type { Generator, GeneratorName, GeneratorParams, GenerateOptions } from './types.ts';
import type { TopologyGraph } from '../types.ts';

export type * from './types.ts';

/** Every generator by name. */
export const GENERATORS: { readonly [K in GeneratorName]: Generator<GeneratorParams[K]> } = {
  'octopus-bibd': octopusBibd,
  'octopus-islands': octopusIslands,
  'octopus-sparse': octopusSparse,
  'full-pod': fullPod,
  'switched-cxl': switchedCxl,
  'rdma-rack': rdmaRack,
  hybrid,
};

/** Generator names in a stable order. */
export const GENERATOR_NAMES = Object.keys(GENERATORS) as GeneratorName[];

/** Runs the named generator. */
export function generate<K extends GeneratorName>(
  name: K,
  params: GeneratorParams[K],
  options?: GenerateOptions,
): TopologyGraph {
  const g = GENERATORS[name] as Generator<GeneratorParams[K]>;
  return g.generate(params, options);
}
