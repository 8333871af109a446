/**
 * The `podsim` command line: yargs wiring, and the one place that turns every failure into a
 * `podsim:` message on stderr and the exit code of its class (docs/design.md convention §5, §6;
 * EXIT_CODES in src/errors): 2 a usage mistake (yargs, or a PodsimError about a flag), 3 bad
 * input, 4 a limit, 5 a file that cannot be read or written, 70 an internal error (one line
 * asking for a bug report; the stack only with `--debug`). Each command lives in `commands/`
 * and only parses flags, calls the library and prints.
 */
import yargs from 'yargs';
import { EXIT_CODES, FileError, LimitError, PodsimError } from '../errors/index.ts';
import { setQuiet, setWide } from './output.ts';
import { commandsFor } from './manifest.ts';

/** Exit code for a usage mistake (an unknown command or flag, a bad flag value). */
export const EXIT_USAGE = EXIT_CODES.usage;
/** Exit code for a run that worked but found a failing result (e.g. validation problems). */
export const EXIT_FAILED = EXIT_CODES.failed;

/** A flag or argument yargs refused. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * True when every issue of `err` is about a command-line flag (its path starts with `--x` or
 * `-x`, or its code is a `cli.` one): a usage mistake rather than bad input.
 */
function aboutFlags(err: PodsimError): boolean {
  return (
    err.issues.length > 0 &&
    err.issues.every((i) => {
      const head = i.path[0];
      return (typeof head === 'string' && /^--?[A-Za-z]/.test(head)) || i.code.startsWith('cli.');
    })
  );
}

/**
 * The exit code of a failure's class (EXIT_CODES): usage 2, input 3, limit 4, io 5, or
 * internal 70 for anything that is not a podsim error (a bug).
 */
export function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError) return EXIT_CODES.usage;
  if (err instanceof FileError) return EXIT_CODES.io;
  if (err instanceof LimitError) return EXIT_CODES.limit;
  if (err instanceof PodsimError) return aboutFlags(err) ? EXIT_CODES.usage : EXIT_CODES.input;
  return EXIT_CODES.internal;
}

/** The one line an internal error prints (its message's first line; the stack is for --debug). */
function internalLine(err: unknown, debug: boolean): string {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : String(err);
  const first = message.split('\n')[0]?.trim() || (err instanceof Error ? err.name : 'unknown');
  const hint = debug
    ? 'with the stack trace below'
    : '(run again with --debug for the stack trace)';
  return `podsim: internal error: ${first} — this is a bug; please report it with the command you ran ${hint}`;
}

/**
 * Reports a failure on stderr as its class prescribes and returns the exit code to end with:
 * a `podsim:` message (plus a pointer to `--help` for a usage mistake), or for an unexpected
 * error one line asking for a bug report. With `debug`, the stack trace follows.
 * @example process.exitCode = reportFailure(err, argv.includes('--debug'))
 */
export function reportFailure(err: unknown, debug: boolean): number {
  const code = exitCodeOf(err);
  let text: string;
  if (code === EXIT_CODES.internal) text = internalLine(err, debug);
  else if (err instanceof UsageError)
    text = `podsim: ${err.message}\nRun 'podsim --help' for usage.`;
  else text = `podsim: ${(err as Error).message}`;
  if (debug && err instanceof Error && err.stack !== undefined) text += `\n${err.stack}`;
  process.stderr.write(`${text}\n`);
  return code;
}

/** True when `flag` is among the arguments (before a `--` that ends the flags). */
const flagAsked = (argv: readonly string[], flag: string): boolean => {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes(flag);
};

/** True when `--debug` is among the arguments (before a `--` that ends the flags). */
const debugAsked = (argv: readonly string[]): boolean => flagAsked(argv, '--debug');

/**
 * Makes a failure outside the command's own promise — an exception thrown from a callback or
 * event, a rejected promise nobody awaited — end the process like any other: the message of its
 * class and its exit code, never a raw stack trace. Called once by bin/podsim.js.
 */
export function installFatalHandlers(argv: readonly string[]): void {
  const debug = debugAsked(argv);
  const fatal = (err: unknown): void => {
    process.exit(reportFailure(err, debug));
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

/**
 * A reader that closed the pipe early (`podsim … --json | head`) has all it wanted: stop at once
 * and quietly with status 0, as a shell user expects. Any other failure to write the output is
 * reported in one line (an I/O failure, exit 5) instead of an unhandled 'error' event's stack trace.
 */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(EXIT_CODES.ok);
  process.stderr.write(`podsim: cannot write to standard output: ${err.code ?? err.message}\n`);
  process.exit(EXIT_CODES.io);
}

/** The yargs parser with podsim's global options, help and examples (commands added by `main`). */
function baseParser(argv: readonly string[]): ReturnType<typeof yargs> {
  return yargs([...argv])
    .scriptName('podsim')
    .usage(
      '$0 <command> [options]\n\nSimulate CXL memory pods (Octopus), switched CXL and RDMA fabrics hosting a shared LLM KV-cache pool.',
    )
    .option('debug', {
      type: 'boolean',
      global: true,
      describe: 'on an internal error, print its stack trace',
    })
    .option('quiet', {
      type: 'boolean',
      global: true,
      describe: 'print results and errors only: no progress, no notes (where a file went, timings)',
    })
    .option('wide', {
      type: 'boolean',
      global: true,
      describe:
        'print tables at full width; by default, on a terminal, long text cells are cut with … to fit',
    })
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Name a command; see the list above.')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .help()
    .alias('h', 'help')
    .version()
    .exitProcess(false)
    .example(
      '$0 whatif',
      'the bundled scenario on the bundled 96-host Octopus, switched-CXL and RDMA fabrics (what npm start runs)',
    )
    .example('$0 reproduce octopus', 'every Octopus figure podsim computes, beside the paper’s')
    .example(
      '$0 rpc prototype-3 --from h0 --to h1',
      'an RPC over every medium with a per-component breakdown',
    )
    .example('$0 calibrate', 'published figures beside what the model gives')
    .fail((msg, err) => {
      if (err !== undefined && err !== null) throw err;
      throw new UsageError(msg);
    });
}

/**
 * Runs the CLI with the given arguments (without `node` and the script). Never throws: every
 * failure is reported on stderr and sets `process.exitCode` to its class's code.
 * @example await main(['topology', 'inspect', 'octopus-96'])
 */
export async function main(argv: readonly string[]): Promise<void> {
  if (!process.stdout.listeners('error').includes(onStdoutError))
    process.stdout.on('error', onStdoutError);
  setQuiet(flagAsked(argv, '--quiet'));
  setWide(flagAsked(argv, '--wide'));
  try {
    const parser = baseParser(argv);
    for (const c of await commandsFor(argv)) parser.command(c);
    await parser.parseAsync();
  } catch (err) {
    process.exitCode = reportFailure(err, debugAsked(argv));
  }
}
