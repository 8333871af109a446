/**
 * Storing a KV cache in the pool (docs/design.md "Simulator"): after a request's first token its
 * context's cache (unless it was an exact hit), and after an agent-pipeline step's completion
 * its whole sequence under the hand-off context id the next step asks for. The pool places the
 * object (and evicts) at once, but lookups see it only when its write lands (a request cannot
 * reuse KV that is not there yet); the write is charged to the fabric as one paced transfer.
 */
import { prefillTimeNs } from '../../kv/compute.ts';
import { eCacheBytes, kvCacheBytes } from '../../kv/models.ts';
import { variantOf } from '../routing.ts';
import type { InFlight, RunState } from '../state.ts';
import { writeStripes } from '../transfers.ts';

/**
 * Inserts the KV cache of `tokens` tokens of request `x`'s sequence under `context` for its
 * variant (with the E caches its variant's receivers may need) and charges the write.
 */
export function storeCache(s: RunState, x: InFlight, context: string, tokens: number): void {
  const m = x.replica.model;
  const { cfg, pool } = s;
  const { model: variantModel, eLayers } = variantOf(s, x.req.variant);
  const r = pool.insert(
    {
      variant: x.req.variant,
      context,
      model: variantModel,
      tokens,
      kvBytes: kvCacheBytes(m, tokens),
      eLayers,
      eBytesPerLayer: eCacheBytes(m, tokens),
    },
    x.replica.host,
    s.nowNs,
    prefillTimeNs(m, cfg.gpu, tokens, { tp: cfg.tensorParallel }),
    true,
  );
  writeStripes(s, x.replica, r.writes, r.stored);
}
