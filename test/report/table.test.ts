/**
 * Text tables fitted to a terminal (issue 14: `scenario list` printed rows of 385 columns): the
 * widest text column is cut with `…` until the table fits, numbers are never cut, and without a
 * width (pipes, files, `--wide`) nothing changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_FITTED_COLUMN, renderText, type Table } from '../../src/report/table.ts';

const table: Table = {
  columns: [{ header: 'name' }, { header: 'description' }, { header: 'requests', align: 'right' }],
  rows: [
    ['droidspeak-8b', 'DroidSpeak 8B-class pairs on A100-80GB with synthetic profiles', '2000'],
    ['droidspeak-70b', 'Llama-3.1-70B pairs on tp-4 replicas', '1000'],
  ],
};

const widest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));

describe('renderText fitted to a width', () => {
  it('without a width, is the natural table (no cell cut)', () => {
    const text = renderText(table);
    expect(text).toContain('DroidSpeak 8B-class pairs on A100-80GB with synthetic profiles');
    expect(text).not.toContain('…');
  });

  it('at 60 columns cuts the description (the widest text column) to fit, keeping the numbers', () => {
    // Natural widths: name 14, description 62, requests 8 → 14 + 2 + 62 + 2 + 8 = 88 columns.
    // At 60 the description gets 60 − (14 + 2 + 2 + 8) = 34 columns: 33 characters and "…".
    const text = renderText(table, { maxWidth: 60 });
    expect(widest(text)).toBe(60);
    expect(text).toContain('DroidSpeak 8B-class pairs on A100…');
    expect(text).toContain('2000');
    expect(text).toContain('droidspeak-70b');
  });

  it('never cuts numbers nor a text column below its header or the minimum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), (w) => {
        const text = renderText(table, { maxWidth: w });
        const floor = 14 + 2 + Math.max(MIN_FITTED_COLUMN, 'description'.length) + 2 + 8;
        expect(widest(text)).toBeLessThanOrEqual(Math.max(w, Math.min(88, floor)));
        expect(text).toContain('2000');
        expect(text).toContain('1000');
      }),
    );
  });
});
