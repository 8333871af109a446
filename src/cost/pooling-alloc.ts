/**
 * How a pod serves its hosts' overflow in one demand sample (docs/pooling.md §3): hosts are taken
 * in descending overflow, and each places its overflow on the pool devices it reaches under an
 * allocation policy, never beyond a device's capacity; whatever does not fit is that host's
 * shortfall in that sample. {@link shortfalls} plays every sample and counts, per host, the
 * samples it was short in — what the equal-risk sizing (./pooling-size.ts) bounds.
 */

/** Allocation policies (docs/pooling.md §3). */
export const ALLOCATION_POLICIES = ['first-fit', 'balanced', 'most-free'] as const;
/**
 * `first-fit`: fill reachable devices in index order; `balanced`: water-fill the least-loaded
 * devices first (level the loads); `most-free`: water-fill the devices with the most free room
 * first (level the free room).
 */
export type AllocationPolicy = (typeof ALLOCATION_POLICIES)[number];

/**
 * Which devices each host reaches, as compressed rows over **device classes**: devices reached by
 * exactly the same hosts form one class, held as one weighted device (its load and capacity per
 * device). All three policies treat the devices of a class alike — every host reaching one
 * reaches all — so the merge is exact for shortfalls, and a switched pool (every host reaches
 * every device) becomes one class however many devices it has. Host h reaches classes
 * `reached[offsets[h] … offsets[h+1])`, ascending (class order follows the lowest device index).
 */
export interface ReachRows {
  readonly hosts: number;
  /** Pool devices. */
  readonly devices: number;
  /** Device classes. */
  readonly classes: number;
  readonly offsets: Int32Array;
  readonly reached: Int32Array;
  /** Devices in each class. */
  readonly weight: Float64Array;
  /** The class of each device. */
  readonly deviceClass: Int32Array;
}

/** Compressed rows of `reach` (device indices `0 … devices−1`), devices merged into classes. */
export function reachRows(reach: readonly (readonly number[])[], devices: number): ReachRows {
  const hostsOf: number[][] = Array.from({ length: devices }, () => []);
  reach.forEach((r, h) => new Set(r).forEach((d) => hostsOf[d]?.push(h)));
  const classOf = new Map<string, number>();
  const deviceClass = new Int32Array(devices);
  const weights: number[] = [];
  hostsOf.forEach((hs, d) => {
    const key = hs.join(',');
    let c = classOf.get(key);
    if (c === undefined) {
      c = classOf.size;
      classOf.set(key, c);
      weights.push(0);
    }
    deviceClass[d] = c;
    weights[c] = (weights[c] ?? 0) + 1;
  });
  const rows = reach.map((r) =>
    [...new Set(r.map((d) => deviceClass[d] ?? 0))].sort((a, b) => a - b),
  );
  const offsets = new Int32Array(reach.length + 1);
  rows.forEach((r, h) => (offsets[h + 1] = (offsets[h] ?? 0) + r.length));
  const reached = new Int32Array(offsets[reach.length] ?? 0);
  rows.forEach((r, h) => r.forEach((c, i) => (reached[(offsets[h] ?? 0) + i] = c)));
  return {
    hosts: reach.length,
    devices,
    classes: weights.length,
    offsets,
    reached,
    weight: Float64Array.from(weights),
    deviceClass,
  };
}

/** Scratch arrays for {@link levelFill}, sized for the largest reach. */
interface Scratch {
  readonly pos: Float64Array;
  readonly delta: Float64Array;
  readonly order: Int32Array;
}

/**
 * Raises the lowest of `level[i]` (i < k) together, each no higher than `limit[i]`, until
 * `amount` is placed, raising level i by δ placing `weight[i] × δ`: the exact water level of a
 * piecewise-linear sweep over the 2k breakpoints. Writes the new levels into `level`; returns
 * what did not fit.
 */
function levelFill(
  level: Float64Array,
  limit: Float64Array,
  weight: Float64Array,
  k: number,
  amount: number,
  s: Scratch,
): number {
  let room = 0;
  for (let i = 0; i < k; i++)
    room += (weight[i] ?? 0) * Math.max(0, (limit[i] ?? 0) - (level[i] ?? 0));
  if (room <= amount) {
    for (let i = 0; i < k; i++) level[i] = Math.max(level[i] ?? 0, limit[i] ?? 0);
    return amount - room;
  }
  let n = 0;
  for (let i = 0; i < k; i++) {
    if ((limit[i] ?? 0) <= (level[i] ?? 0)) continue;
    s.pos[n] = level[i] ?? 0;
    s.delta[n++] = weight[i] ?? 0;
    s.pos[n] = limit[i] ?? 0;
    s.delta[n++] = -(weight[i] ?? 0);
  }
  for (let i = 0; i < n; i++) s.order[i] = i;
  for (let i = 1; i < n; i++) {
    const x = s.order[i] ?? 0;
    let j = i - 1;
    while (j >= 0 && (s.pos[s.order[j] ?? 0] ?? 0) > (s.pos[x] ?? 0)) {
      s.order[j + 1] = s.order[j] ?? 0;
      j--;
    }
    s.order[j + 1] = x;
  }
  let cur = s.pos[s.order[0] ?? 0] ?? 0;
  let slope = 0;
  let filled = 0;
  let water = cur;
  for (let e = 0; e < n; e++) {
    const idx = s.order[e] ?? 0;
    const p = s.pos[idx] ?? 0;
    const gain = slope * (p - cur);
    if (slope > 0 && filled + gain >= amount) {
      water = cur + (amount - filled) / slope;
      break;
    }
    filled += gain;
    cur = p;
    water = p;
    slope += s.delta[idx] ?? 0;
  }
  for (let i = 0; i < k; i++) level[i] = Math.min(limit[i] ?? 0, Math.max(level[i] ?? 0, water));
  return 0;
}

/**
 * Places one host's overflow on the device classes it reaches under `policy`; `load` and
 * `capacity` are per device of each class, bytes. Mutates `load` (hence the name). Returns the
 * shortfall (bytes that did not fit).
 */
export function allocateInPlace(
  policy: AllocationPolicy,
  load: Float64Array,
  capacity: Float64Array,
  rows: ReachRows,
  h: number,
  amount: number,
  scratch?: ReturnType<typeof makeScratch>,
): number {
  const from = rows.offsets[h] ?? 0;
  const k = (rows.offsets[h + 1] ?? 0) - from;
  if (amount <= 0) return 0;
  if (policy === 'first-fit') {
    let left = amount;
    for (let i = 0; i < k && left > 0; i++) {
      const d = rows.reached[from + i] ?? 0;
      const w = rows.weight[d] ?? 1;
      const take = Math.min(left, w * Math.max(0, (capacity[d] ?? 0) - (load[d] ?? 0)));
      load[d] = (load[d] ?? 0) + take / w;
      left -= take;
    }
    return left;
  }
  const s = scratch ?? makeScratch(k);
  const free = policy === 'most-free';
  for (let i = 0; i < k; i++) {
    const d = rows.reached[from + i] ?? 0;
    // balanced levels loads up to the capacity; most-free levels (load − capacity) up to 0.
    s.level[i] = free ? (load[d] ?? 0) - (capacity[d] ?? 0) : (load[d] ?? 0);
    s.limit[i] = free ? 0 : (capacity[d] ?? 0);
    s.weight[i] = rows.weight[d] ?? 1;
  }
  const left = levelFill(s.level, s.limit, s.weight, k, amount, s);
  for (let i = 0; i < k; i++) {
    const d = rows.reached[from + i] ?? 0;
    load[d] = free ? (s.level[i] ?? 0) + (capacity[d] ?? 0) : (s.level[i] ?? 0);
  }
  return left;
}

/** Scratch arrays for a reach of up to `k` devices. */
export function makeScratch(
  k: number,
): { level: Float64Array; limit: Float64Array; weight: Float64Array } & Scratch {
  return {
    level: new Float64Array(k),
    limit: new Float64Array(k),
    weight: new Float64Array(k),
    pos: new Float64Array(2 * k),
    delta: new Float64Array(2 * k),
    order: new Int32Array(2 * k),
  };
}

/** Overflow of every host in every sample (`[s × hosts + h]`, bytes) and each sample's host order. */
export interface Overflow {
  readonly samples: number;
  readonly bytes: Float64Array;
  /** Per sample, the hosts with overflow in descending overflow (ties: lower index first), `-1`-terminated. */
  readonly order: Int32Array;
}

/** The overflow table and the per-sample host orders (computed once; they do not depend on capacities). */
export function overflowOrder(bytes: Float64Array, hosts: number, samples: number): Overflow {
  const order = new Int32Array(samples * (hosts + 1)).fill(-1);
  const idx: number[] = [];
  for (let s = 0; s < samples; s++) {
    idx.length = 0;
    for (let h = 0; h < hosts; h++) if ((bytes[s * hosts + h] ?? 0) > 0) idx.push(h);
    idx.sort((a, b) => (bytes[s * hosts + b] ?? 0) - (bytes[s * hosts + a] ?? 0) || a - b);
    idx.forEach((h, i) => (order[s * (hosts + 1) + i] = h));
  }
  return { samples, bytes, order };
}

/** A shortfall smaller than this share of the host's overflow is float noise, not a shortfall. */
const NOISE = 1e-9;

/**
 * Plays every sample with per-device capacities `capacity` of each device class; returns, per
 * host, the samples it was short in. Writes each host's shortfall per sample into `unserved`,
 * and each class's highest per-device load over the samples into `peak`, when given.
 */
export function shortfalls(
  policy: AllocationPolicy,
  rows: ReachRows,
  capacity: Float64Array,
  over: Overflow,
  unserved?: Float64Array,
  peak?: Float64Array,
): Int32Array {
  const hosts = rows.hosts;
  const count = new Int32Array(hosts);
  const load = new Float64Array(rows.classes);
  let maxK = 0;
  for (let h = 0; h < hosts; h++)
    maxK = Math.max(maxK, (rows.offsets[h + 1] ?? 0) - (rows.offsets[h] ?? 0));
  const scratch = makeScratch(maxK);
  unserved?.fill(0);
  peak?.fill(0);
  for (let s = 0; s < over.samples; s++) {
    if (peak !== undefined)
      for (let c = 0; c < rows.classes; c++) peak[c] = Math.max(peak[c] ?? 0, load[c] ?? 0);
    load.fill(0);
    for (let i = 0; i < hosts; i++) {
      const h = over.order[s * (hosts + 1) + i] ?? -1;
      if (h < 0) break;
      const want = over.bytes[s * hosts + h] ?? 0;
      const left = allocateInPlace(policy, load, capacity, rows, h, want, scratch);
      if (left > NOISE * want) {
        count[h] = (count[h] ?? 0) + 1;
        if (unserved !== undefined) unserved[s * hosts + h] = left;
      }
    }
  }
  if (peak !== undefined)
    for (let c = 0; c < rows.classes; c++) peak[c] = Math.max(peak[c] ?? 0, load[c] ?? 0);
  return count;
}
