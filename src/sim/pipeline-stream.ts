/**
 * Agent pipelines (docs/workloads.md "Agent pipelines"): each arrival is a *task* that runs a
 * tree of steps, each served by a named variant. The first step arrives with its task and asks
 * for a context drawn exactly as a one-shot request's is (the task's shared document: `contexts`
 * and `popularity`); when a step completes, its whole sequence — context, suffix and output — is
 * handed to the pool under a new context id (`Request.handoff`), and each child step arrives
 * after its think time asking for that id. A child served by another variant therefore finds
 * only a *related* cache (the parent variant's), which is DroidSpeak's partial reuse.
 *
 * **Ids.** Step s of task t has request id `t × steps + s`, so follow-ups that interleave with
 * other tasks' steps keep ids that say which task and step they are. Hand-off context ids are
 * `t<task>/<step id>`.
 *
 * **Randomness.** Task arrivals and first contexts come from the one-shot streams (arrivals,
 * popularity, lengths); step outputs from the outputs stream and think times from their own
 * stream, drawn in the order completions happen (deterministic: the simulator's event order is).
 */
import type { Random } from '../units/index.ts';
import { RequestStream } from './request-stream.ts';
import { stream } from './workload-random.ts';
import { assertValid } from './workload-validate.ts';
import type {
  OutputSpec,
  PipelineSpec,
  PipelineStepSpec,
  Request,
  ThinkSpec,
  WorkloadSpec,
} from './workload-types.ts';

const NO_REQUESTS: readonly Request[] = Object.freeze([]);

/**
 * The one-shot spec whose requests are the tasks: one per task, output and variant draws off.
 * @throws InputError when `validateWorkload` finds problems in the whole spec (its pipeline too)
 */
function taskSpec(spec: WorkloadSpec, steps: number): WorkloadSpec {
  assertValid(spec);
  const { pipeline: _pipeline, ...rest } = spec;
  return {
    ...rest,
    ...(spec.requests === undefined ? {} : { requests: Math.ceil(spec.requests / steps) }),
    crossVariantShare: 0,
    output: { kind: 'fixed', tokens: 1 },
  };
}

/** Think time in ns. */
function thinkNs(t: ThinkSpec, rand: Random): number {
  switch (t.kind) {
    case 'fixed':
      return t.ns;
    case 'exponential':
      return -Math.log(1 - rand()) * t.meanNs;
    case 'uniform':
      return t.minNs + rand() * (t.maxNs - t.minNs);
  }
}

/** Output tokens of one step. */
function outputTokens(o: OutputSpec, rand: Random): number {
  return o.kind === 'fixed'
    ? o.tokens
    : o.minTokens + Math.floor(rand() * (o.maxTokens - o.minTokens + 1));
}

/**
 * The stream of a workload with a `pipeline` (a {@link RequestStream}, so the simulator drives it
 * the same way): {@link PipelineStream.nextRequest} gives each task's first step,
 * {@link PipelineStream.completed} the steps a completion releases.
 */
export class PipelineStream extends RequestStream {
  private readonly steps: readonly PipelineStepSpec[];
  /** Children of each step, in declared order. */
  private readonly children: readonly (readonly number[])[];
  private readonly thinkRand: Random;
  private readonly stepOutputRand: Random;

  /**
   * @throws InputError when `validateWorkload` (workload-validate.ts) finds problems
   */
  constructor(spec: WorkloadSpec & { readonly pipeline: PipelineSpec }, seed: number) {
    const steps = spec.pipeline.steps;
    super(taskSpec(spec, Math.max(1, steps.length)), seed);
    this.steps = steps;
    this.children = steps.map((_, k) => steps.flatMap((st, j) => (st.parent === k ? [j] : [])));
    this.thinkRand = stream(seed, 'think');
    this.stepOutputRand = stream(seed, 'outputs');
  }

  /** The next task's first step, or undefined once tasks have stopped. */
  override nextRequest(): Request | undefined {
    const task = super.nextRequest();
    if (task === undefined) return undefined;
    return this.step(task.id, 0, task.arrivalNs, task.context, task.contextTokens);
  }

  /** The child steps `req`'s completion releases, each after its think time from `nowNs`. */
  override completed(req: Request, nowNs: number): readonly Request[] {
    const n = this.steps.length;
    const s = req.id % n;
    const kids = this.children[s] as readonly number[];
    if (kids.length === 0 || req.handoff === undefined) return NO_REQUESTS;
    const task = (req.id - s) / n;
    const h = req.handoff;
    return kids.map((k) =>
      this.step(
        task,
        k,
        nowNs + thinkNs((this.steps[k] as PipelineStepSpec).think, this.thinkRand),
        h.context,
        h.tokens,
      ),
    );
  }

  /** Step `k` of `task`, arriving at `arrivalNs` and asking for `context` of `contextTokens`. */
  private step(
    task: number,
    k: number,
    arrivalNs: number,
    context: string,
    contextTokens: number,
  ): Request {
    const st = this.steps[k] as PipelineStepSpec;
    const out = outputTokens(st.output, this.stepOutputRand);
    const base = {
      id: task * this.steps.length + k,
      arrivalNs,
      variant: st.variant,
      context,
      contextTokens,
      suffixTokens: st.suffixTokens,
      outputTokens: out,
    };
    // Only a step with children hands its sequence on (a leaf's would be stored for no reader).
    if ((this.children[k] as readonly number[]).length === 0) return base;
    return {
      ...base,
      handoff: { context: `t${task}/${st.id}`, tokens: contextTokens + st.suffixTokens + out },
    };
  }
}
