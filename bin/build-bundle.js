// Build step (`npm run build`, after tsc and the command manifest): bundles the compiled CLI
// (dist/cli/main.js and the library and packages it imports) into dist/bundle/: one ESM entry
// plus a chunk per lazily loaded command group, so manifest.ts still loads only the group a
// command needs. Node then reads and compiles about twenty files instead of ≈ 200 modules of
// dist/ and ≈ 150 of zod, yaml and graphology, ≈ 0.1 s of every command's start.
// bin/podsim.js runs the bundle; the per-module dist/ stays for the library exports, the pool
// workers and the tests. Not shipped (package.json "files"); dist/bundle/ is.
//
// Modules of dist/ that locate files from `import.meta.url` (the preset folders, the command
// manifest, the pool workers, mathjs's loader) keep their meaning: each one's `import.meta.url`
// is rewritten to the URL of its own file in dist/, computed from the chunk's URL at run time.
// yargs stays outside the bundle: it finds its locale files and package.json from its own
// location. A bundled package that uses `import.meta.url` fails the build rather than silently
// reading from the wrong folder.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'bundle');

/** Rewrites `import.meta.url` in each file of dist/ to that file's own URL. */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      if (!args.path.startsWith(DIST + path.sep))
        throw new Error(`${args.path} uses import.meta.url; keep its package external`);
      const rel = path.relative(OUT, args.path).split(path.sep).join('/');
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', `(${url})`), loader: 'js' };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: { main: path.join(DIST, 'cli', 'main.js') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['yargs', 'yargs/*'],
  // Bundled CommonJS packages (graphology, cli-progress) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as podsimCreateRequire } from 'node:module';\nconst require = podsimCreateRequire(import.meta.url);",
  },
  plugins: [keepModuleUrls],
  logLevel: 'warning',
});
