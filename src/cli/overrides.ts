/**
 * The `--seed` and `--policy` overrides `run` and `whatif` share: checked, then applied to a
 * loaded scenario.
 */
import { InputError } from '../errors/index.ts';
import type { PolicyName } from '../planner/planner.ts';
import type { SimConfig } from '../sim/engine.ts';

/** Applies `--seed` (a whole number ≥ 0) and `--policy` (already one of the yargs choices) to a scenario. */
export function withOverrides(
  scenario: SimConfig,
  flags: { seed?: number | undefined; policy?: string | undefined },
): SimConfig {
  if (flags.seed !== undefined && (!Number.isInteger(flags.seed) || flags.seed < 0))
    throw new InputError([
      {
        code: 'cli.seed',
        path: ['--seed'],
        message: `expected a whole number ≥ 0, got ${flags.seed}`,
      },
    ]);
  return {
    ...scenario,
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.policy === undefined
      ? {}
      : { planner: { ...scenario.planner, policy: flags.policy as PolicyName } }),
  };
}
