/**
 * Checks of generator options shared by the CXL-only families: a pod without a network has
 * nothing to cable an RDMA NIC to, so asking for NICs is refused rather than leaving them
 * hanging (docs/design.md convention §4: never silently coerce).
 */
import { GeneratorError } from '../../errors/index.ts';
import type { GenerateOptions } from './types.ts';

/** Throws when `options.nicsPerHost` asks for NICs that `generator` has no network for. */
export function refuseNics(generator: string, options: GenerateOptions): void {
  if ((options.nicsPerHost ?? 0) > 0) {
    throw new GeneratorError([
      {
        code: 'generator.unsupported-option',
        path: ['options', 'nicsPerHost'],
        message: `${generator} builds a CXL-only pod with no network to cable ${options.nicsPerHost} NIC${options.nicsPerHost === 1 ? '' : 's'} per host to; use hybrid (Octopus pods joined by RDMA) or rdma-rack, or drop nicsPerHost`,
      },
    ]);
  }
}
