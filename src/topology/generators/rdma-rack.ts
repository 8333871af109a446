// PLACEHOLDER — to be replaced by the real generator before any commit that claims it.
import type { Generator, RdmaRackParams } from './types.ts';

export const rdmaRack: Generator<RdmaRackParams> = {
  name: 'rdma-rack',
  family: 'rdma',
  summary: 'not yet implemented',
  generate() {
    throw new Error('rdma-rack: not yet implemented');
  },
};
