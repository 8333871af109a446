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
import { GeneratorError } from '../../errors/index.ts';
import { FIT_GENERATORS, fitTable, type FitGenerator } from '../fit.ts';

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

const isFitGenerator = (name: string): name is FitGenerator =>
  (FIT_GENERATORS as readonly string[]).includes(name);

/**
 * Runs the named generator. `options.layout` is for the Octopus generators only; when one of
 * them refuses a pod beyond copper reach (`layout.retimers: forbid`), the error also names the
 * largest pod of that generator and ports that fits (docs/layout.md "What fits").
 * @throws GeneratorError when the parameters or options cannot be built
 */
export function generate<K extends GeneratorName>(
  name: K,
  params: GeneratorParams[K],
  options?: GenerateOptions,
): TopologyGraph {
  const g = GENERATORS[name] as Generator<GeneratorParams[K]>;
  if (options?.layout !== undefined && !isFitGenerator(name))
    throw new GeneratorError([
      {
        code: 'generator.unsupported-option',
        path: ['options', 'layout'],
        message: `${name} places its equipment itself; options.layout is for octopus-islands, octopus-sparse and octopus-bibd`,
      },
    ]);
  try {
    return g.generate(params, options);
  } catch (e) {
    if (!(e instanceof GeneratorError) || !isFitGenerator(name)) throw e;
    const issue = e.issues.find((i) => i.code === 'layout.beyond-reach');
    if (issue === undefined) throw e;
    throw new GeneratorError([
      { ...issue, message: `${issue.message}; ${largestFit(name, params, options)}` },
    ]);
  }
}

/** "the largest … that fits is …" for the fit search below the requested pod. */
function largestFit(name: FitGenerator, params: unknown, options: GenerateOptions = {}): string {
  const p = params as { hosts?: number; hostPorts: number; devicePorts: number; seed?: number };
  const shape = {
    hostPorts: p.hostPorts,
    devicePorts: p.devicePorts,
    ...(p.seed === undefined ? {} : { seed: p.seed }),
  };
  const below = p.hosts === undefined ? p.hostPorts * (p.devicePorts - 1) : p.hosts - 1;
  const fit = fitTable(name, shape, options, below);
  return fit.largestFitting === undefined
    ? `no smaller ${name} pod with hostPorts ${p.hostPorts}, devicePorts ${p.devicePorts} fits either`
    : `the largest ${name} pod with hostPorts ${p.hostPorts}, devicePorts ${p.devicePorts} that fits has ${fit.largestFitting} hosts (podsim topology fit ${name})`;
}
