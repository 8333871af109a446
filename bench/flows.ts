/**
 * Bench of the max-min fluid flow engine (`src/fabric/flows.ts`): 10,000 flows arriving over
 * time on a synthetic resource set shaped like a 96-host Octopus pod — 96 hosts × 8 CXL x8
 * links × 2 directions, and the internal media bandwidth of 192 four-headed MHDs. 70 % of flows
 * cross host→MHD link, MHD media, MHD→host link (3 resources); 20 % are store-and-forward
 * copies that cross the media twice (4 entries, multiplicity 2); 10 % are relayed through a
 * host that shares an MHD with each end (6 resources over two MHDs), which couples the per-MHD
 * components the way relays do in a real pod. Arrivals are Poisson, sizes
 * log-uniform from 64 KiB to 1.5 GB, all drawn from one mulberry32 seed. The target is
 * the whole run in under 2 s on one core. The lead will swap these synthetic resources for the
 * compiled fabric once it exists.
 */
import { performance } from 'node:perf_hooks';
import { simulateFlows, simulateFlowsWithStats, type FlowSpec } from '../src/fabric/flows.ts';
import { DEFAULT_COMPONENTS } from '../src/topology/defaults.ts';
import { KiB, mulberry32, randomInt, shuffleInPlace, type Random } from '../src/units/index.ts';
import type { BenchRow } from './types.ts';

const HOSTS = 96;
const LINKS_PER_HOST = DEFAULT_COMPONENTS.hostCxlPorts; // 8
const HEADS_PER_MHD = DEFAULT_COMPONENTS.mhdPorts; // 4
const MHDS = (HOSTS * LINKS_PER_HOST) / HEADS_PER_MHD; // 192
const FLOWS = 10_000;
const SEED = 20261122;
/** Offered load as a fraction of the pod's total host-link bandwidth (one direction). */
const OFFERED_LOAD = 0.5;

/** The synthetic pod: capacities plus, per MHD, its (host, link resource pair) heads. */
interface SyntheticPod {
  readonly capacities: Float64Array;
  /** heads[m] = list of [host, upResource, downResource]. */
  readonly heads: readonly (readonly (readonly [number, number, number])[])[];
  /** hostLinks[h] = list of [mhd, upResource, downResource]. */
  readonly hostLinks: readonly (readonly (readonly [number, number, number])[])[];
  readonly mediaOf: (m: number) => number;
}

/** Wires each host's 8 links to distinct MHDs, each MHD to 4 hosts, from a seeded shuffle. */
function buildPod(rand: Random): SyntheticPod {
  const linkBw = DEFAULT_COMPONENTS.hostCxlPortLanes * DEFAULT_COMPONENTS.pcieGen5LaneBandwidthBytesPerNs; // 28 B/ns
  const mediaBw = DEFAULT_COMPONENTS.mhdMediaBandwidthBytesPerNs; // 76 B/ns
  const linkCount = HOSTS * LINKS_PER_HOST;
  const capacities = new Float64Array(2 * linkCount + MHDS);
  capacities.fill(linkBw, 0, 2 * linkCount);
  capacities.fill(mediaBw, 2 * linkCount);
  // slot s = link (host s/8); MHD of slot s = perm[s] / 4. Repair so no host meets an MHD twice.
  const perm = shuffleInPlace(rand, Array.from({ length: linkCount }, (_, i) => i));
  const mhdOf = (s: number): number => Math.floor((perm[s] as number) / HEADS_PER_MHD);
  for (let pass = 0; pass < 1000; pass++) {
    let clashes = 0;
    for (let s = 0; s < linkCount; s++) {
      const h = Math.floor(s / LINKS_PER_HOST);
      for (let t = h * LINKS_PER_HOST; t < s; t++) {
        if (mhdOf(t) === mhdOf(s)) {
          const u = randomInt(rand, linkCount);
          [perm[s], perm[u]] = [perm[u] as number, perm[s] as number];
          clashes++;
          break;
        }
      }
    }
    if (clashes === 0) break;
  }
  const heads: [number, number, number][][] = Array.from({ length: MHDS }, () => []);
  const hostLinks: [number, number, number][][] = Array.from({ length: HOSTS }, () => []);
  for (let s = 0; s < linkCount; s++) {
    const h = Math.floor(s / LINKS_PER_HOST);
    (heads[mhdOf(s)] as [number, number, number][]).push([h, 2 * s, 2 * s + 1]);
    (hostLinks[h] as [number, number, number][]).push([mhdOf(s), 2 * s, 2 * s + 1]);
  }
  return { capacities, heads, hostLinks, mediaOf: (m) => 2 * linkCount + m };
}

type Head = readonly [number, number, number];

/** Two distinct heads of MHD `m`, picked at random: [writer side, reader side]. */
function twoHeads(pod: SyntheticPod, rand: Random, m: number): [Head, Head] {
  const heads = pod.heads[m] as readonly Head[];
  const w = randomInt(rand, heads.length);
  const r = (w + 1 + randomInt(rand, heads.length - 1)) % heads.length;
  return [heads[w] as Head, heads[r] as Head];
}

/** Poisson arrivals of writer→MHD→reader transfers with log-uniform sizes. */
function buildFlows(pod: SyntheticPod, rand: Random): FlowSpec[] {
  const minBytes = 64 * KiB;
  const maxBytes = 1.5e9;
  const meanBytes = (maxBytes - minBytes) / Math.log(maxBytes / minBytes);
  const linkBw = pod.capacities[0] as number;
  const totalUpBw = HOSTS * LINKS_PER_HOST * linkBw;
  const arrivalsPerNs = (OFFERED_LOAD * totalUpBw) / meanBytes;
  const flows: FlowSpec[] = [];
  let t = 0;
  for (let i = 0; i < FLOWS; i++) {
    t += -Math.log(1 - rand()) / arrivalsPerNs;
    const m = randomInt(rand, MHDS);
    const [[, up], [relay, , down]] = twoHeads(pod, rand, m);
    const media = pod.mediaOf(m);
    const kind = rand();
    let resources: number[];
    if (kind < 0.7) resources = [up, media, down];
    else if (kind < 0.9) resources = [up, media, media, down];
    else {
      // Relay: the reader side of m forwards through another MHD m2 it is attached to.
      const others = (pod.hostLinks[relay] as readonly Head[]).filter(([m2]) => m2 !== m);
      const [m2] = others[randomInt(rand, others.length)] as Head;
      const heads2 = (pod.heads[m2] as readonly Head[]).filter(([h]) => h !== relay);
      const [, , down2] = heads2[randomInt(rand, heads2.length)] as Head;
      const up2 = (pod.hostLinks[relay] as readonly Head[]).find(([mm]) => mm === m2)?.[1] as number;
      resources = [up, media, down, up2, pod.mediaOf(m2), down2];
    }
    flows.push({
      id: `f${i}`,
      resources,
      bytes: Math.round(minBytes * Math.exp(rand() * Math.log(maxBytes / minBytes))),
      startNs: t,
      latencyNs: 600 + 400 * rand(),
    });
  }
  return flows;
}

/** Runs the flow-engine bench and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  const rand = mulberry32(SEED);
  const pod = buildPod(rand);
  const flows = buildFlows(pod, rand);
  simulateFlows(pod.capacities, flows.slice(0, 500)); // warm-up (JIT)
  const t0 = performance.now();
  const { results, stats } = simulateFlowsWithStats(pod.capacities, flows);
  const wallMs = performance.now() - t0;
  let makespanNs = 0;
  let movingNs = 0;
  for (const r of results) {
    makespanNs = Math.max(makespanNs, r.finishNs);
    movingNs += r.finishNs - r.moveStartNs;
  }
  const events = 2 * flows.length;
  return [
    {
      name: `simulateFlows ${FLOWS.toLocaleString('en-US')} flows, synthetic 96-host Octopus pod (${pod.capacities.length} resources, ${OFFERED_LOAD * 100} % offered load)`,
      value: wallMs,
      unit: 'ms',
      target: '< 2000 ms',
      ok: wallMs < 2000,
    },
    { name: 'flow events (starts + finishes) per second of wall time', value: events / (wallMs / 1000), unit: 'flow events/s' },
    { name: 'mean flows re-solved per solve (incremental components)', value: stats.flowsSolved / stats.solves, unit: 'flows' },
    { name: 'simulated makespan', value: makespanNs / 1e6, unit: 'ms (simulated)' },
    { name: 'time-averaged concurrent moving flows', value: movingNs / makespanNs, unit: 'flows' },
  ];
}
