/**
 * `podsim whatif`: the main job (`npm start`). One scenario on several topologies side by side —
 * RPC and fetch costs, a full serving simulation each, fabric cost per host — with the best value
 * of each row marked; with `--fail`, each topology is shown intact and with the failures.
 */
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { LOAD_DEFAULTS, scenarioRatePerS, withPoissonRate } from '../../app/load-sweep.ts';
import {
  DEFAULT_WHATIF,
  fabricCostsPerHostUsd,
  whatIf,
  whatIfCases,
  type WhatIfCase,
  type WhatIfColumn,
  type WhatIfOptions,
} from '../../app/whatif.ts';
import type { Failures } from '../../fabric/compile.ts';
import { InputError } from '../../errors/index.ts';
import { trafficLabel, UNIFORM_TRAFFIC, type TrafficMatrix } from '../../fabric/rpc.ts';
import { loadScenario, loadTopology } from '../../io/index.ts';
import { POLICIES, type PolicyName } from '../../planner/planner.ts';
import { reportHtml, reportMarkdown } from '../../report/report.ts';
import { whatIfTable } from '../../report/whatif.ts';
import {
  boundNotes,
  loadCsvTable,
  loadTable,
  maxRateTable,
  whatIfCsvTable,
} from '../../report/whatif-load.ts';
import type { SimConfig } from '../../sim/types.ts';
import {
  asFlags,
  chosenFormat,
  failOption,
  formatOptions,
  gpuOption,
  parseFailures,
  seedOption,
  withOverrides,
  inScenario,
  type Format,
  type FormatArgs,
} from '../flags.ts';
import { emit, note, out, prepareOutputFolder, writeResult } from '../output.ts';
import { progressBar } from '../progress.ts';
import { builtinTraffic, parseTraffic, trafficOption } from '../traffic.ts';

interface WhatIfArgs extends FormatArgs {
  scenario?: string;
  gpu?: string;
  rates?: string;
  'max-rate'?: boolean;
  'slo-target'?: string;
  policies?: string;
  topologies?: string[];
  fail?: string;
  policy?: string;
  seed?: string;
  report?: string;
  traffic?: string;
}

const whatif: CommandModule<object, WhatIfArgs> = {
  command: 'whatif [scenario]',
  describe: `One scenario on several topologies side by side: RPC, fetch, TTFT, goodput, reuse mix, utilisation, cost per host (default: ${DEFAULT_WHATIF.scenario} on ${DEFAULT_WHATIF.topologies.join(', ')})`,
  builder: (y) =>
    failOption(
      formatOptions(seedOption(gpuOption(trafficOption(y))))
        .positional('scenario', {
          type: 'string',
          describe: `scenario file or preset (default ${DEFAULT_WHATIF.scenario})`,
        })
        .option('topologies', {
          type: 'string',
          array: true,
          describe: 'topology files or presets (default: the three bundled 96-host fabrics)',
        }),
      'link:ID,device:ID,host:ID — show each topology intact and with these failed',
    )
      .option('policy', {
        type: 'string',
        choices: POLICIES,
        describe: 'override the planner policy',
      })
      .option('rates', {
        type: 'string',
        describe:
          "offered Poisson rates, requests per second, comma-separated (e.g. 8,16,32,64): goodput and TTFT p99 vs load per fabric under the scenario's policy and full prefill, the knee marked",
      })
      .option('max-rate', {
        type: 'boolean',
        describe:
          "per fabric, the highest rate meeting the SLOs under the scenario's policy and under full prefill (bracket + bisection to 2 %), and their ratio",
      })
      .option('policies', {
        type: 'string',
        describe: `policies of the load axis, comma-separated (default: the scenario's and full-prefill; any of ${POLICIES.join(', ')})`,
      })
      .option('slo-target', {
        type: 'string',
        describe:
          'share of requests that must meet the SLOs for a rate to count as meeting them (default 99%)',
      })
      .option('report', {
        type: 'string',
        describe:
          'also write report.md and a self-contained report.html with SVG charts into this folder',
      })
      .example('$0 whatif', 'the default comparison (what npm start runs)')
      .example(
        '$0 whatif --traffic local:0.9',
        'RPC rows weighted as if each host sent 90 % of its RPCs to hosts sharing a device with it',
      )
      .example(
        '$0 whatif droidspeak-70b --topologies octopus-96 rdma-96x3 --csv',
        'the 70B scenario on two fabrics, as CSV',
      )
      .example(
        '$0 whatif --topologies octopus-96 --fail device:d0,device:d1',
        'octopus-96 intact and with two MHDs down',
      )
      .example('$0 whatif --rates 8,16,32,64', 'goodput and TTFT p99 vs offered load, knee marked')
      .example(
        '$0 whatif --gpu gh200 --topologies octopus-96-gh200 switched-96-gh200 rdma-96x3-gh200',
        'the same scenario on a current generation (GPUs on a coherent C2C link), where the fabric bounds fetches',
      )
      .example(
        '$0 whatif --max-rate',
        'the highest rate meeting the SLOs with and without reuse, per fabric',
      )
      .example(
        '$0 whatif --report out/',
        'the default what-if, plus out/report.md and out/report.html (TTFT CDFs, decision mix, utilisation, cost vs goodput, topology drawings)',
      ) as Argv<WhatIfArgs>,
  handler: async (argv) => {
    const format = chosenFormat(argv);
    const { scenario, display } = loadScenario(argv.scenario ?? DEFAULT_WHATIF.scenario);
    const cfg = withOverrides(scenario, argv);
    const failures = parseFailures(argv.fail);
    const names = topologyNames(argv.topologies);
    const load = loadFlags(argv, cfg);
    // an unwritable report folder is refused before the simulations, not after them
    if (argv.report !== undefined) prepareOutputFolder(argv.report, '--report');
    const { cases, traffic } = loadCases(names, argv, failures);
    const perCase = 2 + (load.ratesPerS?.length ?? 0) * (load.loadPolicies?.length ?? 2);
    const bar = progressBar('what-if runs', cases.length * perCase, format !== 'json');
    let runs = 0;
    const tick = (): void => {
      runs++;
      bar.update(runs, Math.max(runs + 1, cases.length * perCase));
    };
    const t0 = performance.now();
    // one tick per run: the column's own (onProgress) and every extra one (onRun)
    const columns = await inScenario(display, () =>
      whatIf(cases, cfg, tick, { traffic, ...load, onRun: tick }),
    );
    bar.stop();
    const cost = fabricCostsPerHostUsd(cases);
    if (argv.report !== undefined) {
      const input = {
        scenario: scenario.name,
        columns,
        costPerHostUsd: cost,
        graphs: cases.map((c) => c.graph),
        generatedBy: `podsim whatif ${argv.scenario ?? DEFAULT_WHATIF.scenario} --topologies ${names.join(' ')}${argv.fail === undefined ? '' : ` --fail ${argv.fail}`}${loadArgs(argv)}`,
        ttftSloNs: cfg.slo.ttftNs,
      };
      writeResult(join(argv.report, 'report.md'), reportMarkdown(input), '--report');
      writeResult(join(argv.report, 'report.html'), reportHtml(input), '--report');
    }
    printWhatIf(format, scenario.name, columns, cost, trafficLabel(traffic), load.targetShare);
    if (format !== 'json')
      note(
        `${cases.length} fabrics, ${runs} runs of ${(cfg.workload.requests ?? 0).toLocaleString('en-US')} requests simulated in ${((performance.now() - t0) / 1000).toFixed(1)} s wall time`,
      );
  },
};

/** The load-axis flags as given, for the report's "generated by" line. */
function loadArgs(argv: WhatIfArgs): string {
  return [
    argv.rates === undefined ? '' : ` --rates ${argv.rates}`,
    argv.policies === undefined ? '' : ` --policies ${argv.policies}`,
    argv['slo-target'] === undefined ? '' : ` --slo-target ${argv['slo-target']}`,
    argv['max-rate'] === true ? ' --max-rate' : '',
  ].join('');
}

/** The load-axis options the flags ask for: the reuse gain always, searched with `--max-rate`. */
function loadFlags(argv: WhatIfArgs, cfg: SimConfig): WhatIfOptions {
  const ratesPerS = argv.rates === undefined ? undefined : parseRates(argv.rates);
  const targetShare =
    argv['slo-target'] === undefined ? undefined : parseTarget(argv['slo-target']);
  const search = argv['max-rate'] === true;
  const loadPolicies = argv.policies === undefined ? undefined : parsePolicies(argv.policies);
  if (loadPolicies !== undefined && ratesPerS === undefined)
    throw new InputError([
      {
        code: 'cli.policies',
        path: ['--policies'],
        message:
          'chooses the policies of the load axis; give --rates too (e.g. --rates 8,16,32,64)',
      },
    ]);
  // refused before any work: a load axis on a scenario whose arrivals are not Poisson
  if (search) scenarioRatePerS(cfg, '--max-rate');
  if (ratesPerS !== undefined) for (const r of ratesPerS) withPoissonRate(cfg, r, '--rates');
  return {
    reuseGain: { search, relTolerance: LOAD_DEFAULTS.searchTolerance },
    ...(ratesPerS === undefined ? {} : { ratesPerS }),
    ...(loadPolicies === undefined ? {} : { loadPolicies }),
    ...(targetShare === undefined ? {} : { targetShare }),
  };
}

/** The cases of the named topologies, and the traffic matrix checked against each. */
function loadCases(
  names: readonly string[],
  argv: WhatIfArgs,
  failures: Failures,
): { cases: WhatIfCase[]; traffic: TrafficMatrix } {
  const cases: WhatIfCase[] = [];
  const builtin = builtinTraffic(argv.traffic);
  let traffic = builtin ?? UNIFORM_TRAFFIC;
  for (const n of names) {
    const { graph } = loadTopology(n);
    // a traffic file is checked against every topology's hosts, before any work
    if (builtin === undefined)
      traffic = parseTraffic(
        argv.traffic,
        graph.filterNodes((_id, a) => a.kind === 'host'),
      );
    // every unknown id, named under --fail, before any work
    cases.push(...asFlags({ fail: '--fail' }, () => whatIfCases(graph, failures, argv.fail)));
  }
  return { cases, traffic };
}

/**
 * Prints the what-if: the table, what bounds each column and the load tables as text or
 * Markdown; raw numbers in base units as CSV (one row per column, or per load point with
 * `--rates`) and JSON.
 */
function printWhatIf(
  format: Format,
  scenario: string,
  columns: readonly WhatIfColumn[],
  cost: readonly number[],
  traffic: string,
  targetShare?: number,
): void {
  const curves = columns.some((c) => (c.loadCurves?.length ?? 0) > 0);
  const searched = columns.some((c) => c.reuseGain?.sustainable !== undefined);
  if (format === 'json') {
    emit(format, [], {
      scenario,
      traffic,
      columns: columns.map((c, i) => ({ ...c, fabricCostPerHostUsd: cost[i] })),
      ...(curves ? { load: loadCsvRecords(columns) } : {}),
    });
    return;
  }
  if (format === 'csv') {
    emit(format, [curves ? loadCsvTable(columns) : whatIfCsvTable(columns, cost)], undefined);
    return;
  }
  const tables = [whatIfTable(columns, scenario, cost)];
  emit(format, tables, undefined);
  out(`\n${boundNotes(columns, targetShare).join('\n')}`);
  const more = [
    ...(curves ? [loadTable(columns)] : []),
    ...(searched ? [maxRateTable(columns)] : []),
  ];
  if (more.length > 0) {
    out('');
    emit(format, more, undefined);
  }
}

/** The load points as JSON records: raw numbers, units in the names. */
function loadCsvRecords(
  columns: readonly WhatIfColumn[],
): Record<string, string | number | boolean | null>[] {
  const t = loadCsvTable(columns);
  return t.rows.map((r) =>
    Object.fromEntries(
      t.columns.map((c, i) => {
        const v = r[i] ?? '';
        if (c.header === 'fabric' || c.header === 'policy') return [c.header, v];
        if (c.header === 'meets_slo') return [c.header, v === '1'];
        return [c.header, v === '' ? null : Number(v)];
      }),
    ),
  );
}

/**
 * `--rates 8,16,32,64`: offered rates, requests per second.
 * @throws InputError (path `--rates`, a usage mistake) naming the entries that are not positive numbers
 */
export function parseRates(text: string): number[] {
  const parts = String(text)
    .split(',')
    .map((p) => p.trim());
  const rates = parts.map((p) => (/^\d+(\.\d+)?$/.test(p) ? Number(p) : Number.NaN));
  const bad = parts.filter((_p, i) => !((rates[i] ?? 0) > 0));
  if (bad.length > 0 || parts.length === 0)
    throw new InputError([
      {
        code: 'cli.rates',
        path: ['--rates'],
        message: `expected comma-separated rates in requests per second greater than 0 (e.g. --rates 8,16,32,64), got ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
      },
    ]);
  return rates;
}

/**
 * `--policies fabric-aware,droidspeak`: planner policies, each named once.
 * @throws InputError (path `--policies`, a usage mistake) naming the unknown ones and the choices
 */
export function parsePolicies(text: string): PolicyName[] {
  const names = [
    ...new Set(
      String(text)
        .split(',')
        .map((p) => p.trim()),
    ),
  ];
  const bad = names.filter((n) => !(POLICIES as readonly string[]).includes(n));
  if (bad.length > 0 || names.length === 0)
    throw new InputError([
      {
        code: 'cli.policies',
        path: ['--policies'],
        message: `expected comma-separated policies from ${POLICIES.join(', ')}, got ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
      },
    ]);
  return names as PolicyName[];
}

/**
 * `--slo-target 99%`: the share of requests that must meet the SLOs, as a fraction.
 * @throws InputError (path `--slo-target`) unless it is a percentage above 0 and at most 100
 */
export function parseTarget(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(String(text));
  const v = m === null ? Number.NaN : Number(m[1]) / 100;
  if (v > 0 && v <= 1) return v;
  throw new InputError([
    {
      code: 'cli.slo-target',
      path: ['--slo-target'],
      message: `expected a percentage above 0 and at most 100 (e.g. --slo-target 99%), got ${JSON.stringify(String(text))}`,
    },
  ]);
}

/**
 * The topologies `--topologies` names (the defaults when it is not given).
 * @throws InputError (a usage mistake) when the flag is given with no names, or with an empty one
 */
function topologyNames(given: readonly string[] | undefined): string[] {
  if (given === undefined) return [...DEFAULT_WHATIF.topologies];
  const names = given.map(String);
  if (names.length === 0 || names.some((n) => n.trim() === ''))
    throw new InputError([
      {
        code: 'cli.topologies',
        path: ['--topologies'],
        message: `expected one or more topology files or preset names (e.g. --topologies ${DEFAULT_WHATIF.topologies.join(' ')}), got ${names.length === 0 ? 'none' : 'an empty name'}`,
      },
    ]);
  return names;
}

/** The what-if commands. */
export const whatifCommands = [whatif] as unknown as CommandModule<object, never>[];
