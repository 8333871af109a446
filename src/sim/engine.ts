/**
 * The discrete-event serving simulator (docs/design.md "Simulator"): plays a workload through
 * GPUs, the fabric and the shared KV pool, with the reuse planner deciding per request.
 *
 * - **Events** sit in a binary heap ordered by (time, sequence), so ties keep insertion order
 *   and runs are deterministic. The fluid flow network is a second event source: the loop takes
 *   whichever comes first, the heap's head or the network's next completion.
 * - **Replicas** serve one variant each on `tensorParallel` GPUs of one host (round-robin over
 *   variants, spread one per host before any host gets a second). Requests are routed
 *   round-robin per variant (DroidSpeak's testbed), to the least-loaded replica, or cache-aware
 *   (the least-loaded replica that reaches a cached copy of the context directly, else through
 *   relay hosts — on an Octopus pod not every host reaches every device). A replica runs
 *   continuous batching without chunked
 *   prefill: when it has prefill work it runs the next prefill job to completion (decode stalls —
 *   prefill interference), otherwise one decode step for up to `maxBatch` sequences
 *   (roofline step time at the batch's mean context).
 * - **Fabric**: every fetch and every cache write is one flow in the max-min fluid network
 *   (`FluidNetwork`) whose stripes advance in lockstep (fabric/transfer.ts: weight k/n on a
 *   resource k of its n stripes cross), waiting its slowest stripe's path latency before
 *   moving, so fetches and writes contend on links, device media and PCIe. Routes are planned
 *   and prepared once per (serving replica, placement).
 * - **Planner**: `choose` (the planner's pick without enumerating every option) sees the pool's
 *   current contents and a contention-aware fetch estimate (`FluidNetwork.estimateRateOn`: each
 *   resource's capacity shared with the flows already on it), the replica's queue length and
 *   GPU backlog, and the TTFT SLO.
 * - **Pool**: after a prefill that was not an exact hit, the request's own KV cache (plus the E
 *   caches its variant's receivers may need) is inserted into the pool — placement and
 *   evictions happen at once, and the write flows are charged to the fabric.
 * - **Metrics** stream into HDR histograms and counters, so memory does not grow with requests.
 */
import * as hdr from 'hdr-histogram-js';
import { InputError } from '../errors/index.ts';
import type { Fabric } from '../fabric/compile.ts';
import { planFetch, type FetchSource, type PlannedStripe } from '../fabric/fetch.ts';
import { FluidNetwork, type PreparedRoute } from '../fabric/flows.ts';
import { lockstepTransfer, type LockstepTransfer } from '../fabric/transfer.ts';
import { hostGpus } from '../fabric/paths.ts';
import { dataRoute } from '../fabric/route.ts';
import { decodeRunNs, decodeStepLine, prefillTimeNs, type DecodeStepLine } from '../kv/compute.ts';
import { eCacheBytes, kvCacheBytes, type ModelShape } from '../kv/models.ts';
import {
  KvPool,
  replicaSource,
  type CachedObject,
  type Replica as PoolReplica,
  type Stripe,
} from '../kv/pool.ts';
import {
  choose,
  computeCosts,
  eLayersFor,
  STRATEGIES,
  type ComputeCosts,
  type FetchEstimator,
  type PlanInput,
  type PlanOption,
  type PolicyName,
  type ReusableCache,
  type Strategy,
} from '../planner/planner.ts';
import type { PairProfile } from '../planner/profiles.ts';
import type { PlannerScenario } from '../planner/explain.ts';
import { bytes, GB } from '../units/index.ts';
import { EventQueue } from './queue.ts';
import { generateRequests, type Request, type WorkloadSpec } from './workload.ts';

/** Which GPUs serve which variant. */
export interface ServingSpec {
  readonly replicas: readonly { readonly variant: string; readonly count: number }[];
  /** `cache-aware`: the least-loaded replica that reaches a cached copy of the context directly (own variant's first, else a related one), else through relays, else the least-loaded. */
  readonly routing: 'round-robin' | 'least-loaded' | 'cache-aware';
  /** Largest decode batch per replica. */
  readonly maxBatch: number;
}

/** Everything a run needs besides the fabric (a scenario file resolves into this): the planner's part plus serving, workload and SLOs. */
export interface SimConfig extends PlannerScenario {
  readonly name: string;
  readonly seed: number;
  readonly serving: ServingSpec;
  readonly workload: WorkloadSpec;
  readonly slo: { readonly ttftNs: number; readonly e2eNs: number };
}

/** One request's record (for `--records`). */
export interface RequestRecord {
  readonly id: number;
  readonly variant: string;
  readonly context: string;
  readonly contextTokens: number;
  readonly replica: number;
  readonly host: string;
  readonly arrivalNs: number;
  readonly ttftNs: number;
  readonly e2eNs: number;
  readonly decision: PlanOption['kind'];
  readonly strategy: string;
  readonly source: string;
  readonly recomputedLayers: number;
  readonly fetchBytes: number;
  readonly qualityLoss: number;
  readonly metSlo: boolean;
}

/** Percentiles of a latency distribution (ns). */
export interface LatencyStats {
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** What a run measured. Deterministic for the same inputs and seed. */
export interface SimResult {
  readonly scenario: string;
  readonly topology: string;
  readonly policy: PolicyName;
  readonly seed: number;
  /** Simulated time from 0 to the last event (ns). */
  readonly simulatedNs: number;
  readonly requests: {
    readonly arrived: number;
    readonly completed: number;
    readonly inFlight: number;
  };
  readonly throughputPerS: number;
  /** Completed requests per second that met both SLOs. */
  readonly goodputPerS: number;
  readonly sloAttainment: number;
  readonly ttft: LatencyStats;
  readonly e2e: LatencyStats;
  /** TTFT at percentiles 0, 2, 4, … 100 (51 points, ns), for CDF charts. */
  readonly ttftCdfNs: readonly number[];
  readonly decisions: {
    readonly fullPrefill: number;
    readonly exact: number;
    readonly partial: number;
    readonly byStrategy: Readonly<Record<string, number>>;
    readonly meanRecomputedLayers: number;
  };
  readonly meanQualityLoss: number;
  /** Bytes fetched over CXL (of which `fetchRelayed` through relay hosts) and over RDMA, and written to the pool. */
  readonly bytesMoved: {
    readonly fetchCxl: number;
    readonly fetchRelayed: number;
    readonly fetchRdma: number;
    readonly writes: number;
  };
  readonly utilisation: {
    readonly busiestLink: { readonly id: string; readonly utilisation: number };
    readonly busiestDevice: { readonly id: string; readonly utilisation: number };
    readonly meanCxlLink: number;
    /** The 20 busiest resources (link directions and device media), busiest first. */
    readonly top: readonly { readonly id: string; readonly utilisation: number }[];
  };
  readonly pool: {
    readonly objects: number;
    readonly occupancy: number;
    readonly hits: { readonly exact: number; readonly crossVariant: number; readonly miss: number };
    readonly evictions: number;
    readonly rejected: number;
  };
  /** Little's law check: time-average requests in the system vs arrival rate × mean time in system. */
  readonly littlesLaw: { readonly meanInSystem: number; readonly arrivalRateTimesMeanTime: number };
  readonly events: number;
  /** With `failAtEnd`: cached objects (and their bytes) the failure would destroy at the end of the run. */
  readonly lostAtEnd?: {
    readonly objects: number;
    readonly bytes: number;
    readonly replicasDropped: number;
  };
}

/** Options of a run. */
export interface RunOptions {
  /** Called with each completed request's record. */
  readonly onRecord?: (r: RequestRecord) => void;
  /** Called now and then with (requests completed, requests expected or 0 when unknown). */
  readonly onProgress?: (done: number, total: number) => void;
  /** After the run, fail these elements in the pool and report what is lost (the failure what-if). */
  readonly failAtEnd?: { readonly devices?: readonly string[]; readonly hosts?: readonly string[] };
}

interface Replica {
  readonly index: number;
  readonly variant: string;
  readonly model: ModelShape;
  readonly host: string;
  readonly gpu: string;
  readonly prefill: Job[];
  readonly decoding: InFlight[];
  busy: boolean;
  load: number;
  /** GPU time of the prefill jobs waiting (ns), and when the running one ends (ns; 0 when none). */
  queuedNs: number;
  jobEndNs: number;
  /** Bumped when a decode run is cut short, so its scheduled end is ignored. */
  version: number;
  /** The decode run in progress: its batch, start, mean context at its first step, steps and step line. */
  run:
    | { batch: InFlight[]; startNs: number; ctx0: number; steps: number; line: DecodeStepLine }
    | undefined;
  /** Decode step lines by batch size, filled on first use. */
  readonly stepLines: (DecodeStepLine | undefined)[];
}

interface Job {
  readonly ns: number;
  readonly req: InFlight;
}

interface InFlight {
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

/** What a landed transfer lets proceed (see `landed`). */
const FETCHED = 0; // the whole fetch: GPU work can start
const E_FETCHED = 1; // a pipelined reuse's E caches: recompute starts, the reused KV streams behind
const KV_FETCHED = 2; // a pipelined reuse's reused KV
const WRITTEN = 3; // a cache write: nothing waits for it
type Stage = typeof FETCHED | typeof E_FETCHED | typeof KV_FETCHED | typeof WRITTEN;

/** What a request's variant needs, found with one lookup per request. */
interface VariantInfo {
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
}

/** A transfer ready to start: its lockstep flow's route prepared on this run's network (fabric/transfer.ts). */
interface Move extends Pick<LockstepTransfer, 'latencyNs' | 'relayedShare'> {
  readonly route: PreparedRoute;
}

type Ev =
  | { kind: 'arrival'; req: Request }
  | { kind: 'flow-start'; move: Move; bytes: number; x: InFlight | undefined; stage: Stage }
  | {
      kind: 'gpu-done';
      replica: Replica;
      decode: InFlight[] | undefined;
      steps: number;
      job: Job | undefined;
      version: number;
    };

/** Histogram of ns values: HDR with 3 significant digits (≤ 0.1 % error), auto-resizing. */
function histogram(): hdr.Histogram {
  return hdr.build({ numberOfSignificantValueDigits: 3, autoResize: true });
}

function latencyStats(h: hdr.Histogram): LatencyStats {
  if (h.totalCount === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  return {
    mean: h.mean,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    max: h.maxValue,
  };
}

const NO_PROFILES: ReadonlyMap<string, PairProfile> = new Map();

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Nominal bytes for cached stripe plans (stripes are proportional; bytes are set per fetch). */
const PLAN_BYTES = bytes(1 * GB);

/**
 * Runs a scenario on a compiled fabric.
 * @throws InputError when the serving spec does not fit the topology's GPUs or names unknown variants
 */
export function runSimulation(f: Fabric, cfg: SimConfig, options: RunOptions = {}): SimResult {
  const modelOf = new Map(cfg.variants.map((v) => [v.id, cfg.models[v.model]]));
  const replicas = placeReplicas(f, cfg, modelOf);
  const byVariant = new Map<string, Replica[]>();
  for (const r of replicas) byVariant.set(r.variant, [...(byVariant.get(r.variant) ?? []), r]);
  const pool = new KvPool(f, cfg.pool);
  const net = new FluidNetwork(f.resourceCapacityBytesPerNs);
  /** Per flow handle: the request it moves for (none for cache writes) and what its landing lets proceed. */
  const flowReq: (InFlight | undefined)[] = [];
  const flowStage: Stage[] = [];
  const queue = new EventQueue<Ev>();
  const profilesByReceiver = new Map<string, Map<string, PairProfile>>();
  for (const p of cfg.profiles) {
    const m = profilesByReceiver.get(p.receiver) ?? new Map<string, PairProfile>();
    m.set(p.sender, p);
    profilesByReceiver.set(p.receiver, m);
  }
  const variantInfo = new Map<string, VariantInfo>(
    cfg.variants.map((v) => [
      v.id,
      {
        model: v.model,
        profiles: profilesByReceiver.get(v.id) ?? NO_PROFILES,
        replicas: byVariant.get(v.id) ?? [],
        next: 0,
        eLayers: eLayersFor(v.id, cfg.profiles, cfg.qualityBudget),
        costs: new Map(),
      },
    ]),
  );
  const infoOf = (variant: string): VariantInfo => {
    const info = variantInfo.get(variant);
    if (info === undefined || info.replicas.length === 0)
      throw new InputError([
        {
          code: 'sim.no-replica',
          path: ['serving', 'replicas'],
          message: `requests for variant "${variant}" but no replica serves it`,
        },
      ]);
    return info;
  };
  const strategies: readonly Strategy[] =
    cfg.planner.strategy === 'best' ? STRATEGIES : [cfg.planner.strategy];
  /** Fetch transfers by consumer replica and source placement (`${replica}|${source}`); null = unreachable. */
  const planCache = new Map<string, Move | null>();

  // ---- metrics ----
  const ttftH = histogram();
  const e2eH = histogram();
  let arrived = 0;
  let completed = 0;
  let good = 0;
  let events = 0;
  const decisions = { 'full-prefill': 0, exact: 0, partial: 0 };
  const byStrategy: Record<string, number> = {};
  let recomputedSum = 0;
  const moved = { fetchCxl: 0, fetchRelayed: 0, fetchRdma: 0, writes: 0 };
  let inSystem = 0;
  /**
   * The clock and the run's running sums (time-integral of requests in the system, e2e time,
   * quality loss) live in one object: a closure variable holding a double is boxed anew on every
   * write, an object's double field is updated in place.
   */
  const tally = { nowNs: 0, areaNs: 0, lastNs: 0, e2eSumNs: 0, qualitySum: 0 };
  const expected = cfg.workload.requests ?? 0;

  const advanceClock = (t: number): void => {
    tally.areaNs += inSystem * (t - tally.lastNs);
    tally.lastNs = t;
    tally.nowNs = t;
  };

  // ---- fabric ----
  /**
   * The fetch of a pool replica into a serving replica's GPU, as one lockstep transfer (see
   * fabric/transfer.ts); undefined when unreachable. Memoised per source object (the pool's
   * replicas are immutable, and `sourceOf` hands out one source object per replica), and behind
   * that per placement, so objects striped over the same devices share one plan.
   */
  const transferTo = new WeakMap<FetchSource, (Move | null | undefined)[]>();
  const fetchTransfer = (rep: Replica, source: FetchSource): Move | undefined => {
    let perReplica = transferTo.get(source);
    if (perReplica === undefined) {
      perReplica = [];
      transferTo.set(source, perReplica);
    }
    let move = perReplica[rep.index];
    if (move === undefined) {
      const key = `${rep.index}|${source.kind === 'devices' ? source.devices.join(',') : `${source.host}:${source.memory}`}`;
      move = planCache.get(key);
      if (move === undefined) {
        const p = planFetch(f, rep.host, source, PLAN_BYTES, { gpu: rep.gpu });
        const consumer = f.nodeIndex.get(rep.host) ?? -1;
        move = p.ok
          ? moveOf(lockstepTransfer(p.stripes, (v) => v !== consumer && f.nodeKind[v] === 'host'))
          : null;
        planCache.set(key, move);
      }
      perReplica[rep.index] = move;
    }
    return move ?? undefined;
  };
  const sourceOfReplica = new WeakMap<PoolReplica, FetchSource>();
  /** One fetch source object per pool replica (so `fetchTransfer` can memoise by identity). */
  const sourceOf = (r: PoolReplica): FetchSource => {
    let s = sourceOfReplica.get(r);
    if (s === undefined) {
      s = replicaSource(r);
      sourceOfReplica.set(r, s);
    }
    return s;
  };
  const reusable = new WeakMap<
    CachedObject,
    { replicas: readonly PoolReplica[]; cache: ReusableCache }
  >();
  /** The planner's view of a cached object, rebuilt only when its replicas change (a failure drops some). */
  const reusableOf = (o: CachedObject): ReusableCache => {
    const hit = reusable.get(o);
    if (hit !== undefined && hit.replicas === o.replicas) return hit.cache;
    // The variant's own E-layer array where the contents agree (the pool stores a copy per
    // object): the planner memoises frontier filters by the array's identity.
    const shared = variantInfo.get(o.variant)?.eLayers;
    const eLayers = shared !== undefined && sameNumbers(shared, o.eLayers) ? shared : o.eLayers;
    const cache: ReusableCache = {
      variant: o.variant,
      key: o.key,
      eLayers,
      replicas: o.replicas.map(sourceOf),
    };
    reusable.set(o, { replicas: o.replicas, cache });
    return cache;
  };
  /** Compute costs of a variant's model per (context, suffix) tokens: contexts recur, so most requests hit. */
  const costsOf = (
    info: VariantInfo,
    m: ModelShape,
    contextTokens: number,
    suffixTokens: number,
  ): ComputeCosts => {
    const key = contextTokens * 1_000_003 + suffixTokens; // distinct for suffixes < 1,000,003 tokens
    let c = info.costs.get(key);
    if (c === undefined) {
      c = computeCosts({
        model: m,
        gpu: cfg.gpu,
        tensorParallel: cfg.tensorParallel,
        contextTokens,
        suffixTokens,
      });
      info.costs.set(key, c);
    }
    return c;
  };
  /** Contention-aware estimate for one serving replica's GPU (`FluidNetwork.estimateRateOn`). */
  const estimators = replicas.map((rep): FetchEstimator => (source) => {
    const move = fetchTransfer(rep, source);
    if (move === undefined) return undefined;
    return { latencyNs: move.latencyNs, bandwidthBytesPerNs: net.estimateRateOn(move.route) };
  });
  const moveOf = (t: LockstepTransfer): Move => ({
    route: net.prepare(t),
    latencyNs: t.latencyNs,
    relayedShare: t.relayedShare,
  });
  /**
   * Moves `total` bytes as one lockstep transfer for request `x`; `landed(x, stage)` runs when
   * they have arrived. It starts moving once its slowest stripe's first-byte latency has passed.
   */
  const transfer = (move: Move, total: number, x: InFlight | undefined, stage: Stage): void => {
    if (total <= 0) {
      landed(x, stage);
      return;
    }
    queue.push(tally.nowNs + move.latencyNs, { kind: 'flow-start', move, bytes: total, x, stage });
  };
  const startFlow = (move: Move, size: number, x: InFlight | undefined, stage: Stage): void => {
    const h = net.startOn(move.route, size);
    flowReq[h] = x;
    flowStage[h] = stage;
  };
  const flowLanded = (h: number): void => {
    const x = flowReq[h];
    flowReq[h] = undefined;
    landed(x, flowStage[h] as Stage);
  };
  const landed = (x: InFlight | undefined, stage: Stage): void => {
    if (x === undefined || stage === WRITTEN) return;
    if (stage === FETCHED) enqueueCompute(x);
    else if (stage === E_FETCHED) {
      enqueueCompute(x);
      transfer(x.move as Move, x.kvBytes, x, KV_FETCHED);
    } else partDone(x);
  };
  /** Queues the request's GPU work (or, with none, counts it done). */
  const enqueueCompute = (x: InFlight): void => {
    if (x.computeNs <= 0) {
      partDone(x);
      return;
    }
    const rep = x.replica;
    rep.prefill.push({ ns: x.computeNs, req: x });
    rep.queuedNs += x.computeNs;
    interrupt(rep);
    kick(rep);
  };

  // ---- GPUs ----
  /**
   * Starts the replica's next work: a prefill job, else a decode run. A decode run covers the
   * steps until the first sequence of the batch finishes (one event, not one per token); new
   * work arriving meanwhile cuts it at the end of the step in progress (see `interrupt`).
   */
  const kick = (rep: Replica): void => {
    if (rep.busy) return;
    const job = rep.prefill.shift();
    if (job !== undefined) {
      rep.busy = true;
      rep.queuedNs -= job.ns;
      rep.jobEndNs = tally.nowNs + job.ns;
      queue.push(tally.nowNs + job.ns, {
        kind: 'gpu-done',
        replica: rep,
        decode: undefined,
        steps: 0,
        job,
        version: rep.version,
      });
      return;
    }
    if (rep.decoding.length > 0) {
      const batch = rep.decoding.slice(0, cfg.serving.maxBatch);
      let ctx = 0;
      let steps = Number.POSITIVE_INFINITY;
      for (const x of batch) {
        ctx += x.req.contextTokens + x.req.suffixTokens + (x.req.outputTokens - x.remainingTokens);
        steps = Math.min(steps, x.remainingTokens);
      }
      const line = stepLine(rep, batch.length);
      const ctx0 = ctx / batch.length;
      const t = tally.nowNs + decodeRunNs(line, ctx0, steps);
      rep.busy = true;
      rep.run = { batch, startNs: tally.nowNs, ctx0, steps, line };
      queue.push(t, {
        kind: 'gpu-done',
        replica: rep,
        decode: batch,
        steps,
        job: undefined,
        version: rep.version,
      });
    }
  };
  /** Decode step lines per replica and batch size (kv/compute.ts `decodeStepLine`). */
  const stepLine = (rep: Replica, batch: number): DecodeStepLine => {
    let line = rep.stepLines[batch];
    if (line === undefined) {
      line = decodeStepLine(rep.model, cfg.gpu, batch, { tp: cfg.tensorParallel });
      rep.stepLines[batch] = line;
    }
    return line;
  };
  /** Cuts a decode run short at the end of the step in progress, so new work starts there. */
  const interrupt = (rep: Replica): void => {
    const run = rep.run;
    if (run === undefined) return;
    // The step in progress: the first whose end is not before now (binary search over the run's
    // closed-form step ends, the same sums `kick` made).
    let lo = 0;
    let hi = run.steps - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (run.startNs + decodeRunNs(run.line, run.ctx0, mid + 1) < tally.nowNs) lo = mid + 1;
      else hi = mid;
    }
    const done = lo;
    if (done === run.steps - 1) return; // the run ends with this step anyway
    const end = run.startNs + decodeRunNs(run.line, run.ctx0, done + 1);
    rep.version++;
    rep.run = undefined;
    queue.push(end, {
      kind: 'gpu-done',
      replica: rep,
      decode: run.batch,
      steps: done + 1,
      job: undefined,
      version: rep.version,
    });
  };
  const complete = (x: InFlight): void => {
    const e2e = tally.nowNs - x.req.arrivalNs;
    e2eH.recordValue(Math.max(1, Math.round(e2e)));
    tally.e2eSumNs += e2e;
    completed++;
    inSystem--;
    x.replica.load--;
    const met = x.ttftNs <= cfg.slo.ttftNs && e2e <= cfg.slo.e2eNs;
    if (met) good++;
    options.onRecord?.({
      id: x.req.id,
      variant: x.req.variant,
      context: x.req.context,
      contextTokens: x.req.contextTokens,
      replica: x.replica.index,
      host: x.replica.host,
      arrivalNs: x.req.arrivalNs,
      ttftNs: x.ttftNs,
      e2eNs: e2e,
      decision: x.option.kind,
      strategy: x.option.strategy ?? '',
      source: x.option.sourceVariant ?? '',
      recomputedLayers:
        x.option.kind === 'partial'
          ? x.option.recomputedLayers
          : x.option.kind === 'full-prefill'
            ? x.replica.model.layers
            : 0,
      fetchBytes: x.option.fetchBytes,
      qualityLoss: x.option.qualityLoss,
      metSlo: met,
    });
    if (options.onProgress !== undefined && completed % 1000 === 0)
      options.onProgress(completed, expected);
  };
  const firstToken = (x: InFlight): void => {
    x.ttftNs = tally.nowNs - x.req.arrivalNs;
    ttftH.recordValue(Math.max(1, Math.round(x.ttftNs)));
    if (x.option.kind !== 'exact') storeCache(x);
    if (x.remainingTokens > 0) {
      x.replica.decoding.push(x);
      interrupt(x.replica);
      kick(x.replica);
    } else complete(x);
  };
  const partDone = (x: InFlight): void => {
    if (--x.pending === 0) firstToken(x);
  };
  const storeCache = (x: InFlight): void => {
    const m = x.replica.model;
    const { model: variantModel, eLayers } = infoOf(x.req.variant);
    const r = pool.insert(
      {
        variant: x.req.variant,
        context: x.req.context,
        model: variantModel,
        tokens: x.req.contextTokens,
        kvBytes: kvCacheBytes(m, x.req.contextTokens),
        eLayers,
        eBytesPerLayer: eCacheBytes(m, x.req.contextTokens),
      },
      x.replica.host,
      tally.nowNs,
      prefillTimeNs(m, cfg.gpu, x.req.contextTokens, { tp: cfg.tensorParallel }),
    );
    writeStripes(x.replica, r.writes);
  };
  const writeRoutes = new Map<string, PlannedStripe | undefined>();
  /** The route of a cache write from a replica's GPU to a location (cached: routes do not change during a run). */
  const writeRoute = (rep: Replica, target: string): PlannedStripe | undefined => {
    const key = `${rep.gpu}>${target}`;
    if (!writeRoutes.has(key)) {
      const r = dataRoute(f, rep.gpu, target, 1);
      writeRoutes.set(
        key,
        r === undefined
          ? undefined
          : {
              source: rep.gpu,
              bytes: 0,
              nodes: [...r.nodes],
              resources: [...r.resources],
              latencyNs: r.latencyNs,
            },
      );
    }
    return writeRoutes.get(key);
  };
  /** Cache-write transfers by writer replica and placement (targets and their byte shares). */
  const writeMoves = new Map<string, Move>();
  /** Charges a cache write's stripes to the fabric as one lockstep transfer (fire and forget). */
  const writeStripes = (rep: Replica, writes: readonly Stripe[]): void => {
    const stripes: PlannedStripe[] = [];
    let total = 0;
    for (const w of writes) {
      moved.writes += w.bytes;
      const target =
        w.location.kind === 'device'
          ? w.location.device
          : w.location.memory === 'gpu'
            ? undefined
            : w.location.host;
      if (target === undefined || target === rep.host) continue; // into the GPU's own memory or its host's DRAM: not on the shared fabric
      const r = writeRoute(rep, target);
      if (r === undefined) continue;
      stripes.push({ ...r, bytes: w.bytes });
      total += w.bytes;
    }
    if (total <= 0) return;
    const key = `${rep.index}|${stripes.map((s) => `${s.nodes[s.nodes.length - 1] ?? -1}:${s.bytes / total}`).join(',')}`;
    let move = writeMoves.get(key);
    if (move === undefined) {
      move = moveOf(lockstepTransfer(stripes, () => false));
      writeMoves.set(key, move);
    }
    transfer(move, total, undefined, WRITTEN);
  };

  // ---- requests ----
  const leastLoaded = (list: readonly Replica[]): Replica => {
    let best = list[0] as Replica;
    for (const r of list) if (r.load < best.load) best = r;
    return best;
  };
  /** The planner's input, one object refilled per request (the planner keeps no reference to it). */
  const input: { -readonly [K in keyof PlanInput]: PlanInput[K] } = {
    variant: '',
    model: replicas[0]?.model as ModelShape, // set per request before use (no request reaches the planner without a replica)
    gpu: cfg.gpu,
    tensorParallel: cfg.tensorParallel,
    contextTokens: 0,
    suffixTokens: 0,
    exact: undefined,
    related: [],
    profiles: NO_PROFILES,
    qualityBudget: cfg.qualityBudget,
    estimate: () => undefined,
    strategies,
    queueLength: 0,
    gpuBacklogNs: 0,
    ttftSloNs: cfg.slo.ttftNs,
    costs: { suffixNs: 0, fullNs: 0, headNs: 0, perLayerNs: 0 }, // set per request
  };
  const relatedCaches: ReusableCache[] = [];
  /** The replica for a request; `own` and `related` are the pool's copies of its context (cache-aware routing looks at them). */
  const route = (
    info: VariantInfo,
    own: CachedObject | undefined,
    related: readonly CachedObject[],
  ): Replica => {
    const reps = info.replicas;
    if (cfg.serving.routing === 'least-loaded') return leastLoaded(reps);
    if (cfg.serving.routing === 'cache-aware') {
      // Replicas that can fetch the variant's own copy; failing that, a related variant's copy.
      const candidates =
        own !== undefined ? [own] : related.filter((o) => info.profiles.has(o.variant));
      for (const obj of candidates) {
        const sources = reusableOf(obj).replicas;
        // Replicas reaching a copy directly first; then those that reach one through relays.
        const direct = reps.filter((r) =>
          sources.some((src) => fetchTransfer(r, src)?.relayedShare === 0),
        );
        if (direct.length > 0) return leastLoaded(direct);
        const reach = reps.filter((r) =>
          sources.some((src) => fetchTransfer(r, src) !== undefined),
        );
        if (reach.length > 0) return leastLoaded(reach);
      }
      return leastLoaded(reps);
    }
    const i = info.next;
    info.next = (i + 1) % reps.length;
    return reps[i] as Replica;
  };
  const arrive = (req: Request): void => {
    arrived++;
    inSystem++;
    const info = infoOf(req.variant);
    const own = pool.get(req.variant, req.context);
    const related = pool.related(info.model, req.context, req.variant);
    const rep = route(info, own, related);
    rep.load++;
    const m = rep.model;
    const profiles = info.profiles;
    relatedCaches.length = 0;
    for (const c of related) if (profiles.has(c.variant)) relatedCaches.push(reusableOf(c));
    input.variant = req.variant;
    input.model = m;
    input.contextTokens = req.contextTokens;
    input.suffixTokens = req.suffixTokens;
    input.exact = own === undefined ? undefined : reusableOf(own);
    input.related = relatedCaches;
    input.profiles = profiles;
    input.estimate = estimators[rep.index] as FetchEstimator;
    input.queueLength = rep.prefill.length;
    input.gpuBacklogNs = rep.queuedNs + Math.max(0, rep.jobEndNs - tally.nowNs);
    input.costs = costsOf(info, m, req.contextTokens, req.suffixTokens);
    const o = choose(cfg.planner.policy, input);
    decisions[o.kind]++;
    if (o.kind === 'partial') {
      byStrategy[o.strategy ?? ''] = (byStrategy[o.strategy ?? ''] ?? 0) + 1;
      recomputedSum += o.recomputedLayers;
    }
    tally.qualitySum += o.qualityLoss;
    if (o.kind === 'exact' && own !== undefined) pool.touch(own.key, tally.nowNs, 'exact');
    else if (o.kind === 'partial') {
      const src = related.find((r) => r.variant === o.sourceVariant);
      if (src !== undefined) pool.touch(src.key, tally.nowNs, 'cross-variant');
    } else pool.recordMiss();
    const computeNs = o.kind === 'full-prefill' ? o.recomputeNs : o.recomputeNs + o.suffixNs;
    if (o.kind === 'full-prefill' || o.source === undefined) {
      enqueueCompute({
        req,
        replica: rep,
        option: o,
        pending: 1,
        ttftNs: 0,
        remainingTokens: req.outputTokens,
        computeNs,
        move: undefined,
        kvBytes: 0,
      });
      return;
    }
    const move = fetchTransfer(rep, o.source);
    if (move === undefined)
      throw new Error(`planner chose an unreachable source for replica ${rep.index}`); // an internal invariant, not user input: the estimator gave a figure, so it is reachable
    const total = o.fetchBytes;
    if (o.source.kind === 'host') moved.fetchRdma += total;
    else {
      moved.fetchCxl += total;
      moved.fetchRelayed += total * move.relayedShare;
    }
    if (o.kind === 'partial' && o.strategy === 'pipelined') {
      // Compute and the KV stream both gate the first token.
      const eBytes = o.eCacheLoads * eCacheBytes(m, req.contextTokens);
      const x: InFlight = {
        req,
        replica: rep,
        option: o,
        pending: 2,
        ttftNs: 0,
        remainingTokens: req.outputTokens,
        computeNs,
        move,
        kvBytes: total - eBytes,
      };
      transfer(move, eBytes, x, E_FETCHED);
      return;
    }
    transfer(
      move,
      total,
      {
        req,
        replica: rep,
        option: o,
        pending: 1,
        ttftNs: 0,
        remainingTokens: req.outputTokens,
        computeNs,
        move,
        kvBytes: 0,
      },
      FETCHED,
    );
  };

  // ---- the loop ----
  const gen = generateRequests(cfg.workload, cfg.seed);
  const pullArrival = (): void => {
    const req = gen.nextRequest();
    if (req !== undefined) queue.push(req.arrivalNs, { kind: 'arrival', req });
  };
  pullArrival();
  for (;;) {
    const tq = queue.peekTime();
    const tn = net.nextCompletionNs();
    if (!Number.isFinite(tq) && !Number.isFinite(tn)) break;
    events++;
    if (tn <= tq) {
      advanceClock(tn);
      const done = net.advanceTo(tn);
      for (let i = 0; i < done.length; i++) flowLanded(done[i] as number);
      continue;
    }
    const e = queue.pop() as Ev;
    advanceClock(tq);
    // Flows due within the engine's time tolerance of tq finish now: land them before the event.
    const due = net.advanceTo(tq);
    for (let i = 0; i < due.length; i++) flowLanded(due[i] as number);
    switch (e.kind) {
      case 'arrival':
        arrive(e.req);
        pullArrival();
        break;
      case 'flow-start':
        startFlow(e.move, e.bytes, e.x, e.stage);
        break;
      case 'gpu-done': {
        const rep = e.replica;
        if (e.version !== rep.version) break; // a decode run cut short; its replacement event follows
        rep.busy = false;
        rep.run = undefined;
        rep.jobEndNs = 0;
        if (e.job !== undefined) partDone(e.job.req);
        if (e.decode !== undefined) {
          let finished = 0;
          for (const x of e.decode) {
            x.remainingTokens -= e.steps;
            if (x.remainingTokens === 0) finished++;
          }
          if (finished > 0) {
            // Drop the finished sequences in place (only this batch's can have reached 0), then complete them in batch order.
            let k = 0;
            for (const x of rep.decoding) if (x.remainingTokens > 0) rep.decoding[k++] = x;
            rep.decoding.length = k;
            for (const x of e.decode) if (x.remainingTokens === 0) complete(x);
          } else if (rep.decoding.length > e.decode.length) {
            // rotate so sequences beyond maxBatch get their turn
            rep.decoding.push(...rep.decoding.splice(0, e.decode.length));
          }
        }
        kick(rep);
        break;
      }
    }
  }

  // ---- results ----
  const seconds = tally.nowNs / 1e9;
  let busiestLink = { id: '', utilisation: 0 };
  let busiestDevice = { id: '', utilisation: 0 };
  let cxlSum = 0;
  let cxlCount = 0;
  const all: { id: string; utilisation: number }[] = [];
  for (let r = 0; r < f.resources.length; r++) {
    const cap = f.resourceCapacityBytesPerNs[r] ?? 0;
    const u = tally.nowNs > 0 && cap > 0 ? net.carriedBytes(r) / (cap * tally.nowNs) : 0;
    const id = f.resources[r] ?? '';
    if (u > 0) all.push({ id, utilisation: u });
    if (id.endsWith(':media')) {
      if (u > busiestDevice.utilisation) busiestDevice = { id, utilisation: u };
    } else {
      if (u > busiestLink.utilisation) busiestLink = { id, utilisation: u };
      const l = Math.floor(r / 2);
      if (r < 2 * f.links.length && f.linkKind[l] === 'cxl') {
        cxlSum += u;
        cxlCount++;
      }
    }
  }
  const ps = pool.stats();
  let lostAtEnd: SimResult['lostAtEnd'];
  if (options.failAtEnd !== undefined) {
    const before = ps.lostReplicas;
    const lost = pool.lose(options.failAtEnd);
    lostAtEnd = {
      objects: lost.length,
      bytes: lost.reduce((sum, o) => sum + o.totalBytes, 0),
      replicasDropped: pool.stats().lostReplicas - before,
    };
  }
  const partials = decisions.partial;
  return {
    scenario: cfg.name,
    topology: f.graph.getAttribute('name'),
    policy: cfg.planner.policy,
    seed: cfg.seed,
    simulatedNs: tally.nowNs,
    requests: { arrived, completed, inFlight: arrived - completed },
    throughputPerS: seconds > 0 ? completed / seconds : 0,
    goodputPerS: seconds > 0 ? good / seconds : 0,
    sloAttainment: completed > 0 ? good / completed : 0,
    ttft: latencyStats(ttftH),
    e2e: latencyStats(e2eH),
    ttftCdfNs: Array.from({ length: 51 }, (_, i) =>
      ttftH.totalCount === 0
        ? 0
        : i === 0
          ? ttftH.minNonZeroValue
          : ttftH.getValueAtPercentile(i * 2),
    ),
    decisions: {
      fullPrefill: decisions['full-prefill'],
      exact: decisions.exact,
      partial: partials,
      byStrategy,
      meanRecomputedLayers: partials > 0 ? recomputedSum / partials : 0,
    },
    meanQualityLoss: arrived > 0 ? tally.qualitySum / arrived : 0,
    bytesMoved: moved,
    utilisation: {
      busiestLink,
      busiestDevice,
      meanCxlLink: cxlCount > 0 ? cxlSum / cxlCount : 0,
      top: all.sort((a, b) => b.utilisation - a.utilisation || (a.id < b.id ? -1 : 1)).slice(0, 20),
    },
    pool: {
      objects: ps.objects,
      occupancy: ps.capacityBytes > 0 ? ps.bytesUsed / ps.capacityBytes : 0,
      hits: ps.hits,
      evictions: ps.evictions,
      rejected: ps.rejected,
    },
    littlesLaw: {
      meanInSystem: tally.nowNs > 0 ? tally.areaNs / tally.nowNs : 0,
      arrivalRateTimesMeanTime:
        tally.nowNs > 0 && completed > 0
          ? (arrived / tally.nowNs) * (tally.e2eSumNs / completed)
          : 0,
    },
    events,
    ...(lostAtEnd === undefined ? {} : { lostAtEnd }),
  };
}

/** Places replicas on GPUs: round-robin over variants, `tensorParallel` GPUs of one host each, host by host. */
function placeReplicas(
  f: Fabric,
  cfg: SimConfig,
  modelOf: ReadonlyMap<string, ModelShape | undefined>,
): Replica[] {
  // Slots of `tensorParallel` GPUs, taken one per host before any host gets a second: replicas
  // spread over the pod, so a cache one replica produces is fetched by others across the fabric.
  const perHost = Array.from(f.hosts)
    .filter((h) => f.nodeUp[h] === 1)
    .map((h) => {
      const gpus = hostGpus(f, h);
      const out: { host: string; gpu: string }[] = [];
      for (let g = 0; g + cfg.tensorParallel <= gpus.length; g += cfg.tensorParallel)
        out.push({ host: f.nodes[h] ?? '', gpu: f.nodes[gpus[g] ?? 0] ?? '' });
      return out;
    });
  const slots: { host: string; gpu: string }[] = [];
  for (let k = 0; perHost.some((l) => l.length > k); k++)
    for (const l of perHost)
      if (l[k] !== undefined) slots.push(l[k] as { host: string; gpu: string });
  const wanted = cfg.serving.replicas.reduce((s, r) => s + r.count, 0);
  const issues = [];
  if (wanted > slots.length)
    issues.push({
      code: 'sim.too-many-replicas',
      path: ['serving', 'replicas'],
      message: `${wanted} replicas × ${cfg.tensorParallel} GPUs need ${wanted * cfg.tensorParallel} GPUs; ${f.graph.getAttribute('name')} has room for ${slots.length} replicas`,
    });
  cfg.serving.replicas.forEach((r, i) => {
    if (modelOf.get(r.variant) === undefined)
      issues.push({
        code: 'sim.unknown-variant',
        path: ['serving', 'replicas', i, 'variant'],
        message: `unknown variant "${r.variant}"`,
      });
  });
  if (issues.length > 0) throw new InputError(issues);
  const left = cfg.serving.replicas.map((r) => r.count);
  const out: Replica[] = [];
  let slot = 0;
  while (left.some((c) => c > 0)) {
    cfg.serving.replicas.forEach((r, i) => {
      if ((left[i] ?? 0) === 0) return;
      left[i] = (left[i] ?? 0) - 1;
      const s = slots[slot++] as { host: string; gpu: string };
      out.push({
        index: out.length,
        variant: r.variant,
        model: modelOf.get(r.variant) as ModelShape,
        host: s.host,
        gpu: s.gpu,
        prefill: [],
        decoding: [],
        busy: false,
        load: 0,
        queuedNs: 0,
        jobEndNs: 0,
        version: 0,
        run: undefined,
        stepLines: [],
      });
    });
  }
  return out;
}
