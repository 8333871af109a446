/**
 * A fabric's headline costs for side-by-side comparisons (`topology compare`, `npm start`):
 * small-message RPC round trips over all host pairs (cheapest medium per pair) and the time to
 * bring one KV cache into a GPU from where a shared pool would hold it — striped over the
 * devices the first host reaches on a CXL fabric, GPU-to-GPU over RDMA from the host farthest
 * in id order otherwise.
 */
import { bytes, GB, type Bytes } from '../units/index.ts';
import type { Fabric } from './compile.ts';
import { fetchCost, reachableDevices, type FetchResult } from './fetch.ts';
import { rpcAllPairs, type RpcSummary } from './rpc.ts';

/** Llama-3-8B KV cache of a median HotpotQA context (10,933 tokens ≈ 1.43 GB; docs/references.md §3). */
export const REFERENCE_KV_BYTES: Bytes = bytes(1.43 * GB);
/** A small RPC payload (one cache line). */
export const SMALL_RPC_BYTES: Bytes = bytes(64);

/** Headline costs of one fabric. */
export interface FabricSummary {
  readonly rpc: RpcSummary;
  readonly fetch: FetchResult;
  /** How the fetch was sourced, in words. */
  readonly fetchSource: string;
}

/** Computes the headline costs (see file header). */
export function fabricSummary(
  f: Fabric,
  onProgress?: (done: number, total: number) => void,
): FabricSummary {
  const rpc = rpcAllPairs(f, SMALL_RPC_BYTES, onProgress);
  const first = f.nodes[f.hosts[0] ?? 0] ?? '';
  const devices = reachableDevices(f, first);
  if (devices.length > 0) {
    return {
      rpc,
      fetch: fetchCost(f, first, { kind: 'devices', devices }, REFERENCE_KV_BYTES),
      fetchSource: `striped over the ${devices.length} devices ${first} reaches`,
    };
  }
  const far = f.nodes[f.hosts[f.hosts.length - 1] ?? 0] ?? '';
  return {
    rpc,
    fetch: fetchCost(f, first, { kind: 'host', host: far, memory: 'gpu' }, REFERENCE_KV_BYTES),
    fetchSource: `GPU to GPU over RDMA from ${far}`,
  };
}
