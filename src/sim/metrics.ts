/**
 * The simulator's metrics store (docs/design.md "Simulator"): counters, running sums and HDR
 * histograms a run streams into, so memory does not grow with requests; the recording calls
 * the event handlers make; and the summary a run returns ({@link SimResult}): latencies,
 * decisions, bytes moved, fabric utilisation, pool statistics, Little's law.
 */
import * as hdr from 'hdr-histogram-js';
import type { PlanOption } from '../planner/planner.ts';
import type { InFlight, Metrics, RunState } from './state.ts';
import type { LatencyStats, RequestRecord, SimResult } from './types.ts';

/** Histogram of ns values: HDR with 3 significant digits (≤ 0.1 % error), auto-resizing. */
function histogram(): hdr.Histogram {
  return hdr.build({ numberOfSignificantValueDigits: 3, autoResize: true });
}

/**
 * Largest latency a histogram records, ns (2⁵⁰ ns ≈ 13 days of simulated time): above ≈ 10¹⁶ the
 * HDR histogram's percentiles come back as 0, so a longer latency (or a non-finite one) is
 * recorded as this bound rather than corrupting every percentile (docs/limits.md).
 */
export const HISTOGRAM_MAX_NS = 2 ** 50;

/** Records `ns` in `h`, rounded, at least 1 and at most {@link HISTOGRAM_MAX_NS}. */
export function recordNs(h: hdr.Histogram, ns: number): void {
  h.recordValue(
    Number.isFinite(ns)
      ? Math.min(HISTOGRAM_MAX_NS, Math.max(1, Math.round(ns)))
      : HISTOGRAM_MAX_NS,
  );
}

/** An empty metrics store; `expected` is the number of requests the workload asks for (0 when unknown). */
export function createMetrics(expected: number): Metrics {
  return {
    ttftH: histogram(),
    e2eH: histogram(),
    arrived: 0,
    completed: 0,
    good: 0,
    events: 0,
    inSystem: 0,
    decisions: { 'full-prefill': 0, exact: 0, partial: 0 },
    byStrategy: {},
    recomputedSum: 0,
    moved: { fetchCxl: 0, fetchRelayed: 0, fetchRdma: 0, writes: 0 },
    areaNs: 0,
    lastNs: 0,
    firstArrivalNs: -1,
    lastArrivalNs: -1,
    preemptions: 0,
    localHits: 0,
    admissionWaits: 0,
    e2eSumNs: 0,
    qualitySum: 0,
    expected,
  };
}

/** Moves the clock to `tNs`, adding the time since the last move to the requests-in-system integral. */
export function advanceClock(s: RunState, tNs: number): void {
  const m = s.metrics;
  m.areaNs += m.inSystem * (tNs - m.lastNs);
  m.lastNs = tNs;
  s.nowNs = tNs;
}

/** Notes an arrival's time: the window goodput is measured over. */
export function recordArrival(m: Metrics, nowNs: number): void {
  if (m.firstArrivalNs < 0) m.firstArrivalNs = nowNs;
  m.lastArrivalNs = nowNs;
}

/** Counts the planner's decision for an arrival. */
export function recordDecision(m: Metrics, o: PlanOption): void {
  m.decisions[o.kind]++;
  if (o.kind === 'partial') {
    m.byStrategy[o.strategy] = (m.byStrategy[o.strategy] ?? 0) + 1;
    m.recomputedSum += o.recomputedLayers;
  }
  m.qualitySum += o.qualityLoss;
}

/** Records a request's first token (sets its TTFT). */
export function recordFirstToken(s: RunState, x: InFlight): void {
  x.ttftNs = s.nowNs - x.req.arrivalNs;
  recordNs(s.metrics.ttftH, x.ttftNs);
}

/** Records a completed request: latency, SLO, the caller's record and progress callbacks. */
export function recordCompletion(s: RunState, x: InFlight): void {
  const m = s.metrics;
  const e2e = s.nowNs - x.req.arrivalNs;
  recordNs(m.e2eH, e2e);
  m.e2eSumNs += e2e;
  m.completed++;
  m.inSystem--;
  const met = x.ttftNs <= s.cfg.slo.ttftNs && e2e <= s.cfg.slo.e2eNs;
  if (met) m.good++;
  const { onRecord, onProgress } = s.options;
  if (onRecord !== undefined) onRecord(recordOf(x, e2e, met));
  if (onProgress !== undefined && m.completed % 1000 === 0) onProgress(m.completed, m.expected);
}

function recordOf(x: InFlight, e2eNs: number, metSlo: boolean): RequestRecord {
  const o = x.option;
  return {
    id: x.req.id,
    variant: x.req.variant,
    context: x.req.context,
    contextTokens: x.req.contextTokens,
    replica: x.replica.index,
    host: x.replica.host,
    arrivalNs: x.req.arrivalNs,
    ttftNs: x.ttftNs,
    e2eNs,
    decision: o.kind,
    strategy: o.kind === 'partial' ? o.strategy : '',
    source: o.kind === 'full-prefill' ? '' : o.sourceVariant,
    recomputedLayers:
      o.kind === 'partial'
        ? o.recomputedLayers
        : o.kind === 'full-prefill'
          ? x.replica.model.layers
          : 0,
    fetchBytes: o.fetchBytes,
    qualityLoss: o.qualityLoss,
    metSlo,
  };
}

function latencyStats(h: hdr.Histogram): LatencyStats {
  if (h.totalCount === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  return {
    mean: h.mean,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    max: h.maxValue,
  };
}

/** Utilisation of every fabric resource over the run: bytes carried / (capacity × simulated time). */
function utilisation(s: RunState): SimResult['utilisation'] {
  const { f, net, nowNs } = s;
  let busiestLink = { id: '', utilisation: 0 };
  let busiestDevice = { id: '', utilisation: 0 };
  let cxlSum = 0;
  let cxlCount = 0;
  const all: { id: string; utilisation: number }[] = [];
  for (let r = 0; r < f.resources.length; r++) {
    const cap = f.resourceCapacityBytesPerNs[r] ?? 0;
    const u = nowNs > 0 && cap > 0 ? net.carriedBytes(r) / (cap * nowNs) : 0;
    const id = f.resources[r] ?? '';
    if (u > 0) all.push({ id, utilisation: u });
    if (id.endsWith(':media')) {
      if (u > busiestDevice.utilisation) busiestDevice = { id, utilisation: u };
    } else {
      if (u > busiestLink.utilisation) busiestLink = { id, utilisation: u };
      const l = Math.floor(r / 2);
      if (r < 2 * f.links.length && f.linkKind[l] === 'cxl') {
        cxlSum += u;
        cxlCount++;
      }
    }
  }
  return {
    busiestLink,
    busiestDevice,
    meanCxlLink: cxlCount > 0 ? cxlSum / cxlCount : 0,
    top: all.sort((a, b) => b.utilisation - a.utilisation || (a.id < b.id ? -1 : 1)).slice(0, 20),
    servingGpus: s.replicas.reduce((n, r) => n + r.gpus.length, 0),
    gpu: gpuUtilisation(s),
  };
}

/** GPU busy share of the serving replicas over the simulated time (mean and busiest). */
function gpuUtilisation(s: RunState): SimResult['utilisation']['gpu'] {
  const t = s.nowNs;
  let sum = 0;
  let busiest = { id: '', utilisation: 0 };
  for (const r of s.replicas) {
    const u = t > 0 ? Math.min(1, r.busyNs / t) : 0;
    sum += u;
    if (u > busiest.utilisation) busiest = { id: `replica ${r.index} (${r.gpu})`, utilisation: u };
  }
  return { mean: s.replicas.length > 0 ? sum / s.replicas.length : 0, busiest };
}

/** The pool's statistics at the end of the run, and with `failAtEnd` what the failure destroys. */
function poolSummary(s: RunState): {
  pool: SimResult['pool'];
  lostAtEnd: SimResult['lostAtEnd'] | undefined;
} {
  const { pool } = s;
  const ps = pool.stats();
  let lostAtEnd: SimResult['lostAtEnd'];
  const failAtEnd = s.options.failAtEnd;
  if (failAtEnd !== undefined) {
    const before = ps.lostReplicas;
    const lost = pool.lose(failAtEnd);
    lostAtEnd = {
      objects: lost.length,
      bytes: lost.reduce((sum, o) => sum + o.totalBytes, 0),
      replicasDropped: pool.stats().lostReplicas - before,
    };
  }
  return {
    pool: {
      objects: ps.objects,
      occupancy: ps.capacityBytes > 0 ? ps.bytesUsed / ps.capacityBytes : 0,
      hits: ps.hits,
      evictions: ps.evictions,
      rejected: ps.rejected,
      storeOnFullPrefill: s.storeOnFullPrefill,
    },
    lostAtEnd,
  };
}

/** KV memory: the replica that came closest to full, preemptions and admission waits. */
function hbmSummary(s: RunState): SimResult['hbm'] {
  let most = s.replicas[0];
  let share = 0;
  for (const r of s.replicas) {
    const u = r.kvCapacityBlocks > 0 ? r.kvPeakBlocks / r.kvCapacityBlocks : 0;
    if (u > share) {
      share = u;
      most = r;
    }
  }
  return {
    blockTokens: s.blockTokens,
    preemptionMode: 'recompute',
    capacityBytes: most === undefined ? 0 : most.kvCapacityBlocks * most.kvBlockBytes,
    peakUsedBytes: most === undefined ? 0 : most.kvPeakBlocks * most.kvBlockBytes,
    peakShare: share,
    preemptions: s.metrics.preemptions,
    admissionWaits: s.metrics.admissionWaits,
    localPrefix: {
      enabled: s.cfg.serving.prefixCache === true,
      hits: s.metrics.localHits,
      evictions: s.replicas.reduce((n, r) => n + r.localEvictions, 0),
    },
  };
}

/** What the run measured, once its loop has ended. */
export function summarise(s: RunState): SimResult {
  const { cfg, nowNs } = s;
  const m = s.metrics;
  const { arrived, completed, good } = m;
  const seconds = nowNs / 1e9;
  const partials = m.decisions.partial;
  const ttftH = m.ttftH;
  const util = utilisation(s);
  const { pool, lostAtEnd } = poolSummary(s);
  // The arrival window; when every request arrives at one instant, the time since that instant.
  const first = Math.max(0, m.firstArrivalNs);
  const window = m.lastArrivalNs > first ? m.lastArrivalNs - first : Math.max(0, nowNs - first);
  return {
    scenario: cfg.name,
    topology: s.f.graph.getAttribute('name'),
    policy: cfg.planner.policy,
    seed: cfg.seed,
    simulatedNs: nowNs,
    requests: { arrived, completed, inFlight: arrived - completed },
    throughputPerS: seconds > 0 ? completed / seconds : 0,
    goodputPerS: window > 0 ? good / (window / 1e9) : 0,
    arrivalWindowNs: window,
    sloAttainment: completed > 0 ? good / completed : 0,
    ttft: latencyStats(ttftH),
    e2e: latencyStats(m.e2eH),
    ttftCdfNs: Array.from({ length: 51 }, (_, i) =>
      ttftH.totalCount === 0
        ? 0
        : i === 0
          ? ttftH.minNonZeroValue
          : ttftH.getValueAtPercentile(i * 2),
    ),
    decisions: {
      fullPrefill: m.decisions['full-prefill'],
      exact: m.decisions.exact,
      partial: partials,
      byStrategy: m.byStrategy,
      meanRecomputedLayers: partials > 0 ? m.recomputedSum / partials : 0,
    },
    meanQualityLoss: arrived > 0 ? m.qualitySum / arrived : 0,
    bytesMoved: m.moved,
    utilisation: util,
    pool,
    hbm: hbmSummary(s),
    littlesLaw: {
      meanInSystem: nowNs > 0 ? m.areaNs / nowNs : 0,
      arrivalRateTimesMeanTime:
        nowNs > 0 && completed > 0 ? (arrived / nowNs) * (m.e2eSumNs / completed) : 0,
    },
    events: m.events,
    ...(lostAtEnd === undefined ? {} : { lostAtEnd }),
  };
}
