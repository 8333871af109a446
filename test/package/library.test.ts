/**
 * The package as a user gets it: the README's "Use as a library" example run with plain `node`
 * (no tsx, no vitest transforms) against the compiled `dist/`, resolved through package.json
 * `exports` from a project that has podsim in its node_modules; `podsim/testing` importable the
 * same way; the `podsim` command (bin/podsim.js, which runs the esbuild bundle in dist/bundle/)
 * printing what the per-module `podsim/cli` prints, presets found from anywhere; and `npm pack`
 * listing only what a user needs. `npm install` builds `dist/` (the
 * `prepare` script), so in CI (`npm ci` then `npm test`) it is current; in a checkout whose
 * sources changed since, this test runs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distIsCurrent } from '../../bin/dist-state.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD_TIMEOUT_MS = 600_000;

/** The first fenced block of `lang` after `from` in `text`. */
function fencedBlock(text: string, lang: string, from: number): { code: string; end: number } {
  const open = text.indexOf(`\`\`\`${lang}\n`, from);
  if (open < 0) throw new Error(`no \`\`\`${lang} block in the README section`);
  const start = open + lang.length + 4;
  const close = text.indexOf('\n```', start);
  return { code: text.slice(start, close + 1), end: close + 4 };
}

/** A project folder with podsim in node_modules (a link to this checkout), removed afterwards. */
let project: string;

beforeAll(() => {
  if (!distIsCurrent())
    execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe', timeout: BUILD_TIMEOUT_MS });
  project = mkdtempSync(join(tmpdir(), 'podsim-library-'));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(REPO, join(project, 'node_modules', 'podsim'), 'dir');
}, BUILD_TIMEOUT_MS);

afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs a module with plain node in the project folder and returns its stdout. */
function runNode(file: string, code: string): string {
  const path = join(project, file);
  writeFileSync(path, code);
  return execFileSync(process.execPath, [path], {
    cwd: project,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

describe('podsim as a library', () => {
  it("the README's example prints what the README says, with plain node on dist/", () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.indexOf('## Use as a library');
    expect(section).toBeGreaterThan(0);
    const example = fencedBlock(readme, 'js', section);
    const printed = fencedBlock(readme, 'text', example.end);
    expect(example.code).toContain("from 'podsim'");
    expect(runNode('example.mjs', example.code)).toBe(printed.code);
  }, 120_000);

  it('podsim/testing and the compiled entry points resolve through exports, with types', () => {
    const code = [
      "import { checkTopologyLaws, generatedTopology } from 'podsim/testing';",
      "import { GENERATORS, loadScenario, runCapacityPlan, runSimulation, whatIf } from 'podsim';",
      "import pkg from 'podsim/package.json' with { type: 'json' };",
      "const pod = generatedTopology(GENERATORS['full-pod'], { hosts: 4, devices: 2 });",
      'const fns = [loadScenario, runCapacityPlan, runSimulation, whatIf].map((f) => typeof f);',
      "const resolved = import.meta.resolve('podsim').replace(/^.*\\/node_modules\\/podsim\\//, '');",
      'const failed = checkTopologyLaws(pod);',
      'console.log(JSON.stringify({ failed, version: pkg.version, fns, resolved }));',
    ].join('\n');
    const out = JSON.parse(runNode('testing.mjs', code)) as {
      failed: unknown;
      version: string;
      fns: string[];
      resolved: string;
    };
    expect(out.failed).toEqual({});
    expect(out.fns).toEqual(['function', 'function', 'function', 'function']);
    expect(out.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(out.resolved).toMatch(/dist\/index\.js$/);
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { types: string; default: string }>;
    };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(statSync(join(REPO, target.default)).isFile(), `${entry} → ${target.default}`).toBe(
        true,
      );
      expect(statSync(join(REPO, target.types)).isFile(), `${entry} → ${target.types}`).toBe(true);
    }
  }, 60_000);

  it('the podsim command (the bundled CLI) prints what podsim/cli prints, run from another folder', () => {
    // The bundle rewrites each module's import.meta.url (bin/build-bundle.js): the preset folders
    // (topologies/, scenarios/, plans/ at different depths) and the command manifest must resolve
    // as from dist/.
    const bin = join(project, 'node_modules', 'podsim', 'bin', 'podsim.js');
    const viaModules = (args: string[]): string =>
      runNode(
        'cli.mjs',
        `import { main } from 'podsim/cli';\nawait main(${JSON.stringify(args)});\n`,
      );
    for (const args of [
      ['topology', 'list', '--json'],
      ['scenario', 'list', '--json'],
      ['topology', 'inspect', 'octopus-96', '--json'],
      ['--help'],
    ]) {
      const viaBundle = execFileSync(process.execPath, [bin, ...args], {
        cwd: project,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      expect(viaBundle.length, args.join(' ')).toBeGreaterThan(100);
      expect(viaBundle, args.join(' ')).toBe(viaModules(args));
    }
  }, 120_000);

  it('npm pack ships only dist, bin, presets, docs and the README', () => {
    const raw = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const [pack] = JSON.parse(raw) as { files: { path: string }[] }[];
    const paths = (pack?.files ?? []).map((f) => f.path);
    expect(paths).toContain('dist/index.js');
    expect(paths).toContain('dist/index.d.ts');
    expect(paths).toContain('bin/podsim.js');
    expect(paths).toContain('dist/bundle/main.js');
    expect(paths).not.toContain('bin/build-bundle.js');
    expect(paths).toContain('topologies/octopus-96.yaml');
    expect(paths).toContain('scenarios/droidspeak-8b.yaml');
    const allowed =
      /^(dist|bin|topologies|scenarios|plans|docs)\/|^(README\.md|package\.json|LICENSE)$/;
    expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('dist/.'))).toEqual([]);
  }, 120_000);
});
