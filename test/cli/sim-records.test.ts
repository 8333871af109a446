/**
 * `podsim run --records` (issue 15; docs/sweeps.md "Interrupting and resuming"): the run on its
 * worker thread gives the same result as the in-process run, the records file appears only when
 * the run completes (no temporary file left), an unwritable target is refused before the
 * simulation, and a run the simulator refuses leaves the old file as it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors/index.ts';
import { runCli, tempDir } from './run.ts';

const tmp = tempDir('podsim-records-');
afterAll(() => tmp.cleanup());
const scenario = tmp.file(
  'small.yaml',
  readFileSync(new URL('../../scenarios/droidspeak-8b.yaml', import.meta.url), 'utf8').replace(
    /requests: 2000/,
    'requests: 150',
  ),
);
const run = (...extra: string[]) =>
  runCli(['run', scenario, '--topology', 'octopus-96', '--json', ...extra]);

describe('run --records', () => {
  it('gives the in-process result, writes every row into a new folder, leaves no temporary file', async () => {
    const plain = await run();
    expect(plain.exitCode, plain.stderr).toBe(0);
    const out = tmp.path('out/nested/requests.csv');
    const withRecords = await run('--records', out);
    expect(withRecords.exitCode, withRecords.stderr).toBe(0);
    expect(withRecords.stdout).toBe(plain.stdout);
    expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(152); // header, 150 rows, ''
    expect(readdirSync(tmp.path('out/nested'))).toEqual(['requests.csv']);
  });

  it('refuses an unwritable target before simulating, and keeps the old file when the run is refused', async () => {
    const blocker = tmp.file('blocker', 'a file\n');
    const r = await run('--records', `${blocker}/requests.jsonl`);
    expect([EXIT_CODES.usage, EXIT_CODES.io]).toContain(r.exitCode);
    expect(r.stderr).toMatch(/^podsim: --records: cannot write .*is a file, not a folder/);
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const old = tmp.file('old.jsonl', 'old contents\n');
    const tooSmall = tmp.file(
      'tiny.yaml',
      'name: tiny\ngenerator: octopus-sparse\nparams: { hosts: 2, hostPorts: 2, devicePorts: 2, seed: 1 }\noptions: { gpusPerHost: 1 }\n',
    );
    const refused = await runCli(['run', scenario, '--topology', tooSmall, '--records', old]);
    expect([EXIT_CODES.usage, EXIT_CODES.input], refused.stderr).toContain(refused.exitCode);
    expect(refused.stderr).toMatch(/^podsim: .*replica/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(old, 'utf8')).toBe('old contents\n');
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });
});
