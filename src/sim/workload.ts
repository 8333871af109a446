/**
 * The workload generator of the serving simulation: turns a resolved {@link WorkloadSpec} and one
 * seed into a stream of {@link Request}s in arrival order. It follows DroidSpeak's evaluation
 * setting (docs/references.md §3: Poisson arrivals, LongBench context lengths) and adds what a shared
 * KV pool needs on top: a fixed population of contexts with Zipf popularity, each with a *home*
 * variant, and a share of requests that come from another variant (the agent / multi-team
 * pattern that makes cross-variant reuse matter). The simulator pulls requests one at a time, so
 * the generator is a streaming iterator: its memory is O(contexts + variants) — per-context
 * lengths, home variants and the popularity CDF — never O(requests); a million requests play in
 * constant memory.
 *
 * **Determinism and independent streams.** Every draw comes from `mulberry32` (units/random.ts).
 * The seed is split into separate streams — arrivals, context lengths, context homes, popularity
 * (which context a request asks for), variants (cross-variant coin and pick) and outputs — each
 * seeded with `fmix32(seed ^ constant)`. Each stream is consumed only by its own quantity, so
 * changing one part of the spec leaves the others' draws alone: a new output distribution does
 * not move a single arrival, a new length distribution does not change which context each request
 * asks for, and so on. (A request cut by `durationNs` draws nothing but its arrival.)
 *
 * This file is the public face; the parts live beside it: workload-types.ts (the spec and
 * request types), workload-presets.ts (LongBench context lengths), workload-validate.ts (the
 * checks), workload-random.ts (streams and samplers), request-stream.ts (the generator).
 */
import { PipelineStream } from './pipeline-stream.ts';
import { RequestStream } from './request-stream.ts';
import { TraceStream } from './trace-stream.ts';
import { drawLengths } from './workload-random.ts';
import type { WorkloadSpec } from './workload-types.ts';
import { assertValid } from './workload-validate.ts';

export type {
  ArrivalSpec,
  LengthSpec,
  LognormalLengthSpec,
  LongBenchDataset,
  OutputSpec,
  PipelineSpec,
  PipelineStepSpec,
  PopularitySpec,
  Request,
  ThinkSpec,
  TraceRows,
  WorkloadSpec,
} from './workload-types.ts';
export { LONGBENCH_PRESETS } from './workload-presets.ts';
export { validateWorkload } from './workload-validate.ts';
export { RequestStream } from './request-stream.ts';
export { PipelineStream } from './pipeline-stream.ts';
export { TraceStream } from './trace-stream.ts';

/**
 * The length of every context in tokens, index k for context `c<k>`: exactly the lengths
 * {@link generateRequests} uses for the same spec and seed (drawn once per context from the
 * lengths stream), for tests and reports.
 * @param seed - 32-bit integer seed (the run's one seed).
 * @throws InputError when {@link validateWorkload} finds problems.
 */
export function contextLengths(spec: WorkloadSpec, seed: number): Int32Array {
  assertValid(spec);
  return drawLengths(spec, seed);
}

/**
 * Streams the requests of a workload in arrival order, ids 0, 1, 2 …. Deterministic: the same spec
 * and seed give the same sequence, and each random quantity has its own stream (file header).
 * Memory is O(contexts + variants) whatever the number of requests. Stops after `requests`
 * requests, when the next arrival would be at or after `durationNs`, or at the end of a trace —
 * whichever comes first. A workload with `rows` replays them (src/sim/trace-stream.ts); one with
 * a `pipeline` runs its tasks' steps (src/sim/pipeline-stream.ts), releasing later steps as
 * earlier ones complete (`RequestStream.completed`).
 *
 * The spec is validated when this is called (not at the first `next()`).
 * @param seed - 32-bit integer seed (the run's one seed); other numbers are taken modulo 2³².
 * @throws InputError when {@link validateWorkload} finds problems.
 * @example
 * let n = 0;
 * for (const r of generateRequests(spec, 42)) if (r.variant !== 'base') n++;
 */
export function generateRequests(spec: WorkloadSpec, seed: number): RequestStream {
  const { rows, pipeline } = spec;
  if (rows !== undefined) return new TraceStream({ ...spec, rows }, seed);
  if (pipeline !== undefined) return new PipelineStream({ ...spec, pipeline }, seed);
  return new RequestStream(spec, seed);
}
