/** `podsim run` end to end: summary, JSON determinism, records files, overrides, bad input. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectInputError, expectUsageError, runCli, runJson, tempDir } from './run.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A small copy of the bundled 8B scenario: 300 requests. */
function smallScenario(): string {
  const text = readFileSync(
    new URL('../../scenarios/droidspeak-8b.yaml', import.meta.url),
    'utf8',
  ).replace(/requests: 2000/, 'requests: 300');
  const file = tmp.path('small.yaml');
  writeFileSync(file, text);
  return file;
}

describe('podsim run', () => {
  const scenario = smallScenario();

  it('prints the run summary', async () => {
    const r = await runCli(['run', scenario, '--topology', 'rdma-96x3']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('goodput (both SLOs met, per second of the arrival window)');
    expect(r.stdout).toContain('TTFT p50');
    expect(r.stdout).toMatch(/GPU busy: mean \/ busiest replica +\d/);
    expect(r.stdout).toMatch(
      /KV memory \(HBM\): peak share, preemptions \(recompute\), admission waits +\d/,
    );
    expect(r.stdout).toMatch(/pool: full prefills store their cache +yes/);
    expect(r.stdout).toMatch(
      /local prefix cache in HBM: hits, evictions +off \(serving\.prefixCache\)/,
    );
  });

  it('--json is byte-identical for the same seed and changes with --seed', async () => {
    const a = await runJson<{ requests: { arrived: number; completed: number } }>([
      'run',
      scenario,
      '--topology',
      'octopus-96',
      '--json',
    ]);
    const b = await runJson(['run', scenario, '--topology', 'octopus-96', '--json']);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.requests.arrived).toBe(300);
    expect(a.requests.completed).toBe(300);
    const c = await runJson(['run', scenario, '--topology', 'octopus-96', '--json', '--seed', '7']);
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it('--policy full-prefill never reuses; --records writes one line per request (CSV and JSONL)', async () => {
    const csv = tmp.path('r.csv');
    const r = await runJson<{ decisions: { exact: number; partial: number } }>([
      'run',
      scenario,
      '--topology',
      'rdma-96x3',
      '--policy',
      'full-prefill',
      '--records',
      csv,
      '--json',
    ]);
    expect(r.decisions.exact + r.decisions.partial).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]?.split(',')[0]).toBe('id');
    expect(lines).toHaveLength(301);
    const jsonl = tmp.path('r.jsonl');
    await runCli(['run', scenario, '--topology', 'rdma-96x3', '--records', jsonl, '--json']);
    const recs = readFileSync(jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ttftNs: number; e2eNs: number });
    expect(recs).toHaveLength(300);
    for (const x of recs) expect(x.e2eNs).toBeGreaterThanOrEqual(x.ttftNs);
  });

  it('bad input: unknown policy, records extension, a topology too small for the replicas', async () => {
    expectUsageError(
      await runCli(['run', scenario, '--topology', 'octopus-96', '--policy', 'greedy']),
      'policy',
    );
    expectUsageError(
      await runCli(['run', scenario, '--topology', 'octopus-96', '--records', tmp.path('x.txt')]),
      '--records',
    );
    expectInputError(await runCli(['run', scenario, '--topology', 'prototype-3']), 'replicas');
  });

  it('--fail adds the failure impact: hosts losing pooled memory and cached objects destroyed', async () => {
    const r = await runJson<{ failureImpact: { hostsAffected: number; objectsLost: number } }>([
      'run',
      scenario,
      '--topology',
      'octopus-96',
      '--fail',
      'device:d0',
      '--json',
    ]);
    expect(r.failureImpact.hostsAffected).toBe(4);
    expect(r.failureImpact.objectsLost).toBeGreaterThanOrEqual(0);
    expectUsageError(
      await runCli(['run', scenario, '--topology', 'octopus-96', '--fail', 'device:d999']),
      '--fail',
      'd999',
    );
  });
});
