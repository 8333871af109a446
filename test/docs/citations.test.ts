/**
 * Sources cite the repository's own documents: comments in
 * src/, test/, bench/, the bundled topologies, scenarios and plans, the config files and the docs
 * themselves point at `docs/<file>.md`, often with a section (`docs/references.md §3`,
 * `docs/design.md convention §4`) and a quoted sub-heading (`§3 "Model shapes"`,
 * `docs/design.md "GPU compute"`). This test fails when a cited file, numbered section,
 * sub-heading or quoted passage is missing, when a citation points outside the repository, or
 * when a relative link between the Markdown documents lands on no file or heading.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { citationsIn, outline, problemsOf, type Citation, type Outline } from './citations.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Folders whose files may cite docs (searched recursively). */
const SCANNED_DIRS = ['src', 'test', 'bench', 'topologies', 'scenarios', 'plans', 'docs', 'bin'];
/** Files at the top of the repository that may cite docs. */
const SCANNED_FILES = ['README.md', '.dependency-cruiser.cjs', 'eslint.config.js'];
const SCANNED_EXTENSION = /\.(ts|js|cjs|mjs|ya?ml|md)$/;
/** This test and its helper spell out citation patterns in their comments. */
const SKIPPED = new Set(['test/docs/citations.test.ts', 'test/docs/citations.ts']);

function walk(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory())
      return e.name === 'node_modules' || e.name === '__golden__' ? [] : walk(path);
    return SCANNED_EXTENSION.test(e.name) && !SKIPPED.has(path) ? [path] : [];
  });
}

const files = [
  ...SCANNED_DIRS.flatMap(walk),
  ...SCANNED_FILES.filter((f) => existsSync(join(ROOT, f))),
];
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const docs = new Map<string, Outline>(
  readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => [f, outline(read(`docs/${f}`))]),
);
const citations: Citation[] = files.flatMap((f) => citationsIn(f, read(f)));

describe('citations of docs/*.md in the repository', () => {
  it('finds the citations it is meant to check (the scan is not vacuous)', () => {
    expect(citations.filter((c) => c.file === 'design.md').length).toBeGreaterThan(50);
    expect(citations.filter((c) => c.file === 'references.md').length).toBeGreaterThan(50);
    expect(citations.some((c) => c.name === 'Model shapes')).toBe(true);
    expect(citations.some((c) => c.file === 'design.md' && c.name === 'GPU compute')).toBe(true);
  });

  it('every cited file, section, sub-heading and quoted passage exists', () => {
    const problems = citations.flatMap((c) => problemsOf(c, docs));
    expect(problems).toEqual([]);
  });
});

describe('links between the Markdown documents', () => {
  const markdown = [
    'README.md',
    ...files.filter((f) => f.startsWith('docs/') && f.endsWith('.md')),
  ];
  it.each(markdown)(
    '%s: every relative link lands on a file and, for .md files, a heading',
    (f) => {
      const problems: string[] = [];
      for (const m of read(f).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1] ?? '';
        if (/^[a-z]+:/i.test(target)) continue;
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? f : relative(ROOT, join(ROOT, dirname(f), path));
        if (!existsSync(join(ROOT, file))) {
          problems.push(`${f}: link to ${target}: ${file} does not exist`);
          continue;
        }
        if (anchor === undefined || !file.endsWith('.md')) continue;
        if (!outline(read(file)).anchors.has(anchor))
          problems.push(`${f}: link to ${target}: ${file} has no heading with anchor #${anchor}`);
      }
      expect(problems).toEqual([]);
    },
  );
});

describe('the checks themselves', () => {
  const doc = outline(
    [
      '# Doc',
      '## 1. First',
      '**Testbed.** Two VMs.',
      '### Model shapes',
      'Conventional pods connect every host to every device.',
      '## 2. Second',
      '```',
      '## 9. Not a heading (inside a code fence)',
      '```',
      '## Conventions',
      '### 3. Parse at the edge',
    ].join('\n'),
  );
  const docsOf = new Map([['x.md', doc]]);
  const check = (comment: string): string[] =>
    citationsIn('src/a.ts', comment).flatMap((c) => problemsOf(c, docsOf));

  it('accepts citations of what exists, across comment lines', () => {
    expect(check('/** (docs/x.md §1 "Model shapes") */')).toEqual([]);
    expect(check('/** (docs/x.md §1, "Testbed"; docs/x.md §1–2) */')).toEqual([]);
    expect(
      check('/**\n * see docs/x.md\n * convention §3 and docs/x.md\'s "Model shapes" table\n */'),
    ).toEqual([]);
    expect(check('// docs/x.md §1: "conventional pods connect every host"')).toEqual([]);
    expect(check('# docs/x.md "Parse at the edge"')).toEqual([]);
  });

  it('reports a missing file, section, sub-heading or passage, and paths outside the repository', () => {
    expect(check('// docs/missing.md')).toEqual(['src/a.ts:1: docs/missing.md does not exist']);
    expect(check('// docs/x.md §9')).toEqual(['src/a.ts:1: docs/x.md has no section §9']);
    expect(check('// docs/x.md §1–5')).toHaveLength(2);
    expect(check('/**\n * docs/x.md §2 "Model shapes"\n */')).toEqual([
      'src/a.ts:2: docs/x.md §2 has no heading or bold label "Model shapes"',
    ]);
    expect(check('// docs/x.md §1: "every host to every switch"')).toHaveLength(1);
    expect(check('// ../shared/docs/x.md §1')).toHaveLength(1);
  });

  it('computes GitHub anchors, skipping code fences', () => {
    expect([...doc.anchors]).toEqual([
      'doc',
      '1-first',
      'model-shapes',
      '2-second',
      'conventions',
      '3-parse-at-the-edge',
    ]);
  });
});
