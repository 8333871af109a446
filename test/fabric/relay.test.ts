/**
 * Relayed fetch stripes (fetch.ts `relayStripe`) against an exhaustive oracle: for every consumer
 * and every device it does not reach, the planned stripe's first-byte latency is the least over
 * all chains of at most MAX_RELAYS relay hosts, and unreachable exactly when no such chain
 * exists, on the bundled pods and on failure views. The search indexes the hosts reading each
 * device and reuses its state between queries, so this also guards those shortcuts.
 */
import { describe, expect, it } from 'vitest';
import { compileFabric, type Fabric, type Failures } from '../../src/fabric/compile.ts';
import { MAX_RELAYS, planFetch } from '../../src/fabric/fetch.ts';
import {
  cxlPaths,
  hostGpus,
  internalLink,
  loadLatencyNs,
  storeLatencyNs,
} from '../../src/fabric/paths.ts';
import { loadTopology } from '../../src/io/index.ts';
import { bytes } from '../../src/units/index.ts';

const loadTables = new WeakMap<Fabric, Map<number, Map<number, number>>>();

/** Load latency of host `r` from device `s`, undefined when `r` does not reach it (tabled: the oracle asks often). */
const load = (f: Fabric, r: number, s: number): number | undefined => {
  let table = loadTables.get(f);
  if (table === undefined) {
    table = new Map(
      [...f.hosts].map((h) => [
        h,
        new Map(cxlPaths(f, h).map((p) => [p.device, loadLatencyNs(f, p)])),
      ]),
    );
    loadTables.set(f, table);
  }
  return table.get(r)?.get(s);
};

/**
 * Least relayed latency from device `d` to host `h` by Bellman–Ford over relay counts: after k
 * rounds, `at` holds the earliest time the stripe sits in each relay's memory having passed k
 * relays (the consumer never relays, the source device is never written). ∞ when no chain exists.
 */
function oracle(f: Fabric, h: number, d: number): number {
  const fwd = f.profile.relayForwardLatencyNs;
  let at = new Map<number, number>();
  for (const r of f.hosts) {
    const l = r === h ? undefined : load(f, r, d);
    if (l !== undefined) at.set(r, l);
  }
  let best = Number.POSITIVE_INFINITY;
  for (let k = 1; k <= MAX_RELAYS; k++) {
    const next = new Map<number, number>();
    for (const [r, t] of at) {
      for (const w of cxlPaths(f, r)) {
        if (w.device === d) continue;
        const out = t + fwd + storeLatencyNs(f, w);
        const mine = load(f, h, w.device);
        if (mine !== undefined) best = Math.min(best, out + mine);
        for (const r2 of f.hosts) {
          const l = r2 === h || r2 === r ? undefined : load(f, r2, w.device);
          if (l !== undefined)
            next.set(r2, Math.min(next.get(r2) ?? Number.POSITIVE_INFINITY, out + l));
        }
      }
    }
    at = next;
  }
  return best;
}

/**
 * Checks every (consumer, unreached device) pair of a fabric against the oracle and the shape of
 * a relayed stripe (device first, consumer last, 1…MAX_RELAYS distinct relays in service, never
 * the consumer). Problems are collected so one assertion reports them all.
 */
function checkAll(f: Fabric): { relayed: number; unreachable: number; problems: string[] } {
  const devices = f.nodes.flatMap((_id, i) =>
    (f.nodeKind[i] === 'mhd' || f.nodeKind[i] === 'memory-device') && f.nodeUp[i] === 1 ? [i] : [],
  );
  const problems: string[] = [];
  let relayed = 0;
  let unreachable = 0;
  for (const h of f.hosts) {
    const g = hostGpus(f, h)[0];
    if (f.nodeUp[h] === 0 || g === undefined) continue;
    const pcieNs = f.linkLatencyNs[internalLink(f, h, g)] ?? 0;
    const direct = new Set(cxlPaths(f, h).map((p) => p.device));
    for (const d of devices) {
      if (direct.has(d)) continue;
      const pair = `${f.nodes[h]} ← ${f.nodes[d]}`;
      const want = oracle(f, h, d);
      const p = planFetch(
        f,
        f.nodes[h] ?? '',
        { kind: 'devices', devices: [f.nodes[d] ?? ''] },
        bytes(1e6),
      );
      if (!p.ok) {
        if (want !== Number.POSITIVE_INFINITY)
          problems.push(`${pair}: unreachable, oracle ${want} ns`);
        unreachable++;
        continue;
      }
      relayed++;
      const s = p.stripes[0];
      const got = (s?.latencyNs ?? 0) - pcieNs;
      if (!(Math.abs(got - want) <= 1e-9 * want))
        problems.push(`${pair}: ${got} ns, oracle ${want} ns`);
      const hosts = (s?.nodes ?? []).filter((v) => f.nodeKind[v] === 'host');
      const relays = hosts.slice(0, -1);
      if (s?.nodes[0] !== d || hosts.at(-1) !== h)
        problems.push(`${pair}: path does not run from the device to the consumer`);
      if (
        relays.length < 1 ||
        relays.length > MAX_RELAYS ||
        new Set(relays).size !== relays.length ||
        relays.some((r) => r === h || f.nodeUp[r] === 0)
      ) {
        problems.push(`${pair}: bad relays ${relays.map((r) => f.nodes[r]).join(' → ')}`);
      }
    }
  }
  return { relayed, unreachable, problems };
}

/** A failure view of a preset: its second host, middle device and first host's first CXL link down. */
function failed(name: string): Fabric {
  const g = loadTopology(name).graph;
  const f = compileFabric(g);
  const devices = f.nodes.filter(
    (_id, i) => f.nodeKind[i] === 'mhd' || f.nodeKind[i] === 'memory-device',
  );
  const first = f.hosts[0] ?? 0;
  const link = f.links.find(
    (_id, l) => f.linkKind[l] === 'cxl' && (f.linkA[l] === first || f.linkB[l] === first),
  );
  const failures: Failures = {
    hosts: [f.nodes[f.hosts[1] ?? 0] ?? ''],
    devices: [devices[devices.length >> 1] ?? ''],
    ...(link === undefined ? {} : { links: [link] }),
  };
  return compileFabric(g, failures);
}

describe('relayed stripes are the lowest-latency chain of at most MAX_RELAYS relays', () => {
  it('on the 25-host BIBD pod, every unreached device comes through relays', () => {
    expect(checkAll(compileFabric(loadTopology('octopus-bibd-25').graph))).toEqual({
      relayed: 1050,
      unreachable: 0,
      problems: [],
    });
  });
  it('on the hybrid pod, pods that share no chain of hosts are unreachable, the others relayed', () => {
    const { relayed, unreachable, problems } = checkAll(
      compileFabric(loadTopology('hybrid-4x13').graph),
    );
    expect(problems).toEqual([]);
    expect(relayed).toBeGreaterThan(0);
    expect(unreachable).toBeGreaterThan(0);
  });
  it('on failure views, down hosts never relay and down links are routed around', () => {
    for (const name of ['octopus-bibd-25', 'hybrid-4x13']) {
      const { relayed, problems } = checkAll(failed(name));
      expect(problems).toEqual([]);
      expect(relayed).toBeGreaterThan(0);
    }
  });
  it('asking again, or in another order, gives the same stripe', () => {
    const f = compileFabric(loadTopology('octopus-bibd-25').graph);
    const ask = (h: string, d: string) =>
      planFetch(f, h, { kind: 'devices', devices: [d] }, bytes(1e6));
    const far = (h: string) =>
      f.nodes.filter(
        (_id, i) =>
          f.nodeKind[i] === 'mhd' &&
          !cxlPaths(f, f.nodeIndex.get(h) ?? -1).some((p) => p.device === i),
      );
    const pairs = ['h0', 'h7', 'h24'].flatMap((h) =>
      far(h)
        .slice(0, 4)
        .map((d) => [h, d] as const),
    );
    expect(pairs).toHaveLength(12);
    const first = pairs.map(([h, d]) => ask(h, d));
    const again = [...pairs]
      .reverse()
      .map(([h, d]) => ask(h, d))
      .reverse();
    expect(again).toEqual(first);
    // a fresh fabric, asked in reverse order, agrees: no state leaks from one search into the next
    const g = compileFabric(loadTopology('octopus-bibd-25').graph);
    const fresh = [...pairs]
      .reverse()
      .map(([h, d]) => planFetch(g, h, { kind: 'devices', devices: [d] }, bytes(1e6)))
      .reverse();
    expect(fresh).toEqual(first);
  });
});
