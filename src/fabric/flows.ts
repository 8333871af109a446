/**
 * Fluid (flow-level) bandwidth sharing with max-min fairness by progressive filling — the
 * semantics of SimGrid's default solver (the `lmm` "maxmin" system of Velho, Schnorr, Casanova
 * and Legrand, "On the validity of flow-level TCP network models for grid and cloud
 * simulations", ACM TOMACS 2013; `src/kernel/lmm/maxmin.cpp` in SimGrid). It knows no topology:
 * it shares numbered *resources* (one direction of a link, or an MHD's internal media bandwidth),
 * each with a capacity in bytes/ns (1 B/ns = 1 GB/s), among flows that each cross a list of them.
 *
 * Progressive filling: every unfrozen flow's rate rises at the same pace; when a resource
 * saturates, the flows crossing it freeze; when a flow reaches its rate cap, it freezes; repeat.
 * A flow that crosses a resource k times consumes k × its rate there; a flow may also carry a
 * weight per resource (SimGrid's consumption weight), e.g. k/n for a transfer striped in
 * lockstep over n paths of which k cross the resource. The result never exceeds a
 * capacity, and every flow is either at its cap or crosses a saturated resource on which no
 * flow has a larger rate (its bottleneck).
 *
 * This file is the public face; the engine lives in `flows/`, split the SimGrid way:
 * `state.ts` (the system: resources, flows, membership), `solver.ts` (progressive filling) with
 * `component.ts` (gathering what a change reaches) and `partial.ts` (re-filling only the flows a
 * change moves, for heavily coupled networks), `network.ts` (`FluidNetwork`: handles, clock,
 * completions), `estimate.ts` (a newcomer's rate), `simulate.ts` (`simulateFlows` for a fixed
 * list of flows), `types.ts`, `checks.ts` and `typed.ts`.
 */
export { FluidNetwork } from './flows/network.ts';
export type { PreparedRoute } from './flows/state.ts';
export { simulateFlows, simulateFlowsWithStats } from './flows/simulate.ts';
export {
  FLOW_TIME_REL_TOLERANCE,
  SATURATION_REL_TOLERANCE,
  type FlowResult,
  type FlowSimulation,
  type FlowSpec,
  type FlowStart,
  type FluidNetworkOptions,
  type FluidSolverStats,
} from './flows/types.ts';
