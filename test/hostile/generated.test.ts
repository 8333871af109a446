/**
 * Generated hostile cases (docs/hostile-inputs.md): fast-check mutates one field of a bundled
 * topology, scenario or plan file (mutate.ts) and the CLI must either succeed or refuse cleanly,
 * naming the file and the mutated field — never crash, hang, print NaN or pollute a prototype.
 * Cheap by default (a few runs per family, seed pinned by test/setup.ts); PODSIM_HOSTILE_LONG=1
 * runs 200 per family and shrinks failures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCase, REFUSED, Sandbox, type Outcome } from './harness.ts';
import { makeFixtures, type Fixtures } from './fixtures.ts';
import { mutatedText, mutationOf, pathKeys } from './mutate.ts';

const LONG = process.env['PODSIM_HOSTILE_LONG'] === '1';
const NUM_RUNS = LONG ? 200 : 4;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const yamlIn = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(ROOT, dir, f));
const ALLOWED: readonly Outcome[] = ['ok', ...REFUSED];

let fx: Fixtures;
const sandbox = new Sandbox();
beforeAll(() => void (fx = makeFixtures()));
afterAll(async () => {
  await sandbox.close();
  fx.cleanup();
});

/**
 * A bundled plan made cheap to run: the tiny scenario, one growth step, the smallest size of
 * each candidate and few Monte Carlo samples; every other field is the bundled file's.
 */
function cheapPlan(file: string): Record<string, unknown> {
  const p = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  p['scenario'] = fx.scenario;
  p['growth'] = [1];
  const cands = (p['candidates'] as Record<string, unknown>[] | undefined) ?? [];
  for (const c of cands) if (Array.isArray(c['hosts'])) c['hosts'] = [Math.min(...c['hosts'])];
  const mem = p['memory'] as Record<string, unknown> | undefined;
  if (mem !== undefined) {
    mem['samples'] = 200;
    if (typeof mem['trace'] === 'string') mem['trace'] = join(ROOT, 'plans', mem['trace']);
  }
  return p;
}

interface Family {
  readonly name: string;
  readonly files: () => { source: string; doc: unknown }[];
  readonly args: (file: string, doc: unknown) => string[];
}

const firstVariant = (doc: unknown): string => {
  const v = (doc as { variants?: { id?: unknown }[] } | undefined)?.variants?.[0]?.id;
  return typeof v === 'string' ? v : 'a';
};

const FAMILIES: readonly Family[] = [
  {
    name: 'topology',
    files: () =>
      yamlIn('topologies').map((f) => ({ source: f, doc: parse(readFileSync(f, 'utf8')) })),
    args: (f) => ['topology', 'inspect', f, '--json'],
  },
  {
    name: 'scenario',
    files: () =>
      [...yamlIn('scenarios'), fx.scenario].map((f) => ({
        source: f,
        doc: parse(readFileSync(f, 'utf8')),
      })),
    args: (f, doc) => [
      'explain',
      f,
      '--topology',
      'octopus-96',
      '--request',
      JSON.stringify({ variant: firstVariant(doc), tokens: 1000, host: 'h0' }),
      '--json',
    ],
  },
  {
    name: 'plan',
    files: () => yamlIn('plans').map((f) => ({ source: f, doc: cheapPlan(f) })),
    args: (f) => ['capacity', f, '--json'],
  },
];

describe.each(FAMILIES)('one field of a bundled $name file, mutated', (family) => {
  it(
    'succeeds or is refused naming the file and the field',
    async () => {
      const sources = family.files();
      let n = 0;
      const arb = fc
        .nat({ max: sources.length - 1 })
        .chain((i) => mutationOf(sources[i]!.doc).map((m) => ({ ...m, i })));
      await fc.assert(
        fc.asyncProperty(arb, async ({ i, path, mutation }) => {
          const { source, doc } = sources[i]!;
          const file = fx.file(
            `m${n++}-${basename(source)}`,
            mutatedText(doc, path, mutation.value),
          );
          const args = family.args(file, doc);
          const { result, problems } = await checkCase(sandbox, args, { allow: ALLOWED });
          const keys = pathKeys(path);
          if (result.exitCode !== undefined && result.exitCode >= 2) {
            const msg = result.stderr.toLowerCase();
            if (!msg.includes(basename(file).toLowerCase()))
              problems.push(`message does not name the file ${basename(file)}`);
            if (keys.length > 0 && !keys.some((k) => msg.includes(k.toLowerCase())))
              problems.push(`message names none of ${keys.join(', ')}`);
          }
          expect(
            problems,
            `${basename(source)}: ${pathKeys(path).join('.') || '(list item)'} [${path.join(', ')}] := ${mutation.name}\n  exit ${result.exitCode ?? '-'}; stderr: ${result.stderr.slice(0, 300)}`,
          ).toEqual([]);
        }),
        { numRuns: NUM_RUNS, endOnFailure: !LONG },
      );
    },
    LONG ? 3_600_000 : 120_000,
  );
});
