/**
 * Writes plans/traces/sample-demand.csv: a SYNTHETIC memory-demand trace (not real data) in the
 * documented format (docs/pooling.md §2) — 24 hosts, one sample every 15 minutes for a day. Each
 * host's demand is a lognormal (mean 512 GiB, p99 ≈ 1.3 × mean) times a shared diurnal swing of
 * ±10 %, drawn with podsim's seeded PRNG (seed 2026), so the file is reproducible:
 *   npx tsx plans/traces/generate-sample.ts > plans/traces/sample-demand.csv
 */
import { lognormalFit, normal } from '../../src/cost/pooling-demand.ts';
import { mulberry32 } from '../../src/units/index.ts';

const HOSTS = 24;
const SAMPLES = 96;
const { mu, sigma } = lognormalFit(512, 1.3);
const rand = mulberry32(2026);
const lines = [
  '# SYNTHETIC trace from plans/traces/generate-sample.ts (seed 2026); not measured data',
  'time,host,memory_GiB',
];
for (let s = 0; s < SAMPLES; s++) {
  const diurnal = 1 + 0.1 * Math.sin((2 * Math.PI * s) / SAMPLES);
  for (let h = 0; h < HOSTS; h++) {
    const gib = Math.exp(mu + sigma * normal(rand)) * diurnal;
    lines.push(`${s * 900},host-${String(h + 1).padStart(2, '0')},${gib.toFixed(1)}`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
