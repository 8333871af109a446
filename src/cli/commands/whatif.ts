/**
 * `podsim whatif`: the main job (`npm start`). One scenario on several topologies side by side —
 * RPC and fetch costs, a full serving simulation each, fabric cost per host — with the best value
 * of each row marked; with `--fail`, each topology is shown intact and with the failures.
 */
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import {
  DEFAULT_WHATIF,
  fabricCostsPerHostUsd,
  whatIf,
  whatIfCases,
  type WhatIfCase,
} from '../../app/whatif.ts';
import { InputError } from '../../errors/index.ts';
import { trafficLabel, UNIFORM_TRAFFIC } from '../../fabric/rpc.ts';
import { loadScenario, loadTopology } from '../../io/index.ts';
import { POLICIES } from '../../planner/planner.ts';
import { reportHtml, reportMarkdown } from '../../report/report.ts';
import { whatIfTable } from '../../report/whatif.ts';
import {
  asFlags,
  chosenFormat,
  failOption,
  formatOptions,
  parseFailures,
  seedOption,
  withOverrides,
  type FormatArgs,
} from '../flags.ts';
import { emit, note, prepareOutputFolder, writeResult } from '../output.ts';
import { progressBar } from '../progress.ts';
import { builtinTraffic, parseTraffic, trafficOption } from '../traffic.ts';

interface WhatIfArgs extends FormatArgs {
  scenario?: string;
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
      formatOptions(seedOption(trafficOption(y)))
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
      .example(
        '$0 whatif --report out/',
        'the default what-if, plus out/report.md and out/report.html (TTFT CDFs, decision mix, utilisation, cost vs goodput, topology drawings)',
      ) as Argv<WhatIfArgs>,
  handler: (argv) => {
    const format = chosenFormat(argv);
    const { scenario } = loadScenario(argv.scenario ?? DEFAULT_WHATIF.scenario);
    const cfg = withOverrides(scenario, argv);
    const failures = parseFailures(argv.fail);
    const names = topologyNames(argv.topologies);
    // an unwritable report folder is refused before the simulations, not after them
    if (argv.report !== undefined) prepareOutputFolder(argv.report, '--report');
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
    const bar = progressBar('what-if', cases.length, format !== 'json');
    const t0 = performance.now();
    const columns = whatIf(cases, cfg, (done, total) => bar.update(done, total), { traffic });
    bar.stop();
    const cost = fabricCostsPerHostUsd(cases);
    if (argv.report !== undefined) {
      const input = {
        scenario: scenario.name,
        columns,
        costPerHostUsd: cost,
        graphs: cases.map((c) => c.graph),
        generatedBy: `podsim whatif ${argv.scenario ?? DEFAULT_WHATIF.scenario} --topologies ${names.join(' ')}${argv.fail === undefined ? '' : ` --fail ${argv.fail}`}`,
      };
      const md = reportMarkdown(input);
      const html = reportHtml(input);
      writeResult(join(argv.report, 'report.md'), md, '--report');
      writeResult(join(argv.report, 'report.html'), html, '--report');
    }
    emit(format, [whatIfTable(columns, scenario.name, cost)], {
      scenario: scenario.name,
      traffic: trafficLabel(traffic),
      columns: columns.map((c, i) => ({ ...c, fabricCostPerHostUsd: cost[i] })),
    });
    if (format !== 'json')
      note(
        `${cases.length} fabrics × ${(cfg.workload.requests ?? 0).toLocaleString('en-US')} requests simulated in ${((performance.now() - t0) / 1000).toFixed(1)} s wall time`,
      );
  },
};

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
