/**
 * The Octopus pooling figures (docs/references.md §1: 3–5.4 % net server-cost savings for Octopus,
 * a net cost increase for CXL switches), from the bundled paper-setting plan
 * (`plans/octopus-paper.yaml`, docs/pooling.md §6): general-purpose servers, equal-risk pool
 * sizing, hyperscale volume prices (docs/costs.md §10). Beyond the paper: the same pod re-priced
 * at podsim's default (retail-level) prices, and a switched pool with a quarter of the bandwidth.
 * Part of `podsim reproduce octopus` (./octopus.ts).
 */
import { DEFAULT_COST_CATALOGUE, priceTopology } from '../../cost/index.ts';
import { OCTOPUS_NET_SAVING, priceSizing, type PoolingView } from '../../cost/pooling.ts';
import { candidateDocument, loadPlan, type CapacityPlan } from '../../io/index.ts';
import { breakEven } from '../capacity-sensitivity.ts';
import { runCapacityPlan, type FamilyPooling } from '../capacity.ts';
import { buildGeneratorDocument } from '../generated-topology.ts';
import { formatMoney, usd } from '../../units/index.ts';
import type { FigureInput } from './figures.ts';

/** The bundled plan of the paper's setting and the families it names. */
const PLAN = 'octopus-paper';
const FAMILIES = {
  octopus: 'octopus-reach',
  equalBw: 'switched-equal-bw',
  thin: 'switched',
} as const;

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const money = (x: number): string => formatMoney(usd(x));

/** A family's pooling view from the report, or an error naming the plan (the bundled plan always has it). */
function viewOf(pooling: readonly FamilyPooling[], family: string): PoolingView {
  const view = pooling.find((p) => p.family === family)?.view;
  if (view === undefined) throw new Error(`plans/${PLAN}.yaml has no pooled family ${family}`);
  return view;
}

/** The Octopus pod of the plan re-priced at the catalogue's defaults (the sizing reused). */
function atDefaultPrices(plan: CapacityPlan, view: PoolingView): PoolingView {
  const c = plan.candidates.find((x) => x.label === FAMILIES.octopus);
  if (c === undefined) throw new Error(`plans/${PLAN}.yaml has no candidate ${FAMILIES.octopus}`);
  const graph = buildGeneratorDocument(candidateDocument(c, view.hosts), `plans/${PLAN}.yaml`);
  return priceSizing(
    view.sizing,
    priceTopology(graph, DEFAULT_COST_CATALOGUE),
    DEFAULT_COST_CATALOGUE,
  );
}

/** The pooling figures. */
export function poolingFigures(): FigureInput[] {
  const { plan } = loadPlan(PLAN);
  const report = runCapacityPlan(plan);
  const octo = viewOf(report.pooling, FAMILIES.octopus);
  const equalBw = viewOf(report.pooling, FAMILIES.equalBw);
  const thin = viewOf(report.pooling, FAMILIES.thin);
  const retail = atDefaultPrices(plan, octo);
  const even = breakEven(retail);
  const setting = `plans/${PLAN}.yaml: ${octo.hosts} general-purpose servers, an X=8 N=4 pod wired within copper reach, equal risk per host, volume prices (docs/costs.md §10)`;
  const drivers = (v: PoolingView): string =>
    `DRAM saved ${money(v.dramSavedPerHostUsd)} − pool DRAM ${money(v.poolDramPerHostUsd)} − fabric ${money(v.fabricPerHostUsd)} per host, over a ${money(v.serverUsd)} server`;
  return [
    {
      id: 'pool.octopus-net-saving',
      figure: 'net server-cost saving of an Octopus pod (pooling, general-purpose servers)',
      published: '3–5.4 %',
      setting,
      value: octo.netSavingsShare * 100,
      unit: '%',
      low: OCTOPUS_NET_SAVING.low * 100,
      high: OCTOPUS_NET_SAVING.high * 100,
      settingKind: 'paper',
      why: `${drivers(octo)}; it flips with the demand gap and the DRAM price (capacity --sensitivity)`,
    },
    {
      id: 'pool.switched-net-cost',
      figure: 'net saving of a switched CXL pool with Octopus’s bandwidth per host',
      published: 'a net cost increase (< 0 %)',
      setting: `${setting}; ${FAMILIES.equalBw}: 8 links per host`,
      value: equalBw.netSavingsShare * 100,
      unit: '%',
      high: 0,
      settingKind: 'paper',
      why: `${drivers(equalBw)}: a central switch tier cannot sit within copper reach of ${equalBw.hosts} servers, so its cables carry retimers`,
    },
    {
      id: 'pool.octopus-at-retail-prices',
      figure: 'the Octopus saving at podsim’s default (retail-level) prices (beyond the paper)',
      published: '3–5.4 %',
      setting: `the same pod and sizing, catalogue defaults (docs/costs.md §1–6)`,
      value: retail.netSavingsShare * 100,
      unit: '%',
      low: OCTOPUS_NET_SAVING.low * 100,
      high: OCTOPUS_NET_SAVING.high * 100,
      settingKind: 'beyond',
      why: `${drivers(retail)}; the pod's hardware would have to cost ${money(even.paperLowUsd)} per host for 3 % — the saving is an operator's, at volume prices`,
    },
    {
      id: 'pool.thin-switched',
      figure:
        'a switched pool with a quarter of the bandwidth (2 links per host; beyond the paper)',
      published: 'a net cost increase (< 0 %)',
      setting: `${setting}; ${FAMILIES.thin}: 2 links per host, 48 devices`,
      value: thin.netSavingsShare * 100,
      unit: '%',
      high: 0,
      settingKind: 'beyond',
      why: `${drivers(thin)}: it saves ${pct(thin.netSavingsShare)} because it buys a quarter of the links, not the same pool`,
    },
  ];
}
