/**
 * The three partial-reuse strategies as the engine runs them (issue 12 item 2; docs/planner.md
 * "Strategies as the engine runs them"; docs/references.md §3 "Three ways to run a partial
 * reuse"), proved on hand-computed cases, and the planner's TTFT estimate equal to what the
 * engine then does.
 *
 * The setting is built so every step takes a round number of milliseconds:
 * - topology `prototype-3`: the receiver's replica on h0 fetches from the MHD d0 through its
 *   GPU's PCIe 4 x16 link at 28 bytes/ns, first byte after λ = 560 ns (both read from the
 *   run's estimator and asserted);
 * - a 4-layer model whose one layer's KV cache of the 1,000-token context is 28 MB (7 KV heads
 *   × head dim 1,000 × 2 (K and V) × 2 bytes × 1,000 tokens) and whose one E cache is 28 MB
 *   (hidden 14,000 × 2 bytes × 1,000 tokens): each loads in exactly 1 ms;
 * - a GPU whose peak is one layer's prefill FLOPs per ms (efficiency 1) and a model with no LM
 *   head cost (vocabulary 0): recomputing one layer takes 1 ms;
 * - the receiver `r` reuses the sender `s`'s cache of context c1 (placed in the pool by hand, no
 *   write charged) with one frontier point inside the budget; requests have no suffix and no
 *   output tokens, so the first token is the end of the request's prefill work.
 */
import { describe, expect, it } from 'vitest';
import { compileFabric } from '../../src/fabric/compile.ts';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { layerPrefillFlops } from '../../src/kv/compute.ts';
import type { ModelShape } from '../../src/kv/models.ts';
import {
  plan,
  type FetchEstimate,
  type FetchEstimator,
  type PlanInput,
  type Strategy,
} from '../../src/planner/planner.ts';
import type { LayerGroup, PairProfile } from '../../src/planner/profiles.ts';
import { play } from '../../src/sim/engine.ts';
import { createRunState } from '../../src/sim/setup.ts';
import { queuedEstimate } from '../../src/sim/loader.ts';
import type { Replica, RunState } from '../../src/sim/state.ts';
import type { RequestRecord, SimConfig } from '../../src/sim/types.ts';
import type { Request } from '../../src/sim/workload.ts';
import { bytes } from '../../src/units/index.ts';

const MS = 1e6;
/** The fabric's first-byte latency from d0 into h0's GPU (ns), asserted below. */
const LAMBDA = 560;
const { scenario } = loadScenario('droidspeak-8b');
const fabric = compileFabric(loadTopology('prototype-3').graph);

const unit: ModelShape = {
  ...(scenario.models['llama-3.1-8b'] as ModelShape),
  name: 'unit-4',
  layers: 4,
  hiddenSize: 14_000,
  heads: 28,
  kvHeads: 7,
  headDim: 1_000,
  vocabSize: 0,
};
const TOKENS = 1_000;

/** A profile r ← s whose only runnable point within budget 0.05 recomputes `group`. */
function profile(group: LayerGroup): PairProfile {
  const n = group.end - group.start + 1;
  return {
    receiver: 'r',
    sender: 's',
    layers: 4,
    layerSensitivity: [0.01, 0.01, 0.01, 0.01],
    fullReuseLoss: 0.5,
    frontier: [
      { groups: [], recomputedLayers: 0, eCacheLoads: 0, qualityLoss: 0.5 },
      { groups: [group], recomputedLayers: n, eCacheLoads: 1, qualityLoss: 0.01 },
      { groups: [{ start: 0, end: 3 }], recomputedLayers: 4, eCacheLoads: 0, qualityLoss: 0 },
    ],
  };
}

function config(strategy: Strategy, group: LayerGroup): SimConfig {
  return {
    ...scenario,
    gpu: {
      ...scenario.gpu,
      // One layer over TOKENS tokens costs exactly 1 ms: every FLOP at peak (GEMMs and
      // attention at efficiency 1), memory traffic free (HBM 10¹² B/ns), no per-layer fixed cost.
      peakFlopsPerNs: layerPrefillFlops(unit, TOKENS) / MS,
      gemmEfficiency: 1,
      attentionEfficiency: 1,
      layerOverheadNs: 0,
      hbmBandwidthBytesPerNs: 1e12 as never,
    },
    models: { unit },
    variants: [
      { id: 'r', model: 'unit' },
      { id: 's', model: 'unit' },
    ],
    profiles: [profile(group)],
    qualityBudget: 0.05,
    // DroidSpeak's rule, strategy forced: partial reuse of the first related cache.
    planner: { policy: 'droidspeak', strategy },
    pool: { ...scenario.pool, hostDramFraction: 0, gpuCacheFraction: 0 },
    serving: { replicas: [{ variant: 'r', count: 1 }], routing: 'round-robin', maxBatch: 8 },
    workload: {
      ...scenario.workload,
      variants: [{ id: 'r', weight: 1 }],
      crossVariantShare: 0,
      requests: 1,
    },
    slo: { ttftNs: 1e12, e2eNs: 1e12 },
  } as SimConfig;
}

interface Outcome {
  /** Engine TTFT per request (ns), by id. */
  readonly ttftNs: number[];
  /** The planner's TTFT estimate per request at its arrival (ns), by id. */
  readonly plannedNs: number[];
  /** The strategy each request ran. */
  readonly strategies: string[];
  /** Fetch latency and bandwidth the planner saw for the first request. */
  readonly first: FetchEstimate;
}

/** Plays requests of r on context c1 arriving at `arrivalsMs`, the sender's cache already pooled. */
function run(strategy: Strategy, group: LayerGroup, arrivalsMs: readonly number[]): Outcome {
  const records: RequestRecord[] = [];
  const s: RunState = createRunState(fabric, config(strategy, group), {
    onRecord: (r) => records.push(r),
  });
  s.pool.insert(
    {
      variant: 's',
      context: 'c1',
      model: 'unit',
      tokens: TOKENS,
      kvBytes: bytes(4 * 28e6),
      eLayers: [group.start],
      eBytesPerLayer: bytes(28e6),
    },
    'h1',
    0,
  );
  // Every arrival is queued up front; the stream the engine pulls from is empty.
  (s as { requests: unknown }).requests = { nextRequest: () => undefined, completed: () => [] };
  arrivalsMs.forEach((t, id) => {
    const req: Request = {
      id,
      arrivalNs: t * MS,
      variant: 'r',
      context: 'c1',
      contextTokens: TOKENS,
      suffixTokens: 0,
      outputTokens: 0,
    };
    s.queue.push(req.arrivalNs, { kind: 'arrival', req });
  });
  // The planner asks the estimator once per request (one cached source) with the engine's input
  // filled in: keep a copy of that input, answering as the estimator did, to price it again.
  const inputs: PlanInput[] = [];
  const estimate = s.estimators[0] as FetchEstimator;
  s.estimators[0] = (source) => {
    const e = queuedEstimate(s, s.replicas[0] as Replica, source, estimate(source));
    // Once per request (a pipelined decision asks again after choosing: its E caches' landing).
    if (inputs.length < s.metrics.arrived) inputs.push({ ...s.input, estimate: () => e });
    return e;
  };
  play(s);
  records.sort((a, b) => a.id - b.id);
  return {
    ttftNs: records.map((r) => r.ttftNs),
    plannedNs: inputs.map((p) => plan('droidspeak', p).chosen.ttftNs),
    strategies: records.map((r) => r.strategy),
    first: inputs[0]?.estimate({ kind: 'devices', devices: ['d0'] }) as FetchEstimate,
  };
}

/** Expects `got` (ns) to equal `wantNs` within 1 ns (floating-point sums of ms and ns). */
function near(got: readonly number[], wantNs: readonly number[]): void {
  expect(got).toHaveLength(wantNs.length);
  got.forEach((g, i) => expect(Math.abs(g - (wantNs[i] as number))).toBeLessThan(1));
}

const L = LAMBDA;

describe('strategies as the engine runs them (unit-cost layers)', () => {
  it('the setting: 1 ms per KV layer, per E cache and per recomputed layer; λ = 560 ns', () => {
    const o = run('pipelined', { start: 2, end: 2 }, [0]);
    expect(o.first.latencyNs).toBe(LAMBDA);
    expect(o.first.bandwidthBytesPerNs).toBe(28);
    // 28 MB at 28 bytes/ns = 1 ms; one layer's FLOPs at (FLOPs per ms) = 1 ms.
    expect(28e6 / o.first.bandwidthBytesPerNs).toBe(MS);
  });

  // Point {2}: recompute layer 2 (1 ms) from the E cache at layer 2 (1 ms to load); reuse the KV
  // of layers 0, 1, 3 (3 ms to load).
  const one = { start: 2, end: 2 };

  it('one request: pipelined < send-reused < send-all', () => {
    // send-all: load all 4 KV layers + the E cache (λ + 5 ms), then recompute 1 ms: λ + 6 ms.
    // send-reused: load 3 KV layers + the E cache (λ + 4 ms), then 1 ms: λ + 5 ms.
    // pipelined: E cache lands at λ + 1 ms, recompute to λ + 2 ms; the 3 KV layers stream
    // behind the E cache with no second latency and land at λ + 4 ms: TTFT λ + 4 ms.
    near(run('send-all', one, [0]).ttftNs, [L + 6 * MS]);
    near(run('send-reused', one, [0]).ttftNs, [L + 5 * MS]);
    near(run('pipelined', one, [0]).ttftNs, [L + 4 * MS]);
  });

  it('a back-to-back pair: serial for send-all and send-reused, overlapped for pipelined', () => {
    // Both arrive at 0.
    // send-all: #1 loads [0, λ+5], computes [λ+5, λ+6]: TTFT λ+6. #2's load waits for #1's GPU
    //   work: loads [λ+6, 2λ+11] (its own latency again), computes to 2λ+12.
    // send-reused: #1 λ+5. #2 loads [λ+5, 2λ+9], computes to 2λ+10.
    // pipelined: #1 E at λ+1, compute [λ+1, λ+2], KV lands λ+4: TTFT λ+4, load slot free at λ+4.
    //   #2's E lands at λ+4 + λ+1 = 2λ+5, compute [2λ+5, 2λ+6], KV lands 2λ+8: TTFT 2λ+8.
    const all = run('send-all', one, [0, 0]);
    const reused = run('send-reused', one, [0, 0]);
    const piped = run('pipelined', one, [0, 0]);
    near(all.ttftNs, [L + 6 * MS, 2 * L + 12 * MS]);
    near(reused.ttftNs, [L + 5 * MS, 2 * L + 10 * MS]);
    near(piped.ttftNs, [L + 4 * MS, 2 * L + 8 * MS]);
    // Completion of the pair: pipelined < send-reused < send-all.
    expect(Math.max(...piped.ttftNs)).toBeLessThan(Math.max(...reused.ttftNs));
    expect(Math.max(...reused.ttftNs)).toBeLessThan(Math.max(...all.ttftNs));
    // The strategy forced by the scenario is the one run.
    expect(all.strategies).toEqual(['send-all', 'send-all']);
    expect(reused.strategies).toEqual(['send-reused', 'send-reused']);
    expect(piped.strategies).toEqual(['pipelined', 'pipelined']);
    // The planner's estimates are exactly what the engine did.
    for (const o of [all, reused, piped]) near(o.plannedNs, o.ttftNs);
  });

  it("pipelined: request 2's load overlaps request 1's compute", () => {
    // Point {1–3}: E cache at layer 1 (1 ms), recompute 3 layers (3 ms), reuse layer 0 (1 ms).
    // #1: E lands λ+1, compute [λ+1, λ+4]; KV lands λ+2: TTFT λ+4; slot free at λ+2.
    // #2: loads from λ+2 while #1 computes: E lands 2λ+3, waits for the GPU until λ+4,
    //   computes [λ+4, λ+7]; KV lands 2λ+4: TTFT λ+7.
    // send-reused, for contrast: #1 loads 2 ms (λ+2), computes to λ+5; #2 loads [λ+5, 2λ+7],
    //   computes to 2λ+10.
    const three = { start: 1, end: 3 };
    const piped = run('pipelined', three, [0, 0]);
    const reused = run('send-reused', three, [0, 0]);
    near(piped.ttftNs, [L + 4 * MS, L + 7 * MS]);
    near(reused.ttftNs, [L + 5 * MS, 2 * L + 10 * MS]);
    near(piped.plannedNs, piped.ttftNs);
    near(reused.plannedNs, reused.ttftNs);
  });

  it('three requests, the third arriving mid-way: the estimates still match', () => {
    // Point {2}, send-reused; #1, #2 at 0, #3 at 3 ms. #1 λ+5, #2 2λ+10 (as above); #3 waits for
    // #2's GPU work (2λ+10), loads [2λ+10, 3λ+14], computes to 3λ+15: TTFT 3λ+12 from its
    // arrival. The planner, at 3 ms, sees the slot busy until 2λ+10 (7 ms + 2λ from now) and
    // the fetch at #2's rate, not halved by #1's flow still on the link (#3 will not share it).
    const o = run('send-reused', one, [0, 0, 3]);
    near(o.ttftNs, [L + 5 * MS, 2 * L + 10 * MS, 3 * L + 12 * MS]);
    near(o.plannedNs, o.ttftNs);
  });
});
