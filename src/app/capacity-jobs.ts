/**
 * A capacity plan as independent jobs, one per candidate family × host count (docs/capacity.md):
 * each builds its topology straight through the generator (./generated-topology.ts) and either
 * prices it (a pooling-only plan) or sizes, runs and searches it (./capacity-config.ts). A job
 * depends on nothing but the plan and its index, so src/app/capacity.ts runs them in order and
 * the CLI can run them on worker threads (src/cli/capacity-worker.ts) with the same rows; with
 * the work each is budgeted in progress.
 */
import { reasonOf, type CapacityRow } from '../cost/capacity.ts';
import type { CostCatalogue } from '../cost/catalogue.ts';
import { priceTopology } from '../cost/price.ts';
import { PodsimError } from '../errors/index.ts';
import { candidateDocument, type CapacityPlan, type PlanCandidate } from '../io/index.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { evaluateConfiguration, notRun, type ServingSearch } from './capacity-config.ts';
import { buildGeneratorDocument } from './generated-topology.ts';

/** One size of one candidate family. */
export interface SizeJob {
  /** Index of the family in the plan's `candidates`. */
  readonly candidate: number;
  readonly hosts: number;
}

/** Every size of the plan, family by family, each family's host counts in file order. */
export function sizeJobs(plan: CapacityPlan): SizeJob[] {
  return plan.candidates.flatMap((c, candidate) => c.hosts.map((hosts) => ({ candidate, hosts })));
}

/**
 * Runs a rate search is budgeted in progress (estimate: from a start rate that meets the SLOs,
 * one doubling that misses, then ⌈log2(1 ÷ 0.05)⌉ = 5 bisections at the default tolerance; a
 * search that takes more holds the bar until it ends, one that takes fewer jumps it).
 */
const SEARCH_RUNS_BUDGET = 7;

/** Work units of one size: 1 in a pooling-only plan, else its growth steps and its rate search (or target run). */
function sizeWork(plan: CapacityPlan): number {
  if (plan.scenario === undefined) return 1;
  const extra =
    plan.serving.searchTolerance !== null
      ? SEARCH_RUNS_BUDGET
      : plan.serving.targetRatePerS === undefined
        ? 0
        : 1;
  return Math.max(1, plan.growth.length + extra);
}

/** Work units of a plan (each size's budget, one per family's pooling view and curve point), for progress. */
export function planWork(plan: CapacityPlan): number {
  return plan.candidates.reduce(
    (s, c) => s + c.hosts.length * sizeWork(plan) + 1 + plan.curve.length,
    0,
  );
}

/**
 * The plan's progress counter: `tick(n)` adds `n` work units (default 1) and reports
 * (done, {@link planWork}) to `onProgress`.
 */
export function planTicker(
  plan: CapacityPlan,
  onProgress?: (done: number, total: number) => void,
): (n?: number) => void {
  const total = planWork(plan);
  let done = 0;
  return (n = 1) => {
    done += n;
    onProgress?.(done, total);
  };
}

/**
 * Progress of one size: `run` after each simulation run ticks while within the size's budget,
 * `end` ticks the rest of the budget.
 */
export function sizeProgress(
  plan: CapacityPlan,
  tick: (n?: number) => void,
): { run: () => void; end: () => void } {
  const budget = sizeWork(plan);
  let ticked = 0;
  return {
    run: () => {
      if (ticked < budget - 1) {
        ticked++;
        tick();
      }
    },
    end: () => {
      tick(budget - ticked);
      ticked = budget;
    },
  };
}

/** The plan's evaluation settings for each configuration. */
const servingSearch = (plan: CapacityPlan): ServingSearch => ({
  growth: plan.growth,
  attainment: plan.attainment,
  replicas: plan.serving.replicas,
  ...(plan.serving.targetRatePerS === undefined
    ? {}
    : { targetRatePerS: plan.serving.targetRatePerS }),
  searchTolerance: plan.serving.searchTolerance,
});

/** A size of a pooling-only plan: priced, not simulated (no serving scenario, so nothing to be infeasible for). */
function pricedOnly(family: string, graph: TopologyGraph, catalogue: CostCatalogue): CapacityRow {
  const hosts = graph.filterNodes((_n, a) => a.kind === 'host').length;
  try {
    const price = priceTopology(graph, catalogue);
    return {
      family,
      hosts,
      ran: false,
      feasible: true,
      totalUsd: price.totalUsd,
      perHostUsd: price.perHostUsd,
      fabricPerHostUsd: price.fabricPerHostUsd,
      steps: [],
    };
  } catch (e) {
    if (e instanceof PodsimError) return notRun(family, hosts, reasonOf(e));
    throw e;
  }
}

/** The family's topology at `hosts` hosts. @throws PodsimError when the generator or validation refuses it */
function buildSize(plan: CapacityPlan, c: PlanCandidate, hosts: number): TopologyGraph {
  return buildGeneratorDocument(
    candidateDocument(c, hosts),
    `${plan.file}: candidate ${c.label} at ${hosts} hosts`,
  );
}

/**
 * Evaluates one size: a size the generator or validation refuses becomes an infeasible row
 * (`cannot build: …`); a pooling-only plan prices it; a serving plan runs it (growth steps, the
 * rate search or the target run).
 * @param onRun called after each simulation run
 * @returns its row and the simulation runs it took
 */
export function evaluateSize(
  plan: CapacityPlan,
  job: SizeJob,
  onRun?: () => void,
): { row: CapacityRow; runs: number } {
  const c = plan.candidates[job.candidate];
  if (c === undefined) throw new Error(`evaluateSize: no candidate ${job.candidate}`);
  let graph: TopologyGraph;
  try {
    graph = buildSize(plan, c, job.hosts);
  } catch (e) {
    if (!(e instanceof PodsimError)) throw e;
    return { row: notRun(c.label, job.hosts, `cannot build: ${reasonOf(e)}`), runs: 0 };
  }
  const scenario = plan.scenario;
  if (scenario === undefined) return { row: pricedOnly(c.label, graph, plan.catalogue), runs: 0 };
  let runs = 0;
  const row = evaluateConfiguration(
    c.label,
    graph,
    plan.catalogue,
    scenario,
    servingSearch(plan),
    () => {
      runs++;
      onRun?.();
    },
  );
  return { row, runs };
}

/** The family's largest size that builds, with its topology (for the pooling view), or undefined when none does. */
export function largestBuilt(
  plan: CapacityPlan,
  c: PlanCandidate,
): { hosts: number; graph: TopologyGraph } | undefined {
  for (const hosts of [...c.hosts].sort((a, b) => b - a)) {
    try {
      return { hosts, graph: buildSize(plan, c, hosts) };
    } catch (e) {
      if (!(e instanceof PodsimError)) throw e;
    }
  }
  return undefined;
}
