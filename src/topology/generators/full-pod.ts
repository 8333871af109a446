// PLACEHOLDER — to be replaced by the real generator before any commit that claims it.
import type { Generator, FullPodParams } from './types.ts';

export const fullPod: Generator<FullPodParams> = {
  name: 'full-pod',
  family: 'full-pod',
  summary: 'not yet implemented',
  generate() {
    throw new Error('full-pod: not yet implemented');
  },
};
