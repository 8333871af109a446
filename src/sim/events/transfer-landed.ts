/**
 * Transfers landing (docs/design.md "Simulator"): the flow network reports a flow finished, and
 * what waited for it proceeds. A whole fetch lets the request's GPU work start; a pipelined
 * reuse's E caches let its recompute start while the reused KV streams behind them, and that
 * stream is one of the two parts its first token waits for. Each landing also tells the
 * replica's loader (../loader.ts), which frees the load slot as the request's strategy says. A
 * cache write lets nothing proceed: the pool placed the object when it was inserted, the write
 * only loads the fabric.
 */
import {
  E_FETCHED,
  FETCHED,
  WRITTEN,
  type InFlight,
  type Move,
  type RunState,
  type Stage,
} from '../state.ts';
import { eLanded, fetchLanded, streamLanded } from '../loader.ts';
import { scheduleTransfer } from '../transfers.ts';
import { partDone, startCompute } from './prefill-done.ts';

/** Moves `total` bytes for request `x`; with none to move, they land at once. */
export function send(
  s: RunState,
  move: Move,
  total: number,
  x: InFlight | undefined,
  stage: Stage,
): void {
  if (total <= 0) landed(s, x, stage);
  else scheduleTransfer(s, move, total, x, stage);
}

/** Handles the landing of flow `h` (a handle the network reported finished). */
export function flowLanded(s: RunState, h: number): void {
  const x = s.flowReq[h];
  s.flowReq[h] = undefined;
  landed(s, x, s.flowStage[h] as Stage);
}

function landed(s: RunState, x: InFlight | undefined, stage: Stage): void {
  if (x === undefined || stage === WRITTEN) return;
  if (stage === FETCHED) {
    startCompute(s, x);
    fetchLanded(s, x);
  } else if (stage === E_FETCHED) {
    startCompute(s, x);
    if (!eLanded(s, x)) partDone(s, x);
  } else {
    streamLanded(s, x);
    partDone(s, x);
  }
}
