// PLACEHOLDER — to be replaced by the real generator before any commit that claims it.
import type { Generator, OctopusSparseParams } from './types.ts';

export const octopusSparse: Generator<OctopusSparseParams> = {
  name: 'octopus-sparse',
  family: 'octopus',
  summary: 'not yet implemented',
  generate() {
    throw new Error('octopus-sparse: not yet implemented');
  },
};
