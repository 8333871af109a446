/**
 * Transfers on the fabric (docs/design.md "Simulator"): every fetch and every cache write is one
 * flow in the max-min fluid network (`FluidNetwork`) whose stripes advance in lockstep
 * (fabric/transfer.ts: weight k/n on a resource k of its n stripes cross), waiting its slowest
 * stripe's path latency before moving, so fetches and writes contend on links, device media and
 * PCIe. Routes are planned and prepared once per (serving replica, placement) and memoised in
 * the run state. Also the planner's view of the pool: one fetch source per pool replica and one
 * {@link ReusableCache} per cached object, so the planner can memoise by identity.
 */
import { planFetch, type FetchSource, type PlannedStripe } from '../fabric/fetch.ts';
import { lockstepTransfer, type LockstepTransfer } from '../fabric/transfer.ts';
import { dataRoute } from '../fabric/route.ts';
import {
  replicaSource,
  type CachedObject,
  type Replica as PoolReplica,
  type Stripe,
} from '../kv/pool.ts';
import type { FetchEstimator, ReusableCache } from '../planner/planner.ts';
import { bytes, GB } from '../units/index.ts';
import { HBM_DEFAULTS } from './constants.ts';
import {
  WRITTEN,
  type InFlight,
  type Move,
  type Replica,
  type RunState,
  type Stage,
} from './state.ts';

/** Nominal bytes for cached stripe plans (stripes are proportional; bytes are set per fetch). */
const PLAN_BYTES = bytes(1 * GB);

/** A lockstep transfer with its route prepared on this run's network; `capBytesPerNs` caps its rate (writes). */
export function moveOf(
  s: RunState,
  t: LockstepTransfer,
  capBytesPerNs = Number.POSITIVE_INFINITY,
): Move {
  return {
    route: s.net.prepare(t),
    latencyNs: t.latencyNs,
    relayedShare: t.relayedShare,
    capBytesPerNs,
  };
}

/**
 * The fetch of a pool replica into a serving replica's GPU, as one lockstep transfer (see
 * fabric/transfer.ts); undefined when unreachable. Memoised per source object (the pool's
 * replicas are immutable, and {@link sourceOf} hands out one source object per replica), and
 * behind that per placement, so objects striped over the same devices share one plan.
 */
export function fetchTransfer(s: RunState, rep: Replica, source: FetchSource): Move | undefined {
  const { transferTo, planCache } = s.caches;
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
      const f = s.f;
      const stripes = shardStripes(s, rep, source);
      const consumer = f.nodeIndex.get(rep.host) ?? -1;
      move =
        stripes === undefined
          ? null
          : moveOf(
              s,
              lockstepTransfer(stripes, (v) => v !== consumer && f.nodeKind[v] === 'host'),
            );
      planCache.set(key, move);
    }
    perReplica[rep.index] = move;
  }
  return move ?? undefined;
}

/**
 * The stripes of a fetch into every GPU of a replica: each of the tp GPUs reads its own KV shard
 * (1/tp of the bytes) over its own link, so the shards move in lockstep as one transfer;
 * undefined when any GPU cannot reach the source.
 */
function shardStripes(s: RunState, rep: Replica, source: FetchSource): PlannedStripe[] | undefined {
  const out: PlannedStripe[] = [];
  const share = bytes(PLAN_BYTES / rep.gpus.length);
  for (const gpu of rep.gpus) {
    const p = planFetch(s.f, rep.host, source, share, { gpu });
    if (!p.ok) return undefined;
    for (const st of p.stripes) out.push(st);
  }
  return out;
}

/** The contention-aware fetch estimate for one serving replica's GPU (`FluidNetwork.estimateRateOn`); made once per replica. */
export function fetchEstimator(s: RunState, rep: Replica): FetchEstimator {
  return (source) => {
    const move = fetchTransfer(s, rep, source);
    if (move === undefined) return undefined;
    return { latencyNs: move.latencyNs, bandwidthBytesPerNs: s.net.estimateRateOn(move.route) };
  };
}

/** One fetch source object per pool replica (so {@link fetchTransfer} can memoise by identity). */
function sourceOf(s: RunState, r: PoolReplica): FetchSource {
  const { sourceOfReplica } = s.caches;
  let src = sourceOfReplica.get(r);
  if (src === undefined) {
    src = replicaSource(r);
    sourceOfReplica.set(r, src);
  }
  return src;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The planner's view of a cached object, rebuilt only when its replicas change (a failure drops some). */
export function reusableOf(s: RunState, o: CachedObject): ReusableCache {
  const reusable = s.caches.reusable;
  const hit = reusable.get(o);
  if (hit !== undefined && hit.replicas === o.replicas) return hit.cache;
  // The variant's own E-layer array where the contents agree (the pool stores a copy per
  // object): the planner memoises frontier filters by the array's identity.
  const shared = s.variants.get(o.variant)?.eLayers;
  const eLayers = shared !== undefined && sameNumbers(shared, o.eLayers) ? shared : o.eLayers;
  const cache: ReusableCache = {
    variant: o.variant,
    key: o.key,
    eLayers,
    replicas: o.replicas.map((r) => sourceOf(s, r)),
  };
  reusable.set(o, { replicas: o.replicas, cache });
  return cache;
}

/**
 * Schedules `total` (> 0) bytes as one lockstep transfer for request `x` (none for a cache
 * write): it starts moving once its slowest stripe's first-byte latency has passed (the
 * `transfer-start` event, {@link startTransfer}), and lands with `stage` (events/transfer-landed.ts).
 */
export function scheduleTransfer(
  s: RunState,
  move: Move,
  total: number,
  x: InFlight | undefined,
  stage: Stage,
  obj?: CachedObject,
): void {
  s.queue.push(s.nowNs + move.latencyNs, {
    kind: 'transfer-start',
    move,
    bytes: total,
    x,
    stage,
    obj,
  });
}

/** The `transfer-start` event: the transfer's flow joins the network (at most at the move's rate cap). */
export function startTransfer(
  s: RunState,
  move: Move,
  size: number,
  x: InFlight | undefined,
  stage: Stage,
  obj: CachedObject | undefined,
): void {
  const h = s.net.startOn(move.route, size, move.capBytesPerNs);
  s.flowReq[h] = x;
  s.flowStage[h] = stage;
  s.flowObj[h] = obj;
  if (s.trace !== undefined) {
    s.trace.startNs[h] = s.nowNs;
    s.trace.bytes[h] = size;
  }
}

/** Flow `h` landed: if it was a cache write, its object becomes visible to lookups. */
export function writeLanded(s: RunState, h: number): void {
  const obj = s.flowObj[h];
  if (obj === undefined) return;
  s.flowObj[h] = undefined;
  s.pool.land(obj);
}

/** The route of a cache write from one GPU to a location (cached: routes do not change during a run). */
function writeRoute(s: RunState, gpu: string, target: string): PlannedStripe | undefined {
  const writeRoutes = s.caches.writeRoutes;
  const key = `${gpu}>${target}`;
  if (!writeRoutes.has(key)) {
    const r = dataRoute(s.f, gpu, target, 1);
    writeRoutes.set(
      key,
      r === undefined
        ? undefined
        : {
            source: gpu,
            bytes: 0,
            nodes: [...r.nodes],
            resources: [...r.resources],
            latencyNs: r.latencyNs,
          },
    );
  }
  return writeRoutes.get(key);
}

/**
 * Charges a cache write's stripes to the fabric as one lockstep transfer, each of the replica's
 * tp GPUs writing its own shard over its own link, paced: the flow is capped at
 * {@link HBM_DEFAULTS}.writeLinkShare of those links' bandwidth (docs/serving.md). `obj` becomes
 * visible when the write lands; a write that stays off the shared fabric (into the GPU's own
 * memory or its host's DRAM) lands at once.
 */
export function writeStripes(
  s: RunState,
  rep: Replica,
  writes: readonly Stripe[],
  obj: CachedObject | undefined,
): void {
  const stripes: PlannedStripe[] = [];
  let total = 0;
  const tp = rep.gpus.length;
  for (const w of writes) {
    s.metrics.moved.writes += w.bytes;
    const target =
      w.location.kind === 'device'
        ? w.location.device
        : w.location.memory === 'gpu'
          ? undefined
          : w.location.host;
    // Into the GPU's own memory: no link. Into its host's DRAM: the GPU's own link only (not the
    // shared fabric, but paced and landing like any write, so a cache in local DRAM is not
    // visible sooner than one written to a CXL device).
    if (target === undefined) continue;
    for (const gpu of rep.gpus) {
      const r = writeRoute(s, gpu, target);
      if (r === undefined) continue;
      stripes.push({ ...r, bytes: w.bytes / tp });
      total += w.bytes / tp;
    }
  }
  if (total <= 0) {
    if (obj !== undefined) s.pool.land(obj);
    return;
  }
  const key = `${rep.index}|${stripes.map((st) => `${st.source}>${st.nodes[st.nodes.length - 1] ?? -1}:${st.bytes / total}`).join(',')}`;
  const writeMoves = s.caches.writeMoves;
  let move = writeMoves.get(key);
  if (move === undefined) {
    move = moveOf(
      s,
      lockstepTransfer(stripes, () => false),
      writeCap(s, stripes),
    );
    writeMoves.set(key, move);
  }
  scheduleTransfer(s, move, total, undefined, WRITTEN, obj);
}

/** The rate cap of a write: the writeLinkShare of the first-hop links of the GPUs it leaves from. */
function writeCap(s: RunState, stripes: readonly PlannedStripe[]): number {
  const firstHops = new Set<number>();
  for (const st of stripes) if (st.resources[0] !== undefined) firstHops.add(st.resources[0]);
  let sum = 0;
  for (const r of firstHops) sum += s.f.resourceCapacityBytesPerNs[r] ?? 0;
  return sum > 0 ? HBM_DEFAULTS.writeLinkShare * sum : Number.POSITIVE_INFINITY;
}
