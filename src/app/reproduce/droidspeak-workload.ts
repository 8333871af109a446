/**
 * DroidSpeak's evaluation workload, rebuilt for `podsim reproduce droidspeak`: the sender has
 * already prefilled every context when the receiver's requests arrive (docs/references.md §3
 * "Testbed": caches live in the sender's GPU memory), and the receiver asks about each context
 * once, at Poisson times — so each receiver request is the paper's case, a cross-variant partial
 * reuse (or, under the baseline, a full prefill), never an exact hit on its own earlier cache.
 *
 * A run has two phases on the same simulated clock: a warm-up in which the sender's requests for
 * every context arrive at time 0 (their prefills fill the pool), then, from the moment the
 * warm-up has drained, the receiver's requests. Only the receiver's requests are measured.
 */
import type { Fabric } from '../../fabric/compile.ts';
import { eCacheBytes, kvCacheBytes, type ModelShape } from '../../kv/models.ts';
import { eLayersFor } from '../../planner/planner.ts';
import { ownEntry } from '../../kv/lookup.ts';
import type { PairProfile } from '../../planner/profiles.ts';
import { runSimulation } from '../../sim/engine.ts';
import type { RequestRecord, SimConfig, SimResult } from '../../sim/types.ts';
import { contextLengths, RequestStream, type Request } from '../../sim/workload.ts';
import { mulberry32, NS_PER_S, shuffleInPlace } from '../../units/index.ts';

/** A stream of requests built in code, played in order (arrival times non-decreasing). */
class ListedRequests extends RequestStream {
  private at = 0;
  constructor(
    config: SimConfig,
    private readonly list: readonly Request[],
  ) {
    super(config.workload, config.seed);
  }
  override nextRequest(): Request | undefined {
    return this.list[this.at++];
  }
}

/** The warm-up and measured requests of one pair, fixed for a config (no rate yet). */
export interface WarmPoolWorkload {
  readonly pair: PairProfile;
  /** Contexts whose sender caches fit the sender's GPU-memory share together, by id order. */
  readonly contexts: readonly { readonly id: string; readonly tokens: number }[];
  /** Order in which the receiver asks about them (a seeded permutation). */
  readonly order: readonly number[];
  /** When the warm-up has drained (ns): the receiver's first request comes after it. */
  readonly warmupEndNs: number;
}

/** Output tokens of every request: the workload's fixed count, or its uniform range's mean. */
function outputTokensOf(cfg: SimConfig): number {
  const o = cfg.workload.output;
  return o.kind === 'fixed' ? o.tokens : Math.round((o.minTokens + o.maxTokens) / 2);
}

/** One request of the paper workload. */
function request(
  cfg: SimConfig,
  id: number,
  arrivalNs: number,
  variant: string,
  c: { readonly id: string; readonly tokens: number },
): Request {
  return {
    id,
    arrivalNs,
    variant,
    context: c.id,
    contextTokens: c.tokens,
    suffixTokens: cfg.workload.suffixTokens,
    outputTokens: outputTokensOf(cfg),
  };
}

/** The sender's warm-up requests: one per context, all at time 0. */
function warmupRequests(cfg: SimConfig, w: Omit<WarmPoolWorkload, 'warmupEndNs'>): Request[] {
  return w.contexts.map((c, i) => request(cfg, i, 0, w.pair.sender, c));
}

/**
 * The paper workload of `cfg`'s first pair profile on `fabric`: the contexts of the scenario's
 * workload (lengths as the generator draws them) that fit, together, in the GPU-memory share of
 * the sender's replicas (`gpuCacheFraction` × replicas × tensorParallel × HBM; each cache with its
 * E caches), and when the
 * sender's warm-up over them has drained on this fabric.
 * @throws Error when the config has no pair profile or does not serve the sender
 */
export function warmPoolWorkload(fabric: Fabric, cfg: SimConfig): WarmPoolWorkload {
  const pair = cfg.profiles[0];
  if (pair === undefined) throw new Error(`${cfg.name}: the paper workload needs a pair profile`);
  const senderModel = cfg.variants.find((v) => v.id === pair.sender)?.model ?? '';
  const model = ownEntry(cfg.models, senderModel) as ModelShape;
  const senderGpus =
    (cfg.serving.replicas.find((r) => r.variant === pair.sender)?.count ?? 0) * cfg.tensorParallel;
  const shareBytes = cfg.pool.gpuCacheFraction * senderGpus * cfg.gpu.hbmBytes;
  // the pool stores each cache with the E caches the sender's profiles may need (src/kv/pool.ts)
  const eLayers = eLayersFor(pair.sender, cfg.profiles, cfg.qualityBudget).length;
  const lengths = contextLengths(cfg.workload, cfg.seed);
  const contexts: { id: string; tokens: number }[] = [];
  let usedBytes = 0;
  for (let k = 0; k < lengths.length; k++) {
    const tokens = lengths[k] as number;
    usedBytes += kvCacheBytes(model, tokens) + eLayers * eCacheBytes(model, tokens);
    if (usedBytes > shareBytes) break;
    contexts.push({ id: `c${k}`, tokens });
  }
  const order = shuffleInPlace(
    mulberry32(cfg.seed ^ 0x0d501d),
    contexts.map((_, i) => i),
  );
  const base = { pair, contexts, order };
  const warm = warmupRequests(cfg, base);
  const warmup = runSimulation(fabric, cfg, { requests: new ListedRequests(cfg, warm) });
  return { ...base, warmupEndNs: warmup.simulatedNs };
}

/** The receiver's requests measured by one warm-pool run. */
export interface WarmPoolRun {
  /** Share of the receiver's requests that met both SLOs. */
  readonly attainment: number;
  /** The receiver's decisions: full prefill, exact and partial reuse counts. */
  readonly decisions: Readonly<Record<RequestRecord['decision'], number>>;
  /** Mean layers the receiver recomputed over its partial reuses. */
  readonly meanRecomputedLayers: number;
  /** The whole run (warm-up included). */
  readonly result: SimResult;
}

/**
 * Plays the warm-up, then the receiver's requests at Poisson rate `ratePerS` (a seeded stream,
 * the same draws at every rate, so a higher rate is the same run compressed in time).
 */
export function runWarmPool(
  fabric: Fabric,
  cfg: SimConfig,
  w: WarmPoolWorkload,
  ratePerS: number,
): WarmPoolRun {
  const list = warmupRequests(cfg, w);
  const rand = mulberry32(cfg.seed ^ 0xa771fa1);
  let t = w.warmupEndNs;
  for (const k of w.order) {
    t += (-Math.log(1 - rand()) / ratePerS) * NS_PER_S;
    list.push(
      request(
        cfg,
        list.length,
        t,
        w.pair.receiver,
        w.contexts[k] as WarmPoolWorkload['contexts'][number],
      ),
    );
  }
  const decisions = { 'full-prefill': 0, exact: 0, partial: 0 };
  let met = 0;
  let measured = 0;
  let layers = 0;
  const result = runSimulation(fabric, cfg, {
    requests: new ListedRequests(cfg, list),
    onRecord: (r) => {
      if (r.variant !== w.pair.receiver) return;
      measured++;
      if (r.metSlo) met++;
      decisions[r.decision]++;
      if (r.decision === 'partial') layers += r.recomputedLayers;
    },
  });
  return {
    attainment: measured > 0 ? met / measured : 0,
    decisions,
    meanRecomputedLayers: decisions.partial > 0 ? layers / decisions.partial : 0,
    result,
  };
}
