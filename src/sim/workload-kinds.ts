/**
 * Checks of the two workload kinds beyond one-shot requests (src/sim/workload.ts): per-row traces
 * (`rows`) and agent pipelines (`pipeline`). Every problem at once, each with a stable code and
 * the path of the offending field (docs/design.md convention §4); a column of a million rows
 * reports only its first bad value.
 */
import type { Issue } from '../errors/index.ts';
import { LIMITS } from '../errors/limits.ts';
import type {
  OutputSpec,
  PipelineSpec,
  ThinkSpec,
  TraceRows,
  WorkloadSpec,
} from './workload-types.ts';

type Path = readonly (string | number)[];
type At = (...rest: (string | number)[]) => Path;

const isInt = (v: unknown, min: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The problems of a workload's `rows` and `pipeline` (none when it has neither). */
export function workloadKindIssues(spec: WorkloadSpec, at: At, issues: Issue[]): void {
  if (spec.rows !== undefined && spec.pipeline !== undefined)
    issues.push({
      code: 'workload.kind',
      path: at('pipeline'),
      message: 'a workload replays per-row trace rows or runs a pipeline, not both',
    });
  if (spec.rows !== undefined) validateRows(spec, spec.rows, at, issues);
  if (spec.pipeline !== undefined) validatePipeline(spec.pipeline, at, issues);
}

/** Rows: one per arrival, valid indices and token counts, one length per context. */
function validateRows(spec: WorkloadSpec, r: TraceRows, at: At, issues: Issue[]): void {
  const n = spec.arrival.kind === 'trace' ? spec.arrival.arrivalsNs.length : -1;
  const columns = [r.variant, r.context, r.contextTokens, r.suffixTokens, r.outputTokens];
  if (n < 0 || columns.some((c) => c.length !== n)) {
    issues.push({
      code: 'workload.rows-length',
      path: at('rows'),
      message: `a per-row trace needs a trace arrival with one time per row; got ${n < 0 ? `a ${spec.arrival.kind} arrival` : `${n} times`} and columns of ${columns.map((c) => c.length).join(', ')} rows`,
    });
    return;
  }
  const firstBad = (
    col: Int32Array,
    ok: (v: number) => boolean,
    field: string,
    what: string,
  ): void => {
    for (let i = 0; i < n; i++)
      if (!ok(col[i] as number)) {
        issues.push({
          code: 'input.range',
          path: at('rows', field, i),
          message: `row ${i}: ${field} must be ${what}, got ${col[i]} (first bad row)`,
        });
        return;
      }
  };
  firstBad(
    r.variant,
    (v) => v >= -1 && v < r.variantIds.length,
    'variant',
    `−1 or an index below ${r.variantIds.length}`,
  );
  firstBad(
    r.context,
    (v) => v >= 0 && v < r.contextIds.length,
    'context',
    `an index below ${r.contextIds.length}`,
  );
  firstBad(r.contextTokens, (v) => v >= 1, 'contextTokens', '≥ 1');
  firstBad(r.suffixTokens, (v) => v >= 0, 'suffixTokens', '≥ 0');
  firstBad(r.outputTokens, (v) => v >= 1, 'outputTokens', '≥ 1');
  // One context, one length: the pool keys a cache by (variant, context) and reuses it whole.
  const lengthOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = r.context[i] as number;
    const t = r.contextTokens[i] as number;
    const seen = lengthOf.get(c);
    if (seen === undefined) lengthOf.set(c, t);
    else if (seen !== t) {
      issues.push({
        code: 'workload.context-length',
        path: at('rows', 'contextTokens', i),
        message: `row ${i}: context "${r.contextIds[c]}" has ${t} tokens, but an earlier row gave it ${seen}; a context has one length (first conflict)`,
      });
      return;
    }
  }
}

/** A pipeline: a tree rooted at step 0, unique ids, valid think times, suffixes and outputs. */
function validatePipeline(p: PipelineSpec, at: At, issues: Issue[]): void {
  if (p.steps.length === 0) {
    issues.push({
      code: 'input.required',
      path: at('pipeline', 'steps'),
      message: 'a pipeline needs at least one step',
    });
    return;
  }
  const seen = new Set<string>();
  p.steps.forEach((st, k) => {
    const here = (...rest: (string | number)[]): Path => at('pipeline', 'steps', k, ...rest);
    if (typeof st.id !== 'string' || st.id === '' || seen.has(st.id))
      issues.push({
        code: 'workload.duplicate-id',
        path: here('id'),
        message: `step ids must be unique non-empty strings; ${JSON.stringify(st.id)} is ${st.id === '' ? 'empty' : 'used twice'}`,
      });
    else seen.add(st.id);
    if (typeof st.variant !== 'string' || st.variant === '')
      issues.push({
        code: 'input.type',
        path: here('variant'),
        message: `a step's variant must be a non-empty string, got ${JSON.stringify(st.variant)}`,
      });
    const parentOk = k === 0 ? st.parent === -1 : isInt(st.parent, 0) && st.parent < k;
    if (!parentOk)
      issues.push({
        code: 'workload.pipeline-parent',
        path: here('after'),
        message:
          k === 0
            ? 'the first step starts its task and has no parent'
            : `a step follows an earlier step (index 0…${k - 1}), got ${st.parent}`,
      });
    validateThink(st.think, k, here, issues);
    if (!isInt(st.suffixTokens, 0))
      issues.push({
        code: 'input.range',
        path: here('suffixTokens'),
        message: `suffixTokens must be an integer ≥ 0, got ${st.suffixTokens}`,
      });
    validateStepOutput(st.output, here, issues);
  });
}

function validateThink(t: ThinkSpec, k: number, here: At, issues: Issue[]): void {
  const bad = (message: string): void => {
    issues.push({ code: 'input.range', path: here('think'), message });
  };
  if (k === 0 && !(t.kind === 'fixed' && t.ns === 0))
    bad('the first step arrives with its task: it has no think time');
  else if (t.kind === 'fixed' && !isTime(t.ns)) bad(`think time must be ≥ 0 ns, got ${t.ns}`);
  else if (t.kind === 'exponential' && !isTime(t.meanNs))
    bad(`mean think time must be ≥ 0 ns, got ${t.meanNs}`);
  else if (t.kind === 'uniform' && !(isTime(t.minNs) && isTime(t.maxNs) && t.minNs <= t.maxNs))
    bad(`think range must be 0 ≤ min ≤ max ns, got [${t.minNs}, ${t.maxNs}]`);
}

function validateStepOutput(o: OutputSpec, here: At, issues: Issue[]): void {
  const ok =
    o.kind === 'fixed'
      ? isInt(o.tokens, 1)
      : isInt(o.minTokens, 1) && isInt(o.maxTokens, 1) && o.minTokens <= o.maxTokens;
  if (!ok)
    issues.push({
      code: 'input.range',
      path: here('output'),
      message: 'output tokens must be an integer ≥ 1 (or a range 1 ≤ min ≤ max)',
    });
}

/**
 * The tokens-per-request ceiling (LIMITS.tokensPerRequest) of a valid pipeline or trace: the
 * longest sequence a step can hand on (longest first context + every suffix and longest output
 * on its path) or a row's context + suffix + output. An issue with code `limit.tokens`.
 */
export function workloadKindLimitIssues(spec: WorkloadSpec, path: Path, issues: Issue[]): void {
  const limit = LIMITS.tokensPerRequest;
  const msg = (what: string, n: number): string =>
    `${what} may hold ${n.toLocaleString('en-US')} tokens, above the limit of ${limit.toLocaleString('en-US')} tokens per request (limit tokensPerRequest, docs/limits.md: above every model's context window)`;
  const p = spec.pipeline;
  if (p !== undefined) {
    const ctx = spec.contexts.length;
    const first = ctx.kind === 'fixed' ? ctx.tokens : ctx.maxTokens;
    const total: number[] = [];
    for (let k = 0; k < p.steps.length; k++) {
      const st = p.steps[k] as PipelineSpec['steps'][number];
      const out = st.output.kind === 'fixed' ? st.output.tokens : st.output.maxTokens;
      total[k] = (st.parent < 0 ? first : (total[st.parent] as number)) + st.suffixTokens + out;
      if ((total[k] as number) > limit) {
        issues.push({
          code: 'limit.tokens',
          path: [...path, 'pipeline', 'steps', k],
          message: msg(`step "${st.id}" (its context, suffix and output)`, total[k] as number),
        });
        return;
      }
    }
  }
  const r = spec.rows;
  if (r === undefined) return;
  for (let i = 0; i < r.contextTokens.length; i++) {
    const n =
      (r.contextTokens[i] as number) +
      (r.suffixTokens[i] as number) +
      (r.outputTokens[i] as number);
    if (n > limit) {
      issues.push({
        code: 'limit.tokens',
        path: [...path, 'rows', i],
        message: msg(`row ${i} (context + suffix + output)`, n),
      });
      return;
    }
  }
}
