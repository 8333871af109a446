/**
 * The `prefill-done` event and the first token (docs/design.md "Simulator"). A request's first
 * token waits for one or two parts — its GPU work (recompute plus suffix, or the full prefill)
 * and, for a pipelined reuse, the stream of reused KV behind it. When the last part is done the
 * request records its TTFT, stores its own KV cache in the pool (after a partial reuse, and after
 * a full prefill when `storeOnFullPrefill`; never after an exact hit: placement and evictions
 * happen at once, the object becomes visible when its write lands) and joins its replica's
 * decoding batch. A preempted sequence's recompute ends here too: it rejoins decoding.
 */
import { recordFirstToken } from '../metrics.ts';
import { gpuWorkDone } from '../loader.ts';
import { interrupt, kick, queuePrefill, release } from '../replicas.ts';
import type { InFlight, Job, Replica, RunState } from '../state.ts';
import { completeRequest } from './decode-done.ts';
import { storeCache } from './store-cache.ts';

/**
 * Starts a request's GPU work: queued on its replica, even with none to do, since the request
 * needs KV blocks before its first token (replicas.ts admits it when they fit).
 */
export function startCompute(s: RunState, x: InFlight): void {
  queuePrefill(s, x);
}

/** One part of the work before the request's first token is done. */
export function partDone(s: RunState, x: InFlight): void {
  if (--x.pending === 0) firstToken(s, x);
}

function firstToken(s: RunState, x: InFlight): void {
  recordFirstToken(s, x);
  if (x.option.kind === 'partial' || (x.option.kind === 'full-prefill' && s.storeOnFullPrefill))
    storeCache(s, x, x.req.context, x.req.contextTokens);
  if (x.remainingTokens > 0) {
    x.replica.decoding.push(x);
    interrupt(s, x.replica);
    kick(s, x.replica);
  } else completeRequest(s, x);
}

/** Handles a prefill job ending on `rep` (`version`: the replica's at scheduling). */
export function prefillDone(s: RunState, rep: Replica, job: Job, version: number): void {
  if (version !== rep.version) return; // not reached: only decode runs are cut short
  release(rep);
  const onSpan = s.options.onSpan;
  if (onSpan !== undefined)
    onSpan({
      track: 'gpu',
      replica: rep.index,
      name: job.resume
        ? 'recompute (preempted)'
        : job.req.option.kind === 'full-prefill'
          ? 'prefill'
          : 'recompute + suffix',
      startNs: s.nowNs - job.ns,
      endNs: s.nowNs,
      request: job.req.req.id,
    });
  if (job.resume)
    rep.decoding.push(job.req); // a preempted sequence's recompute: back to decoding
  else {
    gpuWorkDone(s, job.req);
    partDone(s, job.req);
  }
  kick(s, rep);
}
