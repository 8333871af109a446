/**
 * Faults mid-run (issue 15 item 7; docs/sweeps.md "Interrupting and resuming"): a real
 * `node bin/podsim.js` child is sent SIGINT or SIGTERM once its first sweep point (or first
 * batch of request records) is on disk. It must stop without a stack trace, exit 130 / 143, keep
 * only complete lines, leave no temporary file, and a rerun with the same `-o` must resume and
 * end byte-identical to a run that was never interrupted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonl } from '../../src/app/sweep-records.ts';
import { EXIT_CODES } from '../../src/errors/index.ts';
import { runCli, tempDir } from './run.ts';

const BIN = fileURLToPath(new URL('../../bin/podsim.js', import.meta.url));
const tmp = tempDir('podsim-signals-');
afterAll(() => tmp.cleanup());

/** A running `podsim` child: its process and how it ended. */
function podsim(args: readonly string[]): {
  child: ChildProcess;
  ended: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.stdout?.resume();
  const ended = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return { child, ended };
}

/** Resolves once some file in `dir` has at least `lines` complete lines (polled every 50 ms). */
async function linesAppear(dir: string, lines: number, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    for (const f of existsSync(dir) ? readdirSync(dir) : []) {
      const text = readFileSync(join(dir, f), 'utf8');
      if (text.split('\n').length - 1 >= lines) return;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`no file in ${dir} reached ${lines} lines`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const SWEEP = [
  'sweep',
  '--topology',
  'octopus-96',
  '--grid',
  'scenarioSeed=1,2,3,4,5,6,7,8,9,10',
  'requests=400',
];

/** The output of the sweep run without interruption (run once, in-process). */
let fresh: string | undefined;
async function uninterrupted(): Promise<string> {
  if (fresh === undefined) {
    const file = tmp.path('fresh.jsonl');
    expect((await runCli([...SWEEP, '--workers', '1', '-o', file])).exitCode).toBe(0);
    fresh = readFileSync(file, 'utf8');
  }
  return fresh;
}

describe('sweep -o interrupted', () => {
  it.each([
    ['SIGINT', '1', EXIT_CODES.interrupted],
    ['SIGTERM', '2', EXIT_CODES.terminated],
  ] as const)(
    '%s on %s worker(s): exit code, complete JSONL kept, no temp file, a rerun resumes to the uninterrupted result',
    async (signal, workers, exitCode) => {
      const dir = tmp.path(`sweep-${signal}`);
      const out = join(dir, 'out.jsonl');
      const run = podsim([...SWEEP, '--workers', workers, '-o', out]);
      await linesAppear(dir, 2); // the header and the first point
      run.child.kill(signal);
      const { code, stderr } = await run.ended;
      expect(code, stderr).toBe(exitCode);
      expect(stderr).not.toMatch(/\n\s+at |Error/);
      expect(stderr).toMatch(
        new RegExp(
          `podsim: interrupted by ${signal}: .*out\\.jsonl keeps \\d+ of 10 points; run the same command again to resume`,
        ),
      );
      expect(readdirSync(dir)).toEqual(['out.jsonl']);
      const text = readFileSync(out, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const partial = parseJsonl(text, out); // every line valid, the header first
      expect(partial.records.length).toBeGreaterThan(0);
      expect(partial.records.length).toBeLessThan(10);

      const again = await runCli([...SWEEP, '--workers', '1', '-o', out]);
      expect(again.exitCode, again.stderr).toBe(EXIT_CODES.ok);
      expect(again.stderr).toContain(
        `resuming ${out}: ${partial.records.length} of 10 points already there, ${10 - partial.records.length} to run`,
      );
      expect(readdirSync(dir)).toEqual(['out.jsonl']);
      expect(readFileSync(out, 'utf8')).toBe(await uninterrupted());
    },
    120_000,
  );
});

describe('run --records interrupted', () => {
  it.each([
    ['csv', 'SIGINT', EXIT_CODES.interrupted],
    ['jsonl', 'SIGTERM', EXIT_CODES.terminated],
  ] as const)(
    '.%s on %s: exit code, complete rows kept, no temp file; a rerun writes the whole file',
    async (ext, signal, exitCode) => {
      const dir = tmp.path(`run-${ext}`);
      const out = join(dir, `requests.${ext}`);
      const args = ['run', 'droidspeak-8b', '--topology', 'octopus-96', '--records', out];
      // 2,000 requests take seconds; records are flushed in 64 kB batches: stop after the first
      const run = podsim([...args, '--json']);
      await linesAppear(dir, 10);
      run.child.kill(signal);
      const { code, stderr } = await run.ended;
      expect(code, stderr).toBe(exitCode);
      expect(stderr).not.toMatch(/\n\s+at |Error/);
      expect(stderr).toMatch(
        new RegExp(
          `podsim: interrupted by ${signal}: .*requests\\.${ext} keeps the [\\d,]+ requests completed so far, complete rows only \\(a partial run`,
        ),
      );
      expect(readdirSync(dir)).toEqual([`requests.${ext}`]);
      const lines = readFileSync(out, 'utf8').split('\n');
      expect(lines.pop()).toBe(''); // ends with a complete line
      if (ext === 'csv') {
        expect(lines[0]).toMatch(/^id,variant,/);
        const width = (lines[0] as string).split(',').length;
        for (const l of lines) expect(l.split(',').length).toBe(width);
      } else for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
      const kept = lines.length - (ext === 'csv' ? 1 : 0);
      expect(kept).toBeLessThan(2000);

      const again = await runCli(args);
      expect(again.exitCode, again.stderr).toBe(EXIT_CODES.ok);
      expect(readdirSync(dir)).toEqual([`requests.${ext}`]);
      expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(2000 + (ext === 'csv' ? 2 : 1));
    },
    120_000,
  );
});
