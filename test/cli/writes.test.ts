/**
 * Writes that cannot half-fail, through the commands (issue 15 item 2): every output file goes
 * through a temporary file and a rename, folders are created as needed, and an unwritable target
 * is a FileError (exit 5) naming the flag and the path, reported before any long work runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectFileError, runCli, tempDir } from './run.ts';

const tmp = tempDir('podsim-writes-');
afterAll(() => tmp.cleanup());

/** Every file under `dir`, recursively, as paths relative to it. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();

describe('output folders are created and files land whole', () => {
  it('topology schema -o into folders that do not exist yet', async () => {
    const target = tmp.path('made/for/it/topology.schema.json');
    const r = await runCli(['topology', 'schema', '-o', target]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toHaveProperty('$schema');
    expect(readdirSync(tmp.path('made/for/it'))).toEqual(['topology.schema.json']);
  });

  it('topology generate -o replaces an old file whole, no temporary file left', async () => {
    const target = tmp.file('gen.yaml', 'old\n');
    const args = [
      'topology',
      'generate',
      'octopus-bibd',
      '--host-ports',
      '4',
      '--device-ports',
      '4',
    ];
    const r = await runCli([...args, '-o', target]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toMatch(/^# |generator: octopus-bibd/m);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('unwritable targets: exit 5 naming the flag and the path, before any work', () => {
  const parent = tmp.file('a-file', 'keep\n');

  it.each([
    ['topology schema -o under a file', () => ['topology', 'schema', '-o', join(parent, 'x.json')]],
    ['scenario schema -o under a file', () => ['scenario', 'schema', '-o', join(parent, 'x.json')]],
    ['scenario schema -o with an empty name', () => ['scenario', 'schema', '-o', '']],
    [
      'topology export -o onto a folder',
      () => ['topology', 'export', 'prototype-3', '-o', tmp.dir],
    ],
    [
      'topology generate -o under a file',
      () => [
        ...['topology', 'generate', 'octopus-bibd', '--host-ports', '4', '--device-ports', '4'],
        ...['-o', join(parent, 'deeper', 'gen.yaml')],
      ],
    ],
  ])('%s', async (_, args) => {
    const before = filesUnder(tmp.dir);
    const r = await runCli(args());
    expectFileError(r, '-o: cannot write "');
    expect(r.stderr.split('\n')).toHaveLength(2); // one line
    expect(filesUnder(tmp.dir)).toEqual(before);
    expect(readFileSync(parent, 'utf8')).toBe('keep\n');
  });

  it.runIf(existsSync('/dev/full'))('topology export -o /dev/full', async () => {
    expectFileError(
      await runCli(['topology', 'export', 'prototype-3', '-o', '/dev/full']),
      '-o: cannot write "/dev/full": no space left on the device',
    );
  });

  it('whatif --report onto a file is refused before the simulations (fast)', async () => {
    const t0 = performance.now();
    expectFileError(
      await runCli(['whatif', '--report', parent]),
      `--report: cannot write "${parent}": it is a file, not a folder`,
    );
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(readFileSync(parent, 'utf8')).toBe('keep\n');
  });

  it('capacity --sensitivity --tornado under a file is refused before the plan runs', async () => {
    const target = join(parent, 'charts');
    expectFileError(
      await runCli(['capacity', 'droidspeak-8b', '--sensitivity', '--tornado', target]),
      `--tornado: cannot write "${target}"`,
      'is a file, not a folder',
    );
  });

  it('a report folder two levels deep is created and gets both files and nothing else', async () => {
    const scenario = tmp.file(
      'small.yaml',
      readFileSync(new URL('../../scenarios/droidspeak-8b.yaml', import.meta.url), 'utf8').replace(
        /requests: 2000/,
        'requests: 100',
      ),
    );
    const dir = tmp.path('reports/one');
    const r = await runCli([
      'whatif',
      scenario,
      '--topologies',
      'octopus-bibd-25',
      '--report',
      dir,
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['report.html', 'report.md']);
  });
});
