/**
 * Replaying a per-row trace (docs/workloads.md "Per-row traces"): row i becomes request i,
 * arriving at the trace's i-th time with the row's variant, context and token counts — no seed
 * involved, except for rows that name no variant (an imported public trace), which draw one by
 * the workload's variant weights from the variants stream.
 */
import { RequestStream } from './request-stream.ts';
import { searchCdf } from './workload-random.ts';
import type { Request, TraceRows, WorkloadSpec } from './workload-types.ts';

/**
 * The stream of a workload with `rows` (a {@link RequestStream}, so the simulator drives it the
 * same way). Stops at the last row, after `requests` rows, or at the first row arriving at or
 * after `durationNs`.
 */
export class TraceStream extends RequestStream {
  private readonly rows: TraceRows;
  private readonly arrivalsNs: readonly number[];
  private row = 0;

  /**
   * @throws InputError when `validateWorkload` (workload-validate.ts) finds problems
   */
  constructor(spec: WorkloadSpec & { readonly rows: TraceRows }, seed: number) {
    super(spec, seed);
    this.rows = spec.rows;
    const a = spec.arrival;
    this.arrivalsNs = a.kind === 'trace' ? a.arrivalsNs : [];
  }

  /** The next row as a request, or undefined once the trace (or a stop) has ended. */
  override nextRequest(): Request | undefined {
    const i = this.row;
    if (i >= this.arrivalsNs.length || i >= this.maxRequests) return undefined;
    const arrivalNs = this.arrivalsNs[i] as number;
    if (arrivalNs >= this.durationNs) {
      this.row = Number.POSITIVE_INFINITY;
      return undefined;
    }
    this.row = i + 1;
    const r = this.rows;
    const v = r.variant[i] as number;
    return {
      id: i,
      arrivalNs,
      variant:
        v >= 0
          ? (r.variantIds[v] as string)
          : (this.ids[searchCdf(this.variantCdf, this.variantRand())] as string),
      context: r.contextIds[r.context[i] as number] as string,
      contextTokens: r.contextTokens[i] as number,
      suffixTokens: r.suffixTokens[i] as number,
      outputTokens: r.outputTokens[i] as number,
    };
  }
}
