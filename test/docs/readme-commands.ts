/**
 * Every `npx podsim …` line of the README's command list runs as written (issue 14: two README
 * commands failed as written). Each line goes to bash verbatim — comments, `&&` and globs as a
 * user's shell sees them — in a temporary folder laid out like the repository's root (its
 * `scenarios/`, `topologies/` and `plans/` linked in), with `npx` standing in for the installed
 * command by running this checkout's `bin/podsim.js`. `npm run …` lines are the package's
 * scripts, run by CI itself, and are not repeated here.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../cli/run.ts';

const REPO = process.cwd();

/** The README's command list: the first ```sh block after "Other entry points". */
function readmeCommands(): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('```sh', readme.indexOf('Other entry points'));
  const end = readme.indexOf('```\n', start + 5);
  return readme
    .slice(start + 5, end)
    .split('\n')
    .filter((l) => l.startsWith('npx podsim '));
}

let tmp: TempDir;
let env: NodeJS.ProcessEnv;
function setUp(): void {
  tmp = tempDir('podsim-readme-');
  for (const d of ['scenarios', 'topologies', 'plans']) symlinkSync(join(REPO, d), tmp.path(d));
  const bin = tmp.path('.bin');
  mkdirSync(bin);
  // `npx podsim …` → this checkout's CLI (the first argument, "podsim", dropped).
  writeFileSync(
    join(bin, 'npx'),
    `#!/bin/sh\nshift\nexec node ${JSON.stringify(join(REPO, 'bin', 'podsim.js'))} "$@"\n`,
  );
  chmodSync(join(bin, 'npx'), 0o755);
  env = { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, NODE_OPTIONS: '' };
}

/**
 * The suite for one half of the list (`part` 0 or 1 of 2): two test files run the halves, so the
 * two test threads share the ≈ 75 s of commands.
 */
export function readmeCommandSuite(part: 0 | 1): void {
  describe(`the README command list, part ${part + 1} of 2`, () => {
    beforeAll(setUp);
    afterAll(() => tmp.cleanup());
    const all = readmeCommands();
    // Heavy commands (seconds each) and light ones are dealt out alternately, each kind on its
    // own, so the two halves take about as long; the sharded sweep and its merge stay together,
    // in order (the merge reads the shards).
    const heavy = /capacity|reproduce|--max-rate|--rates|sweep/;
    const shards = all.filter((l) => /out\/shard-/.test(l));
    const rest = all.filter((l) => !shards.includes(l));
    const deal = (lines: string[]): string[] => lines.filter((_, i) => i % 2 === part);
    const commands = [
      ...(part === 0 ? shards : []),
      ...deal(rest.filter((l) => heavy.test(l))).reverse(),
      ...deal(rest.filter((l) => !heavy.test(l))),
    ];

    it('has the commands the README promises', () => {
      expect(all.length).toBeGreaterThan(30);
    });

    it('runs every line as written: exit 0, a result printed or the file it names written', () => {
      const failed: string[] = [];
      for (const line of commands) {
        const r = spawnSync('bash', ['-c', line], { cwd: tmp.dir, env, encoding: 'utf8' });
        const target = /(?:^|\s)(?:-o|--records|--report|--tornado)\s+(\S+)/.exec(line)?.[1];
        const result = target === undefined ? r.stdout.trim() !== '' : existsSync(tmp.path(target));
        if (r.status !== 0 || !result)
          failed.push(
            `${line}\n  exit ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 400)}`,
          );
      }
      expect(failed).toEqual([]);
    }, 600_000);
  });
}
