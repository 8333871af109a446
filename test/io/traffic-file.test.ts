/**
 * Traffic matrix files (src/io/traffic-file.ts): the format (header, comments, blank lines, CRLF,
 * repeated pairs), every mistake reported at once at its line and column with a stable code, and
 * the fuzz contract every loader keeps (any text loads or fails with a PodsimError naming the file).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import { parseTrafficCsv, readTrafficFile } from '../../src/io/traffic-file.ts';
import { tempDir } from '../cli/run.ts';
import { parsesOrPodsimError, thrown } from '../helpers/errors.ts';

const HOSTS = ['h0', 'h1', 'h2', 'h3'];
const tmp = tempDir('podsim-traffic-');
afterAll(() => tmp.cleanup());

const issuesOf = (text: string): (string | number | undefined)[][] =>
  thrown(InputError, () => parseTrafficCsv(text, 't.csv', HOSTS)).issues.map((i) => [
    i.code,
    i.path[0],
  ]);

describe('traffic files', () => {
  it('reads entries with their lines; header, comments, blank lines and CRLF are fine', () => {
    const m = parseTrafficCsv(
      '# my traffic\r\nsrc, dst, weight\r\n\r\nh0,h1,3\r\n h1 , h0 , 1e0 \r\nh2,h3,0.25\r\n',
      't.csv',
      HOSTS,
    );
    expect(m).toEqual({
      kind: 'pairs',
      source: 't.csv',
      entries: [
        { src: 'h0', dst: 'h1', weight: 3, line: 4 },
        { src: 'h1', dst: 'h0', weight: 1, line: 5 },
        { src: 'h2', dst: 'h3', weight: 0.25, line: 6 },
      ],
    });
  });

  it('every problem at once, each at its line and column', () => {
    expect(
      issuesOf('h0,h9,1\nh0,h0,2\nh1,h2,-1\nh1,h2\nh1,h2,3 ms\n,h1,1\nsrc,dst,weight\n'),
    ).toEqual([
      ['traffic.unknown-host', 'line 1, column 2 (dst)'],
      ['traffic.self', 'line 2, column 2 (dst)'],
      ['traffic.bad-weight', 'line 3, column 3 (weight)'],
      ['traffic.columns', 'line 4'],
      ['traffic.bad-weight', 'line 5, column 3 (weight)'],
      ['traffic.empty-cell', 'line 6, column 1 (src)'],
      // a header is only a header on the first line
      ['traffic.bad-weight', 'line 7, column 3 (weight)'],
    ]);
  });

  it('an empty file, a header alone, or only zero weights: no traffic', () => {
    expect(issuesOf('')).toEqual([['traffic.empty', undefined]]);
    expect(issuesOf('src,dst,weight\n# nothing\n')).toEqual([['traffic.empty', undefined]]);
    expect(issuesOf('h0,h1,0\n')).toEqual([['traffic.empty', undefined]]);
  });

  it('an unknown host gets the closest id; the error names the file', () => {
    const e = thrown(InputError, () => parseTrafficCsv('h0,h11,1\n', 'x.csv', HOSTS));
    expect(e.file).toBe('x.csv');
    expect(e.message).toMatch(/^x\.csv: line 1, column 2 \(dst\): unknown host "h11"/);
  });

  it('reads from disk; a missing file is an input error naming it', () => {
    const file = tmp.file('ok.csv', 'h0,h1,1\n');
    expect(readTrafficFile(file, HOSTS).kind).toBe('pairs');
    const e = thrown(InputError, () => readTrafficFile(tmp.path('missing.csv'), HOSTS));
    expect(e.issues.map((i) => i.code)).toEqual(['input.read']);
    expect(e.file).toBe(tmp.path('missing.csv'));
  });

  it('any text loads or fails with a PodsimError naming the file', () => {
    const cell = fc.oneof(fc.constantFrom('h0', 'h1', 'h9', '', '-1', '2', 'x'), fc.string());
    const line = fc.array(cell, { maxLength: 4 }).map((c) => c.join(','));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        parsesOrPodsimError(
          (text, file) => parseTrafficCsv(text, file, HOSTS),
          lines.join('\n'),
          'f.csv',
        );
      }),
    );
  });
});
