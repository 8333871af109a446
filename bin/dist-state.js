// Whether dist/ holds a build of the current sources — the rule bin/podsim.js uses to choose
// between the compiled CLI and the TypeScript sources, shared with the tests and benches that
// need dist/ current (test/package/library.test.ts, bench/startup.ts).
import { readdirSync, statSync } from 'node:fs';

/** Modification time of a file or folder in ms, or -1 when it does not exist. */
function mtimeMs(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time of a folder and everything under it (≈ 2 ms for src/). */
function newestMs(dir) {
  let newest = mtimeMs(dir);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const url = new URL(e.isDirectory() ? `${e.name}/` : e.name, dir);
    newest = Math.max(newest, e.isDirectory() ? newestMs(url) : mtimeMs(url));
  }
  return newest;
}

/** The package root (the folder holding bin/, src/ and dist/). */
export const PACKAGE_ROOT = new URL('../', import.meta.url);

/**
 * Whether dist/ is a build of the current sources: `npm run build` writes dist/.build-stamp last,
 * after tsc, the command manifest and the CLI bundle (bin/build-bundle.js), and nothing in src/,
 * the tsconfig files or the bundling script may be newer.
 * An installed package has no src/: its dist/ is current by definition.
 */
export function distIsCurrent() {
  const src = new URL('src/', PACKAGE_ROOT);
  if (mtimeMs(src) < 0) return true;
  const built = mtimeMs(new URL('dist/.build-stamp', PACKAGE_ROOT));
  if (built < 0) return false;
  const configs = ['tsconfig.json', 'tsconfig.build.json', 'bin/build-bundle.js'].map((f) =>
    mtimeMs(new URL(f, PACKAGE_ROOT)),
  );
  return Math.max(newestMs(src), ...configs) <= built;
}
