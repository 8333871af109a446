/**
 * `podsim sweep` and `podsim merge`: one scenario on one generator-form topology over a grid of
 * topology and scenario parameters, points run in parallel on worker threads, optionally split
 * into shards (`--shard i/N`) for Slurm job arrays or Kubernetes Indexed Jobs and merged back
 * (docs/sweeps.md). Grid keys:
 *
 * - topology: any key of the topology file's `params` (`hosts`, `hostPorts`, `devicePorts`,
 *   `seed` for the Octopus generators; `racks` for rdma-rack; …);
 * - scenario: `rate` (requests per second), `requests`, `crossVariantShare` (0–1),
 *   `qualityBudget` (0–1), `policy` (planner policy), `routing` (serving routing),
 *   `scenarioSeed` (the scenario's seed; `seed` is the topology's when it has one).
 *
 * The grid and overrides are src/app/sweep-grid.ts, records and merging src/app/sweep-records.ts,
 * building and evaluating a point src/app/sweep.ts, running points on worker threads
 * src/cli/sweep-pool.ts; this file parses flags and prints.
 */
import type { Argv, CommandModule } from 'yargs';
import { prepareSweep } from '../../app/sweep.ts';
import { inShard, parseShard, SCENARIO_GRID_KEYS } from '../../app/sweep-grid.ts';
import {
  mergeShards,
  parseJsonl,
  renderJsonl,
  sweepHeader,
  type SweepHeader,
  type SweepRecord,
} from '../../app/sweep-records.ts';
import { DEFAULT_WHATIF } from '../../app/whatif.ts';
import { readTextCapped } from '../../io/read-capped.ts';
import type { RawCell, Table } from '../../report/table.ts';
import {
  formatBandwidth,
  formatMoney,
  formatNumber,
  formatPercent,
  formatTime,
} from '../../units/index.ts';
import type { BytesPerNs, Nanoseconds, Usd } from '../../units/index.ts';
import { chosenFormat, formatOptions, type Format, type FormatArgs } from '../flags.ts';
import { interruptExitCode, watchInterrupts } from '../interrupt.ts';
import { emit, note, out, prepareOutput } from '../output.ts';
import { progressBar } from '../progress.ts';
import { readText, runPoints } from '../sweep-pool.ts';
import { checkWorkers, defaultWorkers } from '../worker-pool.ts';
import { openSweepOutput, resumable } from '../sweep-output.ts';

/** Most worker threads a sweep starts (estimate: 256 is above any machine's cores; each holds a simulation). */

interface SweepArgs extends FormatArgs {
  scenario?: string;
  topology: string;
  grid: string[];
  workers?: number;
  shard?: string;
  output?: string;
}

interface MergeArgs extends FormatArgs {
  files: string[];
}

const GRID_HELP = `key=v1,v2 (repeatable; the cartesian product, first key slowest). Keys as in the file (hostPorts) or as flags spell them (host-ports): any key of the topology file's params (hosts, hostPorts, devicePorts, seed for Octopus generators; racks for rdma-rack; …) and ${SCENARIO_GRID_KEYS.join(', ')} (rate = requests/s, crossVariantShare and qualityBudget 0–1, scenarioSeed = the scenario's seed)`;

/** {@link sweepTable}'s rows as numbers in base units (ns, bytes/ns, USD, fractions), for CSV. */
function sweepRaw(
  keys: readonly string[],
  hosts: boolean,
  records: readonly SweepRecord[],
): NonNullable<Table['raw']> {
  const metrics = (r: SweepRecord): RawCell[] => {
    if ('error' in r) return Array.from({ length: hosts ? 12 : 11 }, () => '');
    return [
      ...(hosts ? [r.hosts] : []),
      r.goodputPerS,
      r.throughputPerS,
      r.sloAttainment,
      r.ttftP50Ns,
      r.ttftP99Ns,
      r.rpcP50Ns,
      r.fetchBandwidthBytesPerNs,
      r.decisions.exact,
      r.decisions.partial,
      r.decisions.fullPrefill,
      r.fabricCostPerHostUsd,
    ];
  };
  return {
    headers: [
      'point',
      ...keys,
      ...(hosts ? ['hosts'] : []),
      'goodput_per_s',
      'throughput_per_s',
      'slo_attainment',
      'ttft_p50_ns',
      'ttft_p99_ns',
      'rpc_p50_ns',
      'fetch_bandwidth_bytes_per_ns',
      'exact',
      'partial',
      'full_prefill',
      'fabric_cost_per_host_usd',
      'error',
    ],
    rows: records.map((r) => [
      r.point,
      ...keys.map((k) => r.params[k] ?? ''),
      ...metrics(r),
      'error' in r ? r.error : '',
    ]),
  };
}

/** The merged or single-run table: one row per point, its params, the main metrics. */
export function sweepTable(header: SweepHeader, records: readonly SweepRecord[]): Table {
  const keys = Object.keys(header.grid);
  const hosts = !keys.includes('hosts'); // a `hosts` grid key already says how many
  const metric = (
    r: SweepRecord,
    f: (m: Exclude<SweepRecord, { error: string }>) => string,
  ): string => ('error' in r ? '' : f(r));
  return {
    title: `Sweep: ${header.scenario} on ${header.topology}, ${header.points} points`,
    columns: [
      { header: 'point', align: 'right' },
      ...keys.map((k) => ({ header: k, align: 'right' as const })),
      ...(hosts ? [{ header: 'hosts', align: 'right' as const }] : []),
      { header: 'goodput /s', align: 'right' },
      { header: 'throughput /s', align: 'right' },
      { header: 'SLO met', align: 'right' },
      { header: 'TTFT p50', align: 'right' },
      { header: 'TTFT p99', align: 'right' },
      { header: 'RPC p50', align: 'right' },
      { header: 'fetch bw', align: 'right' },
      { header: 'exact/partial/full', align: 'right' },
      { header: 'fabric $/host', align: 'right' },
      { header: 'error' },
    ],
    rows: records.map((r) => [
      String(r.point),
      ...keys.map((k) => String(r.params[k] ?? '')),
      ...(hosts ? [metric(r, (m) => String(m.hosts))] : []),
      metric(r, (m) => formatNumber(m.goodputPerS)),
      metric(r, (m) => formatNumber(m.throughputPerS)),
      metric(r, (m) => formatPercent(m.sloAttainment)),
      metric(r, (m) => formatTime(m.ttftP50Ns as Nanoseconds)),
      metric(r, (m) => formatTime(m.ttftP99Ns as Nanoseconds)),
      metric(r, (m) => formatTime(m.rpcP50Ns as Nanoseconds)),
      metric(r, (m) => formatBandwidth(m.fetchBandwidthBytesPerNs as BytesPerNs)),
      metric(r, (m) => `${m.decisions.exact}/${m.decisions.partial}/${m.decisions.fullPrefill}`),
      metric(r, (m) => formatMoney(m.fabricCostPerHostUsd as Usd)),
      'error' in r ? r.error : '',
    ]),
    raw: sweepRaw(keys, hosts, records),
  };
}

/** Prints a sweep's records as a table (text, CSV, Markdown) or JSON. */
function show(format: Format, header: SweepHeader, records: readonly SweepRecord[]): void {
  emit(format, [sweepTable(header, records)], { sweep: header, records });
}

const sweep: CommandModule<object, SweepArgs> = {
  command: 'sweep [scenario]',
  describe:
    'One scenario on a generator-form topology over a grid of topology and scenario parameters, on worker threads; --shard i/N for job arrays',
  builder: (y) =>
    formatOptions(y)
      .positional('scenario', {
        type: 'string',
        describe: `scenario file or preset (default ${DEFAULT_WHATIF.scenario})`,
      })
      .option('topology', {
        type: 'string',
        demandOption: true,
        describe: 'generator-form topology file or preset (its params are what the grid may vary)',
      })
      .option('grid', {
        alias: 'sweep',
        type: 'string',
        array: true,
        demandOption: true,
        describe: GRID_HELP,
      })
      .option('workers', {
        type: 'number',
        describe:
          'worker threads (default: available parallelism, at most one per point; 1 = in-process)',
      })
      .option('shard', {
        type: 'string',
        describe:
          'i/N: run only points with index % N = i − 1 (1-based i; SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX + 1)',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe:
          'write JSONL (header line, then one record per point) to this file (`-` = stdout) instead of printing the table',
      })
      .example(
        '$0 sweep --topology octopus-96 --grid hostPorts=4,8 rate=8,16,24',
        '6 points (2 host-port counts × 3 rates) of the 8B scenario on octopus-96 variants',
      )
      .example(
        '$0 sweep --topology my-sparse.yaml --grid hosts=16,24,32 policy=fabric-aware,exact-only --shard 2/4 -o out/shard-2.jsonl',
        'the second of four shards, as JSONL for podsim merge',
      ) as Argv<SweepArgs>,
  handler: async (argv) => {
    const format = chosenFormat(argv);
    checkWorkers(argv.workers);
    const shard = argv.shard === undefined ? { index: 1, count: 1 } : parseShard(argv.shard);
    const spec = {
      scenario: argv.scenario ?? DEFAULT_WHATIF.scenario,
      topology: argv.topology,
      grid: argv.grid,
    };
    const file = argv.output === '-' ? undefined : argv.output;
    if (file !== undefined) prepareOutput(file, '--output');
    const ctx = prepareSweep(spec, readText);
    const header = sweepHeader(ctx.grid, spec.scenario, spec.topology, shard);
    const indices = ctx.points.map((p) => p.index).filter((i) => inShard(i, shard));
    const kept = file === undefined ? [] : resumable(file, header, ctx.points, indices);
    const done = new Set(kept.map((r) => r.point));
    const todo = indices.filter((i) => !done.has(i));
    const quiet = format === 'json' || argv.output === '-';
    if (kept.length > 0)
      note(
        `resuming ${file}: ${kept.length} of ${indices.length} points already there, ${todo.length} to run`,
      );
    const workers = argv.workers ?? defaultWorkers(todo.length);
    const t0 = performance.now();
    const ran = await runWatched(ctx, todo, workers, file, header, kept, !quiet);
    if (ran === undefined) return;
    const records = [...kept, ...ran].sort((a, b) => a.point - b.point);
    if (argv.output === '-') out(renderJsonl(header, records));
    else if (file === undefined) show(format, header, records);
    else note(`wrote ${file}`);
    const failed = records.filter((r) => 'error' in r).length;
    if (!quiet) {
      const used = Math.min(workers, Math.max(1, todo.length));
      note(
        `${todo.length} of ${header.points} points${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ''} on ${used} worker${used === 1 ? '' : 's'} in ${((performance.now() - t0) / 1000).toFixed(1)} s wall time${failed > 0 ? `; ${failed} could not run (see error)` : ''}`,
      );
    }
  },
};

/**
 * Runs the points `todo` with SIGINT/SIGTERM caught (./interrupt.ts), streaming each finished
 * point into `file`'s temporary file. Returns the new records, or undefined when a signal
 * stopped the sweep — the finished points then kept in `file`, a note saying so and how to
 * resume, and the exit code set (130 or 143).
 */
async function runWatched(
  ctx: ReturnType<typeof prepareSweep>,
  todo: readonly number[],
  workers: number,
  file: string | undefined,
  header: SweepHeader,
  kept: readonly SweepRecord[],
  showBar: boolean,
): Promise<SweepRecord[] | undefined> {
  const output = file === undefined ? undefined : openSweepOutput(file, header, kept);
  const watch = watchInterrupts(() => output?.discard());
  const bar = progressBar('sweep', todo.length, showBar);
  let records: SweepRecord[];
  try {
    records = await runPoints(ctx, todo, workers, {
      onProgress: (done, total) => bar.update(done, total),
      ...(output === undefined ? {} : { onRecord: output.append }),
      signal: watch.signal,
    });
  } catch (e) {
    output?.discard();
    throw e;
  } finally {
    bar.stop();
    watch.dispose();
  }
  const signal = watch.received();
  const total = kept.length + todo.length;
  if (signal === undefined) {
    output?.finish([...kept, ...records].sort((a, b) => a.point - b.point));
    return records;
  }
  const have = kept.length + records.length;
  const where =
    output === undefined
      ? `${records.length} of ${todo.length} points had finished; nothing was written (with -o file.jsonl finished points are kept and a rerun resumes)`
      : output.keep()
        ? `${file} keeps ${have} of ${total} points; run the same command again to resume the other ${total - have}`
        : `no point had finished; ${file} was not written`;
  note(`podsim: interrupted by ${signal}: ${where}`);
  process.exitCode = interruptExitCode(signal);
  return undefined;
}

const merge: CommandModule<object, MergeArgs> = {
  command: 'merge <files..>',
  describe:
    'Merge the JSONL shards of a sweep (podsim sweep --shard i/N -o …) into one table, checking none is missing or duplicated',
  builder: (y) =>
    formatOptions(y)
      .positional('files', {
        type: 'string',
        array: true,
        describe: 'shard files written by podsim sweep -o',
      })
      .example('$0 merge out/*.jsonl', 'the whole sweep as a table')
      .example('$0 merge out/*.jsonl --csv > sweep.csv', 'as CSV') as Argv<MergeArgs>,
  handler: (argv) => {
    const format = chosenFormat(argv);
    const shards = argv.files.map((file) => {
      const text = readTextCapped(file, 'sweep output', ['files']);
      return { file, ...parseJsonl(text, file) };
    });
    const { header, records } = mergeShards(shards);
    show(format, header, records);
  },
};

/** The sweep commands. */
export const sweepCommands = [sweep, merge] as unknown as CommandModule<object, never>[];
