/**
 * The worker thread of `podsim capacity --workers N` (started through ./worker-pool.ts): loads
 * the plan as given on the command line once, then evaluates the sizes it is sent
 * (src/app/capacity-jobs.ts), one at a time, answering each with its row and runs and ticking
 * after each simulation run, so the main thread's progress moves inside a size.
 */
import { evaluateSize, sizeJobs, type SizeJob } from '../app/capacity-jobs.ts';
import { loadPlan, type CapacityPlan } from '../io/index.ts';
import { serveJobs } from './worker-pool.ts';

serveJobs(
  (planFile: string): { plan: CapacityPlan; jobs: SizeJob[] } => {
    const { plan } = loadPlan(planFile);
    return { plan, jobs: sizeJobs(plan) };
  },
  (ctx, index, tick) => {
    const job = ctx.jobs[index];
    if (job === undefined) throw new Error(`capacity worker: no size ${index}`);
    return evaluateSize(ctx.plan, job, tick);
  },
);
