/**
 * The simulator's event queue: a binary min-heap ordered by (time, insertion sequence), so
 * events at the same instant run in the order they were scheduled and every run is
 * deterministic. Hand-written (≈50 lines): the heap libraries on npm order by one comparator
 * and are not stable for ties, and wrapping each event to add a sequence costs an allocation
 * the parallel arrays here avoid.
 */

/** A stable min-heap of values keyed by time (ns). */
export class EventQueue<T> {
  private times: number[] = [];
  private seqs: number[] = [];
  private values: T[] = [];
  private seq = 0;

  /** Number of queued events. */
  get size(): number {
    return this.values.length;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.values.length === 0 ? Number.POSITIVE_INFINITY : (this.times[0] as number);
  }

  /** Schedules `value` at time `t` (ns). */
  push(t: number, value: T): void {
    let i = this.values.length;
    this.times.push(t);
    this.seqs.push(this.seq++);
    this.values.push(value);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Removes and returns the earliest event (ties: first scheduled), or undefined when empty. */
  pop(): { t: number; value: T } | undefined {
    const n = this.values.length;
    if (n === 0) return undefined;
    const top = { t: this.times[0] as number, value: this.values[0] as T };
    this.swap(0, n - 1);
    this.times.pop();
    this.seqs.pop();
    this.values.pop();
    let i = 0;
    const m = n - 1;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < m && this.less(l, s)) s = l;
      if (r < m && this.less(r, s)) s = r;
      if (s === i) break;
      this.swap(i, s);
      i = s;
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const ta = this.times[a] as number;
    const tb = this.times[b] as number;
    return ta < tb || (ta === tb && (this.seqs[a] as number) < (this.seqs[b] as number));
  }

  private swap(a: number, b: number): void {
    [this.times[a], this.times[b]] = [this.times[b] as number, this.times[a] as number];
    [this.seqs[a], this.seqs[b]] = [this.seqs[b] as number, this.seqs[a] as number];
    [this.values[a], this.values[b]] = [this.values[b] as T, this.values[a] as T];
  }
}
