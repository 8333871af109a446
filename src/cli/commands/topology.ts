/**
 * `podsim topology …`: inspect, compare, generate, export, list, schema and fit. Parses flags,
 * calls the library, prints; no domain logic here (docs/design.md, cli/ layer).
 */
import type { Argv, CommandModule } from 'yargs';
import { InputError, PodsimError, withIssues, type Issue } from '../../errors/index.ts';
import {
  GENERATOR_PARAM_SCHEMAS,
  listPresets,
  loadTopology,
  parseTopologyText,
  renderTopologyFile,
  topologyJsonSchema,
  type TopologyFileDocument,
} from '../../io/index.ts';
import { EXPORTERS, type ExportFormat } from '../../report/export.ts';
import { renderCsv, renderMarkdown, renderText } from '../../report/table.ts';
import { compareTable, inspectTables, renderInspect } from '../../report/topology.ts';
import { fitCmd } from '../topology-fit.ts';
import {
  GENERATOR_NAMES,
  GENERATORS,
  type GeneratorName,
} from '../../topology/generators/index.ts';
import { topologyMetrics } from '../../topology/metrics.ts';
import { hardwareSummary } from '../../topology/hardware.ts';
import { fetchBound } from '../../fabric/fetch-bound.ts';
import { hardwareRows, hardwareTable } from '../../report/hardware.ts';
import { compileFabric } from '../../fabric/compile.ts';
import { fabricSummary } from '../../fabric/summary.ts';
import { costRows } from '../../report/fabric.ts';
import { chosenFormat, formatOptions, type FormatArgs } from '../flags.ts';
import { json, note, out, prepareOutput, writeResult } from '../output.ts';
import { progressBar } from '../progress.ts';

/** The bundled topologies `npm start` and `topology compare` show by default (the 96-host what-if set). */
export const DEFAULT_COMPARISON = ['octopus-96', 'switched-96', 'rdma-96x3'] as const;

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Every generator parameter name, for flags (union over generators; hybrid's pod params share them). */
function paramKeys(name: GeneratorName): string[] {
  const schema = GENERATOR_PARAM_SCHEMAS[name] as unknown as { shape?: Record<string, unknown> };
  return Object.keys(schema.shape ?? {});
}

/**
 * Flag value as given: numbers stay numbers only when they are plain numeric literals that a
 * double holds exactly (so `--seed 9007199254740993` is not silently rounded); anything else is
 * passed on as text for the schema to refuse, naming the flag.
 */
function flagValue(v: unknown): unknown {
  if (typeof v !== 'string' || !/^[-+]?\d+(\.\d+)?$/.test(v.trim())) return v;
  const n = Number(v);
  return v.includes('.') || Number.isSafeInteger(n) ? n : v;
}

const inspect: CommandModule<object, FormatArgs & { topology: string }> = {
  command: 'inspect <topology>',
  describe:
    'Sizes, ports, device sharing, relay hops, reachable memory, cables, bill of materials, GPU and NIC links and what bounds a cache fetch, of one topology',
  builder: (y) =>
    formatOptions(
      y.positional('topology', {
        type: 'string',
        demandOption: true,
        describe: 'topology file (YAML/JSON) or bundled preset name',
      }),
    )
      .example('$0 topology inspect octopus-96', 'the bundled 96-host island pod')
      .example('$0 topology inspect my-pod.yaml --json', 'metrics as JSON for scripts') as Argv<
      FormatArgs & { topology: string }
    >,
  handler: (argv) => {
    const format = chosenFormat(argv);
    const { graph } = loadTopology(argv.topology);
    const m = topologyMetrics(graph);
    const hardware = hardwareSummary(graph);
    const fetch = fetchBound(compileFabric(graph));
    if (format === 'json') out(json({ ...m, hardware, sampleFetch: fetch ?? null }));
    else if (format === 'text')
      out(`${renderInspect(m)}\n\n${renderText(hardwareTable(hardware, fetch))}`);
    else
      out(
        [...inspectTables(m), hardwareTable(hardware, fetch)]
          .map(format === 'csv' ? renderCsv : renderMarkdown)
          .join('\n\n'),
      );
  },
};

const compare: CommandModule<object, FormatArgs & { topologies: string[] }> = {
  command: 'compare [topologies..]',
  describe: `Several topologies side by side (default: ${DEFAULT_COMPARISON.join(', ')})`,
  builder: (y) =>
    formatOptions(
      y.positional('topologies', {
        type: 'string',
        array: true,
        describe: 'topology files or preset names',
      }),
    )
      .example(
        '$0 topology compare',
        'the bundled 96-host Octopus, switched-CXL and RDMA topologies',
      )
      .example(
        '$0 topology compare prototype-3 prototype-3-switched prototype-3-rdma --csv',
        'the 3-host prototype and its counterparts as CSV',
      ) as Argv<FormatArgs & { topologies: string[] }>,
  handler: (argv) =>
    out(
      renderComparison(
        argv.topologies?.length ? argv.topologies : [...DEFAULT_COMPARISON],
        chosenFormat(argv),
      ),
    ),
};

/** Renders the comparison of the named topologies in one format (shared by `topology compare` and the default job). */
export function renderComparison(
  names: readonly string[],
  format: 'text' | 'json' | 'csv' | 'markdown',
): string {
  const graphs = names.map((n) => loadTopology(n).graph);
  const metrics = graphs.map((g) => topologyMetrics(g));
  const bar = progressBar('comparing topologies', graphs.length, format !== 'json');
  const bounds: ReturnType<typeof fetchBound>[] = [];
  const costs = graphs.map((g, i) => {
    const f = compileFabric(g);
    const c = fabricSummary(f);
    bounds.push(fetchBound(f));
    bar.update(i + 1, graphs.length);
    return c;
  });
  bar.stop();
  if (format === 'json') return json(metrics.map((m, i) => ({ ...m, costs: costs[i] })));
  const table = compareTable(metrics, [
    ...costRows(costs),
    ...hardwareRows(graphs.map(hardwareSummary), bounds),
  ]);
  return format === 'csv'
    ? renderCsv(table)
    : format === 'markdown'
      ? renderMarkdown(table)
      : renderText(table);
}

interface GenerateArgs {
  generator: string;
  o?: string;
  name?: string;
  podGenerator?: string;
  gpusPerHost?: number;
  nicsPerHost?: number;
  [flag: string]: unknown;
}

const ALL_PARAM_KEYS = [...new Set(GENERATOR_NAMES.flatMap(paramKeys))].filter((k) => k !== 'pod');

const generateCmd: CommandModule<object, GenerateArgs> = {
  command: 'generate <generator>',
  describe: 'Write a topology file that calls a generator with the given parameters',
  builder: (y) => {
    let b = y
      .positional('generator', {
        type: 'string',
        choices: GENERATOR_NAMES,
        demandOption: true,
        describe: 'which generator',
      })
      .option('o', { alias: 'output', type: 'string', describe: 'output file (default: stdout)' })
      .option('name', { type: 'string', describe: 'topology name' })
      .option('pod-generator', {
        type: 'string',
        choices: ['octopus-bibd', 'octopus-islands', 'octopus-sparse'],
        describe: 'hybrid only: generator of each pod (its parameters come from the other flags)',
      })
      .option('gpus-per-host', {
        type: 'string',
        describe: 'GPUs per host (default from the component profile)',
      })
      .option('nics-per-host', { type: 'string', describe: 'RDMA NICs per host' });
    for (const key of ALL_PARAM_KEYS) {
      const users = GENERATOR_NAMES.filter((g) => paramKeys(g).includes(key));
      b = b.option(kebab(key), {
        type: 'string',
        describe: `${describeParam(key)} (${users.join(', ')})`,
      });
    }
    return b
      .example(
        '$0 topology generate octopus-bibd --host-ports 4 --device-ports 4 -o pod.yaml',
        '13 hosts, 13 four-port MHDs (projective plane of order 3)',
      )
      .example(
        '$0 topology generate octopus-sparse --hosts 100 --host-ports 8 --device-ports 4 --seed 7',
        'any host count',
      )
      .example(
        '$0 topology generate hybrid --pods 4 --pod-generator octopus-bibd --host-ports 4 --device-ports 4',
        'four Octopus pods joined by RDMA',
      ) as Argv<GenerateArgs>;
  },
  handler: (argv) => {
    if (argv.o !== undefined) prepareOutput(argv.o, '-o');
    const name = argv.generator as GeneratorName;
    const pick = (g: GeneratorName): Record<string, unknown> => {
      const params: Record<string, unknown> = {};
      for (const key of paramKeys(g)) {
        const v = argv[key];
        if (v !== undefined) params[key] = flagValue(v);
      }
      return params;
    };
    let params: Record<string, unknown>;
    if (name === 'hybrid') {
      const podGen = (argv.podGenerator ?? 'octopus-bibd') as GeneratorName;
      params = { ...pick('hybrid'), pod: { generator: podGen, params: pick(podGen) } };
    } else params = pick(name);
    const options: Record<string, unknown> = {};
    if (argv.gpusPerHost !== undefined) options['gpusPerHost'] = flagValue(argv.gpusPerHost);
    if (argv.nicsPerHost !== undefined) options['nicsPerHost'] = flagValue(argv.nicsPerHost);
    const doc = {
      ...(argv.name === undefined ? {} : { name: argv.name }),
      description: `generated by: podsim topology generate ${name}`,
      generator: name,
      params,
      ...(Object.keys(options).length > 0 ? { options } : {}),
    } as unknown as TopologyFileDocument;
    try {
      let text = renderTopologyFile(doc);
      let graph = parseTopologyText(text, argv.o ?? 'generated.yaml');
      if (argv.name === undefined) {
        // Name the file after what was built (e.g. octopus-bibd-13), not after the output file.
        const hosts = graph.filterNodes((_, a) => a.kind === 'host').length;
        text = renderTopologyFile({ ...doc, name: `${name}-${hosts}` });
        graph = parseTopologyText(text, argv.o ?? 'generated.yaml');
      }
      const m = topologyMetrics(graph);
      writeResult(argv.o, text);
      note(
        `${m.name}: ${m.hosts} hosts, ${m.devices} memory devices, ${m.switches} CXL switches, ${m.links} cables; ${(m.pairSharingFraction * 100).toFixed(1)} % of host pairs share a device${m.cxlLinks === 0 ? '' : m.fitsReach ? `; every CXL cable within the ${m.copperReachM} m copper reach` : `; does not fit the ${m.copperReachM} m copper reach (longest cable ${m.longestCableM.toFixed(2)} m, ${m.cables.cxlBeyondCopperReach} cables with retimers)`}`,
      );
    } catch (e) {
      if (e instanceof PodsimError) throw flagsError(e);
      throw e;
    }
  },
};

/** Re-points issues about `params.x` at the `--x` flag the user typed; generator-level messages name flags too. */
function flagsError(e: PodsimError): PodsimError {
  const keys = [...ALL_PARAM_KEYS, 'gpusPerHost', 'nicsPerHost'].filter((k) => /[A-Z]/.test(k));
  const issues: Issue[] = e.issues.map((i) => {
    const key =
      i.path[0] === 'params'
        ? i.path[i.path[1] === 'pod' ? 3 : 1]
        : i.path[0] === 'options'
          ? i.path[1]
          : undefined;
    if (typeof key === 'string') return { ...i, path: [`--${kebab(key)}`] };
    // e.g. "no design for hostPorts 6, devicePorts 4 … nearest: hostPorts 5" → "--host-ports 6 …"
    const message = keys.reduce(
      (m, k) => m.replace(new RegExp(`\\b${k}\\b`, 'g'), `--${kebab(k)}`),
      i.message,
    );
    return { ...i, path: [], message };
  });
  return withIssues(e, issues);
}

function describeParam(key: string): string {
  for (const g of GENERATOR_NAMES) {
    const field = (
      GENERATOR_PARAM_SCHEMAS[g] as unknown as { shape?: Record<string, { description?: string }> }
    ).shape?.[key];
    if (field?.description !== undefined) return field.description;
  }
  return key;
}

const exportCmd: CommandModule<
  object,
  { topology: string; format: string; o?: string; internals?: boolean; json?: boolean }
> = {
  command: 'export <topology>',
  describe:
    'Export every node and link (JSON with per-direction bandwidth and latency, Graphviz DOT, GraphML)',
  builder: (y) =>
    y
      .positional('topology', {
        type: 'string',
        demandOption: true,
        describe: 'topology file or preset name',
      })
      .option('format', {
        type: 'string',
        choices: Object.keys(EXPORTERS),
        default: 'json',
        describe: 'output format',
      })
      .option('json', {
        type: 'boolean',
        describe: 'the same as --format json (the flag every other command takes)',
      })
      .option('o', { alias: 'output', type: 'string', describe: 'output file (default: stdout)' })
      .option('internals', {
        type: 'boolean',
        describe: 'DOT: draw GPUs and NICs as their own nodes (default: folded into hosts)',
      })
      .example(
        '$0 topology export octopus-96 --format dot -o pod.dot',
        'then: dot -Tsvg pod.dot > pod.svg',
      )
      .example(
        '$0 topology export prototype-3 --format json',
        'nodes, links and flow resources as JSON',
      ) as Argv<{ topology: string; format: string; o?: string }>,
  handler: (argv) => {
    if (argv.json === true && argv.format !== 'json')
      throw new InputError([
        {
          code: 'cli.conflict',
          path: ['--json'],
          message: `--json asks for JSON but --format asks for ${argv.format}; give one`,
        },
      ]);
    const format = argv.json === true ? 'json' : argv.format;
    if (argv.o !== undefined) prepareOutput(argv.o, '-o');
    const { graph } = loadTopology(argv.topology);
    writeResult(
      argv.o,
      EXPORTERS[format as ExportFormat](
        graph,
        argv.internals === undefined ? {} : { internals: argv.internals },
      ),
    );
  },
};

const list: CommandModule<object, { json?: boolean }> = {
  command: 'list',
  describe: 'The bundled topologies and the generators',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', describe: 'as JSON' })
      .example('$0 topology list', 'names to pass wherever a topology file is expected') as Argv<{
      json?: boolean;
    }>,
  handler: (argv) => {
    const presets = listPresets();
    const generators = GENERATOR_NAMES.map((g) => ({
      name: g,
      family: GENERATORS[g].family,
      summary: GENERATORS[g].summary,
    }));
    if (argv.json === true) {
      out(json({ presets, generators }));
      return;
    }
    out(
      renderText({
        title: 'Bundled topologies (use the name wherever a topology file is expected)',
        columns: [{ header: 'name' }, { header: 'description' }],
        rows: presets.map((p) => [p.name, p.description]),
      }),
    );
    out('');
    out(
      renderText({
        title: 'Generators (podsim topology generate <name> --help)',
        columns: [{ header: 'name' }, { header: 'family' }, { header: 'what it builds' }],
        rows: generators.map((g) => [g.name, g.family, g.summary]),
      }),
    );
  },
};

const schema: CommandModule<object, { o?: string }> = {
  command: 'schema',
  describe: 'The JSON Schema of topology files (for editors: yaml-language-server, VS Code)',
  builder: (y) =>
    y
      .option('o', { alias: 'output', type: 'string', describe: 'output file (default: stdout)' })
      .example(
        '$0 topology schema -o topology.schema.json',
        'then start a YAML file with: # yaml-language-server: $schema=topology.schema.json',
      ) as Argv<{ o?: string }>,
  handler: (argv) => writeResult(argv.o, json(topologyJsonSchema())),
};

/** `podsim topology <subcommand>`. */
export const topologyCommand: CommandModule<object, object> = {
  command: 'topology',
  describe: 'Build, check and look at topologies (Octopus pods, switched CXL, RDMA racks, hybrids)',
  builder: (y) =>
    y
      .command(inspect as CommandModule<object, never>)
      .command(compare as CommandModule<object, never>)
      .command(generateCmd as CommandModule<object, never>)
      .command(exportCmd as CommandModule<object, never>)
      .command(list as CommandModule<object, never>)
      .command(schema as CommandModule<object, never>)
      .command(fitCmd as CommandModule<object, never>)
      .demandCommand(
        1,
        'Name a topology subcommand: inspect, compare, generate, export, list, schema or fit.',
      )
      .strictCommands()
      .example('$0 topology inspect octopus-96', 'one topology in detail')
      .example(
        '$0 topology generate octopus-bibd --host-ports 4 --device-ports 4 -o pod.yaml',
        'a 13-host block-design pod',
      ),
  handler: () => undefined,
};
