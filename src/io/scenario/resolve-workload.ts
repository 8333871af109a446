/**
 * Resolving a file's `workload` section into the sim layer's {@link WorkloadSpec}: every default
 * from SCENARIO_DEFAULTS (read by the file's own schema, so a default is written exactly as a file
 * would write it), every form turned into its tagged spec, the arrival trace's times attached.
 */
import {
  LONGBENCH_PRESETS,
  type ArrivalSpec,
  type LengthSpec,
  type OutputSpec,
  type PipelineSpec,
  type PopularitySpec,
  type ThinkSpec,
  type WorkloadSpec,
} from '../../sim/workload.ts';
import { SCENARIO_DEFAULTS } from './defaults.ts';
import { workloadSchema, type WorkloadFile } from './schema-workload.ts';
import type { TraceData } from './trace.ts';

/** {@link SCENARIO_DEFAULTS}' workload, read by the file's own schema. */
const DEFAULT_WORKLOAD = workloadSchema.parse(SCENARIO_DEFAULTS.workload);

type StepFile = NonNullable<WorkloadFile['pipeline']>['steps'][number];

function resolveThink(t: StepFile['think']): ThinkSpec {
  if (t === undefined) return Object.freeze({ kind: 'fixed', ns: 0 });
  if (typeof t === 'number') return Object.freeze({ kind: 'fixed', ns: t });
  if ('exponential' in t) return Object.freeze({ kind: 'exponential', meanNs: t.exponential });
  return Object.freeze({ kind: 'uniform', minNs: t.uniform[0], maxNs: t.uniform[1] });
}

/**
 * A file's pipeline as the sim layer's: `after` becomes the parent's index (default the step
 * before; the first step none; an unknown or later name −2, which checks-workload.ts reports),
 * and each step's defaults are the workload's (suffix 64 tokens, output 128 tokens, no think).
 */
function resolvePipeline(p: NonNullable<WorkloadFile['pipeline']>, d: WorkloadFile): PipelineSpec {
  const index = new Map(p.steps.map((st, k) => [st.id, k]));
  const steps = p.steps.map((st, k) => {
    const named = st.after === undefined ? k - 1 : (index.get(st.after) ?? -2);
    return Object.freeze({
      id: st.id,
      variant: st.variant,
      parent: k === 0 && st.after === undefined ? -1 : named < k ? named : -2,
      think: resolveThink(st.think),
      suffixTokens: st.suffixTokens ?? (d.suffixTokens as number),
      output: resolveOutput(st.output ?? (d.output as NonNullable<WorkloadFile['output']>)),
    });
  });
  return Object.freeze({ steps: Object.freeze(steps) });
}

function resolveArrival(
  a: NonNullable<WorkloadFile['arrival']>,
  traceNs: readonly number[] | undefined,
): ArrivalSpec {
  if ('poisson' in a) return Object.freeze({ kind: 'poisson', ratePerSecond: a.poisson });
  if ('bursts' in a)
    return Object.freeze({
      kind: 'bursts',
      ratePerSecond: a.bursts.rate,
      burstSize: a.bursts.size,
    });
  return Object.freeze({ kind: 'trace', arrivalsNs: Object.freeze([...(traceNs ?? [])]) });
}

function resolveLength(
  l: NonNullable<NonNullable<WorkloadFile['contexts']>['length']>,
): LengthSpec {
  if (typeof l === 'string') return LONGBENCH_PRESETS[l];
  if ('fixed' in l) return Object.freeze({ kind: 'fixed', tokens: l.fixed });
  const preset = LONGBENCH_PRESETS[SCENARIO_DEFAULTS.workload.contexts.length];
  return Object.freeze({
    kind: 'lognormal',
    medianTokens: l.median,
    p95Tokens: l.p95,
    minTokens: l.min ?? preset.minTokens,
    maxTokens: l.max ?? preset.maxTokens,
  });
}

function resolveOutput(o: NonNullable<WorkloadFile['output']>): OutputSpec {
  if ('fixed' in o) return Object.freeze({ kind: 'fixed', tokens: o.fixed });
  return Object.freeze({ kind: 'uniform', minTokens: o.uniform[0], maxTokens: o.uniform[1] });
}

function resolvePopularity(p: NonNullable<WorkloadFile['popularity']>): PopularitySpec {
  return p === 'uniform'
    ? Object.freeze({ kind: 'uniform' })
    : Object.freeze({ kind: 'zipf', exponent: p.zipf });
}

/**
 * The resolved workload of a file's `workload` section (absent: {@link SCENARIO_DEFAULTS}'
 * workload). Weights default to 1 per served variant; `crossVariantShare` defaults to 0.5, or 0
 * when fewer than two variants have a positive weight. A per-row trace (`trace`) takes its
 * arrivals and rows from `trace`; a pipeline's variants are its steps' (weight 1 each). A written section keeps its own stop
 * (`requests` and/or `duration`); only an absent section gets the default request count.
 */
export function buildWorkload(
  w: WorkloadFile | undefined,
  served: readonly string[],
  trace: TraceData | undefined,
): WorkloadSpec {
  const d = DEFAULT_WORKLOAD as {
    readonly [K in keyof WorkloadFile]-?: NonNullable<WorkloadFile[K]>;
  };
  const pipeline = w?.pipeline === undefined ? undefined : resolvePipeline(w.pipeline, d);
  const stepVariants = [...new Set(pipeline?.steps.map((st) => st.variant))];
  const variants = Object.freeze(
    pipeline !== undefined
      ? stepVariants.map((id) => Object.freeze({ id, weight: 1 }))
      : w?.variants !== undefined
        ? Object.entries(w.variants).map(([id, weight]) => Object.freeze({ id, weight }))
        : served.map((id) => Object.freeze({ id, weight: 1 })),
  );
  const weighted = variants.filter((v) => v.weight > 0).length;
  const requests = w === undefined ? d.requests : w.requests;
  const durationNs = w?.duration;
  const contexts = w?.contexts;
  return Object.freeze({
    // A per-row trace's arrivals are its rows'; an arrival trace's are its times.
    arrival:
      w?.trace !== undefined
        ? Object.freeze({ kind: 'trace', arrivalsNs: trace?.arrivalsNs ?? [] })
        : resolveArrival(w?.arrival ?? d.arrival, trace?.arrivalsNs),
    ...(requests === undefined ? {} : { requests }),
    ...(durationNs === undefined ? {} : { durationNs: durationNs as number }),
    contexts: Object.freeze({
      count: contexts?.count ?? SCENARIO_DEFAULTS.workload.contexts.count,
      length: resolveLength(contexts?.length ?? SCENARIO_DEFAULTS.workload.contexts.length),
    }),
    popularity: resolvePopularity(w?.popularity ?? d.popularity),
    variants,
    crossVariantShare:
      w?.crossVariantShare ?? (weighted >= 2 && pipeline === undefined ? d.crossVariantShare : 0),
    suffixTokens: w?.suffixTokens ?? d.suffixTokens,
    output: resolveOutput(w?.output ?? d.output),
    ...(w?.trace !== undefined && trace?.rows !== undefined ? { rows: trace.rows } : {}),
    ...(pipeline === undefined ? {} : { pipeline }),
  });
}
