#!/usr/bin/env node
// Entry point of the `podsim` command. Runs the compiled CLI in dist/, which `npm install` builds
// (the `prepare` script: `npm run build`). In a checkout whose src/ changed after the last build,
// it runs the TypeScript sources through tsx instead, so an edit is never silently ignored: that
// costs ≈ 4 s of CPU a call (tsx transpiles src/ each time) against ≈ 0.3 s from dist/, and
// `npm run build` (incremental) makes it fast again. An installed package has no src/ and always
// runs dist/.
import { readdirSync, readFileSync, statSync } from 'node:fs';

const ROOT = new URL('../', import.meta.url);
const args = process.argv.slice(2);

/** Modification time of a file or folder in ms, or -1 when it does not exist. */
function mtimeMs(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time of the files under a folder (≈ 2 ms for src/). */
function newestMs(dir) {
  let newest = mtimeMs(dir);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const url = new URL(e.isDirectory() ? `${e.name}/` : e.name, dir);
    newest = Math.max(newest, e.isDirectory() ? newestMs(url) : mtimeMs(url));
  }
  return newest;
}

/**
 * Whether dist/ holds a build of the current sources: `npm run build` writes dist/.build-stamp
 * after tsc succeeds, and nothing in src/ or the tsconfig files may be newer.
 */
function builtIsCurrent() {
  const src = new URL('src/', ROOT);
  if (mtimeMs(src) < 0) return true;
  const built = mtimeMs(new URL('dist/.build-stamp', ROOT));
  if (built < 0) return false;
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((f) => mtimeMs(new URL(f, ROOT)));
  return Math.max(newestMs(src), ...configs) <= built;
}

if (args.length === 1 && args[0] === '--version') {
  // podsim's own package.json: yargs would look for the one above the node_modules it sits in,
  // which is the including project's when podsim is installed as a dependency.
  const { version } = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
  process.stdout.write(`${version}\n`);
} else if (builtIsCurrent()) {
  const { main } = await import('../dist/cli/main.js');
  await main(args);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  await main(args);
}
