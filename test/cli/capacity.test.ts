/** `podsim capacity`: the bundled example plan (reduced for speed), formats, determinism, errors. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/io/index.ts';
import { expectInputError, runCli, tempDir } from './run.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const scenario = tmp.path('small.yaml');
writeFileSync(
  scenario,
  readFileSync(new URL('../../scenarios/droidspeak-8b.yaml', import.meta.url), 'utf8').replace(
    /requests: 2000/,
    'requests: 150',
  ),
);
/** The bundled plan on a 150-request copy of its scenario, with fewer sizes and draws. */
const plan = tmp.path('plan.yaml');
writeFileSync(
  plan,
  readFileSync(new URL('../../plans/droidspeak-8b.yaml', import.meta.url), 'utf8')
    .replace('scenario: droidspeak-8b', 'scenario: small.yaml')
    .replace(
      'hosts: [32, 64] }\n  - { generator: switched-cxl',
      'hosts: [32] }\n  - { generator: switched-cxl',
    )
    .replace('samples: 2000', 'samples: 200'),
);

interface Report {
  rows: {
    family: string;
    hosts: number;
    feasible: boolean;
    ran: boolean;
    reason?: string;
    totalUsd?: number;
  }[];
  cheapest: { family: string; hosts: number } | null;
  frontier: { family: string; hosts: number }[];
  pooling: { family: string; view?: { hasPool: boolean; netSavingsShare: number } }[];
}

describe('podsim capacity', () => {
  it('runs the example plan: every configuration, the cheapest feasible, the frontier, the pooling view', async () => {
    const r = await runCli(['capacity', plan]);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const title of [
      'Configurations',
      'Cheapest feasible configuration',
      'Pareto frontier',
      'Pooling view',
      'Compared with Octopus',
    ])
      expect(r.stdout).toContain(title);
    expect(r.stdout).toContain('3–5.4 %');
    expect(r.stdout).toContain('estimates');
  });

  it('--json is byte-identical across two runs and marks the size that does not fit', async () => {
    const a = await runCli(['capacity', plan, '--json']);
    const b = await runCli(['capacity', plan, '--json']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout) as Report;
    const tiny = report.rows.find((x) => x.family === 'rdma-rack' && x.hosts === 2);
    expect(tiny?.feasible).toBe(false);
    expect(tiny?.reason).toMatch(/replicas/);
    const feasible = report.rows.filter((x) => x.feasible);
    expect(report.cheapest).not.toBeNull();
    const cheapest = report.rows.find(
      (x) => x.family === report.cheapest?.family && x.hosts === report.cheapest.hosts,
    );
    for (const x of feasible)
      expect(x.totalUsd ?? 0).toBeGreaterThanOrEqual(cheapest?.totalUsd ?? 0);
    expect(report.frontier.length).toBeGreaterThan(0);
    expect(report.pooling.find((p) => p.family === 'rdma-rack')?.view?.hasPool).toBe(false);
    expect(report.pooling.find((p) => p.family === 'octopus-sparse')?.view?.hasPool).toBe(true);
  });

  it('--csv and --markdown print the tables', async () => {
    const csv = await runCli(['capacity', plan, '--csv']);
    const [head, first] = csv.stdout.split('\n');
    expect(head).toMatch(
      /^family,hosts,total_cost_usd,cost_per_host_usd,fabric_per_host_usd,goodput_x1_per_s,slo_attainment_x1,/,
    );
    // Numbers stay numbers (issue 14): money in dollars, shares as fractions, no "$" or ",".
    const cells = (first ?? '').split(',');
    for (const c of cells.slice(1, 7)) expect(Number.isFinite(Number(c)), c).toBe(true);
    // Money only inside the verdicts' sentences (quoted prose), never as a cell of its own.
    for (const line of csv.stdout.split('\n'))
      if (!line.includes('"')) expect(line, line).not.toMatch(/\$\d/);
    expect(csv.stdout).toContain('net_savings_share');
    const md = await runCli(['capacity', plan, '--markdown']);
    expect(md.stdout).toContain('| family | hosts |');
  });

  it('a bad plan is bad input (exit 3) naming the file and the field', async () => {
    const bad = tmp.file(
      'bad.yaml',
      readFileSync(plan, 'utf8').replace('peakToMean: 1.6', 'peakToMean: 0.5'),
    );
    expectInputError(await runCli(['capacity', bad]), 'bad.yaml', 'memory.peakToMean');
    expectInputError(await runCli(['capacity', 'no-such-plan']), 'no-such-plan');
  });
});

describe('the bundled plan', () => {
  it('loads by name, with every candidate size valid', () => {
    const { plan: p } = loadPlan('droidspeak-8b');
    expect(p.scenario?.name).toBe('droidspeak-8b');
    expect(p.growth).toEqual([1, 1.25]);
    expect(p.candidates.map((c) => c.label)).toEqual([
      'octopus-sparse',
      'switched-cxl',
      'rdma-rack',
    ]);
  });
});
