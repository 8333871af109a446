/**
 * `podsim run`: plays a scenario's workload through a topology with the serving simulator and
 * prints what it measured. Per-request records stream to a JSONL or CSV file (`--records`), so
 * memory does not grow with the request count; a progress bar shows on a terminal. With
 * `--records` the run goes on a worker thread (../sim-records.ts) into a temporary file renamed
 * into place at the end, so SIGINT/SIGTERM stop it cleanly, keeping the complete rows.
 */
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../../errors/index.ts';
import { compileFabric } from '../../fabric/compile.ts';
import { loadScenario, loadTopology } from '../../io/index.ts';
import { POLICIES } from '../../planner/planner.ts';
import { failureTable, runTable } from '../../report/sim.ts';
import { runSimulation } from '../../sim/engine.ts';
import { failureImpact, hasFailures } from '../../app/whatif.ts';
import {
  asFlags,
  chosenFormat,
  failOption,
  formatOptions,
  parseFailures,
  withOverrides,
  gpuOption,
  type FormatArgs,
} from '../flags.ts';
import { emit, note, prepareOutput } from '../output.ts';
import { progressBar } from '../progress.ts';
import { runWithRecords } from '../sim-records.ts';

interface RunArgs extends FormatArgs {
  scenario: string;
  gpu?: string;
  topology: string;
  seed?: string;
  policy?: string;
  records?: string;
  fail?: string;
}

/** Checks `--records` names a .jsonl or .csv file that can be written, before the run. */
function checkRecords(file: string): void {
  if (!file.endsWith('.csv') && !file.endsWith('.jsonl'))
    throw new InputError([
      {
        code: 'cli.records',
        path: ['--records'],
        message: `"${file}": use a .jsonl or .csv file name`,
      },
    ]);
  prepareOutput(file, '--records');
}

const run: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe:
    'Serving simulation: requests through GPUs, fabric and the shared KV pool over time; throughput, goodput, TTFT, reuse mix',
  builder: (y) =>
    failOption(
      formatOptions(gpuOption(y))
        .positional('scenario', {
          type: 'string',
          demandOption: true,
          describe: 'scenario file or preset name',
        })
        .option('topology', {
          type: 'string',
          demandOption: true,
          describe: 'topology file or preset name',
        })
        .option('seed', {
          type: 'string', // as text: yargs' number type reads '' as 0 (flags.ts withOverrides checks it)
          describe: 'override the scenario seed (workload and synthetic draws; 0 … 2^32 − 1)',
        })
        .option('policy', {
          type: 'string',
          choices: POLICIES,
          describe: 'override the planner policy',
        })
        .option('records', {
          type: 'string',
          describe: 'write one record per request to a .jsonl or .csv file',
        }),
    )
      .example(
        '$0 run droidspeak-8b --topology octopus-96',
        'the DroidSpeak-like workload on the 96-host Octopus pod',
      )
      .example(
        '$0 run droidspeak-8b --topology rdma-96x3 --policy full-prefill --json',
        'the no-reuse baseline on RDMA racks, as JSON',
      )
      .example(
        '$0 run droidspeak-8b --topology octopus-96 --records out/requests.csv',
        'per-request records for your own analysis',
      )
      .example(
        '$0 run droidspeak-8b --topology octopus-96 --fail device:d0,device:d1',
        'with two MHDs down: the run, hosts losing pooled memory, cached objects destroyed',
      ) as Argv<RunArgs>,
  handler: async (argv) => {
    const format = chosenFormat(argv);
    const { scenario } = loadScenario(argv.scenario);
    const cfg = withOverrides(scenario, argv);
    const { graph } = loadTopology(argv.topology);
    const failures = parseFailures(argv.fail);
    const f = asFlags({ fail: '--fail' }, () => compileFabric(graph, failures));
    if (argv.records !== undefined) checkRecords(argv.records);
    const total = cfg.workload.requests ?? 0;
    const bar = progressBar('simulating', total, format !== 'json' && total > 0);
    const t0 = performance.now();
    let result;
    try {
      const onProgress = (done: number, all: number): void => bar.update(done, all);
      result =
        argv.records === undefined
          ? runSimulation(f, cfg, { onProgress })
          : await runWithRecords({
              topology: argv.topology,
              failures,
              cfg,
              file: argv.records,
              onProgress,
            });
    } finally {
      bar.stop();
    }
    if (result === undefined) return; // interrupted: the note is printed, the exit code set
    const impact = hasFailures(failures) ? failureImpact(graph, failures, cfg) : undefined;
    emit(
      format,
      [runTable(result), ...(impact === undefined ? [] : [failureTable(impact, argv.fail ?? '')])],
      impact === undefined ? result : { ...result, failureImpact: impact },
    );
    if (format !== 'json')
      note(
        `${result.requests.completed.toLocaleString('en-US')} requests simulated in ${((performance.now() - t0) / 1000).toFixed(1)} s wall time${argv.records === undefined ? '' : `; records in ${argv.records}`}`,
      );
  },
};

/** The simulator's commands. */
export const simCommands = [run] as unknown as CommandModule<object, never>[];
