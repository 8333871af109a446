/**
 * The `decode-done` event (docs/design.md "Simulator"): a replica's decode run has ended, after
 * the steps until the first sequence of its batch finished, or cut short at a step's end by new
 * work. Every sequence of the batch has its tokens counted; finished ones complete; the replica
 * takes its next work; the KV blocks its sequences grew into are counted. Also where a request
 * completes and frees its blocks.
 */
import { recordCompletion } from '../metrics.ts';
import { allocate, heldTokens, keepPrefix } from '../hbm.ts';
import { kick, release } from '../replicas.ts';
import type { InFlight, Replica, RunState } from '../state.ts';
import { storeCache } from './store-cache.ts';

/** A request is done (its last token decoded): it leaves its replica and the system. */
export function completeRequest(s: RunState, x: InFlight): void {
  x.replica.load--;
  x.replica.kvUsedBlocks -= Math.ceil(heldTokens(x) / s.blockTokens);
  if (s.cfg.serving.prefixCache === true) keepPrefix(x.replica, x, s.blockTokens);
  recordCompletion(s, x);
  const h = x.req.handoff;
  if (h !== undefined) storeCache(s, x, h.context, h.tokens);
  const next = s.requests.completed(x.req, s.nowNs);
  for (let i = 0; i < next.length; i++) {
    const r = next[i] as (typeof next)[number];
    s.queue.push(r.arrivalNs, { kind: 'arrival', req: r });
  }
}

/**
 * Handles a decode run of `steps` steps of `batch` ending on `rep`; `version` is the replica's at
 * scheduling (a run cut short leaves a stale end, ignored: its replacement event follows).
 */
export function decodeDone(
  s: RunState,
  rep: Replica,
  batch: readonly InFlight[],
  steps: number,
  version: number,
): void {
  if (version !== rep.version) return;
  release(rep);
  const onSpan = s.options.onSpan;
  if (onSpan !== undefined)
    onSpan({
      track: 'gpu',
      replica: rep.index,
      name: `decode ×${steps}`,
      startNs: rep.decodeStartNs,
      endNs: s.nowNs,
      batch: batch.length,
    });
  let finished = 0;
  const b = s.blockTokens;
  let grown = 0;
  for (const x of batch) {
    const l = heldTokens(x);
    x.remainingTokens -= steps;
    grown += Math.ceil((l + steps) / b) - Math.ceil(l / b);
    if (x.remainingTokens === 0) finished++;
  }
  allocate(rep, grown); // within the free blocks the run was started with (hbm.ts stepsThatFit)
  if (finished > 0) {
    // Drop the finished sequences in place (only this batch's can have reached 0), then complete them in batch order.
    let k = 0;
    for (const x of rep.decoding) if (x.remainingTokens > 0) rep.decoding[k++] = x;
    rep.decoding.length = k;
    for (const x of batch) if (x.remainingTokens === 0) completeRequest(s, x);
  } else if (rep.decoding.length > batch.length) {
    // rotate so sequences beyond maxBatch get their turn
    rep.decoding.push(...rep.decoding.splice(0, batch.length));
  }
  kick(s, rep);
}
