/**
 * Pins fast-check's seed for every property test so a failure is reproducible:
 * set `PODSIM_FC_SEED` to replay a run; the seed in use is printed once per worker.
 */
import fc from 'fast-check';

const envSeed = process.env['PODSIM_FC_SEED'];
const seed = envSeed === undefined ? 20261122 : Number.parseInt(envSeed, 10);
if (!Number.isInteger(seed)) throw new Error(`PODSIM_FC_SEED must be an integer, got ${envSeed}`);
fc.configureGlobal({ seed, numRuns: 100 });
