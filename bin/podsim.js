#!/usr/bin/env node
// Entry point of the `podsim` command. Runs the compiled CLI, bundled into dist/bundle/ (a few
// files load faster than dist/'s ≈ 200 modules; bin/build-bundle.js), which `npm install` builds
// (the `prepare` script: `npm run build`). In a checkout whose src/ changed after the last build
// (bin/dist-state.js), it runs the TypeScript sources through tsx instead, so an edit is never
// silently ignored: `podsim --help` then costs ≈ 1.3 s of CPU (tsx compiles or re-reads every
// module) against ≈ 0.2 s from dist/, and `npm run build` (incremental) makes it fast again. An
// installed package has no src/ and always runs dist/.
import { readFileSync } from 'node:fs';
import { distIsCurrent, PACKAGE_ROOT } from './dist-state.js';

const args = process.argv.slice(2);

if (args.length === 1 && args[0] === '--version') {
  // podsim's own package.json: yargs would look for the one above the node_modules it sits in,
  // which is the including project's when podsim is installed as a dependency.
  const { version } = JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8'));
  process.stdout.write(`${version}\n`);
} else {
  let cli;
  try {
    if (distIsCurrent()) cli = await import('../dist/bundle/main.js');
    else {
      const { register } = await import('tsx/esm/api');
      register();
      cli = await import('../src/cli/main.ts');
    }
  } catch (err) {
    // The CLI itself did not load (a broken install): one line, the stack only with --debug.
    process.stderr.write(
      `podsim: internal error: cannot load the CLI: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} — this is a bug or a broken install; please report it${args.includes('--debug') ? `\n${err instanceof Error ? err.stack : ''}` : ' (run again with --debug for the stack trace)'}\n`,
    );
    process.exit(70);
  }
  // A failure outside the command's own promise (a callback, an event, a rejected promise
  // nobody awaited) ends like any other: its class's message and exit code, no raw stack.
  cli.installFatalHandlers(args);
  await cli.main(args);
}
