/**
 * The `podsim` command line: yargs wiring, the one place that turns typed errors into a
 * message on stderr and a non-zero exit code (docs/design.md convention §5, §6). Each command lives in
 * `commands/` and only parses flags, calls the library and prints.
 */
import yargs from 'yargs';
import { PodsimError } from '../errors/index.ts';
import { commandsFor } from './manifest.ts';

/** Exit code for a user mistake (bad file, bad flag). */
export const EXIT_USAGE = 2;
/** Exit code for a run that worked but found a failing result (e.g. validation problems). */
export const EXIT_FAILED = 1;

/**
 * A reader that closed the pipe early (`podsim … --json | head`) has all it wanted: stop at once
 * and quietly with status 0, as a shell user expects. Any other failure to write the output is
 * reported in one line instead of an unhandled 'error' event's stack trace.
 */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(0);
  process.stderr.write(`podsim: cannot write to standard output: ${err.code ?? err.message}\n`);
  process.exit(EXIT_FAILED);
}

/**
 * Runs the CLI with the given arguments (without `node` and the script).
 * @example await main(['topology', 'inspect', 'octopus-96'])
 */
export async function main(argv: readonly string[]): Promise<void> {
  if (!process.stdout.listeners('error').includes(onStdoutError))
    process.stdout.on('error', onStdoutError);
  const parser = yargs([...argv])
    .scriptName('podsim')
    .usage(
      '$0 <command> [options]\n\nSimulate CXL memory pods (Octopus), switched CXL and RDMA fabrics hosting a shared LLM KV-cache pool.',
    )
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Name a command; see the list above.')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .help()
    .alias('h', 'help')
    .version()
    .exitProcess(false)
    .example(
      '$0 topology compare',
      'the bundled 96-host Octopus, switched-CXL and RDMA topologies side by side (npm start)',
    )
    .example(
      '$0 rpc prototype-3 --from h0 --to h1',
      'an RPC over every medium with a per-component breakdown',
    )
    .example('$0 calibrate', 'published figures beside what the model gives')
    .fail((msg, err) => {
      if (err !== undefined && err !== null) throw err;
      throw new UsageError(msg);
    });
  for (const c of await commandsFor(argv)) parser.command(c);
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`podsim: ${err.message}\nRun 'podsim --help' for usage.\n`);
      process.exitCode = EXIT_USAGE;
    } else if (err instanceof PodsimError) {
      process.stderr.write(`podsim: ${err.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      throw err;
    }
  }
}

/** A flag or argument yargs refused. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}
