/**
 * Per-host memory demand for the pooling view (docs/pooling.md §2): a matrix of samples × hosts
 * in bytes, drawn from a lognormal with a stated peak-to-mean (optionally correlated across
 * hosts), or read from a trace of host-time samples and mapped onto the pod's hosts. Draws come
 * from the project's one seeded PRNG (mulberry32), so the same seed gives the same matrix.
 * Pure: the trace arrives already parsed (src/io/plan/trace.ts reads the file).
 */
import { mulberry32, type Bytes, type Random } from '../units/index.ts';

/** The standard normal's 99th percentile (≈ 2.3263), for the lognormal fit to a p99. */
export const Z_P99 = 2.326347874040841;

/** Largest p99 / mean a lognormal can have (σ = z₀.₉₉): `exp(z²/2)` ≈ 14.97. */
export const MAX_PEAK_TO_MEAN = Math.exp((Z_P99 * Z_P99) / 2);

/** How trace hosts become pod hosts (docs/pooling.md §2). */
export const TRACE_MAPPINGS = ['round-robin', 'shifted'] as const;
/** `round-robin`: pod host i replays trace host i mod T; `shifted`: the same, each repeat shifted in time. */
export type TraceMapping = (typeof TRACE_MAPPINGS)[number];

/** A parsed demand trace: one value per (time, trace host), times and hosts in first-seen order. */
export interface DemandTrace {
  /** The file it came from, for messages. */
  readonly file: string;
  /** Trace host ids, in order of first appearance. */
  readonly hostIds: readonly string[];
  /** Sample times as written, in order of first appearance. */
  readonly times: readonly string[];
  /** Demand in bytes at `[t × hostIds.length + k]`. */
  readonly bytes: Float64Array;
}

/** Where demand comes from, resolved (docs/design.md convention §3). */
export type DemandModel =
  | {
      readonly kind: 'lognormal';
      /** Mean memory demand of one host, bytes. */
      readonly perHostMeanBytes: Bytes;
      /** p99 / mean of one host's demand (dimensionless, 1 … {@link MAX_PEAK_TO_MEAN}). */
      readonly peakToMean: number;
      /** Correlation of the hosts' log-demands, 0 … 1 (0: independent hosts). */
      readonly correlation: number;
      /** Monte Carlo draws (whole number ≥ 1). */
      readonly samples: number;
    }
  | { readonly kind: 'trace'; readonly trace: DemandTrace; readonly mapping: TraceMapping };

/** Demand of every pod host in every sample, bytes at `[s × hosts + h]`. */
export interface DemandMatrix {
  readonly hosts: number;
  readonly samples: number;
  readonly bytes: Float64Array;
}

/**
 * Lognormal parameters with mean `meanBytes` and p99 = `peakToMean × mean`: σ solves
 * `z·σ − σ²/2 = ln(peakToMean)` (the smaller root), μ = ln(mean) − σ²/2.
 * @throws RangeError when `peakToMean` is below 1 or above {@link MAX_PEAK_TO_MEAN} (the loader refuses such plans first)
 */
export function lognormalFit(
  meanBytes: number,
  peakToMean: number,
): { readonly mu: number; readonly sigma: number } {
  if (!(peakToMean >= 1 && peakToMean <= MAX_PEAK_TO_MEAN))
    throw new RangeError(`peakToMean ${peakToMean} outside 1…${MAX_PEAK_TO_MEAN.toFixed(2)}`);
  const sigma = Z_P99 - Math.sqrt(Math.max(0, Z_P99 * Z_P99 - 2 * Math.log(peakToMean)));
  return { mu: Math.log(meanBytes) - (sigma * sigma) / 2, sigma };
}

/** One standard normal draw (Box–Muller, one of the pair). */
export function normal(rand: Random): number {
  const u = 1 - rand(); // (0, 1]
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Lognormal draws; with correlation ρ, `z = √ρ·z_common + √(1−ρ)·z_host` keeps each host's marginal. */
function lognormalMatrix(
  m: Extract<DemandModel, { kind: 'lognormal' }>,
  hosts: number,
  seed: number,
): DemandMatrix {
  const { mu, sigma } = lognormalFit(m.perHostMeanBytes, m.peakToMean);
  const rand = mulberry32(seed);
  const bytes = new Float64Array(m.samples * hosts);
  const a = Math.sqrt(m.correlation);
  const b = Math.sqrt(1 - m.correlation);
  for (let s = 0; s < m.samples; s++) {
    const common = m.correlation > 0 ? normal(rand) : 0;
    for (let h = 0; h < hosts; h++)
      bytes[s * hosts + h] = Math.exp(mu + sigma * (a * common + b * normal(rand)));
  }
  return { hosts, samples: m.samples, bytes };
}

/**
 * The trace host and time offset pod host `h` replays: trace host `h mod T`; under `shifted`,
 * the r-th repeat (`r = ⌊h / T⌋`) starts `r × ⌊S / repeats⌋` samples later, cyclically.
 */
export function traceSource(
  h: number,
  traceHosts: number,
  traceSamples: number,
  podHosts: number,
  mapping: TraceMapping,
): { readonly host: number; readonly offset: number } {
  const repeat = Math.floor(h / traceHosts);
  const repeats = Math.ceil(podHosts / traceHosts);
  const stride = Math.floor(traceSamples / repeats);
  return { host: h % traceHosts, offset: mapping === 'shifted' ? repeat * stride : 0 };
}

/** The trace mapped onto `hosts` pod hosts (docs/pooling.md §2). */
function traceMatrix(trace: DemandTrace, mapping: TraceMapping, hosts: number): DemandMatrix {
  const t = trace.hostIds.length;
  const samples = trace.times.length;
  const bytes = new Float64Array(samples * hosts);
  for (let h = 0; h < hosts; h++) {
    const { host, offset } = traceSource(h, t, samples, hosts, mapping);
    for (let s = 0; s < samples; s++)
      bytes[s * hosts + h] = trace.bytes[((s + offset) % samples) * t + host] ?? 0;
  }
  return { hosts, samples, bytes };
}

/**
 * Demand of `hosts` pod hosts under `model`; deterministic for `seed` (a trace ignores it).
 * @param hosts - pod hosts (whole number ≥ 0)
 */
export function demandMatrix(model: DemandModel, hosts: number, seed: number): DemandMatrix {
  return model.kind === 'lognormal'
    ? lognormalMatrix(model, hosts, seed)
    : traceMatrix(model.trace, model.mapping, hosts);
}

/** The same demand with fresh draws (`seed + 1`), to check a sizing out of sample; `undefined` for a trace (no fresh data). */
export function validationMatrix(
  model: DemandModel,
  hosts: number,
  seed: number,
): DemandMatrix | undefined {
  return model.kind === 'lognormal' ? lognormalMatrix(model, hosts, (seed + 1) >>> 0) : undefined;
}
