/**
 * `podsim run --trace FILE`: the run's timeline as a Chrome trace (the JSON "Trace Event Format"
 * that chrome://tracing and https://ui.perfetto.dev open; docs/serving.md "Timelines"). GPU work
 * is one complete event (`ph: 'X'`) per prefill, recompute or decode run on a track per replica
 * (a replica's GPU work never overlaps); transfers are async events (`ph: 'b'` / `'e'`, paired by
 * id) because fetches and cache writes overlap: fetches on a track per receiving replica, writes
 * on one track. Times are microseconds of simulated time, as the format wants.
 */
import type { TraceSpan } from '../sim/types.ts';
import { writeFileAtomic } from './output.ts';

/** One event of the Trace Event Format. */
interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'b' | 'e' | 'M';
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly id?: number;
  readonly args?: Record<string, string | number>;
}

/** The processes of the trace: one per kind of track. */
const PID = { gpu: 1, fetch: 2, write: 3 } as const;
const PROCESS_NAMES: Readonly<Record<number, string>> = {
  1: 'GPUs: prefill, recompute and decode per replica',
  2: 'KV fetches into each replica',
  3: 'cache writes into the pool',
};

const us = (ns: number): number => ns / 1e3;

/** Collects a run's spans (`RunOptions.onSpan`) and writes them as a Chrome trace. */
export class TraceCollector {
  private readonly events: TraceEvent[] = [];
  private readonly replicas = new Set<number>();
  private nextId = 0;

  /** The run option: every span becomes one event (GPU) or two (transfers). */
  readonly onSpan = (span: TraceSpan): void => {
    const pid = PID[span.track];
    const tid = Math.max(0, span.replica);
    if (span.replica >= 0) this.replicas.add(span.replica);
    const args: Record<string, string | number> = {};
    if (span.request !== undefined) args['request'] = span.request;
    if (span.bytes !== undefined) args['bytes'] = span.bytes;
    if (span.batch !== undefined) args['batch'] = span.batch;
    if (span.track === 'gpu') {
      this.events.push({
        name: span.name,
        cat: 'gpu',
        ph: 'X',
        pid,
        tid,
        ts: us(span.startNs),
        dur: us(span.endNs - span.startNs),
        args,
      });
      return;
    }
    const id = this.nextId++;
    const base = { name: span.name, cat: span.track, pid, tid, id };
    this.events.push({ ...base, ph: 'b', ts: us(span.startNs), args });
    this.events.push({ ...base, ph: 'e', ts: us(span.endNs) });
  };

  /** The trace document: metadata naming processes and tracks, then the events in time order. */
  document(meta: Readonly<Record<string, string | number>>): object {
    const names: TraceEvent[] = [];
    for (const pid of [PID.gpu, PID.fetch, PID.write])
      names.push({
        name: 'process_name',
        ph: 'M',
        pid,
        tid: 0,
        args: { name: PROCESS_NAMES[pid] ?? '' },
      });
    for (const r of [...this.replicas].sort((a, b) => a - b))
      for (const pid of [PID.gpu, PID.fetch])
        names.push({ name: 'thread_name', ph: 'M', pid, tid: r, args: { name: `replica ${r}` } });
    names.push({ name: 'thread_name', ph: 'M', pid: PID.write, tid: 0, args: { name: 'writes' } });
    // Stable by time: events of equal ts keep the order the run produced them in.
    const timed = this.events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => (a.e.ts ?? 0) - (b.e.ts ?? 0) || a.i - b.i)
      .map((x) => x.e);
    return { traceEvents: [...names, ...timed], displayTimeUnit: 'ms', otherData: meta };
  }

  /** Writes the trace to `file` (atomically: a complete file or none). */
  write(file: string, meta: Readonly<Record<string, string | number>>): void {
    writeFileAtomic(file, JSON.stringify(this.document(meta)), '--trace');
  }
}
