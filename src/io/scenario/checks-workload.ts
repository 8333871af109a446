/**
 * The workload as the sim layer checks it: {@link validateWorkload} on the workload a file's
 * `workload` section would resolve to, with each issue's path and field names mapped back to the
 * file's own keys. Run only when the section and the served variants are readable (and a trace,
 * if any, was read); trace problems are left to ./trace.ts.
 */
import type { Issue } from '../../errors/index.ts';
import { validateWorkload } from '../../sim/workload.ts';
import { workloadLimitIssues } from '../../sim/workload-validate.ts';
import { optional } from '../schema-fields.ts';
import { buildWorkload } from './resolve-workload.ts';
import { workloadSchema, type WorkloadFile } from './schema-workload.ts';
import type { TraceData } from './trace.ts';
import { suggestion } from '../issues.ts';

type Path = readonly (string | number)[];

/**
 * The checks of {@link validateWorkload} on the workload as it would resolve, with its paths
 * mapped back to the file's keys. Run only when the section and the served variants are readable
 * (and a trace, if any, was read); trace problems are left to ./trace.ts.
 */
export function workloadSemanticIssues(
  data: Readonly<Record<string, unknown>>,
  served: readonly string[] | undefined,
  trace: TraceData | undefined,
  issues: Issue[],
): void {
  const parsed = optional(workloadSchema).safeParse(data['workload']);
  if (!parsed.success || served === undefined) return;
  const w = parsed.data;
  if (kindIssues(w, served, trace, issues)) return;
  if (w?.arrival !== undefined && 'trace' in w.arrival && trace === undefined) return;
  if (w?.trace !== undefined && trace?.rows === undefined) return;
  const spec = buildWorkload(w, served, trace);
  const weightIds = spec.variants.map((v) => v.id);
  const problems = validateWorkload(spec);
  // Limits are checked on a workload that is otherwise valid (docs/limits.md).
  for (const issue of problems.length > 0 ? problems : workloadLimitIssues(spec)) {
    // Trace lines were reported by line (./trace.ts), pipeline parents by kindIssues.
    if (issue.code.startsWith('workload.trace') || issue.code === 'workload.pipeline-parent')
      continue;
    if (issue.path[0] === 'rows' && !issue.code.startsWith('limit.')) continue;
    issues.push({
      code: issue.code,
      path: workloadFilePath(issue.path, w, weightIds),
      message: issue.message.replace(FIELD_NAMES, (name) => FILE_KEYS[name] ?? name),
    });
  }
}

/** The resolved field names validateWorkload's messages use, as the file's keys. */
const FILE_KEYS: Readonly<Record<string, string>> = {
  requests: '`requests`',
  durationNs: '`duration`',
  ratePerSecond: 'the rate',
  medianTokens: 'median',
  p95Tokens: 'p95',
  minTokens: 'min',
  maxTokens: 'max',
};
const FIELD_NAMES =
  /\b(?:durationNs|ratePerSecond|medianTokens|p95Tokens|minTokens|maxTokens)\b|(?<=^set )requests\b/g;

/** A path of the resolved {@link WorkloadSpec} (from validateWorkload) as a path into the file. */
function workloadFilePath(
  p: Path,
  w: WorkloadFile | undefined,
  weightIds: readonly string[],
): Path {
  const [head, field, sub] = p;
  const at = (...rest: (string | number)[]): Path => ['workload', ...rest];
  switch (head) {
    case 'arrival': {
      const a = w?.arrival;
      if (a === undefined) return at('arrival');
      if ('poisson' in a) return at('arrival', 'poisson');
      if ('bursts' in a) return at('arrival', 'bursts', field === 'burstSize' ? 'size' : 'rate');
      return at('arrival', 'trace');
    }
    case 'durationNs':
      return at('duration');
    case 'contexts': {
      if (field !== 'length') return at('contexts', 'count');
      const key = {
        tokens: 'fixed',
        medianTokens: 'median',
        p95Tokens: 'p95',
        minTokens: 'min',
        maxTokens: 'max',
      }[String(sub)];
      return typeof w?.contexts?.length === 'object' && key !== undefined
        ? at('contexts', 'length', key)
        : at('contexts', 'length');
    }
    case 'popularity':
      return typeof w?.popularity === 'object' ? at('popularity', 'zipf') : at('popularity');
    case 'variants':
      return typeof field === 'number' && weightIds[field] !== undefined
        ? at('variants', weightIds[field])
        : at('variants');
    case 'output': {
      const o = w?.output;
      if (o === undefined) return at('output');
      if ('fixed' in o) return at('output', 'fixed');
      return field === 'minTokens'
        ? at('output', 'uniform', 0)
        : field === 'maxTokens'
          ? at('output', 'uniform', 1)
          : at('output', 'uniform');
    }
    case 'rows':
      return at('trace', 'file');
    default:
      return at(...p);
  }
}

/** Fields a per-row trace replaces (its rows say what they did) and a pipeline replaces (per step). */
const TRACE_REPLACES = [
  'arrival',
  'contexts',
  'popularity',
  'crossVariantShare',
  'suffixTokens',
  'output',
  'pipeline',
] as const;
const PIPELINE_REPLACES = ['variants', 'crossVariantShare', 'suffixTokens', 'output'] as const;

/**
 * What only the file can say about a per-row trace or a pipeline: fields they replace, variants
 * that are not served, `after` naming no earlier step. True when anything was wrong (the
 * workload is then not resolved and checked further).
 */
function kindIssues(
  w: WorkloadFile | undefined,
  served: readonly string[],
  trace: TraceData | undefined,
  issues: Issue[],
): boolean {
  const before = issues.length;
  if (w?.trace !== undefined) {
    const podsim = (w.trace.format ?? 'podsim') === 'podsim';
    for (const k of podsim ? [...TRACE_REPLACES, 'variants' as const] : TRACE_REPLACES)
      if (w[k] !== undefined)
        issues.push({
          code: 'workload.trace-conflict',
          path: ['workload', k],
          message: `\`${k}\` cannot be set with a per-row trace: ${k === 'variants' ? 'its rows name their variants' : k === 'pipeline' ? 'a workload replays a trace or runs a pipeline, not both' : 'every row gives its own arrival, context and tokens'} (docs/workloads.md)`,
        });
    for (const [v, line] of trace?.variantLines ?? [])
      if (!served.includes(v))
        issues.push({
          code: 'workload.unserved',
          path: ['workload', 'trace', 'file'],
          message: `${trace?.file}:${line}: variant "${v}" is not served${suggestion(v, served)}`,
        });
  }
  const steps = w?.pipeline?.steps ?? [];
  if (w?.pipeline !== undefined)
    for (const k of PIPELINE_REPLACES)
      if (w[k] !== undefined)
        issues.push({
          code: 'workload.pipeline-conflict',
          path: ['workload', k],
          message: `\`${k}\` cannot be set with a pipeline: ${k === 'variants' || k === 'crossVariantShare' ? 'each step names its variant' : 'each step sets its own'} (docs/workloads.md)`,
        });
  steps.forEach((st, k) => {
    const at = ['workload', 'pipeline', 'steps', k];
    if (!served.includes(st.variant))
      issues.push({
        code: 'workload.unserved',
        path: [...at, 'variant'],
        message: `step "${st.id}" names variant "${st.variant}", which is not served${suggestion(st.variant, served)}`,
      });
    const earlier = steps.slice(0, k).map((e) => e.id);
    if (st.after !== undefined && !earlier.includes(st.after))
      issues.push({
        code: 'workload.pipeline-parent',
        path: [...at, 'after'],
        message:
          k === 0
            ? 'the first step starts its task and follows no step; remove `after`'
            : `"${st.after}" is not a step listed before "${st.id}"; earlier steps: ${earlier.join(', ')}`,
      });
  });
  return issues.length > before;
}
