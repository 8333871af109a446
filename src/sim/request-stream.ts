/**
 * The request stream (src/sim/workload.ts): a workload spec and a seed become requests in
 * arrival order, pulled one at a time in O(contexts + variants) memory.
 */
import { NS_PER_S, type Random } from '../units/index.ts';
import { cumulative, drawLengths, pickOther, searchCdf, stream } from './workload-random.ts';
import type { Request, WorkloadSpec } from './workload-types.ts';
import { assertValid } from './workload-validate.ts';

const NO_REQUESTS: readonly Request[] = Object.freeze([]);

/**
 * The request stream `generateRequests` (src/sim/workload.ts) returns: an iterator (and iterable) over the
 * requests, plus {@link RequestStream.nextRequest} for a driver that pulls one at a time
 * without an iterator result object per request. A class rather than a generator function: the
 * simulator pulls every request through it.
 */
export class RequestStream implements IterableIterator<Request> {
  protected readonly ids: readonly string[];
  private readonly contextIds: readonly string[];
  private readonly lengths: Int32Array;
  private readonly homes: Int32Array;
  protected readonly variantCdf: Float64Array;
  private readonly zipfCdf: Float64Array | undefined;
  private readonly count: number;
  private readonly arrivalRand: Random;
  private readonly popRand: Random;
  protected readonly variantRand: Random;
  private readonly outputRand: Random;
  protected readonly spec: WorkloadSpec;
  protected readonly maxRequests: number;
  protected readonly durationNs: number;
  private nextId = 0;
  private ended = false;
  /** Arrival clock (ns), requests still to come in the current burst, position in a trace. */
  private t = 0;
  private left = 0;
  private traceIndex = 0;

  /**
   * The stream of a workload (as `generateRequests` in src/sim/workload.ts).
   * @throws InputError when `validateWorkload` (workload-validate.ts) finds problems.
   */
  constructor(spec: WorkloadSpec, seed: number) {
    assertValid(spec);
    const count = spec.contexts.count;
    this.spec = spec;
    this.count = count;
    this.lengths = drawLengths(spec, seed);

    // Variants: one CDF over all weights; homes drawn once per context from their own stream.
    this.ids = spec.variants.map((v) => v.id);
    this.variantCdf = cumulative(Float64Array.from(spec.variants, (v) => v.weight));
    this.homes = new Int32Array(count);
    if (this.ids.length > 1) {
      const homeRand = stream(seed, 'homes');
      for (let k = 0; k < count; k++) this.homes[k] = searchCdf(this.variantCdf, homeRand());
    }

    // Popularity: a Zipf CDF over ranks (binary search, one draw per request) or a plain uniform draw.
    const pop = spec.popularity;
    if (pop.kind === 'zipf' && pop.exponent > 0) {
      const w = new Float64Array(count);
      for (let k = 0; k < count; k++) w[k] = (k + 1) ** -pop.exponent;
      this.zipfCdf = cumulative(w);
    }

    // One id string per context, made once: requests share them (no new string, and no re-hashing
    // in every map the simulator looks them up in).
    this.contextIds = Array.from({ length: count }, (_, k) => `c${k}`);
    this.arrivalRand = stream(seed, 'arrivals');
    this.popRand = stream(seed, 'popularity');
    this.variantRand = stream(seed, 'variants');
    this.outputRand = stream(seed, 'outputs');
    this.maxRequests = spec.requests ?? Number.POSITIVE_INFINITY;
    this.durationNs = spec.durationNs ?? Number.POSITIVE_INFINITY;
  }

  /** The next request, or undefined once the stream has ended. */
  nextRequest(): Request | undefined {
    if (this.ended || this.nextId >= this.maxRequests) return this.end();
    const arrivalNs = this.nextArrival();
    if (arrivalNs < 0 || arrivalNs >= this.durationNs) return this.end();
    const spec = this.spec;

    const k =
      this.zipfCdf !== undefined
        ? searchCdf(this.zipfCdf, this.popRand())
        : Math.floor(this.popRand() * this.count);

    const home = this.homes[k] as number;
    let v = home;
    const share = spec.crossVariantShare;
    if (share > 0 && this.variantRand() < share)
      v = pickOther(this.variantCdf, home, this.variantRand());

    const out = spec.output;
    const outputTokens =
      out.kind === 'fixed'
        ? out.tokens
        : out.minTokens + Math.floor(this.outputRand() * (out.maxTokens - out.minTokens + 1));

    return {
      id: this.nextId++,
      arrivalNs,
      variant: this.ids[v] as string,
      context: this.contextIds[k] as string,
      contextTokens: this.lengths[k] as number,
      suffixTokens: spec.suffixTokens,
      outputTokens,
    };
  }

  /**
   * The requests a completion releases (agent pipelines, src/sim/pipeline-stream.ts: the next
   * steps, arriving at or after `nowNs`); none for one-shot workloads. The simulator schedules
   * each as an arrival.
   */
  completed(_req: Request, _nowNs: number): readonly Request[] {
    return NO_REQUESTS;
  }

  /** The iterator protocol over {@link RequestStream.nextRequest}. */
  next(): IteratorResult<Request, undefined> {
    const r = this.nextRequest();
    return r === undefined ? { done: true, value: undefined } : { done: false, value: r };
  }

  /** The stream itself (it is its own iterator, consumed once). */
  [Symbol.iterator](): RequestStream {
    return this;
  }

  private end(): undefined {
    this.ended = true;
    return undefined;
  }

  /** The next arrival time in ns, or -1 at the end of a trace. */
  private nextArrival(): number {
    const a = this.spec.arrival;
    switch (a.kind) {
      case 'poisson':
        this.t += (-Math.log(1 - this.arrivalRand()) * NS_PER_S) / a.ratePerSecond;
        return this.t;
      case 'bursts':
        if (this.left === 0) {
          this.t += (-Math.log(1 - this.arrivalRand()) * NS_PER_S * a.burstSize) / a.ratePerSecond;
          this.left = a.burstSize;
        }
        this.left--;
        return this.t;
      case 'trace':
        return this.traceIndex < a.arrivalsNs.length
          ? (a.arrivalsNs[this.traceIndex++] as number)
          : -1;
    }
  }
}
