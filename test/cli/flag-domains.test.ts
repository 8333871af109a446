/**
 * Every numeric flag has a domain checked at the boundary (issue 15 item 4, CLI part): a usage
 * error naming the flag and what is allowed, never a NaN, a silent 0 or a huge seed going in;
 * and no NaN/Infinity reaches an output as `null`.
 */
import { describe, expect, it } from 'vitest';
import { integerFlag, MAX_SEED, withOverrides } from '../../src/cli/flags.ts';
import { emit, json, omitNonFinite } from '../../src/cli/output.ts';
import { InputError } from '../../src/errors/index.ts';
import { loadScenario } from '../../src/io/index.ts';
import { expectUsageError, runCli, runJson } from './run.ts';

const REQUEST = '{"variant": "evolcode", "tokens": 10933, "host": "h0"}';
const explain = ['explain', 'droidspeak-8b', '--topology', 'prototype-3', '--request', REQUEST];

describe('explain --queue: a whole number ≥ 0', () => {
  it.each(['NaN', '-3', '2.5', '', '1e3', '0x10', 'Infinity'])('refuses %j', async (q) => {
    expectUsageError(
      await runCli([...explain, '--queue', q]),
      '--queue: expected a whole number from 0 to 1,000,000',
      `got ${JSON.stringify(q)}`,
    );
  });

  it('takes 0 and 4', async () => {
    for (const q of ['0', '4'])
      expect(
        (await runJson<{ request: { queueLength: number } }>([...explain, '--queue', q, '--json']))
          .request.queueLength,
      ).toBe(Number(q));
  });
});

describe('--seed: a whole number 0 … 2^32 − 1', () => {
  it.each(['1e308', String(2 ** 53), '', '-1', '2.5', String(2 ** 32)])(
    'whatif refuses %j before any work',
    async (seed) => {
      expectUsageError(
        await runCli(['whatif', '--topologies', 'prototype-3', '--seed', seed]),
        '--seed: expected a whole number from 0 to 4,294,967,295',
      );
    },
  );

  it.each(['', '1e308'])('run refuses %j before the simulation (was read as 0)', async (seed) => {
    expectUsageError(
      await runCli(['run', 'droidspeak-8b', '--topology', 'prototype-3', '--seed', seed]),
      '--seed: expected a whole number from 0 to 4,294,967,295',
    );
  });

  it('topology fit refuses a seed that is not a whole number, as a usage mistake', async () => {
    expectUsageError(
      await runCli(['topology', 'fit', 'octopus-sparse', '--seed', '2.5']),
      '--seed: expected a whole number from 1 to 4,294,967,295',
    );
  });

  it('topology fit refuses a reach or rack pitch outside its domain as a usage mistake, naming the flag', async () => {
    expectUsageError(
      await runCli(['topology', 'fit', 'octopus-islands', '--reach', '1e308m']),
      '--reach: "1e308m" is out of range',
    );
    expectUsageError(
      await runCli(['topology', 'fit', 'octopus-islands', '--rack-pitch', '5kg']),
      '--rack-pitch:',
    );
    expectUsageError(
      await runCli(['topology', 'fit', 'octopus-islands', '--wiring', 'reach']),
      '--wiring: only octopus-sparse',
    );
  });

  it('withOverrides takes the largest seed and refuses numbers yargs parsed', () => {
    const { scenario } = loadScenario('droidspeak-8b');
    expect(withOverrides(scenario, { seed: String(MAX_SEED) }).seed).toBe(MAX_SEED);
    expect(withOverrides(scenario, { seed: 7 }).seed).toBe(7);
    expect(() => withOverrides(scenario, { seed: 1e308 })).toThrow(InputError);
    expect(() => withOverrides(scenario, { seed: Number.NaN })).toThrow(/got "NaN"/);
  });
});

describe('integerFlag', () => {
  it('accepts digits in range, with a sign or spaces, and names the flag otherwise', () => {
    expect(integerFlag(' +12 ', '--n', 0, 20, 'things')).toBe(12);
    expect(() => integerFlag('21', '--n', 0, 20, 'things')).toThrow(
      '--n: expected a whole number from 0 to 20 (things), got "21"',
    );
  });
});

describe('--size: a whole number of bytes with a unit', () => {
  it.each(['1e-300 B', '0.5 B', '1e20 B'])('rpc refuses %j', async (size) => {
    expectUsageError(
      await runCli(['rpc', 'prototype-3', '--from', 'h0', '--to', 'h1', '--size', size]),
      '--size: expected a whole number of bytes from 0 B to 9 PB',
      size,
    );
  });

  it.each(['NaN B', '', '64'])('fetch refuses %j (units/parse.ts)', async (size) => {
    expectUsageError(
      await runCli(['fetch', 'prototype-3', '--host', 'h0', '--size', size]),
      '--size: ',
    );
  });
});

describe('topology generate parameter flags', () => {
  it('a seed past 2^53 is refused, not rounded', async () => {
    expectUsageError(
      await runCli([
        ...['topology', 'generate', 'octopus-sparse', '--hosts', '20'],
        ...['--host-ports', '4', '--device-ports', '4', '--seed', '9007199254740993'],
      ]),
      '--seed: ',
      '9007199254740993',
    );
  });
});

describe('--traffic', () => {
  it('refuses an empty value as a usage mistake (was read as a file named "")', async () => {
    expectUsageError(await runCli(['rpc', 'prototype-3', '--traffic', '']), '--traffic: ', 'empty');
  });
});

describe('whatif --topologies', () => {
  it('refuses an empty list and an empty name', async () => {
    expectUsageError(await runCli(['whatif', '--topologies']), '--topologies', 'got none');
    expectUsageError(await runCli(['whatif', '--topologies', '']), 'got an empty name');
  });
});

describe('no NaN or Infinity printed as a value', () => {
  it('json() refuses a non-finite number, naming the key', () => {
    expect(() => json({ a: { ttftNs: Number.NaN } })).toThrow(/NaN at key "ttftNs"/);
    expect(() => json([1, Number.POSITIVE_INFINITY])).toThrow(/Infinity at key "1"/);
    expect(json({ a: 1 })).toBe('{\n  "a": 1\n}\n');
  });

  it('a table cell showing NaN or Infinity is refused, naming the table, column and row', () => {
    const table = { title: 'T', columns: [{ header: 'p50' }], rows: [['1 ms'], ['NaN ms']] };
    expect(() => emit('csv', [table], {})).toThrow(
      'table "T", column "p50", row 2 would print "NaN ms"',
    );
  });

  it('omitNonFinite drops only the named non-finite fields', () => {
    expect(omitNonFinite({ a: Number.POSITIVE_INFINITY, b: 2, c: Number.NaN }, ['a', 'b'])).toEqual(
      {
        b: 2,
        c: Number.NaN,
      },
    );
  });

  it('an unreachable fetch has no totalNs in its JSON (was null)', async () => {
    const r = await runJson<Record<string, unknown>>([
      ...['fetch', 'octopus-96', '--host', 'h0', '--size', '1 GB'],
      ...['--placement', 'host:h1', '--json'],
    ]);
    expect(r['reachable']).toBe(false);
    expect(r).not.toHaveProperty('totalNs');
  });

  it('explain without --slo has no ttftSloNs in its JSON (was null)', async () => {
    const r = await runJson<{ request: Record<string, unknown> }>([...explain, '--json']);
    expect(r.request).not.toHaveProperty('ttftSloNs');
  });
});
