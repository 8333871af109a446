/**
 * The discrete-event serving simulator (docs/design.md "Simulator"): plays a workload through
 * GPUs, the fabric and the shared KV pool, with the reuse planner deciding per request. This
 * file is the loop; the rest of the simulator is split the way Vidur's `simulator.py` is:
 *
 * - state.ts — the run state, one explicit object every handler takes; setup.ts builds it.
 * - events/ — one module per event kind: `arrival.ts` (route and plan a request, start its
 *   fetch or compute), `transfer-landed.ts` (a fetch or cache write landed), `prefill-done.ts`
 *   (GPU work done; the first token and the cache write), `decode-done.ts` (a decode run ended;
 *   requests complete).
 * - replicas.ts (placement, prefill queue, decode batching), transfers.ts (fetches and writes
 *   on the fluid network), routing.ts (which replica), metrics.ts (the metrics store and the
 *   summary a run returns), types.ts (the public types).
 *
 * **Events** sit in a binary heap ordered by (time, sequence), so ties keep insertion order and
 * runs are deterministic. The fluid flow network is a second event source: the loop takes
 * whichever comes first, the heap's head or the network's next completion.
 */
import type { Fabric } from '../fabric/compile.ts';
import { arrive, pullArrival } from './events/arrival.ts';
import { decodeDone } from './events/decode-done.ts';
import { prefillDone } from './events/prefill-done.ts';
import { flowLanded } from './events/transfer-landed.ts';
import { advanceClock, recordArrival, summarise } from './metrics.ts';
import { createRunState } from './setup.ts';
import type { Ev, RunState } from './state.ts';
import { startTransfer, writeLanded } from './transfers.ts';
import type { RunOptions, SimConfig, SimResult } from './types.ts';

/**
 * Runs a scenario on a compiled fabric.
 * @throws InputError when the serving spec does not fit the topology's GPUs or names unknown variants
 */
export function runSimulation(f: Fabric, cfg: SimConfig, options: RunOptions = {}): SimResult {
  const s = createRunState(f, cfg, options);
  play(s);
  return summarise(s);
}

/** A flow landed: a cache write's object becomes visible to lookups, then whatever waited proceeds. */
function landFlow(s: RunState, h: number): void {
  if (s.trace !== undefined) traceFlow(s, h);
  writeLanded(s, h);
  flowLanded(s, h);
}

/** The span of flow `h`, landing now (`run --trace`): a fetch into a replica or a cache write. */
function traceFlow(s: RunState, h: number): void {
  const x = s.flowReq[h];
  const t = s.trace as NonNullable<RunState['trace']>;
  const onSpan = s.options.onSpan as NonNullable<RunState['options']['onSpan']>;
  onSpan({
    track: x === undefined ? 'write' : 'fetch',
    replica: x === undefined ? -1 : x.replica.index,
    name: x === undefined ? 'cache write' : `fetch (${x.option.kind})`,
    startNs: t.startNs[h] ?? s.nowNs,
    endNs: s.nowNs,
    ...(x === undefined ? {} : { request: x.req.id }),
    bytes: t.bytes[h] ?? 0,
  });
}

/**
 * Plays a run from its state as setup.ts made it: pulls the first arrival, then runs events
 * until neither the queue nor the network has any left. Exported for tests of the run state:
 * `probe` (tests only) sees the state before every event.
 */
export function play(s: RunState, probe?: (s: RunState) => void): void {
  const { queue, net, metrics } = s;
  pullArrival(s);
  for (;;) {
    if (probe !== undefined) probe(s);
    const tq = queue.peekTime();
    const tn = net.nextCompletionNs();
    if (!Number.isFinite(tq) && !Number.isFinite(tn)) break;
    metrics.events++;
    if (tn <= tq) {
      advanceClock(s, tn);
      const done = net.advanceTo(tn);
      for (let i = 0; i < done.length; i++) landFlow(s, done[i] as number);
      continue;
    }
    const e = queue.pop() as Ev;
    advanceClock(s, tq);
    // Flows due within the engine's time tolerance of tq finish now: land them before the event.
    const due = net.advanceTo(tq);
    for (let i = 0; i < due.length; i++) landFlow(s, due[i] as number);
    switch (e.kind) {
      case 'arrival':
        recordArrival(metrics, tq);
        arrive(s, e.req);
        pullArrival(s);
        break;
      case 'transfer-start':
        startTransfer(s, e.move, e.bytes, e.x, e.stage, e.obj);
        break;
      case 'prefill-done':
        prefillDone(s, e.replica, e.job, e.version);
        break;
      case 'decode-done':
        decodeDone(s, e.replica, e.batch, e.steps, e.version);
        break;
    }
  }
}
