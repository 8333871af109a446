/**
 * RPC cost between two hosts over every medium they have (docs/design.md "RPC"):
 *
 * - **Shared device** (`cxl-mhd` when the device is cabled to both hosts, `cxl-switch` when the
 *   path crosses CXL switches): an Oasis-style channel in device memory (docs/references.md §1). One
 *   message = sender software, the sender's store travelling to device memory (memory path, root
 *   port, links, switches, controller, media), the receiver noticing it — it polls the line
 *   back-to-back with `pollIntervalNs` pauses, so on average the next poll samples the device
 *   half a poll period (one load plus the pause) later and its response then travels back
 *   (root port, links, switches) — then receiver software, plus payload ÷ the bottleneck of
 *   sender path, device media and receiver path.
 * - **Relay** (`cxl-relay`): hosts that share no device chain shared-device messages through
 *   intermediate hosts, each adding `relayForwardLatencyNs`; the cheapest chain by Dijkstra.
 * - **RDMA** (`rdma`): software, NIC, cables, ToR/spine passes, NIC, software, plus payload ÷
 *   the bottleneck link; each host uses its first NIC in service.
 *
 * A round trip is a request and a response of the same size (an echo), so RTT = one-way(a→b) +
 * one-way(b→a). `rpcCost` explains one pair; `rpcAllPairs` summarises every pair per medium;
 * `rpcByLocality` splits every pair by locality (shares a device, relays, RDMA only) under a
 * traffic matrix (docs/rpc.md).
 *
 * This module is the RPC model's one import: the per-medium message costs live in
 * ./rpc-messages.ts, the all-pairs matrices and summary in ./rpc-all-pairs.ts, the locality
 * split in ./rpc-locality.ts (weighted percentiles in ./rpc-percentile.ts, traffic matrices in
 * ./rpc-traffic.ts), re-exported here.
 */
import type { Bytes } from '../units/index.ts';
import { requireNode, type Fabric } from './compile.ts';
import {
  chainMessage,
  chainsFrom,
  checkPayload,
  directMessage,
  incidence,
  rdmaMessage,
  RPC_MEDIA,
  type OneWayCost,
  type RpcMedium,
} from './rpc-messages.ts';

export { RPC_MEDIA, type OneWayCost, type RpcMedium } from './rpc-messages.ts';
export {
  rpcAllPairs,
  rpcOneWayMatrices,
  type RpcMatrices,
  type RpcSummary,
  type RttStats,
} from './rpc-all-pairs.ts';
export {
  RPC_LOCALITIES,
  rpcByLocality,
  rpcLocalityOf,
  type LocalityStats,
  type RpcLocality,
  type RpcLocalityClass,
  type RpcLocalityOptions,
} from './rpc-locality.ts';
export { weightedPercentile, weightedStats, type WeightedStats } from './rpc-percentile.ts';
export {
  TRAFFIC_DEFAULTS,
  trafficLabel,
  trafficMatrixOf,
  UNIFORM_TRAFFIC,
  type TrafficEntry,
  type TrafficMatrix,
} from './rpc-traffic.ts';

/** One medium's round trip. */
export interface RpcOption {
  readonly medium: RpcMedium;
  readonly roundTripNs: number;
  readonly request: OneWayCost;
  readonly response: OneWayCost;
}

/** Every option for one pair, cheapest first, and the cheapest. */
export interface RpcResult {
  readonly from: string;
  readonly to: string;
  readonly payloadBytes: Bytes;
  readonly reachable: boolean;
  readonly best: RpcOption | undefined;
  readonly options: readonly RpcOption[];
}

/**
 * Every way hosts `from` and `to` can exchange an RPC of `payload` bytes each way, cheapest first.
 * Unreachable (no medium) is a result with `reachable: false`, not an exception.
 * @throws InputError when an id is not a host of the fabric
 * @example rpcCost(compileFabric(g), 'h0', 'h1', bytes(64)).best?.roundTripNs
 */
export function rpcCost(f: Fabric, from: string, to: string, payload: Bytes): RpcResult {
  checkPayload(payload);
  const a = requireNode(f, from, ['host'], ['from']);
  const b = requireNode(f, to, ['host'], ['to']);
  const options: RpcOption[] = [];
  const push = (
    medium: RpcMedium,
    req: OneWayCost | undefined,
    res: OneWayCost | undefined,
  ): void => {
    if (req !== undefined && res !== undefined)
      options.push({ medium, roundTripNs: req.ns + res.ns, request: req, response: res });
  };
  if (a !== b && f.nodeUp[a] === 1 && f.nodeUp[b] === 1) {
    push('cxl-mhd', directMessage(f, a, b, payload, false), directMessage(f, b, a, payload, false));
    push(
      'cxl-switch',
      directMessage(f, a, b, payload, true),
      directMessage(f, b, a, payload, true),
    );
    const inc = incidence(f);
    const pa = inc.pos[a] ?? -1;
    const pb = inc.pos[b] ?? -1;
    const ca = chainsFrom(f, inc, pa, payload);
    const cb = chainsFrom(f, inc, pb, payload);
    if ((ca.hops[pb] ?? -1) > 0 || (cb.hops[pa] ?? -1) > 0)
      push(
        'cxl-relay',
        chainMessage(f, inc, pa, pb, payload, ca),
        chainMessage(f, inc, pb, pa, payload, cb),
      );
    push('rdma', rdmaMessage(f, a, b, payload), rdmaMessage(f, b, a, payload));
  }
  options.sort(
    (x, y) =>
      x.roundTripNs - y.roundTripNs || RPC_MEDIA.indexOf(x.medium) - RPC_MEDIA.indexOf(y.medium),
  );
  return {
    from,
    to,
    payloadBytes: payload,
    reachable: options.length > 0,
    best: options[0],
    options,
  };
}
