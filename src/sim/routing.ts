/**
 * Request routing among a variant's replicas (docs/design.md "Simulator"): round-robin per
 * variant (DroidSpeak's testbed), the least-loaded replica, or cache-aware — the least-loaded
 * replica that reaches a cached copy of the context directly, else through relay hosts (on an
 * Octopus pod not every host reaches every device), else the least-loaded.
 */
import { InputError } from '../errors/index.ts';
import type { CachedObject } from '../kv/pool.ts';
import type { Replica, RunState, VariantInfo } from './state.ts';
import { prefixKey } from './hbm.ts';
import { fetchTransfer, reusableOf } from './transfers.ts';

/**
 * What a request's variant needs (its profiles, replicas, E layers, cost memo).
 * @throws InputError `sim.no-replica` when no replica serves the variant
 */
export function variantOf(s: RunState, variant: string): VariantInfo {
  const info = s.variants.get(variant);
  if (info === undefined || info.replicas.length === 0)
    throw new InputError([
      {
        code: 'sim.no-replica',
        path: ['serving', 'replicas'],
        message: `requests for variant "${variant}" but no replica serves it`,
      },
    ]);
  return info;
}

/** The replica with the fewest requests in the system (the first of equals). */
function leastLoaded(list: readonly Replica[]): Replica {
  let best = list[0] as Replica;
  for (const r of list) if (r.load < best.load) best = r;
  return best;
}

/**
 * The replica for a request of `info`'s variant for `context`; `own` and `related` are the pool's
 * copies of it (cache-aware routing looks at them, after the replicas' local prefix caches).
 */
export function route(
  s: RunState,
  info: VariantInfo,
  own: CachedObject | undefined,
  related: readonly CachedObject[],
  context: string,
): Replica {
  const reps = info.replicas;
  const routing = s.cfg.serving.routing;
  if (routing === 'least-loaded') return leastLoaded(reps);
  if (routing === 'cache-aware') return cacheAware(s, info, own, related, context);
  const i = info.next;
  info.next = (i + 1) % reps.length;
  return reps[i] as Replica;
}

function cacheAware(
  s: RunState,
  info: VariantInfo,
  own: CachedObject | undefined,
  related: readonly CachedObject[],
  context: string,
): Replica {
  const reps = info.replicas;
  // A replica holding the context in its local prefix cache first (it fetches nothing).
  if (s.cfg.serving.prefixCache === true) {
    const key = prefixKey(reps[0]?.variant ?? '', context);
    const local = reps.filter((r) => r.localPrefixes.has(key));
    if (local.length > 0) return leastLoaded(local);
  }
  // Replicas that can fetch the variant's own copy; failing that, a related variant's copy.
  const candidates =
    own !== undefined ? [own] : related.filter((o) => info.profiles.has(o.variant));
  for (const obj of candidates) {
    const sources = reusableOf(s, obj).replicas;
    // Replicas reaching a copy directly first; then those that reach one through relays.
    const direct = reps.filter((r) =>
      sources.some((src) => fetchTransfer(s, r, src)?.relayedShare === 0),
    );
    if (direct.length > 0) return leastLoaded(direct);
    const reach = reps.filter((r) => sources.some((src) => fetchTransfer(s, r, src) !== undefined));
    if (reach.length > 0) return leastLoaded(reach);
  }
  return leastLoaded(reps);
}
