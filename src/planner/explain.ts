/**
 * `podsim explain`: one request's planning laid bare. A pool is set up on the fabric with the
 * caches the request could use — by default every variant with a pair profile towards the
 * request's variant has cached the context, produced at a given host and placed by the
 * scenario's placement policy (optionally the request's own variant too) — and every policy
 * plans the request on it. The result lists every option considered with its estimated fetch,
 * recompute, TTFT and system cost (TTFT + GPU work × requests behind, what fabric-aware ranks
 * by), and each policy's choice and reason.
 */
import { InputError, type Issue } from '../errors/index.ts';
import { requireNode, type Fabric } from '../fabric/compile.ts';
import { eCacheBytes, kvCacheBytes, type ModelShape } from '../kv/models.ts';
import { KvPool, replicaSource, type CachedObject } from '../kv/pool.ts';
import { prefillTimeNs } from '../kv/compute.ts';
import { ownEntry } from '../kv/lookup.ts';
import { fabricFetchEstimator } from './estimate.ts';
import {
  eLayersFor,
  plan,
  POLICIES,
  STRATEGIES,
  type PlanDecision,
  type PlanOption,
  type PolicyName,
  type ReusableCache,
} from './planner.ts';
import type { PlannerScenario } from './types.ts';

/** The parts of a scenario the planner needs (defined in types.ts; re-exported here, where it began). */
export type { PlannerScenario };

/** The request to explain. */
export interface ExplainRequest {
  readonly variant: string;
  readonly context: string;
  readonly tokens: number;
  readonly suffixTokens: number;
  readonly host: string;
  /** Variants whose cache of the context exists (default: every variant with a profile towards `variant`). */
  readonly senders?: readonly string[];
  /** Host that produced the cached copies (default: the next host after `host` in id order). */
  readonly producer?: string;
  /** Whether the request's own variant has cached the context too. */
  readonly exact: boolean;
  /** Requests queued at the GPU (DroidSpeak's rule); default 0. */
  readonly queueLength: number;
  /**
   * Requests expected to wait behind this one's GPU work (fabric-aware's system cost,
   * docs/planner.md); absent: `queueLength` (in a stationary queue as many arrive behind a
   * request as it found waiting).
   */
  readonly waitingBehind?: number;
  /** TTFT SLO for DroidSpeak's idle rule (ns); Infinity when none. */
  readonly ttftSloNs: number;
}

/** Every policy's decision on the same options. */
export interface Explanation {
  readonly request: ExplainRequest & {
    readonly producer: string;
    readonly senders: readonly string[];
  };
  readonly cached: readonly { readonly variant: string; readonly replicas: readonly string[] }[];
  readonly options: readonly PlanOption[];
  readonly decisions: readonly PlanDecision[];
  /** The scenario's own policy. */
  readonly scenarioPolicy: PolicyName;
}

/**
 * Plans `req` under every policy.
 * @throws InputError for unknown variants or hosts, or a request with no tokens
 */
export function explainRequest(f: Fabric, s: PlannerScenario, req: ExplainRequest): Explanation {
  const profiles = new Map(
    s.profiles.filter((p) => p.receiver === req.variant).map((p) => [p.sender, p]),
  );
  const senders = req.senders ?? [...profiles.keys()].sort();
  const variant = checkRequest(s, req, senders);
  const hostIdx = requireNode(f, req.host, ['host'], ['request', 'host']);
  const hosts = Array.from(f.hosts);
  const producer =
    req.producer ??
    f.nodes[hosts[(hosts.indexOf(hostIdx) + 1) % hosts.length] ?? hostIdx] ??
    req.host;
  requireNode(f, producer, ['host'], ['request', 'producer']);
  const model = ownEntry(s.models, variant.model) as ModelShape;

  const pool = new KvPool(f, s.pool);
  const put = (v: string): CachedObject | undefined => {
    const vm = s.variants.find((x) => x.id === v);
    const m = vm === undefined ? undefined : ownEntry(s.models, vm.model);
    if (vm === undefined || m === undefined) return undefined;
    return pool.insert(
      {
        variant: v,
        context: req.context,
        model: vm.model,
        tokens: req.tokens,
        kvBytes: kvCacheBytes(m, req.tokens),
        eLayers: eLayersFor(v, s.profiles, s.qualityBudget),
        eBytesPerLayer: eCacheBytes(m, req.tokens),
      },
      producer,
      0,
      prefillTimeNs(m, s.gpu, req.tokens, { tp: s.tensorParallel }),
    ).stored;
  };
  const stored = senders.map(put).filter((o): o is CachedObject => o !== undefined);
  const own = req.exact ? put(req.variant) : undefined;
  const reusable = (o: CachedObject): ReusableCache => ({
    variant: o.variant,
    key: o.key,
    eLayers: o.eLayers,
    replicas: o.replicas.map(replicaSource),
  });
  const input = {
    variant: req.variant,
    model,
    gpu: s.gpu,
    tensorParallel: s.tensorParallel,
    contextTokens: req.tokens,
    suffixTokens: req.suffixTokens,
    exact: own === undefined ? undefined : reusable(own),
    related: stored.filter((o) => o.variant !== req.variant).map(reusable),
    profiles,
    qualityBudget: s.qualityBudget,
    estimate: fabricFetchEstimator(f, req.host),
    strategies: s.planner.strategy === 'best' ? STRATEGIES : [s.planner.strategy],
    queueLength: req.queueLength,
    waitingBehind: req.waitingBehind ?? req.queueLength,
    ttftSloNs: req.ttftSloNs,
  };
  const decisions = POLICIES.map((p) => plan(p, input));
  const describe = (src: ReturnType<typeof replicaSource>): string =>
    src.kind === 'devices' ? src.devices.join('+') : `${src.host}:${src.memory}`;
  return {
    request: { ...req, producer, senders },
    cached: [...stored, ...(own === undefined ? [] : [own])].map((o) => ({
      variant: o.variant,
      replicas: o.replicas.map((r) => describe(replicaSource(r))),
    })),
    options: decisions[0]?.options ?? [],
    decisions,
    scenarioPolicy: s.planner.policy,
  };
}

/**
 * The request's variant, once the request names known variants and whole tokens.
 * @throws InputError listing every problem
 */
function checkRequest(
  s: PlannerScenario,
  req: ExplainRequest,
  senders: readonly string[],
): PlannerScenario['variants'][number] {
  const issues: Issue[] = [];
  const variant = s.variants.find((v) => v.id === req.variant);
  if (variant === undefined)
    issues.push({
      code: 'explain.unknown-variant',
      path: ['request', 'variant'],
      message: `"${req.variant}" is not a variant of the scenario; variants: ${s.variants.map((v) => v.id).join(', ')}`,
    });
  if (!Number.isInteger(req.tokens) || req.tokens < 1)
    issues.push({
      code: 'explain.tokens',
      path: ['request', 'tokens'],
      message: `tokens must be a whole number ≥ 1, got ${req.tokens}`,
    });
  senders.forEach((v, i) => {
    if (!s.variants.some((x) => x.id === v))
      issues.push({
        code: 'explain.unknown-variant',
        path: ['request', 'senders', i],
        message: `"${v}" is not a variant of the scenario`,
      });
  });
  if (issues.length > 0 || variant === undefined) throw new InputError(issues);
  return variant;
}
