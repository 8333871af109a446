// PLACEHOLDER — to be replaced by the real generator before any commit that claims it.
import type { Generator, SwitchedCxlParams } from './types.ts';

export const switchedCxl: Generator<SwitchedCxlParams> = {
  name: 'switched-cxl',
  family: 'switched-cxl',
  summary: 'not yet implemented',
  generate() {
    throw new Error('switched-cxl: not yet implemented');
  },
};
