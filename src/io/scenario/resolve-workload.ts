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
  type PopularitySpec,
  type WorkloadSpec,
} from '../../sim/workload.ts';
import { SCENARIO_DEFAULTS } from './defaults.ts';
import { workloadSchema, type WorkloadFile } from './schema-workload.ts';

/** {@link SCENARIO_DEFAULTS}' workload, read by the file's own schema. */
const DEFAULT_WORKLOAD = workloadSchema.parse(SCENARIO_DEFAULTS.workload);

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
 * when fewer than two variants have a positive weight. A written section keeps its own stop
 * (`requests` and/or `duration`); only an absent section gets the default request count.
 */
export function buildWorkload(
  w: WorkloadFile | undefined,
  served: readonly string[],
  traceNs: readonly number[] | undefined,
): WorkloadSpec {
  const d = DEFAULT_WORKLOAD as {
    readonly [K in keyof WorkloadFile]-?: NonNullable<WorkloadFile[K]>;
  };
  const variants = Object.freeze(
    w?.variants !== undefined
      ? Object.entries(w.variants).map(([id, weight]) => Object.freeze({ id, weight }))
      : served.map((id) => Object.freeze({ id, weight: 1 })),
  );
  const weighted = variants.filter((v) => v.weight > 0).length;
  const requests = w === undefined ? d.requests : w.requests;
  const durationNs = w?.duration;
  const contexts = w?.contexts;
  return Object.freeze({
    arrival: resolveArrival(w?.arrival ?? d.arrival, traceNs),
    ...(requests === undefined ? {} : { requests }),
    ...(durationNs === undefined ? {} : { durationNs: durationNs as number }),
    contexts: Object.freeze({
      count: contexts?.count ?? SCENARIO_DEFAULTS.workload.contexts.count,
      length: resolveLength(contexts?.length ?? SCENARIO_DEFAULTS.workload.contexts.length),
    }),
    popularity: resolvePopularity(w?.popularity ?? d.popularity),
    variants,
    crossVariantShare: w?.crossVariantShare ?? (weighted >= 2 ? d.crossVariantShare : 0),
    suffixTokens: w?.suffixTokens ?? d.suffixTokens,
    output: resolveOutput(w?.output ?? d.output),
  });
}
