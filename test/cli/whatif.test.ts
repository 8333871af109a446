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

  it('--csv prints one line per measure', async () => {
    const r = await runCli(['whatif', scenario, '--topologies', 'rdma-32x1', '--csv']);
    expect(r.stdout.split('\n')[0]).toBe('measure,rdma-32x1');
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
