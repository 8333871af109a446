/**
 * `podsim rpc <topology> --traffic …`: the locality table beside the per-medium one, JSON with the
 * split, file matrices, and the mistakes (bad share, bad file, --traffic with --from/--to), each
 * refused with a message naming the flag or the file and its line.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RpcLocality, RpcSummary } from '../../src/fabric/rpc.ts';
import { expectInputError, expectUsageError, runCli, runJson, tempDir } from './run.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('podsim rpc --traffic', () => {
  it('prints the split by locality under uniform traffic by default', async () => {
    const r = await runCli(['rpc', 'hybrid-4x13']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('RPC round trips by locality, hybrid-4x13');
    expect(r.stdout).toContain('traffic uniform');
    for (const row of ['sharing a device', 'relayed over CXL', 'no CXL path (RDMA)', 'all pairs'])
      expect(r.stdout).toContain(row);
  });

  it('--json carries the per-medium summary and the split; local weighs direct pairs', async () => {
    const r = await runJson<RpcSummary & { locality: RpcLocality }>([
      'rpc',
      'hybrid-4x13',
      '--traffic',
      'local:0.75',
      '--json',
    ]);
    expect(r.cheapest.pairs).toBe(1326);
    expect(r.locality.traffic).toBe('local:0.75');
    expect(r.locality.direct.pairs).toBe(312);
    expect(r.locality.rdmaOnly.pairs).toBe(1014);
    // every hybrid host has pod peers and RDMA peers: exactly 75 % stays in the pod
    expect(r.locality.direct.trafficShare).toBeCloseTo(0.75, 12);
    expect(r.locality.rdmaOnly.p50Ns).toBeGreaterThan(3 * (r.locality.direct.p50Ns ?? Infinity));
  });

  it('a file matrix: weighted over the pairs it names', async () => {
    const file = tmp.file('two.csv', 'src,dst,weight\nh0,h1,3\nh2,h0,1\n');
    const r = await runJson<{ locality: RpcLocality }>([
      'rpc',
      'prototype-3',
      '--traffic',
      file,
      '--json',
    ]);
    expect(r.locality.traffic).toBe(`file ${file}`);
    expect(r.locality.direct.trafficShare).toBe(1);
    const pair = await runJson<{ best: { roundTripNs: number } }>([
      'rpc',
      'prototype-3',
      '--from',
      'h0',
      '--to',
      'h1',
      '--json',
    ]);
    expect(r.locality.all.p50Ns).toBe(pair.best.roundTripNs);
  });

  it('is deterministic: the same command twice prints the same bytes', async () => {
    const a = await runCli(['rpc', 'octopus-bibd-25', '--traffic', 'local', '--json']);
    const b = await runCli(['rpc', 'octopus-bibd-25', '--traffic', 'local', '--json']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('mistakes name the flag, or the file and the line', async () => {
    expectUsageError(await runCli(['rpc', 'prototype-3', '--traffic', 'local:7']), '--traffic');
    expectInputError(
      await runCli(['rpc', 'prototype-3', '--traffic', tmp.path('none.csv')]),
      'none.csv',
      'no such file',
    );
    const bad = tmp.file('bad.csv', 'h0,h1,1\nh0,h7,1\nh1,h2,-3\n');
    expectInputError(
      await runCli(['rpc', 'prototype-3', '--traffic', bad]),
      'bad.csv',
      'line 2, column 2 (dst)',
      'h7',
      'line 3, column 3 (weight)',
    );
    expectUsageError(
      await runCli(['rpc', 'prototype-3', '--traffic', 'local', '--from', 'h0', '--to', 'h1']),
      '--traffic',
      '--from',
    );
  });
});
