/** `podsim whatif` (the main job behind `npm start`): columns, winners, failures, formats, errors. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectInputError, expectUsageError, runCli, runJson, tempDir } from './run.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const scenario = tmp.path('small.yaml');
writeFileSync(
  scenario,
  readFileSync(new URL('../../scenarios/droidspeak-8b.yaml', import.meta.url), 'utf8').replace(
    /requests: 2000/,
    'requests: 200',
  ),
);

const tiny = tmp.path('tiny.yaml');
writeFileSync(
  tiny,
  readFileSync(new URL('../../scenarios/droidspeak-8b.yaml', import.meta.url), 'utf8').replace(
    /requests: 2000/,
    'requests: 40',
  ),
);
const bursts = tmp.path('bursts.yaml');
writeFileSync(
  bursts,
  readFileSync(tiny, 'utf8').replace(
    'arrival: { poisson: "24 /s" }',
    'arrival: { bursts: { rate: "24 /s", size: 4 } }',
  ),
);

describe('podsim whatif', () => {
  it('compares topologies with the best of each row marked, identically twice', async () => {
    const a = await runCli(['whatif', scenario, '--topologies', 'rdma-32x1', 'octopus-bibd-25']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toContain('★');
    expect(a.stdout).toContain('goodput under the SLOs');
    const b = await runCli(['whatif', scenario, '--topologies', 'rdma-32x1', 'octopus-bibd-25']);
    expect(b.stdout).toBe(a.stdout);
  });

  it('--fail adds a failed column per topology and reports hosts losing pooled memory', async () => {
    const r = await runJson<{
      columns: { label: string; reachLoss?: { hostsAffected: number } }[];
    }>(['whatif', scenario, '--topologies', 'octopus-bibd-25', '--fail', 'device:d0', '--json']);
    expect(r.columns.map((c) => c.label)).toEqual([
      'octopus-bibd-25',
      'octopus-bibd-25 (fail device:d0)',
    ]);
    expect(r.columns[1]?.reachLoss?.hostsAffected).toBe(4);
  });

  it('--traffic: the RPC rows and the JSON say which matrix they assume', async () => {
    const text = await runCli(['whatif', scenario, '--topologies', 'octopus-bibd-25']);
    expect(text.stdout).toContain('RPC traffic: uniform');
    expect(text.stdout).toContain('RPC p50, 64 B, hosts sharing a device');
    const file = tmp.file('pairs.csv', 'h0,h1,1\nh0,h2,1\n');
    const r = await runJson<{
      traffic: string;
      columns: { rpcLocality: { traffic: string; direct: { trafficShare: number } } }[];
    }>(['whatif', scenario, '--topologies', 'octopus-bibd-25', '--traffic', file, '--json']);
    expect(r.traffic).toBe(`file ${file}`);
    expect(r.columns[0]?.rpcLocality.direct.trafficShare).toBe(1);
    // the file is checked against every topology before any work: rdma-32x1 has no h40
    const wide = tmp.file('wide.csv', 'h0,h40,1\n');
    expectInputError(
      await runCli([
        'whatif',
        scenario,
        '--topologies',
        'rdma-96x3',
        'rdma-32x1',
        '--traffic',
        wide,
      ]),
      'wide.csv',
      'h40',
    );
  });

  it('--csv prints one row of raw numbers per fabric, units in the column names', async () => {
    const r = await runCli(['whatif', scenario, '--topologies', 'rdma-32x1', '--csv']);
    const [head, row] = r.stdout.trim().split('\n');
    const cols = head?.split(',') ?? [];
    expect(cols.slice(0, 5)).toEqual([
      'fabric',
      'ttft_p50_ns',
      'ttft_p99_ns',
      'goodput_per_s',
      'slo_attainment',
    ]);
    const cells = row?.split(',') ?? [];
    expect(cells[0]).toBe('rdma-32x1');
    const at = (name: string): string => cells[cols.indexOf(name)] ?? '';
    for (const name of ['ttft_p99_ns', 'goodput_per_s', 'slo_attainment', 'reuse_goodput_ratio'])
      expect(Number.isFinite(Number(at(name))) && at(name) !== '').toBe(true);
    expect(Number(at('slo_attainment'))).toBeLessThanOrEqual(1);
    expect(['gpu-compute', 'gpu-link', 'fabric-link', 'device-media', 'none']).toContain(
      at('bound'),
    );
  });

  it('says what bounds each column under the table', async () => {
    const r = await runCli(['whatif', scenario, '--topologies', 'rdma-32x1', 'octopus-bibd-25']);
    expect(r.stdout).toContain('What bounds each column');
    expect(r.stdout).toMatch(/\n {2}rdma-32x1: .*bounds|\n {2}rdma-32x1: nothing near saturation/);
    expect(r.stdout).toMatch(/\n {2}octopus-bibd-25: /);
    expect(r.stdout).toContain("reuse gain: goodput ÷ full prefill's at 24 /s");
  });

  it('--rates: one point per fabric × policy × rate in JSON and CSV, the knee marked', async () => {
    const args = ['whatif', tiny, '--topologies', 'rdma-32x1', '--rates', '8,400'];
    const j = await runJson<{
      load: Record<string, unknown>[];
      columns: { loadCurves: { policy: string; kneeRatePerS: number | null }[] }[];
    }>([...args, '--json']);
    expect(j.load).toHaveLength(4); // 1 fabric × 2 policies × 2 rates
    expect(j.load.map((p) => [p['policy'], p['rate_per_s']])).toEqual([
      ['fabric-aware', 8],
      ['fabric-aware', 400],
      ['full-prefill', 8],
      ['full-prefill', 400],
    ]);
    for (const p of j.load) {
      expect(Object.keys(p)).toEqual([
        'fabric',
        'policy',
        'rate_per_s',
        'goodput_per_s',
        'ttft_p50_ns',
        'ttft_p99_ns',
        'slo_attainment',
        'meets_slo',
        'knee_rate_per_s',
      ]);
      expect(typeof p['ttft_p99_ns']).toBe('number');
      expect(p['slo_attainment']).toBeGreaterThanOrEqual(0);
      expect(p['slo_attainment']).toBeLessThanOrEqual(1);
    }
    // the knee is one of the rates swept, or none (every curve's points share it)
    for (const p of j.load) expect([8, 400, null]).toContain(p['knee_rate_per_s']);
    expect(j.columns[0]?.loadCurves.map((k) => k.policy)).toEqual(['fabric-aware', 'full-prefill']);
    const csv = await runCli([...args, '--csv']);
    const [head, ...rows] = csv.stdout.trim().split('\n');
    expect(head).toBe(
      'fabric,policy,rate_per_s,goodput_per_s,ttft_p50_ns,ttft_p99_ns,slo_attainment,meets_slo,knee_rate_per_s',
    );
    expect(rows).toHaveLength(4);
    for (const r of rows)
      for (const v of r.split(',').slice(2, 8)) expect(Number.isFinite(Number(v))).toBe(true);
    const text = await runCli(args);
    expect(text.stdout).toContain('Load: goodput and TTFT p99 vs offered rate');
    expect(text.stdout).toContain('SLOs met');
    // the same run twice is byte-identical
    expect((await runCli(args)).stdout).toBe(text.stdout);
  });

  it('--policies chooses the load axis policies, in the order given', async () => {
    const j = await runJson<{ load: { policy: string; rate_per_s: number }[] }>([
      'whatif',
      tiny,
      '--topologies',
      'rdma-32x1',
      '--rates',
      '8',
      '--policies',
      'droidspeak,exact-only,droidspeak',
      '--json',
    ]);
    expect(j.load.map((p) => p.policy)).toEqual(['droidspeak', 'exact-only']);
  });

  it('--max-rate: the highest rate meeting the SLOs per policy and their ratio', async () => {
    const r = await runJson<{
      columns: {
        reuseGain: {
          sustainable: {
            policy: { ratePerS: number };
            baseline: { ratePerS: number };
            ratio: number | null;
          };
        };
      }[];
    }>(['whatif', tiny, '--topologies', 'rdma-32x1', '--max-rate', '--json']);
    const s = r.columns[0]?.reuseGain.sustainable;
    expect(s?.policy.ratePerS).toBeGreaterThan(0);
    if (s !== undefined && s.baseline.ratePerS > 0)
      expect(s.ratio).toBeCloseTo(s.policy.ratePerS / s.baseline.ratePerS, 12);
  });

  it('refuses a load axis it cannot honour, naming the flag (usage mistakes)', async () => {
    expectUsageError(
      await runCli(['whatif', bursts, '--topologies', 'rdma-32x1', '--rates', '8,16']),
      '--rates',
      'bursts',
    );
    expectUsageError(
      await runCli([
        'whatif',
        tiny,
        '--topologies',
        'rdma-32x1',
        '--rates',
        '8',
        '--policies',
        'droidspeak,nope',
      ]),
      '--policies',
      '"nope"',
    );
    expectUsageError(
      await runCli(['whatif', tiny, '--topologies', 'rdma-32x1', '--policies', 'droidspeak']),
      '--policies',
      '--rates',
    );
    expectUsageError(
      await runCli(['whatif', bursts, '--topologies', 'rdma-32x1', '--max-rate']),
      '--max-rate',
      'Poisson',
    );
    expectUsageError(
      await runCli(['whatif', tiny, '--topologies', 'rdma-32x1', '--rates', '8,-2,x']),
      '--rates',
      '"-2", "x"',
    );
    expectUsageError(
      await runCli([
        'whatif',
        tiny,
        '--topologies',
        'rdma-32x1',
        '--rates',
        '8',
        '--slo-target',
        '0.99',
      ]),
      '--slo-target',
      '99%',
    );
  });

  it('errors name the flag: an unknown failed element, two formats', async () => {
    expectUsageError(
      await runCli([
        'whatif',
        scenario,
        '--topologies',
        'octopus-bibd-25',
        '--fail',
        'device:nope',
      ]),
      '--fail',
      'nope',
    );
    expectUsageError(
      await runCli(['whatif', scenario, '--topologies', 'rdma-32x1', '--json', '--csv']),
      '--json',
      '--csv',
    );
  });

  it('--report writes report.md and a self-contained report.html with SVG charts', async () => {
    const dir = tmp.path('report');
    const r = await runCli([
      'whatif',
      scenario,
      '--topologies',
      'rdma-32x1',
      'octopus-bibd-25',
      '--report',
      dir,
    ]);
    expect(r.exitCode).toBe(0);
    const html = readFileSync(`${dir}/report.html`, 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect(html).not.toContain('<script');
    expect(readFileSync(`${dir}/report.md`, 'utf8')).toContain('rdma-32x1');
  });
});
