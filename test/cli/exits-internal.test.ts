/**
 * An unexpected error inside a command (a bug) ends with exit 70 and one line asking for a bug
 * report; `--debug` adds the stack trace. A fake command stands in for the bug.
 */
import { describe, expect, it, vi } from 'vitest';
import { EXIT_CODES } from '../../src/errors/index.ts';
import { runCli } from './run.ts';

vi.mock('../../src/cli/manifest.ts', () => ({
  commandsFor: () =>
    Promise.resolve([
      {
        command: 'boom',
        describe: 'fails like a bug',
        handler: () => {
          const missing = undefined as unknown as { field: number };
          return missing.field;
        },
      },
      {
        command: 'quit',
        describe: 'ends the process itself, as a signal handler might',
        handler: () => {
          process.stderr.write('podsim: interrupted\n');
          process.exit(EXIT_CODES.interrupted);
        },
      },
    ]),
}));

describe('an internal error', () => {
  it('is one line with a bug-report request and a --debug hint, exit 70', async () => {
    const r = await runCli(['boom']);
    expect(r.exitCode).toBe(EXIT_CODES.internal);
    expect(r.stderr).toMatch(
      /^podsim: internal error: Cannot read properties of undefined \(reading 'field'\) — this is a bug; please report it with the command you ran \(run again with --debug for the stack trace\)\n$/,
    );
  });

  it('--debug prints the stack trace as well', async () => {
    const r = await runCli(['boom', '--debug']);
    expect(r.exitCode).toBe(EXIT_CODES.internal);
    expect(r.stderr).toMatch(/^podsim: internal error: .* with the stack trace below\nTypeError: /);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('runCli (test/cli/run.ts)', () => {
  it('reports a process.exit inside a command as that exit, not as an internal error', async () => {
    const r = await runCli(['quit']);
    expect(r.exitCode).toBe(EXIT_CODES.interrupted);
    expect(r.stderr).toBe('podsim: interrupted\n');
  });
});
