/**
 * An indexed binary min-heap over small non-negative integer ids with `number` keys, stored in
 * typed arrays. The fluid flow engine (`flows/`) uses one for projected flow completions
 * (id = flow handle) and, in solves of large components, one of shared resources (key = the fill
 * level at which each saturates) and one of flow limits; the relay-chain search (`fetch.ts`) uses
 * one over hosts. They need to change the key of an id that is already queued, so the heap
 * keeps each id's position; ties are broken by the smaller id, so pop order is deterministic.
 *
 * Hand-written rather than a dependency: the popular heap packages (heap-js, mnemonist's Heap,
 * @datastructures-js/priority-queue) hold boxed items in plain arrays and either have no
 * update/remove by id or implement it with a linear search, which is the operation this engine
 * does most. This is ~100 lines with no allocation per operation.
 */

/** Indexed min-heap of integer ids keyed by numbers; ties go to the smaller id. */
export class IndexedMinHeap {
  private heap: Int32Array;
  private keys: Float64Array;
  /** Position of each id in `heap`, or −1 when the id is not queued. */
  private pos: Int32Array;
  private count = 0;

  /** Creates an empty heap; `idCapacity` is a hint, ids beyond it grow the arrays. */
  constructor(idCapacity = 16) {
    const n = Math.max(1, idCapacity);
    this.heap = new Int32Array(n);
    this.keys = new Float64Array(n);
    this.pos = new Int32Array(n).fill(-1);
  }

  /** Number of queued ids. */
  get size(): number {
    return this.count;
  }

  /** Whether `id` is queued. */
  has(id: number): boolean {
    return id < this.pos.length && (this.pos[id] as number) >= 0;
  }

  /** Smallest queued id (by key, then id), or −1 when empty. */
  peek(): number {
    return this.count === 0 ? -1 : (this.heap[0] as number);
  }

  /** Key of the smallest queued id, or `Infinity` when empty. */
  peekKey(): number {
    return this.count === 0
      ? Number.POSITIVE_INFINITY
      : (this.keys[this.heap[0] as number] as number);
  }

  /** Key of a queued id (undefined behaviour when not queued). */
  keyOf(id: number): number {
    return this.keys[id] as number;
  }

  /** Queues `id` with `key`, or changes its key when it is already queued. */
  set(id: number, key: number): void {
    if (id >= this.pos.length) this.growIds(id + 1);
    const p = this.pos[id] as number;
    if (p < 0) {
      if (this.count === this.heap.length) {
        const next = new Int32Array(this.heap.length * 2);
        next.set(this.heap);
        this.heap = next;
      }
      this.keys[id] = key;
      this.heap[this.count] = id;
      this.pos[id] = this.count;
      this.count++;
      this.up(this.count - 1);
      return;
    }
    const old = this.keys[id] as number;
    this.keys[id] = key;
    if (key < old) this.up(p);
    else if (key > old) this.down(p);
  }

  /** Removes and returns the smallest id, or −1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const top = this.heap[0] as number;
    this.removeAt(0);
    return top;
  }

  /** Removes `id` if it is queued. */
  delete(id: number): void {
    if (!this.has(id)) return;
    this.removeAt(this.pos[id] as number);
  }

  /** Empties the heap (O(size)). */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.pos[this.heap[i] as number] = -1;
    this.count = 0;
  }

  private removeAt(p: number): void {
    const id = this.heap[p] as number;
    this.pos[id] = -1;
    this.count--;
    if (p === this.count) return;
    const last = this.heap[this.count] as number;
    this.heap[p] = last;
    this.pos[last] = p;
    this.up(p);
    this.down(this.pos[last] as number);
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a] as number;
    const kb = this.keys[b] as number;
    return ka < kb || (ka === kb && a < b);
  }

  private up(p: number): void {
    const h = this.heap;
    const id = h[p] as number;
    while (p > 0) {
      const parent = (p - 1) >> 1;
      const pid = h[parent] as number;
      if (!this.less(id, pid)) break;
      h[p] = pid;
      this.pos[pid] = p;
      p = parent;
    }
    h[p] = id;
    this.pos[id] = p;
  }

  private down(p: number): void {
    const h = this.heap;
    const n = this.count;
    const id = h[p] as number;
    for (;;) {
      let c = 2 * p + 1;
      if (c >= n) break;
      const right = c + 1;
      if (right < n && this.less(h[right] as number, h[c] as number)) c = right;
      const cid = h[c] as number;
      if (!this.less(cid, id)) break;
      h[p] = cid;
      this.pos[cid] = p;
      p = c;
    }
    h[p] = id;
    this.pos[id] = p;
  }

  private growIds(min: number): void {
    const n = Math.max(min, this.pos.length * 2);
    const keys = new Float64Array(n);
    keys.set(this.keys);
    this.keys = keys;
    const pos = new Int32Array(n).fill(-1);
    pos.set(this.pos);
    this.pos = pos;
  }
}
