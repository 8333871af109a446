/**
 * The pool's eviction bookkeeping (docs/design.md: `KvPool`): a *group* is a set of locations
 * that objects occupy together, with an {@link IndexedMinHeap} of the objects in it; an entry is
 * the mutable record behind a cached object and its members in the groups it occupies. The
 * functions here queue, drop and compact members and pick the next victim at a location; the
 * pool (src/kv/pool.ts) owns the entries and calls them.
 */
import { IndexedMinHeap } from '../fabric/heap.ts';
import { POOL_DEFAULTS, type CachedObject, type Replica } from './pool-types.ts';

/**
 * A set of locations that objects occupy together — the devices one host stripes over, a replica's
 * devices, or a single location — with the eviction heap of the objects in it. Grouping keeps an
 * insert, touch or eviction at one heap operation per replica however wide the stripe (48
 * devices on a switched pool), instead of one per location. Heap ids are slots allocated in
 * insertion order (see `compact`).
 */
export interface Group {
  readonly locs: readonly number[];
  heap: IndexedMinHeap;
  slots: (Member | undefined)[];
  nextSlot: number;
  live: number;
}

/** An object's part in one group: `bytes` at each of the group's locations, for replica `replica`. */
export interface Member {
  readonly entry: Entry;
  readonly group: Group;
  readonly bytes: number;
  slot: number;
  replica: number;
}

/** The mutable record behind a {@link CachedObject}. */
export type ObjectRecord = { -readonly [K in keyof CachedObject]: CachedObject[K] } & {
  replicas: Replica[];
};

/** A stored object with its group memberships and eviction priority. */
export interface Entry {
  readonly obj: ObjectRecord;
  members: Member[];
  /** Key in every heap the object is in. */
  priority: number;
  /** Insertion sequence number: the tie-break between groups (within one, slot order is the same order). */
  readonly seq: number;
  /** Stored but its write has not landed: lookups do not see it yet ({@link KvPool.land}). */
  pending: boolean;
}

/** A new, empty group over exactly these locations, in this order. */
export function newGroup(locs: readonly number[]): Group {
  return {
    locs: Object.freeze([...locs]),
    heap: new IndexedMinHeap(16),
    slots: [],
    nextSlot: 0,
    live: 0,
  };
}

/**
 * The entry to evict first among those with a stripe at a location, given the groups containing
 * it: lowest (priority, insertion order).
 */
export function lowestIn(groupsAtLoc: readonly Group[]): Entry | undefined {
  let best: Entry | undefined;
  for (const g of groupsAtLoc) {
    if (g.live === 0) continue;
    const e = g.slots[g.heap.peek()]?.entry;
    if (
      e !== undefined &&
      (best === undefined ||
        e.priority < best.priority ||
        (e.priority === best.priority && e.seq < best.seq))
    )
      best = e;
  }
  return best;
}

/** Takes `m` out of its group's heap and subtracts its bytes from `used` at the group's locations. */
export function dropMember(m: Member, used: Float64Array): void {
  const g = m.group;
  g.heap.delete(m.slot);
  g.slots[m.slot] = undefined;
  g.live--;
  for (const loc of g.locs) used[loc] = (used[loc] ?? 0) - m.bytes;
}

/** Gives `m` the next slot of its group and queues it; compacts the group's slots first when over half are dead. */
export function addMember(m: Member): void {
  const g = m.group;
  if (g.nextSlot >= 2 * g.live + POOL_DEFAULTS.slotCompactionSlack) compact(g);
  m.slot = g.nextSlot++;
  g.live++;
  g.slots[m.slot] = m;
  g.heap.set(m.slot, m.entry.priority);
}

/** Renumbers a group's live slots 0… in their order (so ties keep going to the earliest stored) and rebuilds its heap. */
function compact(g: Group): void {
  const next: Member[] = [];
  const heap = new IndexedMinHeap(Math.max(16, 2 * g.live));
  for (const m of g.slots) {
    if (m === undefined) continue;
    m.slot = next.length;
    heap.set(m.slot, m.entry.priority);
    next.push(m);
  }
  g.slots = next;
  g.heap = heap;
  g.nextSlot = next.length;
  g.live = next.length;
}

/**
 * Drops the replicas numbered in `dead` from an entry that keeps at least one, renumbering the
 * rest; `used` is the pool's bytes in use per location.
 */
export function dropReplicas(e: Entry, dead: ReadonlySet<number>, used: Float64Array): void {
  const renumber = new Map<number, number>();
  const kept: Replica[] = [];
  e.obj.replicas.forEach((r, i) => {
    if (dead.has(i)) return;
    renumber.set(i, kept.length);
    kept.push(r);
  });
  const members: Member[] = [];
  for (const m of e.members) {
    const to = renumber.get(m.replica);
    if (to === undefined) dropMember(m, used);
    else {
      m.replica = to;
      members.push(m);
    }
  }
  e.members = members;
  e.obj.replicas = kept;
}
