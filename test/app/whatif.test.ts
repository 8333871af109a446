/**
 * What-if: columns per fabric, winners marked per row, and the failure view (hosts that lose
 * pooled memory, the same scenario re-run).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { renderText } from '../../src/report/table.ts';
import { whatIfTable } from '../../src/report/whatif.ts';
import type { SimConfig } from '../../src/sim/types.ts';
import { whatIf } from '../../src/app/whatif.ts';

const { scenario } = loadScenario('droidspeak-8b');
const small: SimConfig = { ...scenario, workload: { ...scenario.workload, requests: 200 } };

describe('whatIf', () => {
  const proto = loadTopology('prototype-3').graph;
  const rdma = loadTopology('rdma-32x1').graph;
  const cfg: SimConfig = {
    ...small,
    serving: {
      ...small.serving,
      replicas: [
        { variant: 'evolcode', count: 1 },
        { variant: 'toolace', count: 1 },
      ],
    },
    workload: {
      ...small.workload,
      variants: [
        { id: 'evolcode', weight: 1 },
        { id: 'toolace', weight: 1 },
      ],
    },
  };

  it('runs every column and marks the best of each comparable row with ★', () => {
    const cols = whatIf(
      [
        { label: 'prototype-3', graph: proto, failures: {} },
        { label: 'rdma-32x1', graph: rdma, failures: {} },
      ],
      cfg,
    );
    expect(cols.map((c) => c.run.requests.completed)).toEqual([200, 200]);
    const table = whatIfTable(cols, 'droidspeak-8b', [1000, 2000]);
    const costRow = table.rows.find((r) => r[0] === 'fabric cost per host');
    expect(costRow?.[1]).toContain('★');
    expect(costRow?.[2]).not.toContain('★');
    const rpc = table.rows.find((r) => r[0] === 'RPC p50, 64 B, all pairs, uniform traffic');
    expect(rpc?.[1]).toContain('★'); // the shared MHD beats RDMA
    // RDMA has no pair sharing a device: nothing to compare, so no ★ in that row
    const direct = table.rows.find((r) => r[0] === 'RPC p50, 64 B, hosts sharing a device');
    expect(direct?.slice(1).map((v) => v.includes('★'))).toEqual([false, false]);
    expect(direct?.[2]).toBe('–');
    expect(table.rows.find((r) => r[0]?.startsWith('RPC traffic'))?.slice(1)).toEqual([
      '100 % / 0 % / 0 %',
      '0 % / 0 % / 100 %',
    ]);
    expect(table.title).toContain('RPC traffic: uniform');
    expect(renderText(table).split('\n').length).toBeGreaterThan(10);
  });

  it('the RPC rows follow the traffic matrix given, and the title names it', () => {
    const cases = [{ label: 'prototype-3', graph: proto, failures: {} }];
    const cols = whatIf(cases, cfg, undefined, { traffic: { kind: 'local', localShare: 0.5 } });
    expect(cols[0]?.rpcLocality.traffic).toBe('local:0.5');
    const table = whatIfTable(cols, 'droidspeak-8b');
    expect(table.title).toContain('RPC traffic: local:0.5');
    expect(table.rows.some((r) => r[0] === 'RPC p50, 64 B, all pairs, local:0.5 traffic')).toBe(
      true,
    );
  });

  it('with failures: the column reports hosts that lose pooled memory', () => {
    const cols = whatIf(
      [{ label: 'prototype-3 (fail device:d0)', graph: proto, failures: { devices: ['d0'] } }],
      cfg,
    );
    expect(cols[0]?.reachLoss?.hostsAffected).toBe(3);
    // an intact run caches on d0; failing d0 at its end destroys those objects
    expect(cols[0]?.reachLoss?.objectsLost).toBeGreaterThan(0);
    expect(cols[0]?.reachLoss?.bytesLost).toBeGreaterThan(0);
    // with the only MHD down, the pool falls back to host DRAM and caches travel over RDMA
    expect(cols[0]?.run.bytesMoved.fetchCxl).toBe(0);
    expect(cols[0]?.run.bytesMoved.fetchRdma).toBeGreaterThan(0);
  });
});
