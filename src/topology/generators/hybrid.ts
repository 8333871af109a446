// PLACEHOLDER — to be replaced by the real generator before any commit that claims it.
import type { Generator, HybridParams } from './types.ts';

export const hybrid: Generator<HybridParams> = {
  name: 'hybrid',
  family: 'hybrid',
  summary: 'not yet implemented',
  generate() {
    throw new Error('hybrid: not yet implemented');
  },
};
