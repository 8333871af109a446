/**
 * The serving half of a capacity plan's search (docs/capacity.md "Scaling and the rate search"):
 * how many replicas serve at each candidate size (`replicas`), the rate the plan must sustain
 * (`targetRate`) and how finely the highest rate meeting the SLOs is searched (`search`). Parsed
 * here, resolved into {@link PlanServing}; the search itself is src/app/capacity-config.ts'.
 */
import { z } from 'zod';
import type { Issue } from '../../errors/index.ts';
import type { ReplicaScaling } from '../../cost/capacity.ts';
import { show, tagged } from '../issues.ts';
import { formsError } from '../scenario/fields.ts';
import { rate } from '../scenario/rates.ts';
import { integer, optional, strict } from '../schema-fields.ts';
import { share } from './fields.ts';

export type { ReplicaScaling } from '../../cost/capacity.ts';

/**
 * Defaults of the plan's rate search (docs/design.md convention §9).
 * - `tolerance` 0.05 (estimate): the search stops when the bracket between the highest rate
 *   seen to meet the SLOs and the lowest seen to miss them is within 5 % of the latter — about
 *   5 runs per configuration instead of 7 at `whatif --max-rate`'s 2 %, and finer than the
 *   step between the candidate sizes a plan usually lists (×1.5–2).
 * - `maxPerHost` 64 (estimate): 8× the 8 GPUs per host of the bundled topologies
 *   (docs/hardware.md: 96 hosts × 8 GPUs), so a larger figure is a typo, refused rather than run;
 *   a count the hosts' GPUs cannot hold is refused per size, with the reason, when it runs.
 */
export const SEARCH_DEFAULTS = Object.freeze({ tolerance: 0.05, maxPerHost: 64 });

const REPLICA_FORMS =
  '{ perHost: <n> } (replicas per host) or { gpuShare: <share> } (share of GPU slots serving)';

const replicaForms = {
  perHost: integer(
    1,
    SEARCH_DEFAULTS.maxPerHost,
    'replicas per host: a size of H hosts serves H × perHost replicas',
  ),
  gpuShare: share(
    'share of the GPU slots (GPUs ÷ tensor-parallel degree) of each size that serve, e.g. 100 %',
  ),
};

/**
 * Runs `schema` on `v` inside a transform, passing its issues on at their own paths (below the
 * field's): a one-of whose branch is chosen by the input, so its errors are the branch's own
 * (zod's union would report only that no branch matched).
 */
function passOn<T>(schema: z.ZodType<T>, v: unknown, ctx: z.core.$RefinementCtx): T {
  const r = schema.safeParse(v, { reportInput: true });
  if (r.success) return r.data;
  for (const iss of r.error.issues)
    ctx.issues.push({
      code: 'custom',
      input: (iss as { input?: unknown }).input,
      message: iss.message,
      path: iss.path.filter((k): k is string | number => typeof k !== 'symbol'),
    });
  return z.NEVER as never;
}

const replicasSchema = z
  .unknown()
  .transform((v, ctx): { perHost: number } | { gpuShare: number } => {
    const keys = v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
    const form = keys.length === 1 ? (keys[0] as string) : '';
    if (form === 'perHost') return passOn(strict({ perHost: replicaForms.perHost }), v, ctx);
    if (form === 'gpuShare') return passOn(strict({ gpuShare: replicaForms.gpuShare }), v, ctx);
    const message = formsError(['perHost', 'gpuShare'], REPLICA_FORMS)({ input: v });
    ctx.issues.push({ code: 'custom', input: v, message });
    return z.NEVER as never;
  })
  .describe(
    "replicas at each candidate size, the scenario's variant mix kept: { perHost: <n> } or { gpuShare: <share> }; absent: the scenario's own replicas at every size",
  );

const searchObject = strict({
  tolerance: share(
    'stop when the bracket is within this share of its upper end (default 5 %)',
    0.5,
  ),
});

const searchSchema = z
  .unknown()
  .transform((v, ctx): false | { tolerance: number } => {
    if (v === false) return false;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      return passOn(searchObject, v, ctx);
    ctx.issues.push({
      code: 'custom',
      input: v,
      message: tagged(
        'input.type',
        `expected false (no rate search) or { tolerance: 5 % }, got ${show(v)}`,
      ),
    });
    return z.NEVER as never;
  })
  .describe(
    'the search for the highest rate meeting the SLOs at each size: false to skip it, or { tolerance: 5 % }',
  );

/** The serving-search fields of the plan schema (merged into plan-file.ts' schema). */
export const servingShape = {
  replicas: optional(replicasSchema),
  targetRate: optional(
    rate(
      'the rate the plan must sustain: the cheapest configuration meeting the SLOs at this rate wins',
    ),
  ),
  search: optional(searchSchema),
};

/** The serving-search part of a resolved plan. */
export interface PlanServing {
  readonly replicas: ReplicaScaling;
  /** Requests per second every feasible configuration must sustain under the SLOs; absent: growth steps only. */
  readonly targetRatePerS?: number;
  /** Relative tolerance of the rate search (fraction); `null`: no search. */
  readonly searchTolerance: number | null;
}

type ServingInput = {
  readonly replicas?: { perHost: number } | { gpuShare: number } | undefined;
  readonly targetRate?: number | undefined;
  readonly search?: false | { tolerance: number } | undefined;
};

/** Resolves the serving-search fields (already schema-checked). */
export function resolveServing(p: ServingInput): PlanServing {
  const r = p.replicas;
  const replicas: ReplicaScaling =
    r === undefined
      ? { kind: 'scenario' }
      : 'perHost' in r
        ? { kind: 'per-host', perHost: r.perHost }
        : { kind: 'gpu-share', share: r.gpuShare };
  return Object.freeze({
    replicas: Object.freeze(replicas),
    ...(p.targetRate === undefined ? {} : { targetRatePerS: p.targetRate }),
    searchTolerance: p.search === false ? null : (p.search?.tolerance ?? SEARCH_DEFAULTS.tolerance),
  });
}

/** Serving fields (`extra`, then `replicas`, `targetRate`, `search`) in a pooling-only plan (no scenario to serve): each is an `input.conflict`. */
export function servingConflicts(
  data: Readonly<Record<string, unknown>>,
  extra: readonly string[] = [],
): Issue[] {
  return [...extra, 'replicas', 'targetRate', 'search']
    .filter((k) => data[k] !== undefined)
    .map((k) => ({
      code: 'input.conflict',
      path: [k],
      message: `\`${k}\` applies to a serving scenario; a plan without \`scenario\` is pooling-only`,
    }));
}

/** A zero search tolerance cannot stop: refused with the range allowed. */
export function searchIssues(
  data: Readonly<Record<string, unknown>>,
  tolerance: number | null,
): Issue[] {
  if (tolerance === null || tolerance > 0) return [];
  return [
    {
      code: 'input.range',
      path: ['search', 'tolerance'],
      message: `expected a share above 0 and at most 50 % (such as 5 %), got ${show((data['search'] as Record<string, unknown>)['tolerance'])}: a search at 0 never stops`,
    },
  ];
}
