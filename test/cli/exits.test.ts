/**
 * One way out for every failure (issue 15 item 1): each class of failure ends with a `podsim:`
 * message and its own exit code (EXIT_CODES), never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { exitCodeOf, installFatalHandlers, reportFailure } from '../../src/cli/main.ts';
import {
  EXIT_CODES,
  FileError,
  GeneratorError,
  InputError,
  LimitError,
  TopologyError,
  UnitError,
} from '../../src/errors/index.ts';
import { LIMITS } from '../../src/errors/limits.ts';
import {
  expectFileError,
  expectInputError,
  expectLimitError,
  expectUsageError,
  runCli,
  tempDir,
} from './run.ts';

const tmp = tempDir('podsim-exits-');
afterAll(() => tmp.cleanup());

const issue = (path: (string | number)[], code = 'x.y') => ({ code, path, message: 'wrong' });

describe('exit code per class, through the CLI', () => {
  it('usage (2): an unknown flag, with a pointer to --help', async () => {
    const msg = expectUsageError(await runCli(['topology', 'list', '--frobnicate']), 'frobnicate');
    expect(msg).toContain("Run 'podsim --help' for usage.");
  });

  it('usage (2): a bad flag value names the flag', async () => {
    expectUsageError(
      await runCli(['rpc', 'prototype-3', '--from', 'h0', '--to', 'h9']),
      '--to: ',
      'h9',
    );
  });

  it('input (3): a topology file breaking its schema names the file and field', async () => {
    const file = tmp.file('bad.yaml', 'name: x\nnodes: 7\n');
    expectInputError(await runCli(['topology', 'inspect', file]), 'bad.yaml');
  });

  it('limit (4): a flows file above the input-size limit is refused before it is read', async () => {
    const big = tmp.file('big.json', '');
    truncateSync(big, LIMITS.inputFileBytes + 1); // sparse: no disk used
    expectLimitError(await runCli(['flows', 'prototype-3', '--flows', big]), 'big.json', 'limit');
  });

  it('io (5): an output under a path that is a file names the flag and the path', async () => {
    const parent = tmp.file('plain.txt', 'keep');
    const target = join(parent, 'schema.json');
    expectFileError(
      await runCli(['topology', 'schema', '-o', target]),
      `-o: cannot write "${target}"`,
      'is a file, not a folder',
    );
  });
});

describe('through bin/podsim.js (a real process)', () => {
  it('bad input ends with exit 3 and one podsim: line, no stack trace', () => {
    const file = tmp.file('bad-bin.yaml', 'name: x\nnodes: 7\n');
    const bin = new URL('../../bin/podsim.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [bin, 'topology', 'inspect', file], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(EXIT_CODES.input);
    expect(r.stderr).toMatch(/^podsim: .*bad-bin\.yaml/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('exitCodeOf', () => {
  it.each([
    [new InputError([issue(['nodes', 0])]), EXIT_CODES.input],
    [new TopologyError([issue(['links', 1])]), EXIT_CODES.input],
    [new GeneratorError([issue([])]), EXIT_CODES.input],
    [new UnitError('5 GB/s', 'size', 'wrong'), EXIT_CODES.input],
    [new InputError([issue(['--seed'])]), EXIT_CODES.usage],
    [new InputError([issue([], 'cli.conflict')]), EXIT_CODES.usage],
    [new InputError([issue(['--seed']), issue(['nodes', 0])]), EXIT_CODES.input],
    [new GeneratorError([issue(['--hosts'])]), EXIT_CODES.usage],
    [new LimitError([issue(['--grid'])]), EXIT_CODES.limit],
    [new FileError([issue(['-o'])]), EXIT_CODES.io],
    [new TypeError('x is undefined'), EXIT_CODES.internal],
    ['a string', EXIT_CODES.internal],
  ])('%s → %i', (err, code) => {
    expect(exitCodeOf(err)).toBe(code);
  });
});

/** Runs `fn` with stderr captured; returns what it wrote. */
function captureStderr(fn: () => void): string {
  let text = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(((c: unknown) => {
    text += String(c);
    return true;
  }) as typeof process.stderr.write);
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return text;
}

describe('reportFailure', () => {
  it('an internal error is one line asking for a bug report, with the --debug hint', () => {
    let code = 0;
    const text = captureStderr(() => {
      code = reportFailure(new TypeError('Cannot read properties of undefined\n(more)'), false);
    });
    expect(code).toBe(EXIT_CODES.internal);
    expect(text).toBe(
      'podsim: internal error: Cannot read properties of undefined — this is a bug; please report it with the command you ran (run again with --debug for the stack trace)\n',
    );
  });

  it('--debug adds the stack trace', () => {
    const text = captureStderr(() => reportFailure(new RangeError('boom'), true));
    expect(text).toMatch(/^podsim: internal error: boom — this is a bug; .*stack trace below\n/);
    expect(text).toMatch(/RangeError: boom\n\s+at /);
  });

  it('a thrown non-Error still gives one line', () => {
    const text = captureStderr(() => reportFailure(42, false));
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toMatch(/^podsim: internal error: 42 — /);
  });
});

describe('installFatalHandlers (bin/podsim.js)', () => {
  it('an exception outside the command ends with its class code and one line', () => {
    const before = {
      exception: process.listeners('uncaughtException'),
      rejection: process.listeners('unhandledRejection'),
    };
    installFatalHandlers(['run', 'x']);
    const exception = process.listeners('uncaughtException').at(-1);
    const rejection = process.listeners('unhandledRejection').at(-1);
    for (const l of process.listeners('uncaughtException'))
      if (!before.exception.includes(l)) process.off('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection'))
      if (!before.rejection.includes(l)) process.off('unhandledRejection', l);
    const codes: number[] = [];
    const exit = vi.spyOn(process, 'exit').mockImplementation(((c?: number) => {
      codes.push(c ?? 0);
    }) as typeof process.exit);
    try {
      const text = captureStderr(() => {
        (exception as (e: unknown) => void)(new Error('worker died'));
        (rejection as (e: unknown) => void)(new FileError([issue(['-o'])]));
      });
      expect(codes).toEqual([EXIT_CODES.internal, EXIT_CODES.io]);
      expect(text).toContain('podsim: internal error: worker died — this is a bug');
      expect(text).toContain('podsim: -o: wrong\n');
      expect(text).not.toMatch(/\n\s+at /);
    } finally {
      exit.mockRestore();
    }
  });
});
