// PLACEHOLDER — to be replaced by the real generator before any commit that claims it.
import type { Generator, OctopusIslandsParams } from './types.ts';

export const octopusIslands: Generator<OctopusIslandsParams> = {
  name: 'octopus-islands',
  family: 'octopus',
  summary: 'not yet implemented',
  generate() {
    throw new Error('octopus-islands: not yet implemented');
  },
};
