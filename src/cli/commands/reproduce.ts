/**
 * `podsim reproduce <paper>`: every figure of a paper podsim models that the code can compute,
 * beside the published value, with a verdict and the reason (src/app/reproduce/). Exits 0 even
 * when figures differ: a difference is a finding, reported, not a failure of the command.
 */
import type { Argv, CommandModule } from 'yargs';
import { reproduceDroidspeak } from '../../app/reproduce/droidspeak.ts';
import { reproduceOctopus } from '../../app/reproduce/octopus.ts';
import type { Reproduction } from '../../app/reproduce/figures.ts';
import { chosenFormat, formatOptions, type FormatArgs } from '../flags.ts';
import { emit } from '../output.ts';
import { progressBar } from '../progress.ts';
import { reproductionTables } from '../reproduce-tables.ts';

/** The papers `reproduce` knows, and how to compute each. */
const PAPERS: Readonly<
  Record<string, (onProgress?: (done: number, total: number) => void) => Reproduction>
> = {
  octopus: reproduceOctopus,
  droidspeak: reproduceDroidspeak,
};

interface ReproduceArgs extends FormatArgs {
  paper: string;
}

const reproduce: CommandModule<object, ReproduceArgs> = {
  command: 'reproduce <paper>',
  describe:
    'Every figure of a modelled paper podsim can compute, beside the published value, with a verdict and why',
  builder: (y) =>
    formatOptions(y)
      .positional('paper', {
        type: 'string',
        demandOption: true,
        choices: Object.keys(PAPERS),
        describe: 'which paper',
      })
      .example('$0 reproduce octopus', 'the Octopus (NSDI ’26) figures')
      .example('$0 reproduce octopus --json', 'the same, for scripts')
      .example(
        '$0 reproduce droidspeak',
        'the DroidSpeak (NSDI ’26) figures on its own testbed, then on a CXL pod',
      ) as Argv<ReproduceArgs>,
  handler: (argv) => {
    const compute = PAPERS[argv.paper];
    if (compute === undefined) return; // yargs' `choices` refused it already
    const format = chosenFormat(argv);
    const bar = progressBar(`reproduce ${argv.paper}`, 4, format !== 'json');
    const r = compute((done, total) => bar.update(done, total));
    bar.stop();
    emit(format, reproductionTables(r), r);
  },
};

/** The reproduce commands. */
export const reproduceCommands = [reproduce] as unknown as CommandModule<object, never>[];
