/**
 * Fetch estimates for the planner from the fabric: a source's first-byte latency and the
 * bandwidth its stripes reach together into the consuming GPU on an otherwise idle fabric
 * (the stripes run through the max-min flow engine once, with a nominal 1 GB, and the result
 * is cached per source). The simulator replaces this with its view of current contention.
 */
import type { Fabric } from '../fabric/compile.ts';
import { fetchCost, type FetchSource } from '../fabric/fetch.ts';
import { bytes, GB } from '../units/index.ts';
import type { FetchEstimate, FetchEstimator } from './planner.ts';

/** Bytes the estimate is measured with (large enough that latency does not blur the bandwidth). */
const NOMINAL_BYTES = bytes(1 * GB);

/**
 * An estimator of unloaded fetch costs into `gpu` (default: the host's first GPU) of `host`.
 * Unreachable sources give undefined.
 */
export function fabricFetchEstimator(f: Fabric, host: string, gpu?: string): FetchEstimator {
  const cache = new Map<string, FetchEstimate | undefined>();
  return (source: FetchSource) => {
    const key = JSON.stringify(source);
    if (cache.has(key)) return cache.get(key);
    const r = fetchCost(f, host, source, NOMINAL_BYTES, gpu === undefined ? {} : { gpu });
    const e = r.reachable
      ? { latencyNs: r.latencyNs, bandwidthBytesPerNs: r.effectiveBandwidthBytesPerNs }
      : undefined;
    cache.set(key, e);
    return e;
  };
}
