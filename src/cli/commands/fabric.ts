/**
 * The cost engine's commands: `rpc`, `fetch`, `flows` and `calibrate`. Flags are parsed here
 * (unit strings through the units layer, failure lists, flow files through io), the fabric
 * answers, report/ renders, and this file prints.
 */
import type { Argv, CommandModule } from 'yargs';
import { InputError, PodsimError } from '../../errors/index.ts';
import { calibrate } from '../../fabric/calibrate.ts';
import { compileFabric, type Fabric } from '../../fabric/compile.ts';
import { fetchCost, reachableDevices, type FetchSource } from '../../fabric/fetch.ts';
import { simulateFlows } from '../../fabric/flows.ts';
import { dataRoute } from '../../fabric/route.ts';
import { rpcAllPairs, rpcByLocality, rpcCost } from '../../fabric/rpc.ts';
import { checkAllPairsHosts } from '../../fabric/rpc-all-pairs.ts';
import { loadTopology } from '../../io/index.ts';
import { readFlows } from '../../io/flows-file.ts';
import { computeCalibrationRows } from '../../kv/compute-calibration.ts';
import {
  calibrationTables,
  fetchTable,
  flowsTable,
  rpcSummaryTable,
  rpcTables,
} from '../../report/fabric.ts';
import { rpcLocalityTable } from '../../report/rpc-locality.ts';
import {
  asFlags,
  chosenFormat,
  FAIL_DESCRIPTION,
  failOption,
  formatOptions,
  parseFailures,
  sizeFlag,
  type Format,
  type FormatArgs,
} from '../flags.ts';
import { computeCalibrationCsvTable, computeCalibrationTable } from '../calibrate-tables.ts';
import { emit, note, omitNonFinite } from '../output.ts';
import { progressBar } from '../progress.ts';
import { parseTraffic, trafficOption } from '../traffic.ts';

/** Loads a topology file or preset and compiles it with the `--fail` view. */
function fabricOf(
  topology: string,
  fail: string | undefined,
  format: Format,
  allPairs = false,
): Fabric {
  const { graph } = loadTopology(topology);
  // before compiling: a fabric of too many hosts for all-pairs tables takes long to compile
  if (allPairs) checkAllPairsHosts(graph.filterNodes((_n, a) => a.kind === 'host').length);
  const f = asFlags({ fail: '--fail' }, () => compileFabric(graph, parseFailures(fail)));
  const down = failedElements(f);
  // A note for people; --json output stays the only thing a script reads.
  if (down !== '' && format !== 'json')
    note(`--fail: ${down} out of service in ${graph.getAttribute('name')}`);
  return f;
}

/** The elements a `--fail` took out, in words (`device d0, link h0--d16`); empty with none. */
function failedElements(f: Fabric): string {
  const { devices = [], hosts = [], links = [] } = f.failures;
  return [
    ...devices.map((d) => `device ${d}`),
    ...hosts.map((h) => `host ${h}`),
    ...links.map((l) => `link ${l}`),
  ].join(', ');
}

/** `--fail`, as the cost commands describe it. */
const failFlag = <T>(y: Argv<T>): Argv<T & { fail?: string }> =>
  failOption(y, `${FAIL_DESCRIPTION} (comma-separated)`);

type RpcArgs = FormatArgs & {
  topology: string;
  from?: string;
  to?: string;
  size: string;
  fail?: string;
  traffic?: string;
};

const rpc: CommandModule<object, RpcArgs> = {
  command: 'rpc <topology>',
  describe:
    'RPC round trip between two hosts over every medium, with a per-component breakdown; without --from/--to, every host pair per medium and by locality (sharing a device, relayed, RDMA only) under a traffic matrix',
  builder: (y) =>
    failFlag(
      formatOptions(
        trafficOption(y)
          .positional('topology', {
            type: 'string',
            demandOption: true,
            describe: 'topology file or preset name',
          })
          .option('from', { type: 'string', describe: 'sending host id (e.g. h0)' })
          .option('to', { type: 'string', describe: 'receiving host id' })
          .option('size', {
            type: 'string',
            default: '64 B',
            describe: 'payload each way, with a unit',
          }),
      ),
    )
      .example(
        '$0 rpc prototype-3 --from h0 --to h1',
        'shared-MHD RPC vs RDMA on the 3-host prototype, with breakdown',
      )
      .example(
        '$0 rpc octopus-96',
        'all host pairs: min/p50/p99/max per medium, and p50/p99 of pairs sharing a device, relayed pairs and all pairs',
      )
      .example(
        '$0 rpc octopus-96 --traffic local:0.9',
        'each host sends 90 % of its RPCs to hosts it shares a device with',
      )
      .example('$0 rpc octopus-96 --traffic pairs.csv --json', 'a traffic matrix from a file')
      .example(
        '$0 rpc octopus-96 --from h0 --to h95 --fail device:d0 --json',
        'what-if with an MHD down',
      ) as Argv<RpcArgs>,
  handler: (argv) => {
    const size = sizeFlag(argv.size, '--size');
    if ((argv.from === undefined) !== (argv.to === undefined))
      throw new InputError([
        {
          code: 'cli.missing',
          path: [argv.from === undefined ? '--from' : '--to'],
          message: 'give both --from and --to, or neither for all pairs',
        },
      ]);
    if (argv.from !== undefined && argv.traffic !== undefined)
      throw new InputError([
        {
          code: 'cli.conflict',
          path: ['--traffic'],
          message: 'a traffic matrix weighs all host pairs; leave out --from/--to to use it',
        },
      ]);
    const { from, to } = argv;
    const pair = from !== undefined && to !== undefined;
    const f = fabricOf(argv.topology, argv.fail, chosenFormat(argv), !pair);
    if (from !== undefined && to !== undefined) {
      const r = asFlags({ from: '--from', to: '--to' }, () => rpcCost(f, from, to, size));
      emit(chosenFormat(argv), rpcTables(r), r);
      return;
    }
    const traffic = parseTraffic(
      argv.traffic,
      Array.from(f.hosts, (h) => f.nodes[h] ?? ''),
    );
    const bar = progressBar('all-pairs RPC', f.hosts.length, argv.json !== true);
    const s = rpcAllPairs(f, size, (done, total) => bar.update(done, total));
    bar.stop();
    // the same matrices, cached per fabric: the split costs no second pass over the hosts
    const locality = rpcByLocality(f, { payload: size, traffic });
    const name = f.graph.getAttribute('name');
    emit(chosenFormat(argv), [rpcSummaryTable(s, name), rpcLocalityTable(locality, name)], {
      ...s,
      locality,
    });
  },
};

type FetchArgs = FormatArgs & {
  topology: string;
  host: string;
  size: string;
  placement: string;
  gpu?: string;
  fail?: string;
};

/** `stripe` | `device:ID[+ID…]` | `host:ID[:gpu]` → a fetch source. */
function parsePlacement(f: Fabric, host: string, text: string): FetchSource {
  if (text === 'stripe') return { kind: 'devices', devices: reachableDevices(f, host) };
  const m = /^(device|host):(.+)$/.exec(text);
  if (m !== null && m[1] === 'device') return { kind: 'devices', devices: (m[2] ?? '').split('+') };
  if (m !== null && m[1] === 'host') {
    const [id = '', memory = 'dram'] = (m[2] ?? '').split(':');
    if (memory !== 'dram' && memory !== 'gpu')
      throw new InputError([
        {
          code: 'cli.bad-placement',
          path: ['--placement'],
          message: `"${text}": memory after host:ID must be dram or gpu`,
        },
      ]);
    return { kind: 'host', host: id, memory };
  }
  throw new InputError([
    {
      code: 'cli.bad-placement',
      path: ['--placement'],
      message: `"${text}" is not a placement; use stripe, device:ID (device:d0+d1 to stripe over several) or host:ID[:dram|:gpu]`,
    },
  ]);
}

const fetchCmd: CommandModule<object, FetchArgs> = {
  command: 'fetch <topology>',
  describe:
    "Time to bring a cached object into a host's GPU from CXL devices (striped) or another host over RDMA",
  builder: (y) =>
    failFlag(
      formatOptions(
        y
          .positional('topology', {
            type: 'string',
            demandOption: true,
            describe: 'topology file or preset name',
          })
          .option('host', { type: 'string', demandOption: true, describe: 'consuming host id' })
          .option('size', {
            type: 'string',
            demandOption: true,
            describe: 'object size with a unit, e.g. 1.43GB (Llama-3-8B KV at 10,933 tokens)',
          })
          .option('placement', {
            type: 'string',
            default: 'stripe',
            describe:
              'stripe (over every device the host reaches) | device:ID[+ID…] | host:ID[:dram|:gpu]',
          })
          .option('gpu', { type: 'string', describe: 'GPU id (default: the host’s first GPU)' }),
      ),
    )
      .example('$0 fetch octopus-96 --host h0 --size 1.43GB', 'striped over the 8 MHDs h0 reaches')
      .example(
        '$0 fetch rdma-96x3 --host h0 --size 1.43GB --placement host:h40:gpu',
        'GPU-to-GPU over RDMA, as in DroidSpeak’s testbed',
      ) as Argv<FetchArgs>,
  handler: (argv) => {
    const size = sizeFlag(argv.size, '--size');
    const f = fabricOf(argv.topology, argv.fail, chosenFormat(argv));
    const r = asFlags(
      { host: '--host', devices: '--placement', source: '--placement', gpu: '--gpu' },
      () =>
        fetchCost(
          f,
          argv.host,
          parsePlacement(f, argv.host, argv.placement),
          size,
          argv.gpu === undefined ? {} : { gpu: argv.gpu },
        ),
    );
    // unreachable: no finish time; zero bytes: no bandwidth (absent from the JSON, not null)
    emit(
      chosenFormat(argv),
      [fetchTable(r)],
      omitNonFinite(r, ['totalNs', 'latencyNs', 'effectiveBandwidthBytesPerNs']),
    );
  },
};

type FlowsArgs = FormatArgs & { topology: string; flows: string; fail?: string };

const flowsCmd: CommandModule<object, FlowsArgs> = {
  command: 'flows <topology>',
  describe:
    'Play bulk flows through the fabric with max-min fair bandwidth sharing (SimGrid semantics)',
  builder: (y) =>
    failFlag(
      formatOptions(
        y
          .positional('topology', {
            type: 'string',
            demandOption: true,
            describe: 'topology file or preset name',
          })
          .option('flows', {
            type: 'string',
            demandOption: true,
            describe:
              'JSON array of {id, src, dst, bytes, start}; src/dst are node ids (hosts, GPUs, memory devices); bytes a number or a size ("1 GB"), start a time ("5 ms") or startNs a number (docs/flows.md)',
          }),
      ),
    ).example(
      '$0 flows octopus-96 --flows scenarios/flows/octopus-96.json --json',
      'finish time, latency, average rate and resource path of each flow',
    ) as Argv<FlowsArgs>,
  handler: (argv) => {
    const f = fabricOf(argv.topology, argv.fail, chosenFormat(argv));
    const { entries, issues } = readFlows(argv.flows);
    const routed = entries.map((e, i) => {
      if (e === undefined) return undefined;
      try {
        const r = dataRoute(f, e.src, e.dst, e.bytes, [i]);
        if (r === undefined)
          issues.push({
            code: 'flow.unreachable',
            path: [i],
            message: `no route from ${e.src} to ${e.dst}${f.failures.links?.length || f.failures.devices?.length || f.failures.hosts?.length ? ' with the failures given' : ''}`,
          });
        return r;
      } catch (err) {
        if (!(err instanceof PodsimError)) throw err;
        issues.push(...err.issues);
        return undefined;
      }
    });
    if (issues.length > 0)
      throw new InputError(
        [...issues].sort((a, b) => Number(a.path[0] ?? 0) - Number(b.path[0] ?? 0)),
        argv.flows,
      );
    const results = simulateFlows(
      f.resourceCapacityBytesPerNs,
      entries.map((e, i) => ({
        id: e?.id ?? '',
        resources: [...(routed[i]?.resources ?? [])],
        bytes: e?.bytes ?? 0,
        startNs: e?.startNs ?? 0,
        latencyNs: routed[i]?.latencyNs ?? 0,
      })),
    );
    const byId = new Map(entries.map((e, i) => [e?.id ?? '', routed[i]]));
    const rows = results.map((r) => {
      const route = byId.get(r.id);
      return {
        ...r,
        medium: route?.medium ?? '',
        path: (route?.resources ?? []).map((x) => f.resources[x] ?? ''),
      };
    });
    // JSON prints the rows as they are: formatting every flow into a table would be thrown away.
    const format = chosenFormat(argv);
    emit(format, format === 'json' ? [] : [flowsTable(rows)], rows);
  },
};

const calibrateCmd: CommandModule<object, FormatArgs> = {
  command: 'calibrate',
  describe:
    'Each published figure (docs/references.md) beside the value the model gives — fabric latencies and ratios, GPU prefill and decode times — and which components are estimates',
  builder: (y) =>
    formatOptions(y).example('$0 calibrate', 'the calibration table') as Argv<FormatArgs>,
  handler: (argv) => {
    const c = calibrate({
      octopus: loadTopology('prototype-3').graph,
      switched: loadTopology('prototype-3-switched').graph,
      rdma: loadTopology('prototype-3-rdma').graph,
    });
    const compute = computeCalibrationRows();
    const format = chosenFormat(argv);
    const computeTable =
      format === 'csv' ? computeCalibrationCsvTable(compute) : computeCalibrationTable(compute);
    emit(format, [...calibrationTables(c), computeTable], { ...c, compute });
  },
};

/** The cost engine's commands, in `--help` order. */
export const fabricCommands = [rpc, fetchCmd, flowsCmd, calibrateCmd] as unknown as CommandModule<
  object,
  never
>[];
