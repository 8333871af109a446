// PLACEHOLDER — to be replaced by the real generator before any commit that claims it.
import type { Generator, OctopusBibdParams } from './types.ts';

export const octopusBibd: Generator<OctopusBibdParams> = {
  name: 'octopus-bibd',
  family: 'octopus',
  summary: 'not yet implemented',
  generate() {
    throw new Error('octopus-bibd: not yet implemented');
  },
};
