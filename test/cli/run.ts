/**
 * Runs the `podsim` CLI in-process for end-to-end tests: `runCli(args)` calls `main(args)` from
 * src/cli/main.ts (no child process, so a run costs milliseconds, not the ~2.5 s of starting
 * node + tsx), captures what it writes to stdout and stderr, and reads `process.exitCode`.
 * Also the temporary-directory helper the CLI tests write their input files into, and the
 * assertions every refused run must pass (docs/design.md convention §5: a `podsim:` message, no stack,
 * the exit code of its class from EXIT_CODES).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { EXIT_CODES } from '../../src/errors/index.ts';

/** What one CLI run printed and how it ended. */
export interface CliRun {
  /** Everything written to stdout (including `console.log`, which yargs uses for --help). */
  readonly stdout: string;
  /** Everything written to stderr (including `console.error`/`console.warn`). */
  readonly stderr: string;
  /** `process.exitCode` after the run (undefined → 0), or the code given to `process.exit`. */
  readonly exitCode: number;
}

/** Thrown in place of exiting when the code under test calls `process.exit`. */
class ProcessExit extends Error {
  override readonly name = 'ProcessExit';
  constructor(readonly code: number) {
    super(`process.exit(${code}) called in-process`);
  }
}

const text = (chunk: unknown): string =>
  typeof chunk === 'string'
    ? chunk
    : chunk instanceof Uint8Array
      ? Buffer.from(chunk).toString('utf8')
      : String(chunk);
const line = (args: unknown[]): string => `${args.map(text).join(' ')}\n`;

/**
 * Runs `podsim <args>` in this process and returns its output and exit code. Output is
 * captured with `vi.spyOn` on `process.stdout.write`/`process.stderr.write` (and `console`,
 * which yargs prints help through); the spies are restored and `process.exitCode` reset
 * afterwards, so runs do not leak into each other or into vitest.
 *
 * A call to `process.exit` (the stdout error handler's) is intercepted (it would end the test
 * worker) and its code reported as `exitCode`. `main` reports every other failure itself; an
 * exception escaping it is re-thrown, since that is a bug and the test should fail with its stack.
 * @example const { stdout, exitCode } = await runCli(['topology', 'list', '--json'])
 */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  let exited: number | undefined;
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
      stdout += text(chunk);
      return true;
    }) as typeof process.stdout.write),
    vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown) => {
      stderr += text(chunk);
      return true;
    }) as typeof process.stderr.write),
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += line(a))),
    vi.spyOn(console, 'info').mockImplementation((...a: unknown[]) => void (stdout += line(a))),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (stderr += line(a))),
    vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => void (stderr += line(a))),
    vi.spyOn(process, 'exit').mockImplementation(((code?: number | string | null) => {
      exited ??= Number(code ?? 0);
      throw new ProcessExit(Number(code ?? 0));
    }) as typeof process.exit),
  ];
  const before = process.exitCode;
  process.exitCode = undefined;
  let exitCode: number;
  try {
    await main([...args]);
    exitCode = Number(process.exitCode ?? 0);
    // process.exit inside a command: main reported the interception as an internal error; the
    // real process would have ended there, with that code and no such line.
    if (exited !== undefined) {
      exitCode = exited;
      stderr = stderr.replace(/^podsim: internal error: process\.exit\(.*\n/m, '');
    }
  } catch (e) {
    if (!(e instanceof ProcessExit)) throw e;
    exitCode = e.code;
  } finally {
    for (const s of spies) s.mockRestore();
    process.exitCode = before;
  }
  return { stdout, stderr, exitCode };
}

/** Runs the CLI and parses its stdout as JSON, failing the test when the run did not exit 0. */
export async function runJson<T = unknown>(args: readonly string[]): Promise<T> {
  const r = await runCli(args);
  expect(r.stderr, `stderr of podsim ${args.join(' ')}`).toBe('');
  expect(r.exitCode, `exit code of podsim ${args.join(' ')}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/**
 * Asserts a run was refused with exit code `code` (docs/design.md convention §5): a `podsim:`
 * message on stderr with no stack-trace line, nothing on stdout, and every string in `mentions`
 * in the message. Returns the message for further checks.
 */
export function expectRefused(r: CliRun, code: number, ...mentions: readonly string[]): string {
  expect(r.exitCode, r.stderr).toBe(code);
  expect(r.stderr).toMatch(/^podsim: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
  for (const m of mentions) expect(r.stderr).toContain(m);
  return r.stderr;
}

/** A usage mistake (an unknown flag, a bad flag value): exit 2 ({@link expectRefused}). */
export const expectUsageError = (r: CliRun, ...mentions: readonly string[]): string =>
  expectRefused(r, EXIT_CODES.usage, ...mentions);

/** Bad input (a file or argument breaking its schema or physical range): exit 3. */
export const expectInputError = (r: CliRun, ...mentions: readonly string[]): string =>
  expectRefused(r, EXIT_CODES.input, ...mentions);

/** A documented limit exceeded: exit 4. */
export const expectLimitError = (r: CliRun, ...mentions: readonly string[]): string =>
  expectRefused(r, EXIT_CODES.limit, ...mentions);

/** A file that cannot be read or written: exit 5. */
export const expectFileError = (r: CliRun, ...mentions: readonly string[]): string =>
  expectRefused(r, EXIT_CODES.io, ...mentions);

/** A temporary directory for input and output files; `cleanup()` removes it and everything in it. */
export interface TempDir {
  readonly dir: string;
  /** Writes `content` to `name` inside the directory and returns the file's path. */
  file(name: string, content: string): string;
  /** The path of `name` inside the directory (not created). */
  path(name: string): string;
  cleanup(): void;
}

/** Creates a fresh directory under the OS temporary directory (`fs.mkdtempSync`). */
export function tempDir(prefix = 'podsim-cli-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    path: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
