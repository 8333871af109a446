/**
 * Cost of moving a cached object (a KV cache) into a host's GPU memory from where it lives
 * (docs/design.md: `fetchCost(host, object)`):
 *
 * - **devices**: striped in equal parts over memory devices; each stripe is a DMA read device →
 *   (switches) → host → PCIe → GPU, or, for a device the host does not reach, a copy by a relay
 *   host into a device the two share (see `relayStripe`).
 * - **host**: another host's DRAM or GPU memory over RDMA, striped over NIC pairs (NIC k to NIC
 *   k, as Mooncake's Transfer Engine stripes over NICs, docs/references.md §2); the consumer's own DRAM
 *   or another of its GPUs over PCIe; the consuming GPU's own memory at no cost.
 *
 * Each stripe's unloaded latency is its first byte's; its bytes then move as a flow through the
 * max-min flow engine on an otherwise idle fabric, so stripes that meet on a shared bottleneck
 * (typically the GPU's PCIe link) share it exactly rather than adding up their bandwidths.
 *
 * This module is the fetch model's one import: planning (the vocabulary and `planFetch`) lives
 * in ./fetch-plan.ts and relayed stripes in ./fetch-relay.ts; this file runs a plan through the
 * flow engine (`fetchCost`) and re-exports the rest.
 */
import { bytes as toBytes, type Bytes } from '../units/index.ts';
import { requireNode, type Fabric } from './compile.ts';
import { planFetch, type FetchResult, type FetchSource, type FetchStripe } from './fetch-plan.ts';
import { simulateFlows } from './flows.ts';
import { cxlPaths } from './paths.ts';

export {
  planFetch,
  type FetchPlan,
  type FetchResult,
  type FetchSource,
  type FetchStripe,
  type PlannedStripe,
} from './fetch-plan.ts';
export { MAX_RELAYS } from './fetch-relay.ts';

/** The devices a host reaches over CXL (the default `stripe` placement). */
export function reachableDevices(f: Fabric, host: string): string[] {
  const h = requireNode(f, host, ['host'], ['host']);
  return cxlPaths(f, h).map((p) => f.nodes[p.device] ?? '');
}

/**
 * Time to bring `size` bytes from `source` into GPU `gpu` (default: the host's first GPU) of host
 * `consumer`.
 * @throws InputError for unknown ids or a negative size; unreachable sources are a result
 * @example fetchCost(f, 'h0', { kind: 'devices', devices: reachableDevices(f, 'h0') }, bytes(1.43e9))
 */
export function fetchCost(
  f: Fabric,
  consumer: string,
  source: FetchSource,
  size: Bytes,
  options: { gpu?: string } = {},
): FetchResult {
  const p = planFetch(f, consumer, source, size, options);
  if (!p.ok) return p.result;
  const planned = p.stripes;
  const gpu = p.gpu;
  const results = simulateFlows(
    f.resourceCapacityBytesPerNs,
    planned.map((s, i) => ({
      id: String(i).padStart(6, '0'),
      resources: s.resources,
      bytes: s.bytes,
      startNs: 0,
      latencyNs: s.latencyNs,
    })),
  );
  const stripes: FetchStripe[] = planned.map((s, i) => ({
    source: s.source,
    bytes: toBytes(s.bytes),
    path: s.nodes.map((v) => f.nodes[v] ?? ''),
    resources: s.resources.map((x) => f.resources[x] ?? ''),
    latencyNs: s.latencyNs,
    bottleneckBytesPerNs: Math.min(...s.resources.map((x) => f.resourceCapacityBytesPerNs[x] ?? 0)),
    finishNs: results[i]?.finishNs ?? Number.POSITIVE_INFINITY,
  }));
  const totalNs = Math.max(...stripes.map((s) => s.finishNs));
  const latencyNs = Math.max(...stripes.map((s) => s.latencyNs));
  return {
    consumer,
    gpu,
    bytes: size,
    reachable: true,
    totalNs,
    latencyNs,
    effectiveBandwidthBytesPerNs:
      totalNs > latencyNs ? size / (totalNs - latencyNs) : Number.POSITIVE_INFINITY,
    stripes,
  };
}
