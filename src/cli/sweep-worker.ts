/**
 * The worker thread of `podsim sweep` (started by `runPoints` in src/cli/sweep-pool.ts through
 * ./worker-pool.ts). It receives the sweep as given on the command line, loads it once, then
 * evaluates the point indices it is sent, one at a time, answering each with its record.
 */
import { evaluatePoint, prepareSweep, type SweepSpec } from '../app/sweep.ts';
import { readText } from './sweep-pool.ts';
import { serveJobs } from './worker-pool.ts';

serveJobs((spec: SweepSpec) => prepareSweep(spec, readText), evaluatePoint);
