/**
 * `podsim capacity <plan>`: capacity planning over candidate fabrics. For each candidate family
 * and host count in the plan, prices the topology and runs the scenario at every growth step;
 * prints every configuration, the cheapest one meeting the SLO at every step, the cost-vs-goodput
 * Pareto frontier, and the pooling view (DRAM saved by pooling against the pod's cost, compared
 * with Octopus's published 3–5.4 %). Plan format: docs/capacity.md.
 */
import type { Argv, CommandModule } from 'yargs';
import { loadPlan } from '../../io/index.ts';
import { capacityTables } from '../capacity-tables.ts';
import { planWork, runCapacityPlan } from '../../app/capacity.ts';
import { chosenFormat, formatOptions, type FormatArgs } from '../flags.ts';
import { emit, note, prepareOutputFolder, writeResult } from '../output.ts';
import { join } from 'node:path';
import { InputError } from '../../errors/index.ts';
import { tornadoSvg } from '../../report/svg-tornado.ts';
import { progressBar } from '../progress.ts';

interface CapacityArgs extends FormatArgs {
  plan: string;
  sensitivity?: boolean;
  tornado?: string;
}

const capacity: CommandModule<object, CapacityArgs> = {
  command: 'capacity <plan>',
  describe:
    'Capacity planning: the cheapest candidate fabric meeting the SLOs as demand grows, the cost-vs-goodput frontier, and pooling savings vs Octopus',
  builder: (y) =>
    formatOptions(y)
      .positional('plan', {
        type: 'string',
        demandOption: true,
        describe: 'capacity plan file or bundled plan (plans/*.yaml)',
      })
      .option('sensitivity', {
        type: 'boolean',
        describe:
          'also move every price (docs/costs.md §8) and the demand gap and local share over their ranges: which inputs flip the sign of each pool’s net saving',
      })
      .option('tornado', {
        type: 'string',
        describe:
          'with --sensitivity: write a tornado chart per pooled family into this folder (tornado-<family>.svg)',
      })
      .example('$0 capacity droidspeak-8b', 'the bundled example plan')
      .example(
        '$0 capacity octopus-paper --sensitivity --tornado out/',
        'the paper’s setting: which inputs decide the verdict, with charts',
      )
      .example(
        '$0 capacity my-plan.yaml --json',
        'a plan of your own, as JSON',
      ) as Argv<CapacityArgs>,
  handler: (argv) => {
    const format = chosenFormat(argv);
    if (argv.tornado !== undefined && argv.sensitivity !== true)
      throw new InputError([
        {
          code: 'input.conflict',
          path: ['--tornado'],
          message: '--tornado draws the sensitivity run: add --sensitivity',
        },
      ]);
    // an unwritable chart folder is refused before the (long) run, not after it
    if (argv.tornado !== undefined) prepareOutputFolder(argv.tornado, '--tornado');
    const { plan } = loadPlan(argv.plan);
    const bar = progressBar('capacity', planWork(plan), format !== 'json');
    const t0 = performance.now();
    const report = runCapacityPlan(plan, (done, total) => bar.update(done, total), {
      sensitivity: argv.sensitivity === true,
    });
    bar.stop();
    emit(format, capacityTables(report), report);
    if (argv.tornado !== undefined)
      for (const p of report.pooling)
        if (p.sensitivity !== undefined)
          writeResult(
            join(argv.tornado, `tornado-${p.family}.svg`),
            tornadoSvg(p.sensitivity.base, p.sensitivity.rows, {
              id: `tornado-${p.family}`,
              title: `Sensitivity of ${p.family}'s net saving (${report.plan})`,
            }),
            '--tornado',
          );
    if (format !== 'json') for (const n of report.notes) note(n);
    if (format !== 'json')
      note(
        `${report.rows.length} configurations, ${report.runs} simulation runs, in ${((performance.now() - t0) / 1000).toFixed(1)} s wall time`,
      );
  },
};

/** The capacity commands. */
export const capacityCommands = [capacity] as unknown as CommandModule<object, never>[];
