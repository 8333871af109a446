/**
 * Running a sweep's points (`podsim sweep`; docs/sweeps.md): loads the scenario and the
 * generator-form topology file a sweep varies and parses the grid against them
 * ({@link prepareSweep}), then evaluates any point ({@link evaluatePoint}) — its topology built
 * from the file's document with the point's params, straight through the generator
 * (./generated-topology.ts), the scenario with the point's overrides, one what-if column and the
 * fabric price. The CLI runs points in-process or on worker threads (src/cli/sweep-pool.ts); a
 * point gives the same record either way, because both call these.
 */
import { basename } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_COST_CATALOGUE, priceTopology } from '../cost/index.ts';
import { InputError, PodsimError } from '../errors/index.ts';
import { fromZodIssues } from '../io/issues.ts';
import {
  GENERATOR_PARAM_SCHEMAS,
  loadScenario,
  loadTopology,
  ROUTING_POLICIES,
  type Scenario,
  type TopologyFileDocument,
} from '../io/index.ts';
import { buildGeneratorDocument } from './generated-topology.ts';
import {
  applyScenarioParams,
  expandGrid,
  gridPoint,
  parseGrid,
  splitParams,
  type Grid,
  type GridPoint,
  type GridValue,
} from './sweep-grid.ts';
import { sweepRecord, type SweepRecord } from './sweep-records.ts';
import { whatIf } from './whatif.ts';

/** What a sweep is, as given on the command line (plain strings, so it can be posted to a worker). */
export interface SweepSpec {
  /** Scenario file or preset. */
  readonly scenario: string;
  /** Generator-form topology file or preset. */
  readonly topology: string;
  /** The `--grid key=v1,v2` arguments. */
  readonly grid: readonly string[];
}

/** A loaded sweep: everything needed to evaluate any of its points. */
export interface SweepContext {
  readonly spec: SweepSpec;
  readonly scenario: Scenario;
  /** The topology file's generator-form document, as written. */
  readonly document: Readonly<Record<string, unknown>> & {
    readonly params: Readonly<Record<string, unknown>>;
  };
  /** The name problems in a point's topology are reported against. */
  readonly topologyFile: string;
  readonly grid: Grid;
  readonly points: readonly GridPoint[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Loads the scenario and topology and parses the grid against them.
 * @param readText reads a file's text (the topology file again, for its document as written:
 *   the file system is the CLI's, docs/design.md)
 * @throws InputError when the topology is not in the generator form (under `--topology`) or the
 *   grid is bad; anything loadScenario / loadTopology throw
 */
export function prepareSweep(spec: SweepSpec, readText: (path: string) => string): SweepContext {
  const { scenario } = loadScenario(spec.scenario);
  const { file } = loadTopology(spec.topology); // validates the file as it stands, and finds presets
  const data: unknown = parse(readText(file));
  if (!isRecord(data) || typeof data['generator'] !== 'string' || !isRecord(data['params'])) {
    throw new InputError([
      {
        code: 'sweep.topology-form',
        path: ['--topology'],
        message: `${spec.topology} is not a generator-form topology file (generator + params), so it has no params to sweep; write one with \`podsim topology generate … -o file.yaml\``,
      },
    ]);
  }
  const document = data as SweepContext['document'];
  const grid = parseGrid(spec.grid, {
    topologyParams: document.params,
    scenario,
    routings: ROUTING_POLICIES,
    checkTopologyValue: paramDomain(document['generator'] as string),
  });
  return { spec, scenario, document, topologyFile: basename(file), grid, points: expandGrid(grid) };
}

/**
 * The domain check of a generator's params (its schema in io, one field at a time), so a grid
 * value the generator could never take (`hosts=0`, a negative seed) is refused under
 * `--grid key` before any point runs instead of becoming an error record per point.
 */
function paramDomain(generator: string): (key: string, value: GridValue) => string | undefined {
  const schemas = GENERATOR_PARAM_SCHEMAS as unknown as Readonly<
    Record<string, { shape?: Readonly<Record<string, SafeParser | undefined>> } | undefined>
  >;
  const shape = Object.hasOwn(schemas, generator) ? schemas[generator]?.shape : undefined;
  return (key, value) => {
    const field = shape !== undefined && Object.hasOwn(shape, key) ? shape[key] : undefined;
    const r = field?.safeParse(value);
    if (r === undefined || r.success) return undefined;
    return fromZodIssues(r.error.issues)
      .map((i) => i.message)
      .join('; ');
  };
}

/** The part of a zod schema {@link paramDomain} uses. */
interface SafeParser {
  safeParse(
    value: unknown,
  ): { success: true } | { success: false; error: { issues: Parameters<typeof fromZodIssues>[0] } };
}

/**
 * Evaluates one point: its topology built from the file's document with the point's params, the
 * scenario with its overrides, one what-if column and the fabric price. A point the generator or
 * the schema refuses, or whose replicas do not fit, becomes a record with `error` (a user-level
 * {@link PodsimError}); anything else is a bug and is thrown.
 */
export function evaluatePoint(ctx: SweepContext, index: number): SweepRecord {
  const point = ctx.points[index] ?? gridPoint(ctx.grid, index);
  const { topology, scenario } = splitParams(point.params, Object.keys(ctx.document.params));
  try {
    const doc = {
      ...ctx.document,
      params: { ...ctx.document.params, ...topology },
    } as unknown as TopologyFileDocument;
    const graph = buildGeneratorDocument(doc, ctx.topologyFile);
    const cfg = applyScenarioParams(ctx.scenario, scenario);
    const [column] = whatIf([{ label: graph.getAttribute('name'), graph, failures: {} }], cfg);
    if (column === undefined) throw new Error('whatIf returned no column');
    return sweepRecord(
      point,
      column,
      priceTopology(graph, DEFAULT_COST_CATALOGUE).fabricPerHostUsd,
    );
  } catch (e) {
    if (e instanceof PodsimError)
      return { point: point.index, params: point.params, error: e.message.replace(/\n\s*/g, '; ') };
    throw e;
  }
}
