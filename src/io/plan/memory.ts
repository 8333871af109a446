/**
 * The `memory:` section of capacity-plan files (docs/capacity.md, docs/pooling.md): where demand
 * comes from (a lognormal with a stated peak-to-mean, or a trace file), the share pooled hosts
 * keep locally, the shortfall risk both designs are sized to, the allocation policy and the
 * optional savings curve. Parsed and resolved at the edge into {@link PoolingParams}
 * (docs/design.md convention §3); the demand's two forms are checked against each other here.
 */
import { z } from 'zod';
import type { Issue } from '../../errors/index.ts';
import {
  ALLOCATION_POLICIES,
  MAX_PEAK_TO_MEAN,
  type DemandModel,
  type PoolingParams,
} from '../../cost/pooling.ts';
import { TRACE_MAPPINGS } from '../../cost/pooling-demand.ts';
import type { Bytes } from '../../units/index.ts';
import { integer, optional, strict, unitString, withDefault } from '../schema-fields.ts';
import { bounded, share } from './fields.ts';
import { loadDemandTrace } from './trace.ts';

/** Defaults of the `memory:` section, each with its unit and source (docs/design.md convention §9). */
export const MEMORY_DEFAULTS = Object.freeze({
  /** Monte Carlo draws of a lognormal demand (count): (estimate: enough that a 1 % risk rests on 20 shortfall samples per host). */
  samples: 2000,
  /** Shortfall risk per host, share of samples: p99 per host, the percentile the dedicated baseline always used (docs/pooling.md §4). */
  risk: 0.01,
  /** Allocation policy: the closest reading of the paper's (docs/pooling.md §3). */
  policy: 'balanced' as const,
  /** Trace mapping when the trace has fewer hosts than the pod (docs/pooling.md §2). */
  traceMapping: 'shifted' as const,
  /** Correlation of hosts' log-demands: independent hosts (estimate: the simplest assumption; docs/pooling.md §2 says what it favours). */
  correlation: 0,
});

/** The zod schema of `memory:`. */
export const memorySchema = strict({
  perHostMean: optional(
    unitString('size', 'mean memory demand of one host (lognormal demand)', { positive: true }),
  ),
  peakToMean: optional(
    bounded(1, MAX_PEAK_TO_MEAN, 'p99 / mean of one host demand (lognormal fit)'),
  ),
  correlation: withDefault(
    share('correlation of the hosts log-demands, 0 … 1'),
    MEMORY_DEFAULTS.correlation,
  ),
  // Bounded by LIMITS.monteCarloSamples after the schema, as a LimitError (src/io/plan-file.ts).
  samples: withDefault(
    integer(1, Number.MAX_SAFE_INTEGER, 'Monte Carlo draws'),
    MEMORY_DEFAULTS.samples,
  ),
  trace: optional(
    z.string().min(1).describe('demand trace CSV (time,host,memory), relative to the plan'),
  ),
  traceMapping: withDefault(
    z.enum(TRACE_MAPPINGS).describe('how trace hosts map onto pod hosts'),
    MEMORY_DEFAULTS.traceMapping,
  ),
  localFraction: share('share of the dedicated DRAM a pooled host keeps locally'),
  risk: withDefault(
    share('largest share of samples any one host may be short of memory', 0.5),
    MEMORY_DEFAULTS.risk,
  ),
  policy: withDefault(
    z
      .enum(ALLOCATION_POLICIES)
      .describe('how a host places its overflow on the devices it reaches'),
    MEMORY_DEFAULTS.policy,
  ),
  curve: optional(
    z
      .array(share('a share kept local'))
      .min(1)
      .describe('shares kept local at which to re-size the pool (the savings curve)'),
  ),
});

/** The parsed `memory:` section. */
export type MemorySection = z.output<typeof memorySchema>;

/** Which fields each demand form uses, for the cross-checks. */
const LOGNORMAL_ONLY = ['perHostMean', 'peakToMean', 'correlation', 'samples'] as const;

/** Problems between fields: exactly one demand form, and no field of the other form. */
export function memoryIssues(raw: Readonly<Record<string, unknown>>): Issue[] {
  const issues: Issue[] = [];
  const has = (k: string): boolean => raw[k] !== undefined;
  if (has('trace')) {
    for (const k of LOGNORMAL_ONLY)
      if (has(k))
        issues.push({
          code: 'input.conflict',
          path: ['memory', k],
          message: `\`${k}\` describes a lognormal demand, but \`trace\` is given; use one demand form`,
        });
  } else {
    for (const k of ['perHostMean', 'peakToMean'])
      if (!has(k))
        issues.push({
          code: 'input.required',
          path: ['memory', k],
          message:
            'required: give `perHostMean` and `peakToMean` (a lognormal demand) or `trace` (a demand trace file)',
        });
    if (has('traceMapping'))
      issues.push({
        code: 'input.conflict',
        path: ['memory', 'traceMapping'],
        message: '`traceMapping` applies only with `trace`',
      });
  }
  return issues;
}

/**
 * The resolved pooling parameters and savings-curve points of a parsed `memory:` section; reads
 * a trace relative to `baseDir`.
 * @returns the parameters, or undefined after pushing the trace's issues
 */
export function resolveMemory(
  m: MemorySection,
  baseDir: string,
  issues: Issue[],
): { params: PoolingParams; curve: readonly number[] } | undefined {
  let demand: DemandModel;
  if (m.trace !== undefined) {
    const trace = loadDemandTrace(m.trace, baseDir, ['memory', 'trace'], issues);
    if (trace === undefined) return undefined;
    demand = Object.freeze({ kind: 'trace', trace, mapping: m.traceMapping });
  } else {
    demand = Object.freeze({
      kind: 'lognormal',
      perHostMeanBytes: m.perHostMean as Bytes,
      peakToMean: m.peakToMean as number,
      correlation: m.correlation,
      samples: m.samples,
    });
  }
  return {
    params: Object.freeze({
      demand,
      localFraction: m.localFraction,
      risk: m.risk,
      policy: m.policy,
    }),
    curve: Object.freeze([...(m.curve ?? [])]),
  };
}
