/**
 * The KV-cache pool's object index (docs/design.md: `KvPool`): its entries by key, by (variant,
 * context), and per context sorted by variant id (natural order) — the lookups a request makes
 * (exact hit, then related variants' caches for DroidSpeak reuse). The pool (src/kv/pool.ts)
 * adds and deletes entries; the index only finds them.
 */
import type { Entry } from './pool-groups.ts';
import { compareIds } from './pool-locations.ts';
import type { CachedObject } from './pool-types.ts';

/** Every stored entry, found three ways. */
export class PoolIndex {
  private readonly byVariant = new Map<string, Map<string, Entry>>();
  private readonly byKey = new Map<string, Entry>();
  /** Entries of each context, sorted by variant id. */
  private readonly byContext = new Map<string, Entry[]>();

  /** Entries stored. */
  get size(): number {
    return this.byKey.size;
  }

  /** The entry of (variant, context), or undefined. */
  get(variant: string, context: string): Entry | undefined {
    return this.byVariant.get(variant)?.get(context);
  }

  /** The entry with this key, or undefined. */
  getByKey(key: string): Entry | undefined {
    return this.byKey.get(key);
  }

  /** Other variants' objects of the same base model and context, in variant order (landed ones only). */
  related(model: string, context: string, exceptVariant: string): CachedObject[] {
    const list = this.byContext.get(context);
    if (list === undefined) return [];
    const out: CachedObject[] = [];
    for (const e of list)
      if (!e.pending && e.obj.model === model && e.obj.variant !== exceptVariant) out.push(e.obj);
    return out;
  }

  /** Every entry, in insertion order. */
  values(): IterableIterator<Entry> {
    return this.byKey.values();
  }

  /** Indexes a new entry (its key must not be indexed already). */
  add(e: Entry): void {
    const o = e.obj;
    let inner = this.byVariant.get(o.variant);
    if (inner === undefined) {
      inner = new Map();
      this.byVariant.set(o.variant, inner);
    }
    inner.set(o.context, e);
    this.byKey.set(o.key, e);
    let list = this.byContext.get(o.context);
    if (list === undefined) {
      list = [];
      this.byContext.set(o.context, list);
    }
    let i = list.length;
    list.push(e);
    while (i > 0 && compareIds((list[i - 1] as Entry).obj.variant, o.variant) > 0) {
      list[i] = list[i - 1] as Entry;
      i--;
    }
    list[i] = e;
  }

  /** Forgets an entry. */
  delete(e: Entry): void {
    const o = e.obj;
    const inner = this.byVariant.get(o.variant);
    inner?.delete(o.context);
    if (inner?.size === 0) this.byVariant.delete(o.variant);
    this.byKey.delete(o.key);
    const list = this.byContext.get(o.context);
    if (list !== undefined) {
      const i = list.indexOf(e);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byContext.delete(o.context);
    }
  }
}
