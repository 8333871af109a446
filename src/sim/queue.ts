/**
 * The simulator's event queue: a binary min-heap ordered by (time, insertion sequence), so
 * events at the same instant run in the order they were scheduled and every run is
 * deterministic. Hand-written (≈70 lines): the heap libraries on npm order by one comparator
 * and are not stable for ties, and wrapping each event to add a sequence costs an allocation
 * the parallel arrays here avoid. Sifts move a hole instead of swapping, and `pop` returns the
 * bare value (read `peekTime` first for its time): the queue sees every event of a run.
 */

/** A stable min-heap of values keyed by time (ns). */
export class EventQueue<T> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly values: T[] = [];
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
    const { times, seqs, values } = this;
    const s = this.seq++;
    let i = values.length;
    times.push(t);
    seqs.push(s);
    values.push(value);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const tp = times[p] as number;
      if (tp < t || (tp === t && (seqs[p] as number) < s)) break;
      this.move(p, i);
      i = p;
    }
    this.place(i, t, s, value);
  }

  /** Removes and returns the earliest event's value (ties: first scheduled), or undefined when empty. */
  pop(): T | undefined {
    const { times, seqs, values } = this;
    const n = values.length;
    if (n === 0) return undefined;
    const top = values[0] as T;
    const t = times.pop() as number;
    const s = seqs.pop() as number;
    const v = values.pop() as T;
    const m = n - 1;
    if (m === 0) return top;
    // Sift the last element down from the root.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      const r = l + 1;
      let c = l;
      if (r < m) {
        const tl = times[l] as number;
        const tr = times[r] as number;
        if (tr < tl || (tr === tl && (seqs[r] as number) < (seqs[l] as number))) c = r;
      }
      const tc = times[c] as number;
      if (t < tc || (t === tc && s < (seqs[c] as number))) break;
      this.move(c, i);
      i = c;
    }
    this.place(i, t, s, v);
    return top;
  }

  /** Copies the event at slot `from` into slot `to` (the hole). */
  private move(from: number, to: number): void {
    this.place(to, this.times[from] as number, this.seqs[from] as number, this.values[from] as T);
  }

  private place(i: number, t: number, s: number, v: T): void {
    this.times[i] = t;
    this.seqs[i] = s;
    this.values[i] = v;
  }
}
