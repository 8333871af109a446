/**
 * `podsim sweep -o` reruns and `podsim merge` on hostile files (issue 15; docs/sweeps.md
 * "Interrupting and resuming", "Limits"): an unfinished output of the same sweep is resumed,
 * one of another grid refused, a finished or foreign file replaced; an unwritable `-o` is
 * refused before any point runs; merge refuses NaN metrics, binary, device and oversized files
 * in one line without a stack trace.
 */
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors/index.ts';
import { LIMITS } from '../../src/errors/limits.ts';
import { openSweepOutput } from '../../src/cli/sweep-output.ts';
import { runCli, tempDir, type CliRun } from './run.ts';

const tmp = tempDir('podsim-sweep-resume-');
afterAll(() => tmp.cleanup());
const topology = tmp.file(
  'sparse.yaml',
  'name: sparse\ngenerator: octopus-sparse\nparams: { hosts: 16, hostPorts: 4, devicePorts: 4, seed: 1 }\noptions: { gpusPerHost: 2 }\n',
);
const scenario = tmp.file(
  'small.yaml',
  readFileSync(new URL('../../scenarios/droidspeak-8b.yaml', import.meta.url), 'utf8')
    .replace(/requests: 2000/, 'requests: 40')
    .replace(/count: 8 }/g, 'count: 2 }')
    .replace(/count: 4 }/g, 'count: 1 }'),
);
const sweep = (grid: string, out: string): Promise<CliRun> =>
  runCli(['sweep', scenario, '--topology', topology, '--grid', grid, '--workers', '1', '-o', out]);

/**
 * A refusal: a `podsim:` line naming every mention, no stack trace, nothing on stdout. The exit
 * code is one of `codes` (until src/cli/main.ts maps error classes, every PodsimError exits 2).
 */
function expectRefused(r: CliRun, codes: readonly number[], ...mentions: string[]): void {
  expect(codes, r.stderr).toContain(r.exitCode);
  expect(r.stderr).toMatch(/^podsim: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
  for (const m of mentions) expect(r.stderr).toContain(m);
}

describe('sweep -o rerun', () => {
  it('resumes an unfinished output of the same sweep, ending as an uninterrupted run', async () => {
    const full = tmp.path('full.jsonl');
    expect((await sweep('rate=4,8,16', full)).exitCode).toBe(0);
    const lines = readFileSync(full, 'utf8').split('\n');
    const partial = tmp.path('partial.jsonl');
    // as an interrupt leaves it: the header, then finished points in the order they finished
    writeFileSync(partial, [lines[0], lines[3], ''].join('\n'));
    const r = await sweep('rate=4,8,16', partial);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`resuming ${partial}: 1 of 3 points already there, 2 to run`);
    expect(r.stderr).toContain('2 of 3 points on 1 worker');
    expect(readFileSync(partial, 'utf8')).toBe(readFileSync(full, 'utf8'));
  });

  it('refuses an unfinished output of another grid, or one whose points do not match the grid', async () => {
    const full = tmp.path('other.jsonl');
    expect((await sweep('rate=4,8', full)).exitCode).toBe(0);
    const lines = readFileSync(full, 'utf8').split('\n');
    const partial = tmp.path('other-partial.jsonl');
    writeFileSync(partial, [lines[0], lines[1], ''].join('\n'));
    const before = readFileSync(partial, 'utf8');
    expectRefused(
      await sweep('rate=4,8,16', partial),
      [EXIT_CODES.usage, EXIT_CODES.input],
      `"${partial}" holds an unfinished sweep of grid rate=4,8`,
      'not this one (grid rate=4,8,16',
      'give another -o, or delete the file to start the sweep over',
    );
    expect(readFileSync(partial, 'utf8')).toBe(before);
    // same header, but point 0's params are not this grid's point 0
    writeFileSync(partial, [lines[0], lines[1]?.replace('"rate":4', '"rate":5'), ''].join('\n'));
    expectRefused(
      await sweep('rate=4,8', partial),
      [EXIT_CODES.usage, EXIT_CODES.input],
      `has point 0 with params {"rate":5}, but this grid's point 0 is {"rate":4}`,
    );
  });

  it("replaces a finished output (of any grid) and a file that is not a sweep's", async () => {
    const file = tmp.path('replace.jsonl');
    expect((await sweep('rate=4,8', file)).exitCode).toBe(0);
    const r = await sweep('rate=16', file);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('resuming');
    expect(readFileSync(file, 'utf8')).toContain('"grid":{"rate":[16]}');
    writeFileSync(file, 'some notes, not a sweep\n');
    expect((await sweep('rate=16', file)).exitCode).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('"grid":{"rate":[16]}');
  });

  it('refuses an unwritable -o before any point runs, leaving nothing behind', async () => {
    const blocker = tmp.file('blocker', 'a file, not a folder\n');
    const t0 = performance.now();
    expectRefused(
      await sweep('rate=4,8,16', `${blocker}/out.jsonl`),
      [EXIT_CODES.usage, EXIT_CODES.io],
      '--output',
      'is a file, not a folder',
    );
    expect(performance.now() - t0).toBeLessThan(5000);
    expectRefused(await sweep('rate=4', tmp.dir), [EXIT_CODES.usage, EXIT_CODES.io], 'is a folder');
  });

  it('refuses hosts=0 and a grid above the points limit with the axis named, before any work', async () => {
    expectRefused(
      await sweep('hosts=0,16', tmp.path('zero.jsonl')),
      [EXIT_CODES.usage, EXIT_CODES.input],
      '--grid hosts: "0" is out of range',
    );
    const many = Array.from({ length: 1000 }, (_, i) => i + 1).join(',');
    const r = await runCli([
      'sweep',
      scenario,
      '--topology',
      topology,
      '--grid',
      `rate=${many}`,
      `requests=${many}`,
      `scenarioSeed=${many}`,
      `seed=${many}`,
      '-o',
      tmp.path('huge.jsonl'),
    ]);
    expectRefused(
      r,
      [EXIT_CODES.usage, EXIT_CODES.limit],
      '1,000,000,000,000 points',
      `limit of ${LIMITS.sweepPoints.toLocaleString('en-US')} points per sweep`,
    );
    expect(existsSync(tmp.path('huge.jsonl'))).toBe(false);
    expect(
      readdirSync(tmp.dir).filter((f) => f.includes('.partial') || f.endsWith('.tmp')),
    ).toEqual([]);
  });
});

describe('merge of hostile files', () => {
  const header =
    '{"sweep":{"grid":{"rate":[8]},"scenario":"s","topology":"t","points":1,"shard":{"index":1,"count":1}}}\n';

  it('refuses a NaN or null metric, naming the file, line and field', async () => {
    const nan = tmp.file(
      'nan.jsonl',
      `${header}{"point":0,"params":{"rate":8},"topology":"t","hosts":4,"goodputPerS":null,"throughputPerS":1,"sloAttainment":1,"ttftP50Ns":1,"ttftP99Ns":1,"rpcP50Ns":1,"fetchBandwidthBytesPerNs":1,"decisions":{"exact":0,"partial":0,"fullPrefill":1},"fabricCostPerHostUsd":1}\n`,
    );
    expectRefused(
      await runCli(['merge', nan]),
      [EXIT_CODES.usage, EXIT_CODES.input],
      'nan.jsonl: line 2: point 0: goodputPerS must be finite numbers',
    );
  });

  it('refuses a binary file, a device and a file above the input size limit in one line', async () => {
    const bin = tmp.file('bin.jsonl', '');
    writeFileSync(bin, Buffer.from([0x7b, 0, 1, 2, 0xff, 0xfe, 10, 0, 0]));
    expectRefused(
      await runCli(['merge', bin]),
      [EXIT_CODES.usage, EXIT_CODES.input],
      'binary data',
      'not a podsim sweep output',
    );
    expectRefused(
      await runCli(['merge', '/dev/zero']),
      [EXIT_CODES.usage, EXIT_CODES.io],
      'not a regular file',
    );
    const huge = tmp.file('huge.jsonl', header);
    truncateSync(huge, LIMITS.inputFileBytes + 1); // sparse: no disk used
    expectRefused(
      await runCli(['merge', huge]),
      [EXIT_CODES.usage, EXIT_CODES.limit],
      `above the ${LIMITS.inputFileBytes.toLocaleString('en-US')}-byte limit`,
    );
  });

  it('refuses a header claiming 1e12 points without allocating them', async () => {
    const big = tmp.file(
      'big.jsonl',
      `{"sweep":{"grid":{"a":[${Array.from({ length: 1e6 }, (_, i) => i).join(',')}],"b":[${Array.from({ length: 1e6 }, (_, i) => i).join(',')}]},"scenario":"s","topology":"t","points":1000000000000,"shard":{"index":1,"count":1}}}\n`,
    );
    expectRefused(
      await runCli(['merge', big]),
      [EXIT_CODES.usage, EXIT_CODES.limit],
      '1,000,000,000,000 points, above the limit',
    );
  });
});

describe('the -o file while a sweep runs (openSweepOutput)', () => {
  const header = {
    grid: { rate: [4, 8] },
    scenario: 's',
    topology: 't',
    points: 2,
    shard: { index: 1, count: 1 },
  };
  const record = { point: 1, params: { rate: 8 }, error: 'x' };

  it('keeps nothing when no point finished, leaving the old file and no temporary file', () => {
    const dir = tmp.path('keep-none');
    const file = `${dir}/out.jsonl`;
    const output = openSweepOutput(file, header, []);
    expect(readdirSync(dir)).toEqual([`.out.jsonl.${process.pid}.partial`]);
    expect(output.keep()).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps complete lines, header first, on interrupt; discards on failure', () => {
    const dir = tmp.path('keep-some');
    const file = `${dir}/out.jsonl`;
    const output = openSweepOutput(file, header, []);
    output.append(record);
    expect(output.keep()).toBe(true);
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
    expect(readFileSync(file, 'utf8')).toBe(
      `${JSON.stringify({ sweep: header })}\n${JSON.stringify(record)}\n`,
    );
    const failed = openSweepOutput(file, header, []);
    failed.append(record);
    failed.discard();
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });
});
