/**
 * The run state of one simulation (docs/design.md "Simulator"): every mutable thing a run
 * carries — clock, event queue, flow network, pool, replicas, caches of routes and plans, and
 * the metrics store — in one explicit object that the event handlers (src/sim/events/) take as
 * their first argument. Also the internal records those handlers pass around: replicas, jobs,
 * requests in flight, transfers, events.
 *
 * Speed notes (the 1 M-request bench runs every event through here): the handlers are
 * module-level functions taking this object, never closures made per request; the clock and
 * running sums are double fields of objects (updated in place, where a closure variable holding
 * a double would be boxed anew on each write); one planner input object is refilled per request.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { Fabric } from '../fabric/compile.ts';
import type { FetchSource, PlannedStripe } from '../fabric/fetch.ts';
import type { FluidNetwork, PreparedRoute } from '../fabric/flows.ts';
import type { LockstepTransfer } from '../fabric/transfer.ts';
import type { DecodeStepLine } from '../kv/compute.ts';
import type { ModelShape } from '../kv/models.ts';
import type { CachedObject, KvPool, Replica as PoolReplica } from '../kv/pool.ts';
import type {
  ComputeCosts,
  FetchEstimator,
  PlanInput,
  PlanOption,
  PlanSizes,
  ReusableCache,
  Strategy,
} from '../planner/planner.ts';
import type { PairProfile } from '../planner/profiles.ts';
import type { EventQueue } from './queue.ts';
import type { RunOptions, SimConfig } from './types.ts';
import type { Request, RequestStream } from './workload.ts';

/** One serving replica: a variant on `tensorParallel` GPUs of one host, with its queues. */
export interface Replica {
  readonly index: number;
  readonly variant: string;
  readonly model: ModelShape;
  readonly host: string;
  /** The replica's first GPU (its id in the fabric). */
  readonly gpu: string;
  /** All `tensorParallel` GPUs of the replica, first = {@link gpu}: each fetches and writes its own KV shard over its own link. */
  readonly gpus: readonly string[];
  /** KV memory in blocks of `blockTokens` tokens (HBM × usable share − weights − the pool's GPU tier; docs/serving.md). */
  readonly kvCapacityBlocks: number;
  /** Bytes of one KV block (all layers, all tp shards). */
  readonly kvBlockBytes: number;
  /** Blocks held now: running prefills, sequences decoding, and requests admitted but waiting for their KV stream. */
  kvUsedBlocks: number;
  /** Most blocks ever held at once. */
  kvPeakBlocks: number;
  /** The local prefix cache: blocks by `${variant}\u0000${context}`, least recently used first (a Map keeps insertion order). */
  readonly localPrefixes: Map<string, number>;
  /** Blocks the local prefix cache holds (free blocks a sequence may reclaim). */
  localBlocks: number;
  /** Cached prefixes evicted to make room for sequences. */
  localEvictions: number;
  /** Prefill jobs waiting, first come first served (a preempted sequence's recompute goes first). */
  readonly prefill: Job[];
  /** Sequences decoding (after their first token), in batch order. */
  readonly decoding: InFlight[];
  busy: boolean;
  /** Requests routed here and not yet completed (least-loaded routing compares it). */
  load: number;
  /** GPU time of the prefill jobs waiting (ns). */
  queuedNs: number;
  /** When the running prefill job ends (ns; 0 when none). */
  jobEndNs: number;
  /** GPU time spent on prefill jobs and decode runs so far (ns), for the utilisation summary. */
  busyNs: number;
  /** When the current (or last) decode run started (ns): its span's start, even once cut short. */
  decodeStartNs: number;
  /** Bumped when a decode run is cut short, so its scheduled end is ignored. */
  version: number;
  /** The decode run in progress: its batch, start, mean context at its first step, steps and step line. */
  run: DecodeRun | undefined;
  /** Decode step lines by batch size, filled on first use. */
  readonly stepLines: (DecodeStepLine | undefined)[];
  /** The request holding the replica's load slot (loader.ts), and the loads waiting for it. */
  loading: InFlight | undefined;
  readonly loads: InFlight[];
  /** The planner's hold time of each waiting load (ns), beside `loads`, and their sum. */
  readonly loadHoldsNs: number[];
  queuedHoldNs: number;
  /** When the current load is expected to free the slot (ns). */
  loadHoldEndNs: number;
  /** GPU prefill work the planner has committed on this replica so far (ns). */
  plannedWorkNs: number;
  /** When the GPU finishes the work planned so far, as the planner promised (ns). */
  gpuPlannedEndNs: number;
  /** Time the load slot has been held so far (ns), and when the current hold began (ns). */
  loadBusyNs: number;
  loadStartNs: number;
  /** The fetch rate the planner expected for the latest load it queued here (bytes/ns). */
  loadRateBytesPerNs: number;
  /** The fetch estimate the planner sees for this replica (loader.ts), made on first use. */
  plannerEstimate: FetchEstimator | undefined;
}

/** A decode run: `steps` decode steps of `batch` from `startNs` (ns), mean context `ctx0` tokens at the first. */
export interface DecodeRun {
  batch: InFlight[];
  startNs: number;
  ctx0: number;
  steps: number;
  line: DecodeStepLine;
  /** Blocks the batch grows by if every step runs (checked free at the start, so memory never exceeds capacity). */
  growBlocks: number;
}

/** A prefill job: `ns` of GPU work for one request. */
export interface Job {
  readonly ns: number;
  readonly req: InFlight;
  /** A preempted sequence's recompute (prompt + tokens generated): it rejoins decoding, no new first token. */
  readonly resume: boolean;
  /** Counted once as an admission wait (its blocks did not fit when it reached the head of the queue). */
  waited: boolean;
}

/** A request between its arrival and its completion. */
export interface InFlight {
  readonly req: Request;
  readonly replica: Replica;
  readonly option: PlanOption;
  /** Things still to finish before the first token (compute, KV stream). */
  pending: number;
  ttftNs: number;
  remainingTokens: number;
  /** GPU work before the first token (ns): recompute plus suffix, or the full prefill. */
  readonly computeNs: number;
  /** The fetch's transfer, and the KV bytes a pipelined reuse streams after its E caches. */
  readonly move: Move | undefined;
  readonly kvBytes: number;
}

/** What a landed transfer lets proceed (see events/transfer-landed.ts). */
export const FETCHED = 0; // the whole fetch: GPU work can start
export const E_FETCHED = 1; // a pipelined reuse's E caches: recompute starts, the reused KV streams behind
export const KV_FETCHED = 2; // a pipelined reuse's reused KV
export const WRITTEN = 3; // a cache write: nothing waits for it
/** One of {@link FETCHED}, {@link E_FETCHED}, {@link KV_FETCHED}, {@link WRITTEN}. */
export type Stage = typeof FETCHED | typeof E_FETCHED | typeof KV_FETCHED | typeof WRITTEN;

/** What a request's variant needs, found with one lookup per request. */
export interface VariantInfo {
  /** Base model id. */
  readonly model: string;
  /** Pair profiles with this variant as receiver, by sender. */
  readonly profiles: ReadonlyMap<string, PairProfile>;
  readonly replicas: readonly Replica[];
  /** Next replica for round-robin routing. */
  next: number;
  /** Layers whose E cache this variant's cached objects store. */
  readonly eLayers: readonly number[];
  /** Compute costs by (context, suffix) tokens. */
  readonly costs: Map<number, ComputeCosts>;
  /** Cache sizes by context tokens. */
  readonly sizes: Map<number, PlanSizes>;
}

/** A transfer ready to start: its lockstep flow's route prepared on this run's network (fabric/transfer.ts). */
export interface Move extends Pick<LockstepTransfer, 'latencyNs' | 'relayedShare'> {
  readonly route: PreparedRoute;
  /** The flow's rate cap (bytes/ns): finite for cache writes (paced, docs/serving.md), infinite for fetches. */
  readonly capBytesPerNs: number;
}

/**
 * The events of the queue. Transfers landing are the other event source: the flow network
 * reports them (`FluidNetwork.nextCompletionNs`), the loop takes whichever comes first.
 */
export type Ev =
  | { kind: 'arrival'; req: Request }
  /** A transfer's first-byte latency has passed: its flow starts moving. */
  | {
      kind: 'transfer-start';
      move: Move;
      bytes: number;
      x: InFlight | undefined;
      stage: Stage;
      /** A cache write's object: it becomes visible to lookups when the write lands. */
      obj: CachedObject | undefined;
    }
  | { kind: 'prefill-done'; replica: Replica; job: Job; version: number }
  | { kind: 'decode-done'; replica: Replica; batch: InFlight[]; steps: number; version: number };

/** The planner's input with every field writable: one object refilled per request. */
export type MutablePlanInput = { -readonly [K in keyof PlanInput]: PlanInput[K] };

/** Plans and routes a run memoises (routes do not change during a run; see transfers.ts). */
export interface TransferCaches {
  /** Fetch transfers by consumer replica and source placement (`${replica}|${source}`); null = unreachable. */
  readonly planCache: Map<string, Move | null>;
  /** Per fetch source object, the transfer into each replica (by index). */
  readonly transferTo: WeakMap<FetchSource, (Move | null | undefined)[]>;
  /** One fetch source object per pool replica. */
  readonly sourceOfReplica: WeakMap<PoolReplica, FetchSource>;
  /** The planner's view of each cached object, with the replicas it was built from. */
  readonly reusable: WeakMap<
    CachedObject,
    { replicas: readonly PoolReplica[]; cache: ReusableCache }
  >;
  /** Cache-write routes by `${gpu}>${target}`. */
  readonly writeRoutes: Map<string, PlannedStripe | undefined>;
  /** Cache-write transfers by writer replica and placement (targets and their byte shares). */
  readonly writeMoves: Map<string, Move>;
}

/**
 * The metrics store: counters, running sums and HDR histograms a run streams into (memory does
 * not grow with requests); metrics.ts records into it and summarises it.
 */
export interface Metrics {
  /** TTFT and end-to-end latency (ns). */
  readonly ttftH: Histogram;
  readonly e2eH: Histogram;
  arrived: number;
  completed: number;
  /** Completed requests that met both SLOs. */
  good: number;
  events: number;
  /** Requests arrived and not completed. */
  inSystem: number;
  readonly decisions: { 'full-prefill': number; exact: number; partial: number };
  readonly byStrategy: Record<string, number>;
  recomputedSum: number;
  readonly moved: { fetchCxl: number; fetchRelayed: number; fetchRdma: number; writes: number };
  /** Time-integral of requests in the system (ns), and the time it was last advanced to (ns). */
  areaNs: number;
  lastNs: number;
  /** First and last arrival (ns; -1 before the first): goodput is per second of this window. */
  firstArrivalNs: number;
  lastArrivalNs: number;
  /** Sequences preempted (recompute) and prefill jobs that waited for KV blocks at the head of the queue. */
  preemptions: number;
  /** Requests served from their replica's local prefix cache. */
  localHits: number;
  admissionWaits: number;
  e2eSumNs: number;
  qualitySum: number;
  /** Requests the workload asks for (0 when unknown), for progress reports. */
  readonly expected: number;
}

/** Everything one run carries; made by setup.ts, advanced by the event handlers. */
export interface RunState {
  readonly f: Fabric;
  readonly cfg: SimConfig;
  readonly options: RunOptions;
  /** Simulated time (ns). */
  nowNs: number;
  readonly queue: EventQueue<Ev>;
  readonly net: FluidNetwork;
  readonly pool: KvPool;
  readonly requests: RequestStream;
  readonly replicas: readonly Replica[];
  readonly variants: ReadonlyMap<string, VariantInfo>;
  readonly strategies: readonly Strategy[];
  /** Per flow handle: the request it moves for (none for cache writes) and what its landing lets proceed. */
  readonly flowReq: (InFlight | undefined)[];
  readonly flowStage: Stage[];
  /** Per flow handle: the cached object a cache write makes visible when it lands. */
  readonly flowObj: (CachedObject | undefined)[];
  /** Tokens per KV block (vLLM's 16, docs/serving.md). */
  readonly blockTokens: number;
  /** Whether requests served by a full prefill store their KV in the pool (`pool.storeOnFullPrefill`). */
  readonly storeOnFullPrefill: boolean;
  readonly caches: TransferCaches;
  /** Contention-aware fetch estimate per serving replica (by index), made once per run. */
  readonly estimators: FetchEstimator[];
  /** The planner's input, refilled per request (the planner keeps no reference to it). */
  readonly input: MutablePlanInput;
  /** The related caches handed to the planner, refilled per request. */
  readonly relatedCaches: ReusableCache[];
  readonly metrics: Metrics;
  /** With `options.onSpan`: each flow handle's start time and bytes, for its span when it lands. */
  readonly trace: { readonly startNs: number[]; readonly bytes: number[] } | undefined;
}
