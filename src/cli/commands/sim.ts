/**
 * `podsim run`: plays a scenario's workload through a topology with the serving simulator and
 * prints what it measured. Per-request records stream to a JSONL or CSV file (`--records`), so
 * memory does not grow with the request count; a progress bar shows on a terminal.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../../errors/index.ts';
import { compileFabric } from '../../fabric/compile.ts';
import { loadScenario, loadTopology } from '../../io/index.ts';
import { POLICIES } from '../../planner/planner.ts';
import { failureTable, RECORD_COLUMNS, recordCsvLine, runTable } from '../../report/sim.ts';
import { runSimulation } from '../../sim/engine.ts';
import type { RequestRecord } from '../../sim/types.ts';
import { failureImpact, hasFailures } from '../../app/whatif.ts';
import {
  asFlags,
  chosenFormat,
  failOption,
  formatOptions,
  parseFailures,
  withOverrides,
  type FormatArgs,
} from '../flags.ts';
import { emit, note } from '../output.ts';
import { progressBar } from '../progress.ts';

interface RunArgs extends FormatArgs {
  scenario: string;
  topology: string;
  seed?: number;
  policy?: string;
  records?: string;
  fail?: string;
}

/** Opens a records sink for `file` (.jsonl or .csv), writing as requests complete. */
function recordSink(file: string): { write: (r: RequestRecord) => void; close: () => void } {
  const csv = file.endsWith('.csv');
  if (!csv && !file.endsWith('.jsonl'))
    throw new InputError([
      {
        code: 'cli.records',
        path: ['--records'],
        message: `"${file}": use a .jsonl or .csv file name`,
      },
    ]);
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (e) {
    throw new InputError([
      {
        code: 'cli.records',
        path: ['--records'],
        message: `cannot write "${file}": ${(e as Error).message}`,
      },
    ]);
  }
  if (csv) writeSync(fd, `${RECORD_COLUMNS.join(',')}\n`);
  return {
    write: (r) => writeSync(fd, csv ? `${recordCsvLine(r)}\n` : `${JSON.stringify(r)}\n`),
    close: () => closeSync(fd),
  };
}

const run: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe:
    'Serving simulation: requests through GPUs, fabric and the shared KV pool over time; throughput, goodput, TTFT, reuse mix',
  builder: (y) =>
    failOption(
      formatOptions(y)
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
          type: 'number',
          describe: 'override the scenario seed (workload and synthetic draws)',
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
  handler: (argv) => {
    const format = chosenFormat(argv);
    const { scenario } = loadScenario(argv.scenario);
    const cfg = withOverrides(scenario, argv);
    const { graph } = loadTopology(argv.topology);
    const failures = parseFailures(argv.fail);
    const f = asFlags({ fail: '--fail' }, () => compileFabric(graph, failures));
    const sink = argv.records === undefined ? undefined : recordSink(argv.records);
    const total = cfg.workload.requests ?? 0;
    const bar = progressBar('simulating', total, format !== 'json' && total > 0);
    const t0 = performance.now();
    try {
      const result = runSimulation(f, cfg, {
        ...(sink === undefined ? {} : { onRecord: sink.write }),
        onProgress: (done, all) => bar.update(done, all),
      });
      bar.stop();
      const impact = hasFailures(failures) ? failureImpact(graph, failures, cfg) : undefined;
      emit(
        format,
        [
          runTable(result),
          ...(impact === undefined ? [] : [failureTable(impact, argv.fail ?? '')]),
        ],
        impact === undefined ? result : { ...result, failureImpact: impact },
      );
      if (format !== 'json')
        note(
          `${result.requests.completed.toLocaleString('en-US')} requests simulated in ${((performance.now() - t0) / 1000).toFixed(1)} s wall time${argv.records === undefined ? '' : `; records in ${argv.records}`}`,
        );
    } finally {
      bar.stop();
      sink?.close();
    }
  },
};

/** The simulator's commands. */
export const simCommands = [run] as unknown as CommandModule<object, never>[];
