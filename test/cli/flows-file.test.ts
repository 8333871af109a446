/**
 * Flows files with units (issue 14: the README's `flows` example had no sample file, and a
 * flows file rejected "1 GB"): sizes and times may be unit strings or plain base-unit numbers,
 * the bundled sample runs as the README shows it, and mixing `start` with `startNs` is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApprox } from '../helpers/approx.ts';
import { expectInputError, runCli, runJson, tempDir, type TempDir } from './run.ts';

interface FlowRow {
  id: string;
  finishNs: number;
  latencyNs: number;
  averageRateBytesPerNs: number;
}

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir('podsim-flows-file-');
});
afterAll(() => tmp.cleanup());

describe('flows files with units', () => {
  it('"1 GB" starting at "2 ms" is the same flow as 1e9 bytes at startNs 2e6', async () => {
    const withUnits = tmp.file(
      'units.json',
      JSON.stringify([{ id: 'a', src: 'd0', dst: 'h0.gpu0', bytes: '1 GB', start: '2 ms' }]),
    );
    const plain = tmp.file(
      'plain.json',
      JSON.stringify([{ id: 'a', src: 'd0', dst: 'h0.gpu0', bytes: 1e9, startNs: 2e6 }]),
    );
    const a = await runJson<FlowRow[]>(['flows', 'prototype-3', '--flows', withUnits, '--json']);
    const b = await runJson<FlowRow[]>(['flows', 'prototype-3', '--flows', plain, '--json']);
    expect(a).toEqual(b);
    // One flow alone on a 28 GB/s path: 1e9 B ÷ 28 B/ns ≈ 35.7 ms of moving, after 2 ms and its latency.
    expectApprox((a[0] as FlowRow).averageRateBytesPerNs, 28, 1e-3);
    expect((a[0] as FlowRow).finishNs).toBeGreaterThan(2e6 + 1e9 / 28);
  });

  it('the bundled sample runs as the README shows it', async () => {
    const rows = await runJson<FlowRow[]>([
      'flows',
      'octopus-96',
      '--flows',
      'scenarios/flows/octopus-96.json',
      '--json',
    ]);
    expect(rows.map((r) => r.id)).toEqual([
      'cache-to-gpu0',
      'cache-to-gpu1',
      'late-fetch',
      'host-to-host',
    ]);
    for (const r of rows) expect(r.averageRateBytesPerNs).toBeGreaterThan(0);
  });

  it('a size in the wrong unit, and start with startNs, are refused with their paths', async () => {
    const file = tmp.file(
      'bad.json',
      JSON.stringify([
        { id: 'a', src: 'd0', dst: 'h0.gpu0', bytes: '5 ms' },
        { id: 'b', src: 'd0', dst: 'h0.gpu0', bytes: 1, start: '1 ms', startNs: 5 },
      ]),
    );
    expectInputError(
      await runCli(['flows', 'prototype-3', '--flows', file]),
      'bad.json',
      '[0].bytes',
      '[1].startNs',
    );
  });
});
