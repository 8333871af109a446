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
  inScenario,
  gpuOption,
  type FormatArgs,
} from '../flags.ts';
import { emit, note, prepareOutput } from '../output.ts';
import { progressBar } from '../progress.ts';
import { runWithRecords } from '../sim-records.ts';
import { TraceCollector } from '../sim-trace.ts';

interface RunArgs extends FormatArgs {
  scenario: string;
  gpu?: string;
  topology: string;
  seed?: string;
  policy?: string;
  records?: string;
  trace?: string;
  fail?: string;
}

/** Checks `--trace` names a .json file that can be written, and is not asked with `--records`. */
function checkTrace(file: string, records: string | undefined): void {
  const issues = [];
  if (!file.endsWith('.json'))
    issues.push({
      code: 'cli.trace',
      path: ['--trace'],
      message: `"${file}": use a .json file name (Chrome trace format)`,
    });
  if (records !== undefined)
    issues.push({
      code: 'cli.conflict',
      path: ['--trace'],
      message:
        'give --trace or --records, not both: records stream from a worker thread, the trace is collected in this one; run twice (same seed, same result)',
    });
  if (issues.length > 0) throw new InputError(issues);
  prepareOutput(file, '--trace');
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
        .option('trace', {
          type: 'string',
          describe:
            'write the run as a Chrome/Perfetto trace (.json): GPU work per replica, fetches and cache writes (open in https://ui.perfetto.dev)',
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
        '$0 run droidspeak-8b --topology octopus-96 --trace out/trace.json',
        'the timeline: open out/trace.json in https://ui.perfetto.dev or chrome://tracing',
      )
      .example(
        '$0 run droidspeak-8b --topology octopus-96 --fail device:d0,device:d1',
        'with two MHDs down: the run, hosts losing pooled memory, cached objects destroyed',
      ) as Argv<RunArgs>,
  handler: async (argv) => {
    const format = chosenFormat(argv);
    const { scenario, display } = loadScenario(argv.scenario);
    const cfg = withOverrides(scenario, argv);
    const { graph } = loadTopology(argv.topology);
    const failures = parseFailures(argv.fail);
    const f = asFlags({ fail: '--fail' }, () => compileFabric(graph, failures));
    if (argv.records !== undefined) checkRecords(argv.records);
    if (argv.trace !== undefined) checkTrace(argv.trace, argv.records);
    const trace = argv.trace === undefined ? undefined : new TraceCollector();
    const total = cfg.workload.requests ?? 0;
    const bar = progressBar('simulating', total, format !== 'json' && total > 0);
    const t0 = performance.now();
    let result;
    try {
      const onProgress = (done: number, all: number): void => bar.update(done, all);
      result = await inScenario(display, () =>
        argv.records === undefined
          ? runSimulation(
              f,
              cfg,
              trace === undefined ? { onProgress } : { onProgress, onSpan: trace.onSpan },
            )
          : runWithRecords({
              topology: argv.topology,
              failures,
              cfg,
              file: argv.records,
              onProgress,
            }),
      );
    } finally {
      bar.stop();
    }
    if (result === undefined) return; // interrupted: the note is printed, the exit code set
    if (trace !== undefined && argv.trace !== undefined)
      trace.write(argv.trace, {
        scenario: result.scenario,
        topology: result.topology,
        policy: result.policy,
        seed: result.seed,
      });
    const impact = hasFailures(failures) ? failureImpact(graph, failures, cfg) : undefined;
    emit(
      format,
      [runTable(result), ...(impact === undefined ? [] : [failureTable(impact, argv.fail ?? '')])],
      impact === undefined ? result : { ...result, failureImpact: impact },
    );
    if (format !== 'json')
      note(
        `${result.requests.completed.toLocaleString('en-US')} requests simulated in ${((performance.now() - t0) / 1000).toFixed(1)} s wall time${argv.records === undefined ? '' : `; records in ${argv.records}`}${argv.trace === undefined ? '' : `; timeline in ${argv.trace} (open it in https://ui.perfetto.dev)`}`,
      );
  },
};

/** The simulator's commands. */
export const simCommands = [run] as unknown as CommandModule<object, never>[];
