/** `podsim sweep` and `podsim merge`: grid, worker threads, shards, merging, errors. */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectInputError, expectUsageError, runCli, runJson, tempDir } from './run.ts';

const tmp = tempDir('podsim-sweep-');
afterAll(() => tmp.cleanup());
// A small generator-form topology (2 GPUs per host) and the 8B scenario cut to 8 replicas, 60 requests.
const topology = tmp.file(
  'sparse.yaml',
  'name: sparse\ngenerator: octopus-sparse\nparams: { hosts: 16, hostPorts: 4, devicePorts: 4, seed: 1 }\noptions: { gpusPerHost: 2 }\n',
);
const scenario = tmp.file(
  'small.yaml',
  readFileSync(new URL('../../scenarios/droidspeak-8b.yaml', import.meta.url), 'utf8')
    .replace(/requests: 2000/, 'requests: 60')
    .replace(/count: 8 }/g, 'count: 2 }')
    .replace(/count: 4 }/g, 'count: 1 }'),
);
// 6 points: hosts 3 cannot host 8 replicas (2 error records).
const grid = ['--grid', 'hosts=8,3,16', 'rate=8,16'];
const base = ['sweep', scenario, '--topology', topology, ...grid];

interface Merged {
  sweep: { points: number; grid: Record<string, unknown[]> };
  records: {
    point: number;
    params: Record<string, number>;
    goodputPerS?: number;
    error?: string;
  }[];
}

describe('podsim sweep', () => {
  it('runs every point in order, in-process and on worker threads alike, keeping failed points as errors', async () => {
    const one = await runJson<Merged>([...base, '--workers', '1', '--json']);
    expect(one.sweep.points).toBe(6);
    expect(one.records.map((r) => r.point)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(one.records.map((r) => r.params)).toEqual([
      { hosts: 8, rate: 8 },
      { hosts: 8, rate: 16 },
      { hosts: 3, rate: 8 },
      { hosts: 3, rate: 16 },
      { hosts: 16, rate: 8 },
      { hosts: 16, rate: 16 },
    ]);
    expect(one.records[2]?.error).toMatch(/replicas/);
    expect(one.records[0]?.goodputPerS).toBeGreaterThan(0);
    const threads = await runJson<Merged>([...base, '--workers', '3', '--json']);
    expect(threads).toEqual(one);
  });

  it('shards merge back to the unsharded sweep, whatever the shard count', async () => {
    const whole = tmp.path('whole.jsonl');
    expect((await runCli([...base, '--workers', '1', '-o', whole])).exitCode).toBe(0);
    const lines = readFileSync(whole, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      sweep: { points: 6, shard: { index: 1, count: 1 } },
    });
    const full = await runJson<Merged>(['merge', whole, '--json']);
    const files: string[] = [];
    for (const i of [1, 2, 3, 4]) {
      const f = tmp.path(`shard-${i}.jsonl`);
      files.push(f);
      expect(
        (await runCli([...base, '--shard', `${i}/4`, '--workers', '2', '-o', f])).exitCode,
      ).toBe(0);
    }
    expect(
      readFileSync(files[3] ?? '', 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2); // point 3 only
    const merged = await runJson<Merged>(['merge', ...files.reverse(), '--json']);
    expect(merged).toEqual(full);
    const text = await runCli(['merge', ...files]);
    expect(text.stdout).toContain('goodput /s');
    expect(text.stdout.split('\n').filter((l) => /^\s+\d+\s/.test(l))).toHaveLength(6);
    const csv = await runCli(['merge', ...files, '--csv']);
    const [head, ...rows] = csv.stdout.trimEnd().split('\n');
    expect(head).toMatch(
      /^point,hosts,rate,goodput_per_s,throughput_per_s,slo_attainment,ttft_p50_ns,/,
    );
    // Numbers stay numbers (issue 14): every metric cell reads back as the JSON record's value.
    const cols = (head ?? '').split(',');
    for (const [i, line] of rows.entries()) {
      const cells = line.split(',');
      const rec = merged.records[i] as unknown as Record<string, number>;
      if ('error' in rec) continue; // a point that could not run has empty metric cells
      expect(Number(cells[cols.indexOf('goodput_per_s')])).toBe(rec['goodputPerS']);
      expect(Number(cells[cols.indexOf('ttft_p99_ns')])).toBe(rec['ttftP99Ns']);
      expect(Number(cells[cols.indexOf('fabric_cost_per_host_usd')])).toBe(
        rec['fabricCostPerHostUsd'],
      );
    }
  });

  it('merge names a missing point, a duplicated point and a shard of another sweep', async () => {
    const a = tmp.path('m-1.jsonl');
    const b = tmp.path('m-2.jsonl');
    await runCli([...base, '--shard', '1/2', '--workers', '1', '-o', a]);
    await runCli([...base, '--shard', '2/2', '--workers', '1', '-o', b]);
    expectInputError(await runCli(['merge', a]), 'missing', '1, 3, 5');
    expectInputError(await runCli(['merge', a, b, a]), 'point 0 appears more than once', a);
    const other = tmp.file(
      'other.jsonl',
      readFileSync(b, 'utf8').replace('"rate":[8,16]', '"rate":[8,32]'),
    );
    expectInputError(await runCli(['merge', a, other]), other, 'different sweep');
    expectInputError(
      await runCli(['merge', tmp.file('junk.jsonl', 'hello\n')]),
      'junk.jsonl',
      'line 1',
    );
  });

  it('refuses bad grids and flags, naming the flag', async () => {
    const sweep = ['sweep', scenario, '--topology', topology];
    const msg = expectUsageError(
      await runCli([...sweep, '--grid', 'host=8']),
      '--grid host',
      'did you mean "hosts"',
      'rate',
      'scenarioSeed',
    );
    expect(msg).toContain('devicePorts');
    expectUsageError(await runCli([...sweep, '--grid', 'hosts=8,1x']), '--grid hosts', '1x');
    expectUsageError(
      await runCli([...sweep, '--grid', 'crossVariantShare=0.5,2']),
      '--grid crossVariantShare',
    );
    expectUsageError(
      await runCli([...sweep, '--grid', 'policy=fabric-awar']),
      '--grid policy',
      'fabric-aware',
    );
    expectUsageError(await runCli([...sweep, '--grid', 'hosts=8', '--shard', '3/2']), '--shard');
    expectUsageError(await runCli([...sweep, '--grid', 'hosts=8', '--workers', '0']), '--workers');
    expectUsageError(
      await runCli(['sweep', scenario, '--topology', 'octopus-bibd-25', '--grid', 'hosts=8']),
      '--grid hosts',
      'hostPorts',
    );
  });

  it('--help documents the grid keys and sharding', async () => {
    const r = await runCli(['sweep', '--help']);
    for (const k of [
      '--grid',
      'crossVariantShare',
      'qualityBudget',
      'scenarioSeed',
      'routing',
      '--shard',
      '--workers',
    ])
      expect(r.stdout).toContain(k);
  });
});
