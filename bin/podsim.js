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
} else if (distIsCurrent()) {
  const { main } = await import('../dist/bundle/main.js');
  await main(args);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  await main(args);
}
