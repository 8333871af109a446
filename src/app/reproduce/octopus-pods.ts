/**
 * The Octopus figures about pods as physical objects: how many servers fit within passive copper
 * reach (docs/layout.md), and v1's "3× as many hosts at 17 % lower cost per host" than a full pod
 * (docs/references.md §1), priced with the catalogue (docs/costs.md). Part of
 * `podsim reproduce octopus` (./octopus.ts).
 */
import { priceTopology, type CostCatalogue } from '../../cost/index.ts';
import { fabricWithoutDramPerHostUsd } from '../../cost/pooling.ts';
import { DEFAULT_COMPONENTS } from '../../topology/defaults.ts';
import { fitTable, type FitGenerator, type FitResult } from '../../topology/fit.ts';
import type { SparseWiring } from '../../topology/generators/octopus-sparse.ts';
import { topologyMetrics } from '../../topology/metrics.ts';
import { loadPlan, loadTopology } from '../../io/index.ts';
import { FULL_POD_MAX_PORTS } from '../../topology/generators/full-pod.ts';
import { generate } from '../../topology/generators/index.ts';
import type { TopologyGraph } from '../../topology/types.ts';
import type { FigureInput } from './figures.ts';

/** The paper's host and device port counts (X = 8, N = 4; docs/references.md §1). */
const SHAPE = { hostPorts: 8, devicePorts: 4 } as const;

/** The bundled plan of the paper's setting, whose prices the cost figure uses (docs/costs.md §10). */
const PAPER_PLAN = 'octopus-paper';

/** The pod size the paper simulates within 1.5 m copper (docs/references.md §1). */
const PAPER_POD_HOSTS = 96;

/** Largest host count tried when searching what fits (above the paper's 96). */
const FIT_MAX_HOSTS = 128;

/** Largest host count of `generator` (with `wiring` for sparse pods) whose cables all fit reach, 0 when none. */
function largestFitting(generator: FitGenerator, wiring?: SparseWiring): FitResult {
  return fitTable(
    generator,
    { ...SHAPE, seed: 1, ...(wiring === undefined ? {} : { wiring }) },
    {},
    FIT_MAX_HOSTS,
  );
}

/** Sharing pairs, relay hops and the longest cable of a bundled pod, for the reasons. */
function podTraits(topology: string): string {
  const m = topologyMetrics(loadTopology(topology).graph);
  return `${topology}: ${(m.pairSharingFraction * 100).toFixed(1)} % of host pairs share a device, mean relay hops ${m.relayHops.meanHops.toFixed(2)}, longest cable ${m.cables.cxl.maxM.toFixed(2)} m`;
}

/** Pod hardware without device DRAM (MHDs, switches, cables, retimers), per host. */
function podHardwarePerHostUsd(graph: TopologyGraph, catalogue: CostCatalogue): number {
  return fabricWithoutDramPerHostUsd(priceTopology(graph, catalogue));
}

/**
 * The MHD port exponent at which an Octopus pod's hardware per host is `targetShare` below the
 * full pod's (bisection over 1 … 3; undefined when even 3 does not get there).
 */
function breakEvenExponent(
  full: TopologyGraph,
  octopus: TopologyGraph,
  targetShare: number,
  catalogue: CostCatalogue,
): number | undefined {
  const saving = (e: number): number => {
    const c = { ...catalogue, mhdPortExponent: e };
    return 1 - podHardwarePerHostUsd(octopus, c) / podHardwarePerHostUsd(full, c);
  };
  let lo = 1;
  let hi = 3;
  if (saving(hi) < targetShare) return undefined;
  if (saving(lo) >= targetShare) return lo;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (saving(mid) >= targetShare) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Pod size within copper reach: wired for the layout (the paper's premise), and wired first (beyond it). */
export function podSizeFigures(): FigureInput[] {
  const reachM = DEFAULT_COMPONENTS.copperReachM;
  const reach = largestFitting('octopus-sparse', 'reach');
  const islands = largestFitting('octopus-islands');
  const islandsAt96 = islands.rows.find((r) => r.hosts === PAPER_POD_HOSTS);
  return [
    {
      id: 'pod.hosts-within-reach',
      figure: `servers in one X=8, N=4 pod with every CXL cable within ${reachM} m of passive copper`,
      published: `${PAPER_POD_HOSTS} servers`,
      setting: `topology fit octopus-sparse --wiring reach (MHDs wired to hosts within reach of their rack position), default rack geometry (docs/layout.md), up to ${FIT_MAX_HOSTS} hosts`,
      value: reach.largestFitting ?? 0,
      unit: 'hosts',
      low: PAPER_POD_HOSTS,
      settingKind: 'paper',
      why: `wiring each MHD only to hosts within reach fits every size tried; the price is a little locality — ${podTraits('octopus-96-reach')} vs ${podTraits('octopus-96')}`,
    },
    {
      id: 'pod.islands-within-reach',
      figure: `the same with islands wired first and placed after (beyond the paper)`,
      published: `${PAPER_POD_HOSTS} servers`,
      setting: `topology fit octopus-islands, default rack geometry, up to ${FIT_MAX_HOSTS} hosts`,
      value: islands.largestFitting ?? 0,
      unit: 'hosts',
      low: PAPER_POD_HOSTS,
      settingKind: 'beyond',
      why: `an inter-island MHD joins ${SHAPE.devicePorts} islands, each 1–2 racks wide, which no placement brings within ${reachM} m of one device${islandsAt96 === undefined ? '' : `; at ${PAPER_POD_HOSTS} hosts the longest cable is ${islandsAt96.longestCableM.toFixed(2)} m and ${islandsAt96.cablesBeyondReach} cables need retimers`}`,
    },
  ];
}

/** v1's full-pod comparison. */
export function fullPodFigures(): FigureInput[] {
  const fullHosts = FULL_POD_MAX_PORTS;
  const full = generate('full-pod', { hosts: fullHosts, devices: SHAPE.hostPorts });
  const octoHosts = 3 * fullHosts;
  const octo = generate('octopus-sparse', {
    hosts: octoHosts,
    ...SHAPE,
    objective: 'pair-coverage',
    wiring: 'reach',
    seed: 1,
  });
  // the paper's price level, as the pooling figures use it (docs/costs.md §10)
  const c = loadPlan(PAPER_PLAN).plan.catalogue;
  const fullUsd = podHardwarePerHostUsd(full, c);
  const octoUsd = podHardwarePerHostUsd(octo, c);
  const savingPct = (1 - octoUsd / fullUsd) * 100;
  const e = breakEvenExponent(full, octo, 0.17, c);
  return [
    {
      id: 'pod.v1-cost-per-host',
      figure: `pod hardware per host: ${octoHosts}-host Octopus pod (4-port MHDs) vs ${fullHosts}-host full pod (${fullHosts}-port MHDs), 3× the hosts`,
      published: '17 % lower (v1)',
      setting: `full-pod ${fullHosts} hosts × ${SHAPE.hostPorts} MHDs vs octopus-sparse ${octoHosts} hosts X=8 N=4 wired within reach; MHDs, cables and retimers without device DRAM, the paper-setting prices of plans/${PAPER_PLAN}.yaml`,
      value: savingPct,
      unit: '%',
      low: 12,
      high: 22,
      settingKind: 'paper',
      why:
        `$${Math.round(octoUsd).toLocaleString('en-US')} vs $${Math.round(fullUsd).toLocaleString('en-US')} per host with MHD cost = $${c.mhdBaseUsd} + $${c.mhdUsdPerPort} × ports^${c.mhdPortExponent}; ` +
        (e === undefined
          ? 'no port exponent up to 3 gives a 17 % saving'
          : `the saving reaches 17 % when device cost grows as ports^${e.toFixed(2)} or faster (die area growing with port count), so the claim rests on how steeply large MHDs cost more`),
    },
  ];
}
