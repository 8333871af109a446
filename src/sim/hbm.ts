/**
 * KV memory in HBM as a resource of each serving replica (docs/serving.md). A replica's KV space
 * is its tp GPUs' usable HBM minus the weights (kv/compute.ts `maxBatchTokens`) minus the share
 * the pool's GPU-resident cache tier reserves on those GPUs (`pool.gpuCacheFraction`, only when
 * the pool keeps caches in GPU memory), counted in blocks of `blockTokens` tokens as vLLM's paged
 * attention does.
 *
 * A sequence of L tokens holds ⌈L / blockTokens⌉ blocks. A prefill job is admitted when the
 * blocks of its prompt (context + suffix, plus any tokens already generated for a preempted
 * sequence's recompute) fit; one decode step appends a token to every sequence of its batch, so
 * a run of k steps needs Σ ⌈(L + k) / B⌉ − ⌈L / B⌉ more blocks. A run is cut to the steps that
 * fit; when not even one fits, the latest-arrived running sequence is preempted and queued first
 * for a full recompute — vLLM V0's default preemption mode (docs/serving.md "Sources").
 */
import { InputError } from '../errors/index.ts';
import type { Fabric } from '../fabric/compile.ts';
import { maxBatchTokens, prefillTimeNs } from '../kv/compute.ts';
import type { GpuProfile } from '../kv/gpu.ts';
import { kvBytesPerToken, type ModelShape } from '../kv/models.ts';
import type { PoolConfig } from '../kv/pool.ts';
import type { InFlight, Replica, RunState } from './state.ts';

/** A replica's KV space: capacity in blocks and the bytes of one block. */
export interface KvSpace {
  readonly capacityBlocks: number;
  readonly blockBytes: number;
}

/**
 * The KV space of a replica of `m` on `gpus` (fabric GPU ids): usable HBM of the tp group minus
 * weights, minus the pool's GPU tier on those GPUs when the pool keeps caches in GPU memory.
 */
export function kvSpace(
  f: Fabric,
  m: ModelShape,
  gpu: GpuProfile,
  gpus: readonly string[],
  pool: PoolConfig,
  blockTokens: number,
  hbmUsableFraction: number | undefined,
): KvSpace {
  const perToken = kvBytesPerToken(m);
  const tokens = maxBatchTokens(m, gpu, {
    tp: gpus.length,
    ...(hbmUsableFraction === undefined ? {} : { hbmUsableFraction }),
  });
  let tierBytes = 0;
  if (pool.placement.kind === 'host-memory' && pool.placement.memory === 'gpu') {
    // The pool's tier is gpuCacheFraction of each GPU's HBM as the topology states it (kv/pool-locations.ts).
    for (const g of gpus) {
      const a = f.nodeAttrs[f.nodeIndex.get(g) ?? -1];
      if (a?.kind === 'gpu') tierBytes += pool.gpuCacheFraction * a.hbmBytes;
    }
  }
  const kvTokens = Math.max(0, tokens - Math.ceil(tierBytes / perToken));
  return { capacityBlocks: Math.floor(kvTokens / blockTokens), blockBytes: perToken * blockTokens };
}

/** Tokens of KV a request's sequence holds: its prompt and the tokens decoded so far. */
export function heldTokens(x: InFlight): number {
  const r = x.req;
  return r.contextTokens + r.suffixTokens + (r.outputTokens - x.remainingTokens);
}

/**
 * Takes `blocks` on `rep` (the caller checked they fit in the blocks no sequence holds), evicting
 * the least recently used cached prefixes whose blocks the sequences now need.
 */
export function allocate(rep: Replica, blocks: number): void {
  rep.kvUsedBlocks += blocks;
  if (rep.kvUsedBlocks > rep.kvPeakBlocks) rep.kvPeakBlocks = rep.kvUsedBlocks;
  trimPrefixes(rep);
}

/** Evicts cached prefixes, least recently used first, until sequences and cache fit the KV space. */
function trimPrefixes(rep: Replica): void {
  // Without a local prefix cache (the default) there is nothing to trim: no iterator made on
  // every admission and decode run.
  if (rep.localBlocks === 0) return;
  for (const [key, blocks] of rep.localPrefixes) {
    if (rep.kvUsedBlocks + rep.localBlocks <= rep.kvCapacityBlocks) return;
    rep.localPrefixes.delete(key);
    rep.localBlocks -= blocks;
    rep.localEvictions++;
  }
}

/** The local prefix cache's key of a variant's context. */
export const prefixKey = (variant: string, context: string): string => `${variant}\u0000${context}`;

/**
 * A finished request's context stays in its replica's free blocks (vLLM's automatic prefix
 * caching: the blocks are cached, not cleared), most recently used; older prefixes go first
 * when sequences need the room.
 */
export function keepPrefix(rep: Replica, x: InFlight, blockTokens: number): void {
  const key = prefixKey(x.req.variant, x.req.context);
  const had = rep.localPrefixes.get(key);
  if (had !== undefined) {
    rep.localPrefixes.delete(key);
    rep.localBlocks -= had;
  }
  const blocks = Math.ceil(x.req.contextTokens / blockTokens);
  rep.localPrefixes.set(key, blocks);
  rep.localBlocks += blocks;
  trimPrefixes(rep);
}

/**
 * Takes a cached prefix for a request served from it: its blocks leave the cache (the request's
 * sequence holds them again once admitted). False when the replica does not hold it.
 */
export function takePrefix(rep: Replica, variant: string, context: string): boolean {
  const key = prefixKey(variant, context);
  const blocks = rep.localPrefixes.get(key);
  if (blocks === undefined) return false;
  rep.localPrefixes.delete(key);
  rep.localBlocks -= blocks;
  return true;
}

/**
 * Whether a request's whole sequence (prompt + every output token) can ever fit its replica;
 * otherwise it could be preempted forever.
 * @throws InputError naming the request and the capacity
 */
export function requireFits(s: RunState, x: InFlight): void {
  const rep = x.replica;
  const r = x.req;
  const total = r.contextTokens + r.suffixTokens + r.outputTokens;
  if (Math.ceil(total / s.blockTokens) <= rep.kvCapacityBlocks) return;
  throw new InputError([
    {
      code: 'sim.hbm-too-small',
      path: ['workload'],
      message: `request ${r.id} needs ${total} tokens of KV (context ${r.contextTokens} + suffix ${r.suffixTokens} + output ${r.outputTokens}), but replica ${rep.index} (${rep.variant}, tp ${rep.gpus.length}) holds ${rep.kvCapacityBlocks * s.blockTokens} after its weights and the pool's GPU tier; use shorter requests, a larger tensorParallel or a smaller pool.gpuCacheFraction`,
    },
  ]);
}

/**
 * Decode steps (≤ `steps`) the batch can run within the replica's free blocks, and the blocks
 * that many steps add; 0 steps when not even one fits.
 */
export function stepsThatFit(
  rep: Replica,
  batch: readonly InFlight[],
  steps: number,
  blockTokens: number,
): { steps: number; growBlocks: number } {
  const free = rep.kvCapacityBlocks - rep.kvUsedBlocks;
  const all = growth(batch, steps, blockTokens);
  if (all <= free) return { steps, growBlocks: all };
  // growth(k) rises with k: the largest k with growth(k) ≤ free, by bisection.
  let lo = 0;
  let hi = steps - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (growth(batch, mid, blockTokens) <= free) lo = mid;
    else hi = mid - 1;
  }
  return { steps: lo, growBlocks: growth(batch, lo, blockTokens) };
}

/** Blocks `k` decode steps add to a batch: Σ ⌈(L + k) / B⌉ − ⌈L / B⌉. */
function growth(batch: readonly InFlight[], k: number, blockTokens: number): number {
  let n = 0;
  for (let i = 0; i < batch.length; i++) {
    const l = heldTokens(batch[i] as InFlight);
    n += Math.ceil((l + k) / blockTokens) - Math.ceil(l / blockTokens);
  }
  return n;
}

/**
 * Preempts the latest-arrived sequence decoding on `rep` (vLLM V0 evicts the running sequence of
 * lowest priority, the last under first-come-first-served): frees its blocks and queues its
 * recompute — a prefill of its prompt plus the tokens it generated — at the head of the queue.
 */
export function preemptLatest(s: RunState, rep: Replica): void {
  const d = rep.decoding;
  let k = 0;
  for (let i = 1; i < d.length; i++) {
    const a = (d[i] as InFlight).req;
    const b = (d[k] as InFlight).req;
    if (a.arrivalNs > b.arrivalNs || (a.arrivalNs === b.arrivalNs && a.id > b.id)) k = i;
  }
  const x = d[k] as InFlight;
  d.splice(k, 1);
  const tokens = heldTokens(x);
  rep.kvUsedBlocks -= Math.ceil(tokens / s.blockTokens);
  const ns = prefillTimeNs(rep.model, s.cfg.gpu, tokens, { tp: s.cfg.tensorParallel });
  rep.prefill.unshift({ ns, req: x, resume: true, waited: false });
  rep.queuedNs += ns;
  s.metrics.preemptions++;
}
