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

/** The cells of one RFC 4180 CSV line (quoted cells may hold commas and doubled quotes). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

describe('--csv carries numbers in base units (issue 14)', () => {
  it('rpc, fetch and flows CSV cells under a unit-named header parse as finite numbers', async () => {
    const runs = [
      ['rpc', 'prototype-3', '--from', 'h0', '--to', 'h1', '--csv'],
      ['rpc', 'prototype-3', '--csv'],
      ['fetch', 'octopus-96', '--host', 'h0', '--size', '1.43GB', '--csv'],
      ['flows', 'octopus-96', '--flows', 'scenarios/flows/octopus-96.json', '--csv'],
    ];
    for (const args of runs) {
      const r = await runCli(args);
      expect(r.exitCode, args.join(' ')).toBe(0);
      for (const block of r.stdout.trim().split('\n\n')) {
        const [head, ...rows] = block.split('\n');
        const cols = csvCells(head ?? '');
        const numeric = cols
          .map((c, i) => ({ c, i }))
          .filter(({ c }) => /_(ns|bytes_per_ns|usd|share|per_s)$|^(bytes|pairs|vs_best)$/.test(c));
        expect(numeric.length, `${args.join(' ')}: ${head}`).toBeGreaterThan(0);
        for (const row of rows) {
          const cells = csvCells(row);
          for (const { c, i } of numeric) {
            const v = cells[i] ?? '';
            if (v === '') continue; // an empty cell: no value (e.g. the cheapest row's wins)
            expect(Number.isFinite(Number(v)), `${args.join(' ')}: ${c} = ${v}`).toBe(true);
          }
        }
      }
    }
  });
});

describe('--fail says what it took out (issue 14)', () => {
  it('rpc with --fail notes the failed elements on stderr, and --quiet silences the note', async () => {
    const args = ['rpc', 'prototype-3', '--from', 'h0', '--to', 'h1', '--fail', 'device:d0'];
    const r = await runCli(args);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('--fail: device d0 out of service in prototype-3');
    expect((await runCli([...args, '--quiet'])).stderr).toBe('');
    expect((await runCli([...args, '--json'])).stderr).toBe('');
  });
});
