/**
 * Serving replicas and their batching (docs/design.md "Simulator"). Replicas serve one variant
 * each on `tensorParallel` GPUs of one host (round-robin over variants, spread one per host
 * before any host gets a second). A replica runs continuous batching without chunked prefill:
 * when it has prefill work it runs the next prefill job to completion (decode stalls — prefill
 * interference), otherwise one decode run for up to `maxBatch` sequences (roofline step time at
 * the batch's mean context). A decode run covers the steps until the first sequence of its batch
 * finishes — one event, not one per token — and new work cuts it at the end of the step in
 * progress.
 */
import { InputError } from '../errors/index.ts';
import type { Fabric } from '../fabric/compile.ts';
import { hostGpus } from '../fabric/paths.ts';
import { decodeRunNs, decodeStepLine, type DecodeStepLine } from '../kv/compute.ts';
import type { ModelShape } from '../kv/models.ts';
import type { InFlight, Replica, RunState } from './state.ts';
import { HBM_DEFAULTS } from './constants.ts';
import { allocate, heldTokens, kvSpace, preemptLatest, requireFits, stepsThatFit } from './hbm.ts';
import type { SimConfig } from './types.ts';

/** `tensorParallel` GPUs of one host, the first one's id first. */
interface Slot {
  readonly host: string;
  readonly gpus: readonly string[];
}

/**
 * The GPU slots replicas take, in placement order, after checking the serving spec against them.
 * @throws InputError when the serving spec does not fit the topology's GPUs or names unknown variants
 */
/** Each host in service's slots of `tensorParallel` GPUs in service, host by host. */
function slotsPerHost(f: Fabric, tensorParallel: number): Slot[][] {
  return Array.from(f.hosts)
    .filter((h) => f.nodeUp[h] === 1)
    .map((h) => {
      const gpus = hostGpus(f, h);
      const out: Slot[] = [];
      for (let g = 0; g + tensorParallel <= gpus.length; g += tensorParallel) {
        const group = gpus.slice(g, g + tensorParallel).map((v) => f.nodes[v] ?? '');
        out.push({ host: f.nodes[h] ?? '', gpus: group });
      }
      return out;
    });
}

/**
 * How many replicas of `tensorParallel` GPUs the fabric has room for: Σ over hosts in service of
 * ⌊GPUs in service ÷ tensorParallel⌋ — the slots {@link placeReplicas} fills.
 */
export function replicaRoom(f: Fabric, tensorParallel: number): number {
  return slotsPerHost(f, tensorParallel).reduce((s, l) => s + l.length, 0);
}

function replicaSlots(
  f: Fabric,
  cfg: SimConfig,
  modelOf: ReadonlyMap<string, ModelShape | undefined>,
): Slot[] {
  // Slots of `tensorParallel` GPUs, taken one per host before any host gets a second: replicas
  // spread over the pod, so a cache one replica produces is fetched by others across the fabric.
  const perHost = slotsPerHost(f, cfg.tensorParallel);
  const slots: Slot[] = [];
  for (let k = 0; perHost.some((l) => l.length > k); k++)
    for (const l of perHost) if (l[k] !== undefined) slots.push(l[k] as Slot);
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
  return slots;
}

/**
 * Places replicas on GPUs: round-robin over variants, `tensorParallel` GPUs of one host each, host by host.
 * @throws InputError when the serving spec does not fit the topology's GPUs or names unknown variants
 */
export function placeReplicas(
  f: Fabric,
  cfg: SimConfig,
  modelOf: ReadonlyMap<string, ModelShape | undefined>,
): Replica[] {
  const slots = replicaSlots(f, cfg, modelOf);
  const blockTokens = cfg.serving.blockTokens ?? HBM_DEFAULTS.blockTokens;
  const hbmUsable = cfg.serving.hbmUsableFraction;
  const left = cfg.serving.replicas.map((r) => r.count);
  const out: Replica[] = [];
  let slot = 0;
  while (left.some((c) => c > 0)) {
    cfg.serving.replicas.forEach((r, i) => {
      if ((left[i] ?? 0) === 0) return;
      left[i] = (left[i] ?? 0) - 1;
      const s = slots[slot++] as Slot;
      const model = modelOf.get(r.variant) as ModelShape;
      const space = kvSpace(f, model, cfg.gpu, s.gpus, cfg.pool, blockTokens, hbmUsable);
      out.push({
        index: out.length,
        variant: r.variant,
        model,
        host: s.host,
        gpu: s.gpus[0] ?? '',
        gpus: s.gpus,
        kvCapacityBlocks: space.capacityBlocks,
        kvBlockBytes: space.blockBytes,
        kvUsedBlocks: 0,
        kvPeakBlocks: 0,
        localPrefixes: new Map(),
        localBlocks: 0,
        localEvictions: 0,
        prefill: [],
        decoding: [],
        busy: false,
        load: 0,
        queuedNs: 0,
        jobEndNs: 0,
        busyNs: 0,
        decodeStartNs: 0,
        version: 0,
        run: undefined,
        stepLines: [],
        loading: undefined,
        loads: [],
        loadHoldsNs: [],
        queuedHoldNs: 0,
        loadHoldEndNs: 0,
        plannedWorkNs: 0,
        gpuPlannedEndNs: 0,
        loadBusyNs: 0,
        loadStartNs: 0,
        loadRateBytesPerNs: 0,
        plannerEstimate: undefined,
      });
    });
  }
  return out;
}

/**
 * Queues a request's GPU work on its replica, cutting a decode run short so it starts at the
 * step's end — when the job at the head of the queue can be admitted (its KV blocks fit).
 * @throws InputError when the request's whole sequence can never fit its replica's KV memory
 */
export function queuePrefill(s: RunState, x: InFlight): void {
  const rep = x.replica;
  requireFits(s, x);
  rep.prefill.push({ ns: x.computeNs, req: x, resume: false, waited: false });
  rep.queuedNs += x.computeNs;
  if (headFits(s, rep)) interrupt(s, rep);
  kick(s, rep);
}

/** Blocks the head job of the prefill queue needs (prompt, plus generated tokens for a recompute). */
function headBlocks(s: RunState, rep: Replica): number {
  const job = rep.prefill[0];
  return job === undefined ? 0 : Math.ceil(heldTokens(job.req) / s.blockTokens);
}

function headFits(s: RunState, rep: Replica): boolean {
  return rep.kvUsedBlocks + headBlocks(s, rep) <= rep.kvCapacityBlocks;
}

/** The replica's GPU has finished its job or run: it is free for the next. */
export function release(rep: Replica): void {
  rep.busy = false;
  rep.run = undefined;
  rep.jobEndNs = 0;
}

/**
 * Starts the replica's next work, if it is idle: a prefill job, else a decode run of up to
 * `maxBatch` sequences until the first of them finishes.
 */
export function kick(s: RunState, rep: Replica): void {
  if (rep.busy) return;
  if (!startPrefill(s, rep)) startDecode(s, rep);
}

/** Starts the head prefill job if its blocks fit (else counts an admission wait); whether it started. */
function startPrefill(s: RunState, rep: Replica): boolean {
  const job = rep.prefill[0];
  if (job === undefined) return false;
  const blocks = headBlocks(s, rep);
  if (rep.kvUsedBlocks + blocks > rep.kvCapacityBlocks) {
    if (!job.waited) {
      job.waited = true;
      s.metrics.admissionWaits++;
    }
    return false;
  }
  rep.prefill.shift();
  allocate(rep, blocks);
  const now = s.nowNs;
  rep.busy = true;
  rep.queuedNs -= job.ns;
  rep.jobEndNs = now + job.ns;
  rep.busyNs += job.ns;
  s.queue.push(now + job.ns, { kind: 'prefill-done', replica: rep, job, version: rep.version });
  return true;
}

/**
 * Starts a decode run of up to `maxBatch` sequences until the first finishes or the KV blocks
 * run out; when not one step fits, preempts the latest-arrived sequence and tries again (with
 * none left decoding, the recompute queued first is admitted instead).
 */
function startDecode(s: RunState, rep: Replica): void {
  for (;;) {
    if (rep.decoding.length === 0) {
      startPrefill(s, rep);
      return;
    }
    const batch = rep.decoding.slice(0, s.cfg.serving.maxBatch);
    let ctx = 0;
    let steps = Number.POSITIVE_INFINITY;
    for (const x of batch) {
      ctx += heldTokens(x);
      steps = Math.min(steps, x.remainingTokens);
    }
    const fit = stepsThatFit(rep, batch, steps, s.blockTokens);
    if (fit.steps === 0) {
      preemptLatest(s, rep);
      continue;
    }
    const now = s.nowNs;
    const line = stepLine(s, rep, batch.length);
    const ctx0 = ctx / batch.length;
    const t = now + decodeRunNs(line, ctx0, fit.steps);
    rep.busy = true;
    rep.busyNs += t - now;
    rep.run = { batch, startNs: now, ctx0, steps: fit.steps, line, growBlocks: fit.growBlocks };
    rep.decodeStartNs = now;
    s.queue.push(t, {
      kind: 'decode-done',
      replica: rep,
      batch,
      steps: fit.steps,
      version: rep.version,
    });
    return;
  }
}

/** Decode step lines per replica and batch size (kv/compute.ts `decodeStepLine`). */
function stepLine(s: RunState, rep: Replica, batch: number): DecodeStepLine {
  let line = rep.stepLines[batch];
  if (line === undefined) {
    line = decodeStepLine(rep.model, s.cfg.gpu, batch, { tp: s.cfg.tensorParallel });
    rep.stepLines[batch] = line;
  }
  return line;
}

/** Cuts a decode run short at the end of the step in progress, so new work starts there. */
export function interrupt(s: RunState, rep: Replica): void {
  const run = rep.run;
  if (run === undefined) return;
  // The step in progress: the first whose end is not before now (binary search over the run's
  // closed-form step ends, the same sums `kick` made).
  let lo = 0;
  let hi = run.steps - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (run.startNs + decodeRunNs(run.line, run.ctx0, mid + 1) < s.nowNs) lo = mid + 1;
    else hi = mid;
  }
  const done = lo;
  if (done === run.steps - 1) return; // the run ends with this step anyway
  const end = run.startNs + decodeRunNs(run.line, run.ctx0, done + 1);
  rep.busyNs -= run.startNs + decodeRunNs(run.line, run.ctx0, run.steps) - end; // the steps cut off never run
  rep.version++;
  rep.run = undefined;
  s.queue.push(end, {
    kind: 'decode-done',
    replica: rep,
    batch: run.batch,
    steps: done + 1,
    version: rep.version,
  });
}
