/**
 * `octopus-bibd`: the dense, regular Octopus pod — a λ = 1 balanced incomplete block design in
 * which every pair of hosts shares exactly one MHD (docs/references.md §1): hosts n = X(N−1)+1,
 * MHDs m = nX/N. Constructions and their limits are in `../designs/index.ts`.
 */
import { bibdFor } from '../designs/index.ts';
import { assembleOctopus } from './octopus-common.ts';
import type { Generator, OctopusBibdParams } from './types.ts';

/** The `octopus-bibd` generator. */
export const octopusBibd: Generator<OctopusBibdParams> = {
  name: 'octopus-bibd',
  family: 'octopus',
  summary:
    'λ=1 block design: every host pair shares exactly one MHD; n = X(N−1)+1 hosts, nX/N MHDs (projective/affine planes, Steiner triple systems, difference families)',
  generate(params, options = {}) {
    const design = bibdFor(params.hostPorts, params.devicePorts);
    return assembleOctopus(
      { hosts: design.points, devices: design.blocks },
      params,
      {
        name: `octopus-bibd-${design.points}`,
        description: `Octopus BIBD pod: ${design.points} hosts, ${design.blocks.length} ${params.devicePorts}-port MHDs, X=${params.hostPorts}, every host pair shares exactly one MHD (${design.construction})`,
        generator: { name: 'octopus-bibd', params: { ...params } },
      },
      options,
    );
  },
};
