/** `podsim capacity`: the bundled example plan (reduced for speed), formats, determinism, errors. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
    'requests: 300',
  ),
);
/**
 * The bundled plan on a 300-request copy of its scenario, with two sizes per family (2 and 4
 * hosts: 16 and 32 replicas, 19 and 9 requests each), a target of 20 /s, a 10 % search and fewer draws.
 */
const plan = tmp.path('plan.yaml');
writeFileSync(
  plan,
  readFileSync(new URL('../../plans/droidspeak-8b.yaml', import.meta.url), 'utf8')
    .replace('scenario: droidspeak-8b', 'scenario: small.yaml')
    .replaceAll('hosts: [8, 16, 32] }', 'hosts: [2, 4] }')
    .replace('targetRate: "200 /s"', 'targetRate: "20 /s"\nsearch: { tolerance: 10 % }')
    .replace('samples: 2000', 'samples: 200'),
);

interface Report {
  targetRatePerS: number | null;
  rows: {
    family: string;
    hosts: number;
    feasible: boolean;
    ran: boolean;
    reason?: string;
    totalUsd?: number;
    replicas?: number;
    meetsTarget?: boolean;
    search?: { maxRatePerS: number; failsAtPerS: number | null; runs: number };
  }[];
  cheapest: { family: string; hosts: number } | null;
  frontier: { family: string; hosts: number }[];
  pooling: { family: string; view?: { hasPool: boolean; netSavingsShare: number } }[];
}

describe('podsim capacity', () => {
  it('runs the example plan: every configuration, the cheapest feasible, the frontier, the pooling view; --report writes the frontier chart', async () => {
    const dir = tmp.path('report');
    const r = await runCli(['capacity', plan, '--report', dir, '--workers', '1']);
    expect(r.exitCode, r.stderr).toBe(0);
    // the verdict in a sentence under the tables
    expect(r.stdout).toMatch(
      /\n\nCheapest configuration sustaining 20 \/s under the SLOs: .* at \d+ hosts, \$[\d,]+, which sustains up to [\d.,]+ \/s\.\n$/,
    );
    const html = readFileSync(join(dir, 'capacity.html'), 'utf8');
    const md = readFileSync(join(dir, 'capacity.md'), 'utf8');
    // the frontier chart: every family drawn, the target line, one cheapest ring
    expect(html).toContain('<svg');
    expect(html).toContain('target 20 /s');
    for (const f of ['octopus-sparse', 'switched-cxl', 'rdma-rack']) expect(html).toContain(f);
    // its data table: one row per configuration (3 families × 2 sizes), one of them the cheapest
    const rows = md
      .split('\n')
      .filter((l) => /^\| (octopus-sparse|switched-cxl|rdma-rack) \| \d+ \| \$/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(md.match(/yes, cheapest/g)).toHaveLength(1);
    expect(md).toMatch(
      /^Cheapest configuration sustaining 20 \/s under the SLOs: .* at \d+ hosts, \$[\d,]+, which sustains up to [\d.,]+ \/s\.$/m,
    );
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

  it('--json is byte-identical in process and on two workers; replicas grow with the size, and so does the rate sustained', async () => {
    // in this thread and on two worker threads: the same bytes (rows kept in plan order)
    const a = await runCli(['capacity', plan, '--json', '--workers', '1']);
    const b = await runCli(['capacity', plan, '--json', '--workers', '2']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout) as Report;
    expect(report.targetRatePerS).toBe(20);
    for (const x of report.rows) {
      // every GPU serves: 8 single-GPU replicas per host
      expect(x.replicas).toBe(x.hosts * 8);
      // feasible exactly when the run at the target met the SLOs, which the search agrees with
      expect(x.feasible).toBe(x.meetsTarget);
      expect(x.meetsTarget).toBe((x.search?.maxRatePerS ?? 0) >= 20);
      if (x.feasible === false) expect(x.reason).toMatch(/at the target 20 \/s$/);
    }
    for (const family of ['octopus-sparse', 'switched-cxl', 'rdma-rack']) {
      const [small, large] = report.rows.filter((x) => x.family === family);
      expect(large?.search?.maxRatePerS ?? 0).toBeGreaterThan(small?.search?.maxRatePerS ?? 0);
    }
    const feasible = report.rows.filter((x) => x.feasible);
    expect(feasible.length).toBeGreaterThan(0);
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
    const csv = await runCli(['capacity', plan, '--csv', '--workers', '1']);
    const [head, first] = csv.stdout.split('\n');
    expect(head).toMatch(
      /^family,hosts,total_cost_usd,cost_per_host_usd,fabric_per_host_usd,replicas,max_rate_per_s,fails_at_per_s,search_runs,meets_target,feasible,reason$/,
    );
    // Numbers stay numbers (issue 14): money in dollars, shares as fractions, no "$" or ",".
    const cells = (first ?? '').split(',');
    for (const c of cells.slice(1, 9)) expect(Number.isFinite(Number(c)), c).toBe(true);
    // Money only inside the verdicts' sentences (quoted prose), never as a cell of its own.
    for (const line of csv.stdout.split('\n'))
      if (!line.includes('"')) expect(line, line).not.toMatch(/\$\d/);
    expect(csv.stdout).toContain('net_savings_share');
    const md = await runCli(['capacity', plan, '--markdown', '--workers', '1']);
    expect(md.stdout).toContain('| family | hosts |');
  });

  it('says when a search found no limit (too few requests per replica to queue)', async () => {
    // 20 requests over 4 hosts × 8 replicas: under one each, served at once at any rate
    const tiny = tmp.file(
      'tiny-scenario.yaml',
      readFileSync(scenario, 'utf8').replace('requests: 300', 'requests: 20'),
    );
    const p = tmp.file(
      'tiny.yaml',
      readFileSync(plan, 'utf8')
        .replace('scenario: small.yaml', `scenario: ${tiny}`)
        .replaceAll('hosts: [2, 4] }', 'hosts: [4] }'),
    );
    const r = await runCli(['capacity', p, '--workers', '1']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "octopus-sparse at 4 hosts, switched-cxl at 4 hosts, rdma-rack at 4 hosts met the SLOs at every rate the search tried: the scenario's requests (0.6 requests per replica) are served before a queue forms",
    );
    expect(r.stdout).toMatch(/≥ [\d.]+/);
  });

  it('a bad plan is bad input (exit 3) naming the file and the field', async () => {
    const bad = tmp.file(
      'bad.yaml',
      readFileSync(plan, 'utf8').replace('peakToMean: 1.6', 'peakToMean: 0.5'),
    );
    expectInputError(await runCli(['capacity', bad]), 'bad.yaml', 'memory.peakToMean');
    expectInputError(await runCli(['capacity', 'no-such-plan']), 'no-such-plan');
    const workers = await runCli(['capacity', plan, '--workers', '0']);
    expect(workers.exitCode).toBe(2);
    expect(workers.stderr).toContain('--workers: expected a whole number from 1 to 256');
  });
});

describe('the bundled plan', () => {
  it('loads by name, with every candidate size valid', () => {
    const { plan: p } = loadPlan('droidspeak-8b');
    expect(p.scenario?.name).toBe('droidspeak-8b');
    // a target rate and no growth: the target is the demand, so no growth steps
    expect(p.growth).toEqual([]);
    expect(p.serving).toEqual({
      replicas: { kind: 'gpu-share', share: 1 },
      targetRatePerS: 200,
      searchTolerance: 0.05,
    });
    expect(p.candidates.map((c) => c.label)).toEqual([
      'octopus-sparse',
      'switched-cxl',
      'rdma-rack',
    ]);
  });
});
