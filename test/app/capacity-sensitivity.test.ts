/**
 * `capacity --sensitivity` and the break-even fabric cost: the break-even arithmetic by hand, the
 * sensitivity of a small pooling-only plan (price rows re-price, demand rows re-size), and the
 * CLI end to end (tables, a tornado chart per pooled family, --tornado without --sensitivity
 * refused).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { breakEven, PAPER_SAVING_LOW } from '../../src/app/capacity-sensitivity.ts';
import { runCapacityPlan } from '../../src/app/capacity.ts';
import type { PoolingView } from '../../src/cost/pooling.ts';
import { parsePlanText } from '../../src/io/index.ts';
import { runCli, tempDir } from '../cli/run.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const PLAN = `description: a small pooling-only plan
seed: 3
candidates:
  - { name: sw, generator: switched-cxl, params: { devices: 2, switchPorts: 16, hostLinks: 1 }, options: { gpusPerHost: 0 }, hosts: [6] }
memory: { perHostMean: "64 GiB", peakToMean: 1.5, localFraction: 0.5, samples: 200 }
`;

describe('breakEven', () => {
  it('solves net = (saved − poolDram − fabric) ÷ server for the fabric, by hand', () => {
    // saved $1,000, pool DRAM $400, server $10,000: net 0 at fabric $600; 3 % ($300) at $300
    const view = {
      dramSavedPerHostUsd: 1000,
      poolDramPerHostUsd: 400,
      serverUsd: 10_000,
    } as unknown as PoolingView;
    expect(PAPER_SAVING_LOW).toBe(0.03);
    expect(breakEven(view)).toEqual({ zeroUsd: 600, paperLowUsd: 300 });
  });
});

describe('poolingSensitivity through runCapacityPlan', () => {
  const plan = parsePlanText(PLAN, 'p.yaml');
  const r = runCapacityPlan(plan, undefined, { sensitivity: true });
  const fam = r.pooling[0];
  const s = fam?.sensitivity;

  it('has the base of the plain run, one row per price and demand input, largest swing first', () => {
    expect(s).toBeDefined();
    expect(s?.base).toBe(runCapacityPlan(plan).pooling[0]?.view?.netSavingsShare);
    const names = s?.rows.map((x) => x.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['dramPerGiB', 'peakToMean', 'localFraction']));
    const swings = s?.rows.map((x) => x.swing) ?? [];
    expect([...swings].sort((a, b) => b - a)).toEqual(swings);
    // MHD prices cannot move a pod without MHDs
    expect(s?.rows.find((x) => x.name === 'mhdBase')?.swing).toBe(0);
  });

  it('moves the saving the way the arithmetic says: dearer DRAM saves more, dearer switches less', () => {
    const row = (n: string) => s?.rows.find((x) => x.name === n);
    expect(row('dramPerGiB')?.atHigh).toBeGreaterThan(row('dramPerGiB')?.atLow ?? Infinity);
    expect(row('cxlSwitchPerPort')?.atHigh).toBeLessThan(
      row('cxlSwitchPerPort')?.atLow ?? -Infinity,
    );
    // a bigger demand gap leaves more to pool
    expect(row('peakToMean')?.atHigh).toBeGreaterThan(row('peakToMean')?.atLow ?? Infinity);
  });

  it('is deterministic and absent unless asked for', () => {
    expect(JSON.stringify(runCapacityPlan(plan, undefined, { sensitivity: true }))).toBe(
      JSON.stringify(r),
    );
    expect(runCapacityPlan(plan).pooling[0]?.sensitivity).toBeUndefined();
    expect(fam?.breakEven).toBeDefined();
  });
});

describe('podsim capacity --sensitivity', () => {
  const file = tmp.path('p.yaml');
  writeFileSync(file, PLAN);

  it('prints the break-even and sensitivity tables and writes a tornado chart per pooled family', async () => {
    const dir = tmp.path('charts');
    const run = await runCli(['capacity', file, '--sensitivity', '--tornado', dir]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Break-even pod hardware/);
    expect(run.stdout).toMatch(/Sensitivity of sw's net saving/);
    const svg = `${dir}/tornado-sw.svg`;
    expect(existsSync(svg)).toBe(true);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*dramPerGiB[\s\S]*<\/svg>\s*$/);
  });

  it('refuses --tornado without --sensitivity, naming the flag', async () => {
    const run = await runCli(['capacity', file, '--tornado', tmp.path('x')]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--tornado/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
