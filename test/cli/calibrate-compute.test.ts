/**
 * `podsim calibrate`'s compute rows end to end (docs/compute.md "Calibration points"): in the
 * text table beside the fabric rows, in `--json` as numbers in ns, and in `--csv` as raw numbers
 * with the unit in the column name.
 */
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from './run.ts';

describe('calibrate: compute rows', () => {
  it('--json adds a compute array of raw numbers, every row within ±15 %', async () => {
    const c = await runJson<{
      rows: unknown[];
      compute: {
        id: string;
        publishedNs: number;
        modelNs: number;
        ratio: number;
        within: boolean;
      }[];
    }>(['calibrate', '--json']);
    expect(c.rows.length).toBeGreaterThan(0); // the fabric rows stay
    expect(c.compute.length).toBeGreaterThanOrEqual(11);
    const prefill4k = c.compute.find((r) => r.id === 'a100-prefill-4096');
    expect(prefill4k?.publishedNs).toBe(304e6);
    for (const r of c.compute) {
      expect(typeof r.modelNs).toBe('number');
      expect(r.within, r.id).toBe(true);
    }
  });

  it('--csv ends with a compute table in ns whose cells parse as numbers', async () => {
    const r = await runCli(['calibrate', '--csv']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const header = lines.findIndex((l) =>
      l.startsWith('id,quantity,gpu,source,published_ns,model_ns'),
    );
    expect(header).toBeGreaterThan(0);
    const row = splitCsv(lines[header + 1] ?? '');
    expect(row[0]).toBe('a100-prefill-1024');
    expect(Number(row[4])).toBe(78.5e6);
    expect(Number.isFinite(Number(row[5]))).toBe(true);
  });

  it('the text table shows published, model, ratio and verdict', async () => {
    const r = await runCli(['calibrate']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Compute model beside published figures');
    expect(r.stdout).toMatch(/Llama-3\.1-8B prefill, 40,000 tokens, A100 .* within ±15 %/);
    expect(r.stdout).not.toContain('OUTSIDE ±15 %');
  });
});

/** Cells of one RFC 4180 CSV line (quoted cells may hold commas). */
function splitCsv(line: string): string[] {
  return [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
    .map((m) => m[1] ?? '')
    .slice(0, -1)
    .map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c));
}
