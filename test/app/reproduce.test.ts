/**
 * `podsim reproduce`: the verdict rule on hand-picked values, and the Octopus reproduction end
 * to end — every figure computed (finite), the prototype's RPC ratios inside their bands, and
 * the JSON carrying the same figures as the table.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, type Table } from '../../src/report/table.ts';
import { reproduction, verdictOf, type Reproduction } from '../../src/app/reproduce/figures.ts';
import { reproductionTables } from '../../src/cli/reproduce-tables.ts';
import { runCli } from '../cli/run.ts';

describe('verdictOf', () => {
  it('is reproduced inside the band, edges included', () => {
    expect(verdictOf(3.2, 2.9, 3.5)).toBe('reproduced');
    expect(verdictOf(2.9, 2.9, 3.5)).toBe('reproduced');
    expect(verdictOf(3.5, 2.9, 3.5)).toBe('reproduced');
  });
  it('is close within 15 % of the nearer edge, and differs beyond', () => {
    // low edge 2.9: 15 % of it is 0.435, so 2.465 is the last close value below the band
    expect(verdictOf(2.5, 2.9, 3.5)).toBe('close');
    expect(verdictOf(2.4, 2.9, 3.5)).toBe('differs');
    // high edge 3.5: 15 % is 0.525 → close up to 4.025
    expect(verdictOf(4.0, 2.9, 3.5)).toBe('close');
    expect(verdictOf(4.1, 2.9, 3.5)).toBe('differs');
    expect(verdictOf(4.1, 2.9, 3.5, 0.2)).toBe('close'); // 20 % of 3.5 = 0.7
  });
  it('takes an open band (an absent end): "< 0" is met by any negative value, missed by any other', () => {
    expect(verdictOf(-4, undefined, 0)).toBe('reproduced');
    expect(verdictOf(0.01, undefined, 0)).toBe('differs'); // the edge is 0, so no slack
    expect(verdictOf(200, 96)).toBe('reproduced');
    expect(verdictOf(90, 96)).toBe('close'); // within 15 % of 96
  });
  it('never calls a non-finite value anything but differs', () => {
    expect(verdictOf(Number.NaN, 0, 1)).toBe('differs');
    expect(verdictOf(Number.POSITIVE_INFINITY, 0, Number.POSITIVE_INFINITY)).toBe('differs');
  });
  it('counts verdicts', () => {
    const base = { figure: 'f', published: 'p', setting: 's', unit: '×' as const, why: 'w' };
    const r = reproduction('x', 'X', [
      { ...base, id: 'a', value: 1, low: 0, high: 2, settingKind: 'paper' },
      { ...base, id: 'b', value: 2.2, low: 0, high: 2, settingKind: 'paper' },
      { ...base, id: 'c', value: 9, low: 0, high: 2, settingKind: 'beyond' },
    ]);
    expect(r.verdicts).toEqual({ reproduced: 1, close: 1, differs: 1 });
    expect(r.figures.map((f) => f.verdict)).toEqual(['reproduced', 'close', 'differs']);
  });
});

interface Json {
  readonly paper: string;
  readonly figures: readonly {
    id: string;
    value: number;
    verdict: string;
    settingKind: string;
    why: string;
  }[];
}

describe('podsim reproduce octopus', () => {
  it('computes every figure, with the prototype RPC ratios and the pooling verdicts in their bands', async () => {
    const run = await runCli(['reproduce', 'octopus', '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toMatch(/null|Infinity|NaN/);
    const r = JSON.parse(run.stdout) as Json;
    expect(r.paper).toBe('octopus');
    for (const f of r.figures) {
      expect(Number.isFinite(f.value), f.id).toBe(true);
      expect(f.why.length, f.id).toBeGreaterThan(0);
    }
    const byId = new Map(r.figures.map((f) => [f.id, f]));
    expect(byId.get('rpc.prototype.vs-rdma')?.verdict).toBe('reproduced');
    expect(byId.get('rpc.prototype.vs-switch')?.verdict).toBe('reproduced');
    // the paper's pooling setting (plans/octopus-paper.yaml): Octopus saves, switches cost
    expect(byId.get('pool.octopus-net-saving')?.verdict).toBe('reproduced');
    expect(byId.get('pool.switched-net-cost')?.value).toBeLessThan(0);
    expect(r.figures.some((f) => f.settingKind === 'beyond')).toBe(true);
    // the table the text form prints carries the same figures, paper settings first
    const [table] = reproductionTables(r as unknown as Reproduction);
    expect(table?.rows).toHaveLength(r.figures.length);
    expect(table?.title).toMatch(/published figures beside podsim's/);
    // the README's table is this table, as `--markdown` prints it
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const { columns, rows } = table as Table;
    const body = renderMarkdown({ columns, rows });
    expect(readme).toContain(body);
    expect(table?.rows.map((row) => row[2])).toEqual(
      [...r.figures]
        .map((f) => f.settingKind)
        .sort((x, y) => (x === y ? 0 : x === 'paper' ? -1 : 1)),
    );
  });
  it('refuses an unknown paper, naming the known ones', async () => {
    const bad = await runCli(['reproduce', 'nosuchpaper']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/octopus/);
  });
});
