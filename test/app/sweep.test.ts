/**
 * Sweep points in the app layer (src/app/sweep.ts): a point the topology schema or the generator
 * refuses becomes an error record with the message loading a file would give — the schema's
 * without a file name, the generator's naming the topology file — and no simulation runs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluatePoint, prepareSweep } from '../../src/app/sweep.ts';
import { parseJsonl } from '../../src/app/sweep-records.ts';
import { InputError, LimitError } from '../../src/errors/index.ts';
import { LIMITS } from '../../src/errors/limits.ts';

describe('evaluatePoint', () => {
  it('keeps refused points as error records, with the messages of the loader', () => {
    const read: string[] = [];
    const ctx = prepareSweep(
      {
        scenario: 'droidspeak-8b',
        topology: 'octopus-bibd-25',
        grid: ['hostPorts=3', 'devicePorts=5'],
      },
      (path) => {
        read.push(path);
        return readFileSync(path, 'utf8');
      },
    );
    expect(read).toHaveLength(1);
    expect(read[0]).toMatch(/octopus-bibd-25\.yaml$/);
    const generator = evaluatePoint(ctx, 0);
    expect(generator).toMatchObject({ point: 0, params: { hostPorts: 3, devicePorts: 5 } });
    expect('error' in generator && generator.error).toMatch(
      /^octopus-bibd-25\.yaml: params: no λ=1 block design exists for hostPorts 3, devicePorts 5: /,
    );
  });
});

describe('prepareSweep: the grid checked before any point runs', () => {
  const prepare = (grid: string[], topology = 'octopus-bibd-25') =>
    prepareSweep({ scenario: 'droidspeak-8b', topology, grid }, (p) => readFileSync(p, 'utf8'));

  it('refuses a value outside the generator parameter domain, naming the axis', () => {
    expect(() => prepare(['hostPorts=0,3', 'devicePorts=5'])).toThrowError(
      /--grid hostPorts: "0" is out of range: expected an integer between 1 and 1024, got 0/,
    );
    expect(() => prepare(['hosts=0,16'], 'octopus-96')).toThrowError(InputError);
    expect(() => prepare(['hosts=0,16'], 'octopus-96')).toThrowError(/--grid hosts: "0"/);
    expect(() => prepare(['seed=-1'], 'octopus-96')).toThrowError(/--grid seed: "-1"/);
  });

  it('takes grid keys as the flags spell them: host-ports=4,8 is hostPorts=4,8 (issue 14)', () => {
    const flagSpelling = prepare(['host-ports=4,8', 'device-ports=4']);
    const fileSpelling = prepare(['hostPorts=4,8', 'devicePorts=4']);
    expect(flagSpelling.points).toEqual(fileSpelling.points);
    expect(flagSpelling.points.map((p) => p.params)).toEqual([
      { hostPorts: 4, devicePorts: 4 },
      { hostPorts: 8, devicePorts: 4 },
    ]);
  });

  it('refuses a grid above LIMITS.sweepPoints before expanding it, naming the axes and the limit', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => i + 2).join(',');
    // 1,000 × 1,000 × 1,000 × 1,000 = 1e12 points
    const grid = ['requests', 'scenarioSeed', 'hostPorts', 'devicePorts'].map(
      (k) => `${k}=${values(1000)}`,
    );
    let err: unknown;
    try {
      prepare(grid);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LimitError);
    expect((err as LimitError).message).toContain('1,000,000,000,000 points');
    expect((err as LimitError).message).toContain(
      `limit of ${LIMITS.sweepPoints.toLocaleString('en-US')} points`,
    );
    expect((err as LimitError).message).toContain('requests (1000) × scenarioSeed (1000)');
  });
});

describe('parseJsonl: a shard file is checked whole, never half-read', () => {
  const header = JSON.stringify({
    sweep: {
      grid: { rate: [8, 16] },
      scenario: 's',
      topology: 't',
      points: 2,
      shard: { index: 1, count: 1 },
    },
  });
  const record = (extra: Record<string, unknown>) =>
    JSON.stringify({
      point: 0,
      params: { rate: 8 },
      topology: 't',
      hosts: 4,
      goodputPerS: 1,
      throughputPerS: 1,
      sloAttainment: 1,
      ttftP50Ns: 1,
      ttftP99Ns: 1,
      rpcP50Ns: 1,
      fetchBandwidthBytesPerNs: 1,
      decisions: { exact: 1, partial: 0, fullPrefill: 0 },
      fabricCostPerHostUsd: 1,
      ...extra,
    });

  it('accepts what renderJsonl writes', () => {
    expect(parseJsonl(`${header}\n${record({})}\n`, 'a.jsonl').records).toHaveLength(1);
  });

  it('refuses a metric that is NaN, null or a string, naming the line and the field', () => {
    expect(() =>
      parseJsonl(`${header}\n${record({ goodputPerS: null })}\n`, 'a.jsonl'),
    ).toThrowError(/a\.jsonl: line 2: point 0: goodputPerS must be finite numbers/);
    expect(() =>
      parseJsonl(
        `${header}\n${record({}).replace('"goodputPerS":1', '"goodputPerS":NaN')}\n`,
        'a.jsonl',
      ),
    ).toThrowError(/line 2: not JSON/);
    expect(() => parseJsonl(`${header}\n${record({ decisions: {} })}\n`, 'a.jsonl')).toThrowError(
      /decisions/,
    );
  });

  it('refuses a binary file in one line', () => {
    expect(() => parseJsonl('\u0000\u0001garbage\n'.repeat(1000), 'b.bin')).toThrowError(
      /b\.bin: binary data .*not a podsim sweep output/,
    );
  });

  it('lists at most 20 problems of a foreign file', () => {
    const err = (() => {
      try {
        parseJsonl('x\n'.repeat(10_000), 'c.txt');
      } catch (e) {
        return e as InputError;
      }
      return undefined;
    })();
    expect(err?.issues).toHaveLength(21);
    expect(err?.message).toContain('and 9980 more problems');
  });

  it('refuses a header of 1e12 points as a limit, and one whose count does not match its grid', () => {
    const big = header
      .replace('"points":2', '"points":1000000000000')
      .replace(
        '"rate":[8,16]',
        `"rate":[${Array.from({ length: 1000 }, (_, i) => i + 1).join(',')}],"requests":[${Array.from({ length: 1000 }, (_, i) => i + 1).join(',')}],"seed":[${Array.from({ length: 1000 }, (_, i) => i + 1).join(',')}],"x":[${Array.from({ length: 1000 }, (_, i) => i + 1).join(',')}]`,
      );
    expect(() => parseJsonl(`${big}\n`, 'd.jsonl')).toThrowError(LimitError);
    expect(() =>
      parseJsonl(`${header.replace('"points":2', '"points":1e12')}\n`, 'e.jsonl'),
    ).toThrowError(/e\.jsonl: line 1: sweep.points is 1000000000000, but the grid has 2 points/);
  });
});
