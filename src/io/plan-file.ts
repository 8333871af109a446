/**
 * Capacity-plan files (docs/capacity.md): what `podsim capacity` searches — a scenario, growth
 * steps, an SLO attainment target, candidate topology families with host-count ranges, optional
 * price overrides and the pooling view's memory-demand model. Parsed at the edge into a
 * resolved, frozen {@link CapacityPlan} (docs/design.md convention §3); every problem is reported at once with its
 * field path and the file name (docs/design.md convention §4), including each candidate's `params`, `options` and
 * `components` checked through the topology schema at every host count.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError, LimitError, PodsimError, type Issue } from '../errors/index.ts';
import { LIMITS } from '../errors/limits.ts';
import { resolveCatalogue, validateCatalogue, type CostCatalogue } from '../cost/catalogue.ts';
import type { PoolingParams } from '../cost/pooling.ts';
import { GENERATOR_NAMES, type GeneratorName } from '../topology/generators/index.ts';
import { byPathIn, isRecord, readFileOrPreset, readYaml } from './files.ts';
import { fromZodIssues, show, tagged } from './issues.ts';
import { bounded, share } from './plan/fields.ts';
import { memoryIssues, memorySchema, resolveMemory } from './plan/memory.ts';
import {
  resolveServing,
  searchIssues,
  servingConflicts,
  servingShape,
  type PlanServing,
} from './plan/serving.ts';
import { loadScenario, type Scenario } from './scenario-file.ts';
import {
  GENERATOR_PARAM_SCHEMAS,
  integer,
  MAX_COUNT,
  optional,
  strict,
  withDefault,
} from './schema.ts';
import { renderTopologyFile, type TopologyFileDocument } from './topology-file.ts';
import { resolveProfile } from './topology/common.ts';
import { checkTopologySize, generatedSize } from './topology/size.ts';

/** Generators whose size is a host count (`params.hosts`): the families a plan can search. */
export const PLAN_GENERATORS: readonly GeneratorName[] = Object.freeze(
  GENERATOR_NAMES.filter((g) => {
    const shape = (GENERATOR_PARAM_SCHEMAS[g] as unknown as { shape?: Record<string, unknown> })
      .shape;
    return shape !== undefined && Object.hasOwn(shape, 'hosts');
  }),
);

/** Defaults of plan files, each with its unit (docs/design.md convention §9). */
export const PLAN_DEFAULTS = Object.freeze({
  /** Growth steps when `growth` is left out and the plan has no `targetRate`: today's demand only (with a target rate, none: the target is the demand). */
  growth: Object.freeze([1]) as readonly number[],
  /** Monte Carlo seed of a pooling-only plan (no scenario to take it from): (estimate: any fixed value; 1 as scenarios use). */
  seed: 1,
});

const record = (description: string) =>
  z
    .record(z.string(), z.unknown(), {
      error: (iss) =>
        tagged('input.type', `expected a mapping (key: value), got ${show(iss.input)}`),
    })
    .describe(description);

const candidateSchema = strict({
  name: optional(
    z.string().min(1).describe('label of the family in the tables (default: the generator name)'),
  ),
  generator: z
    .enum(PLAN_GENERATORS as [GeneratorName, ...GeneratorName[]])
    .describe('topology generator of the family'),
  params: withDefault(
    record('generator params except hosts (as in a generator-form topology file)'),
    {},
  ),
  options: optional(record('generator options: gpusPerHost, nicsPerHost')),
  components: optional(record('component profile overrides, as in a topology file')),
  hosts: z
    .array(integer(1, MAX_COUNT, 'a host count to evaluate'))
    .min(1)
    .describe('host counts to evaluate, e.g. [32, 48, 64]'),
});

/** The zod schema of plan files (prices are checked by the cost catalogue's own validator). */
export const planFileSchema = strict({
  description: optional(z.string().describe('what the plan asks')),
  scenario: optional(
    z
      .string()
      .min(1)
      .describe(
        'scenario file (relative to the plan) or bundled preset; absent: a pooling-only plan',
      ),
  ),
  seed: optional(integer(0, 2 ** 32 - 1, 'Monte Carlo seed (default: the scenario seed, else 1)')),
  growth: optional(
    z
      .array(bounded(0, Infinity, 'a multiplier on the arrival rate', true))
      .min(1)
      .describe('multipliers on the scenario arrival rate, ascending'),
  ),
  slo: optional(
    strict({
      attainment: share('share of requests that must meet the scenario SLOs at every growth step'),
    }),
  ),
  ...servingShape,
  candidates: z
    .array(candidateSchema)
    .min(1)
    .describe('topology families and the host counts to try'),
  prices: optional(z.unknown().describe('cost catalogue overrides (see src/cost/catalogue.ts)')),
  memory: memorySchema,
});

/** One candidate family, resolved. */
export interface PlanCandidate {
  /** Label in tables: `name`, or the generator (with `#2`, `#3` … when a generator repeats without names). */
  readonly label: string;
  readonly generator: GeneratorName;
  readonly params: Readonly<Record<string, unknown>>;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly components?: Readonly<Record<string, unknown>>;
  /** Host counts, in file order. */
  readonly hosts: readonly number[];
}

/** A resolved capacity plan. */
export interface CapacityPlan {
  /** The plan file as named in messages. */
  readonly file: string;
  readonly description?: string;
  /** The serving scenario; absent in a pooling-only plan (general-purpose servers, no serving feasibility). */
  readonly scenario?: Scenario;
  /** Growth multipliers, ascending (`[]` in a pooling-only plan). */
  readonly growth: readonly number[];
  /** Target SLO attainment, 0 … 1 (0 in a pooling-only plan). */
  readonly attainment: number;
  /** Replicas per size, the target rate and the rate search (inert in a pooling-only plan). */
  readonly serving: PlanServing;
  readonly candidates: readonly PlanCandidate[];
  readonly catalogue: CostCatalogue;
  readonly memory: PoolingParams;
  /** Shares kept local at which to re-size the pool (the savings curve); may be empty. */
  readonly curve: readonly number[];
  /** Monte Carlo seed: the plan's `seed`, else the scenario's, else {@link PLAN_DEFAULTS}.seed. */
  readonly seed: number;
}

/** The generator-form topology document of `candidate` at `hosts` hosts (name `<label>-<hosts>`). */
export function candidateDocument(candidate: PlanCandidate, hosts: number): TopologyFileDocument {
  return {
    name: `${candidate.label}-${hosts}`,
    generator: candidate.generator,
    params: { ...candidate.params, hosts },
    ...(candidate.options === undefined ? {} : { options: candidate.options }),
    ...(candidate.components === undefined ? {} : { components: candidate.components }),
  } as unknown as TopologyFileDocument;
}

const byPath = byPathIn(Object.keys(planFileSchema.shape), true);

/** Checks each candidate's topology document at each size through the topology schema. */
function candidateIssues(candidates: readonly PlanCandidate[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  candidates.forEach((c, i) => {
    if (Object.hasOwn(c.params, 'hosts')) {
      issues.push({
        code: 'input.unknown-key',
        path: ['candidates', i, 'params', 'hosts'],
        message:
          'the host count goes in the candidate `hosts:` list (the sizes to search), not in params',
      });
      return;
    }
    c.hosts.forEach((h, k) => {
      try {
        renderTopologyFile(candidateDocument(c, h));
        candidateSize(c, h);
      } catch (e) {
        if (!(e instanceof PodsimError)) throw e;
        for (const issue of e.issues) {
          const onHosts = issue.path[0] === 'params' && issue.path[1] === 'hosts';
          const path = onHosts ? ['candidates', i, 'hosts', k] : ['candidates', i, ...issue.path];
          const key = JSON.stringify([path, issue.code, issue.message]);
          if (seen.has(key)) continue;
          seen.add(key);
          issues.push({ ...issue, path });
        }
      }
    });
  });
  return issues;
}

/** Refuses a candidate whose topology at `hosts` hosts is past the host, device or link limits (docs/limits.md). */
function candidateSize(c: PlanCandidate, hosts: number): void {
  const nics = c.options?.['nicsPerHost'];
  const size = generatedSize(
    c.generator,
    { ...c.params, hosts },
    resolveProfile(c.components),
    typeof nics === 'number' ? nics : undefined,
  );
  const at = ['params', 'hosts'];
  checkTopologySize(
    size,
    `${c.label} at ${hosts} hosts`,
    { hosts: at, devices: at, links: at },
    '',
  );
}

/** The Monte Carlo samples of a plan past LIMITS.monteCarloSamples, as an issue at `memory.samples`. */
function samplesIssues(samples: number): Issue[] {
  if (samples <= LIMITS.monteCarloSamples) return [];
  const f = (n: number): string => n.toLocaleString('en-US');
  return [
    {
      code: 'limit.samples',
      path: ['memory', 'samples'],
      message: `${f(samples)} Monte Carlo samples, above the limit of ${f(LIMITS.monteCarloSamples)} (limit monteCarloSamples, docs/limits.md); a 1 % risk needs only a few thousand (default ${f(2000)})`,
    },
  ];
}

/** Labels: names, else the generator, numbered when a generator repeats. */
function labels(raw: readonly { name?: string | undefined; generator: string }[]): string[] {
  const count = new Map<string, number>();
  for (const c of raw)
    if (c.name === undefined) count.set(c.generator, (count.get(c.generator) ?? 0) + 1);
  const seen = new Map<string, number>();
  return raw.map((c) => {
    if (c.name !== undefined) return c.name;
    const n = (seen.get(c.generator) ?? 0) + 1;
    seen.set(c.generator, n);
    return (count.get(c.generator) ?? 0) > 1 ? `${c.generator}#${n}` : c.generator;
  });
}

/** The plan's ordering and uniqueness problems: growth ascending, candidate names and host counts each listed once. */
function orderIssues(p: z.output<typeof planFileSchema>, names: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  const growth = p.growth ?? [];
  growth.forEach((g, i) => {
    const prev = growth[i - 1];
    if (prev !== undefined && g <= prev)
      issues.push({
        code: 'input.order',
        path: ['growth', i],
        message: `growth steps must be ascending (the last is "later"), got ${g} after ${prev}`,
      });
  });
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i)
      issues.push({
        code: 'input.duplicate',
        path: ['candidates', i, 'name'],
        message: `candidate name "${n}" is used twice; names label the table rows`,
      });
  });
  p.candidates.forEach((c, i) => {
    c.hosts.forEach((h, k) => {
      if (c.hosts.indexOf(h) !== k)
        issues.push({
          code: 'input.duplicate',
          path: ['candidates', i, 'hosts', k],
          message: `host count ${h} is listed twice`,
        });
    });
  });
  return issues;
}

/** A serving plan needs `slo`; a pooling-only plan (no `scenario`) has no `growth` or `slo`. */
function scenarioIssues(data: Readonly<Record<string, unknown>>): Issue[] {
  if (data['scenario'] !== undefined)
    return data['slo'] === undefined
      ? [
          {
            code: 'input.required',
            path: ['slo'],
            message: 'required with a scenario: slo: { attainment: 99 % }',
          },
        ]
      : [];
  return servingConflicts(data, ['growth', 'slo']);
}

/** Growth steps of a serving plan without `growth`: none when it has a target rate (the target is its demand), else {@link PLAN_DEFAULTS}. */
const defaultGrowth = (serving: PlanServing): readonly number[] =>
  serving.targetRatePerS === undefined ? PLAN_DEFAULTS.growth : [];

/** The plan's scenario: a file relative to the plan's folder first, else a bundled preset. */
function loadPlanScenario(name: string, base: string): Scenario {
  const local = join(base, name);
  return loadScenario(existsSync(local) ? local : name).scenario;
}

/** Options of {@link parsePlanText}. */
export interface ParsePlanOptions {
  /** Folder a relative `scenario:` path is read from first; default: the folder of `file`. */
  readonly baseDir?: string;
}

/**
 * Parses and resolves a capacity plan from YAML or JSON text, loading its scenario.
 * @param file - the name to report problems against
 * @throws InputError listing every problem of the plan at once (`file: path: …`), each with a
 *   code (`input.required`, `input.type`, `input.range`, `input.enum`, `input.unknown-key`,
 *   `input.order`, `input.duplicate`, `unit.invalid`, and the topology schema's codes under
 *   `candidates[i]`); then anything {@link loadScenario} throws for the scenario
 */
export function parsePlanText(
  text: string,
  file: string,
  options: ParsePlanOptions = {},
): CapacityPlan {
  const data = readYaml(text, file);
  if (!isRecord(data))
    throw new InputError(
      [
        {
          code: 'input.type',
          path: [],
          message: `expected a capacity plan (a mapping with \`scenario\`, \`candidates\`, \`slo\` and \`memory\`), got ${show(data)}`,
        },
      ],
      file,
    );
  const parsed = planFileSchema.safeParse(data, { reportInput: true });
  const issues: Issue[] = parsed.success ? [] : fromZodIssues(parsed.error.issues);
  issues.push(...validateCatalogue(data['prices'], ['prices']));
  const memory = data['memory'];
  if (isRecord(memory)) issues.push(...memoryIssues(memory));
  issues.push(...scenarioIssues(data));
  if (parsed.success) {
    const p = parsed.data;
    const names = labels(p.candidates);
    issues.push(...orderIssues(p, names));
    const candidates: PlanCandidate[] = p.candidates.map((c, i) =>
      Object.freeze({
        label: names[i] ?? c.generator,
        generator: c.generator,
        params: c.params,
        ...(c.options === undefined ? {} : { options: c.options }),
        ...(c.components === undefined ? {} : { components: c.components }),
        hosts: Object.freeze([...c.hosts]),
      }),
    );
    const serving = resolveServing(p);
    issues.push(...candidateIssues(candidates), ...samplesIssues(p.memory.samples));
    issues.push(...searchIssues(data, serving.searchTolerance));
    // Past a documented limit but otherwise valid: exit 4, not 3 (docs/limits.md).
    if (issues.length > 0 && issues.every((i) => i.code.startsWith('limit.')))
      throw new LimitError(issues.sort(byPath), file);
    const base = options.baseDir ?? dirname(file);
    const pooling = issues.length === 0 ? resolveMemory(p.memory, base, issues) : undefined;
    if (issues.length > 0 || pooling === undefined) throw new InputError(issues.sort(byPath), file);
    const scenario = p.scenario === undefined ? undefined : loadPlanScenario(p.scenario, base);
    return Object.freeze({
      file,
      ...(p.description === undefined ? {} : { description: p.description }),
      ...(scenario === undefined ? {} : { scenario }),
      growth: Object.freeze(
        scenario === undefined ? [] : [...(p.growth ?? defaultGrowth(serving))],
      ),
      attainment: p.slo?.attainment ?? 0,
      serving,
      candidates: Object.freeze(candidates),
      catalogue: resolveCatalogue(p.prices ?? {}, ['prices'], file),
      memory: pooling.params,
      curve: pooling.curve,
      seed: p.seed ?? scenario?.seed ?? PLAN_DEFAULTS.seed,
    });
  }
  throw new InputError(issues.sort(byPath), file);
}

/** The bundled `plans/` folder (works from src/ under tsx and from dist/). */
export const PLANS_DIR: string = fileURLToPath(new URL('../../plans/', import.meta.url));

/**
 * Loads a capacity plan from a file path or a bundled plan name (`droidspeak-8b` → `plans/droidspeak-8b.yaml`).
 * @throws InputError when neither exists, or anything {@link parsePlanText} throws
 */
export function loadPlan(fileOrPreset: string): { plan: CapacityPlan; file: string } {
  const { text, path, display } = readFileOrPreset(fileOrPreset, PLANS_DIR, 'plans', 'plan');
  return { plan: parsePlanText(text, display, { baseDir: dirname(path) }), file: path };
}
