/**
 * The Octopus figures about pods as physical objects: how many servers fit within passive copper
 * reach (docs/layout.md), and v1's "3× as many hosts at 17 % lower cost per host" than a full pod
 * (docs/references.md §1), priced with the catalogue (docs/costs.md). Part of
 * `podsim reproduce octopus` (./octopus.ts).
 */
import { DEFAULT_COST_CATALOGUE, priceTopology, type CostCatalogue } from '../../cost/index.ts';
import { DEFAULT_COMPONENTS } from '../../topology/defaults.ts';
import { fitTable, type FitGenerator } from '../../topology/fit.ts';
import { FULL_POD_MAX_PORTS } from '../../topology/generators/full-pod.ts';
import { generate } from '../../topology/generators/index.ts';
import type { TopologyGraph } from '../../topology/types.ts';
import type { FigureInput } from './figures.ts';

/** The paper's host and device port counts (X = 8, N = 4; docs/references.md §1). */
const SHAPE = { hostPorts: 8, devicePorts: 4 } as const;

/** The pod size the paper simulates within 1.5 m copper (docs/references.md §1). */
const PAPER_POD_HOSTS = 96;

/** Largest host count tried when searching what fits (above the paper's 96). */
const FIT_MAX_HOSTS = 128;

/** Which generator fits the most hosts within reach, and that count. */
function bestFit(generators: readonly FitGenerator[]): {
  generator: FitGenerator;
  hosts: number;
  longestAtPaperSizeM: number | undefined;
} {
  let best: { generator: FitGenerator; hosts: number } = {
    generator: generators[0] ?? 'octopus-islands',
    hosts: 0,
  };
  let longestAtPaperSizeM: number | undefined;
  for (const g of generators) {
    const t = fitTable(g, { ...SHAPE, seed: 1 }, {}, FIT_MAX_HOSTS);
    const hosts = t.largestFitting ?? 0;
    if (hosts > best.hosts) best = { generator: g, hosts };
    const atPaper = t.rows.find((r) => r.hosts === PAPER_POD_HOSTS);
    if (g === 'octopus-islands' && atPaper !== undefined)
      longestAtPaperSizeM = atPaper.longestCableM;
  }
  return { ...best, longestAtPaperSizeM };
}

/** Pod hardware without device DRAM (MHDs, switches, cables, retimers), per host. */
function podHardwarePerHostUsd(graph: TopologyGraph, catalogue: CostCatalogue): number {
  const p = priceTopology(graph, catalogue);
  const usd = p.lines
    .filter((l) => l.fabric && l.kind !== 'mhd-dram' && l.kind !== 'memory-device-dram')
    .reduce((s, l) => s + l.totalUsd, 0);
  return usd / p.hosts;
}

/**
 * The MHD port exponent at which an Octopus pod's hardware per host is `targetShare` below the
 * full pod's (bisection over 1 … 3; undefined when even 3 does not get there).
 */
function breakEvenExponent(
  full: TopologyGraph,
  octopus: TopologyGraph,
  targetShare: number,
): number | undefined {
  const saving = (e: number): number => {
    const c = { ...DEFAULT_COST_CATALOGUE, mhdPortExponent: e };
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

/** Pod size within copper reach. */
export function podSizeFigures(): FigureInput[] {
  const reachM = DEFAULT_COMPONENTS.copperReachM;
  const fit = bestFit(['octopus-islands', 'octopus-sparse']);
  const longest =
    fit.longestAtPaperSizeM === undefined
      ? ''
      : `; the 96-host island pod's longest cable is ${fit.longestAtPaperSizeM.toFixed(2)} m`;
  return [
    {
      id: 'pod.hosts-within-reach',
      figure: `servers in one X=8, N=4 pod with every CXL cable within ${reachM} m of passive copper`,
      published: `${PAPER_POD_HOSTS} servers`,
      setting: `topology fit octopus-islands / octopus-sparse, default rack geometry (docs/layout.md), up to ${FIT_MAX_HOSTS} hosts`,
      value: fit.hosts,
      unit: 'hosts',
      low: PAPER_POD_HOSTS,
      settingKind: 'paper',
      why: `the largest pod that fits is ${fit.hosts} hosts (${fit.generator}): these generators choose which hosts share each MHD first (islands, pair coverage) and place them after, so some MHDs join hosts racks apart${longest}`,
    },
  ];
}

/** v1's full-pod comparison. */
export function fullPodFigures(): FigureInput[] {
  const fullHosts = FULL_POD_MAX_PORTS;
  const full = generate('full-pod', { hosts: fullHosts, devices: SHAPE.hostPorts });
  const octoHosts = 3 * fullHosts;
  const octo = generate('octopus-islands', { hosts: octoHosts, ...SHAPE, seed: 1 });
  const fullUsd = podHardwarePerHostUsd(full, DEFAULT_COST_CATALOGUE);
  const octoUsd = podHardwarePerHostUsd(octo, DEFAULT_COST_CATALOGUE);
  const savingPct = (1 - octoUsd / fullUsd) * 100;
  const e = breakEvenExponent(full, octo, 0.17);
  const c = DEFAULT_COST_CATALOGUE;
  return [
    {
      id: 'pod.v1-cost-per-host',
      figure: `pod hardware per host: ${octoHosts}-host Octopus pod (4-port MHDs) vs ${fullHosts}-host full pod (${fullHosts}-port MHDs), 3× the hosts`,
      published: '17 % lower (v1)',
      setting: `full-pod ${fullHosts} hosts × ${SHAPE.hostPorts} MHDs vs octopus-islands ${octoHosts} hosts X=8 N=4; MHDs, cables and retimers without device DRAM, default prices`,
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
