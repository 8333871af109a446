/**
 * Reading input files within the documented limits (docs/limits.md): YAML nesting depth, alias
 * expansion and document count, and the size cap on every loader (topology, scenario, plan,
 * traffic, traces).
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileError, InputError, LimitError } from '../../src/errors/index.ts';
import { LIMITS } from '../../src/errors/limits.ts';
import { readYaml } from '../../src/io/files.ts';
import { loadPlan, loadScenario, loadTopology, parseScenarioText } from '../../src/io/index.ts';
import { readTrafficFile } from '../../src/io/traffic-file.ts';
import { thrown, where } from './topology-helpers.ts';

const TMP = mkdtempSync(join(tmpdir(), 'podsim-limits-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const file = join(TMP, name);
  writeFileSync(file, text);
  return file;
};

describe('YAML depth', () => {
  it('a flow sequence thousands deep is a limit with its line, not a stack overflow', () => {
    const text = `a: 1\nb: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const e = thrown(LimitError, () => readYaml(text, 'deep.yaml'));
    expect(where(e)).toEqual(['limit.yaml-depth @ (root)']);
    expect(e.message).toMatch(/^deep\.yaml: nesting deeper than 64 levels at line 2 /);
    expect(e.message).not.toMatch(/call stack/);
  });

  it('block mappings nested thousands deep too', () => {
    let text = 'top: 1\n';
    for (let i = 0; i < 3000; i++) text += `${' '.repeat(i)}k:\n`;
    const e = thrown(LimitError, () => readYaml(text, 'deep.yaml'));
    expect(e.message).toMatch(/nesting deeper than 64 levels at line \d+/);
  });

  it('exactly the limit is read; one more is refused', () => {
    const at = (n: number): string => `${'['.repeat(n)}1${']'.repeat(n)}`;
    expect(readYaml(at(LIMITS.yamlDepth), 'ok.yaml')).toBeDefined();
    thrown(LimitError, () => readYaml(at(LIMITS.yamlDepth + 1), 'deep.yaml'));
  });

  it('JSON nests the same way', () => {
    const text = `${'{"a":'.repeat(200)}1${'}'.repeat(200)}`;
    thrown(LimitError, () => readYaml(text, 'deep.json'));
  });
});

describe('YAML aliases', () => {
  it('a billion-laughs document is a limit naming yamlAliases', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
    ])
      rows.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    const e = thrown(LimitError, () => readYaml(`${rows.join('\n')}\n`, 'bomb.yaml'));
    expect(where(e)).toEqual(['limit.yaml-aliases @ (root)']);
    expect(e.message).toMatch(
      /^bomb\.yaml: YAML aliases .* more than 100 copies \(limit yamlAliases/,
    );
  });

  it('a few aliases are fine', () => {
    expect(readYaml('a: &x { k: 1 }\nb: *x\nc: *x\n', 'ok.yaml')).toEqual({
      a: { k: 1 },
      b: { k: 1 },
      c: { k: 1 },
    });
  });
});

describe('YAML documents', () => {
  it('two documents are refused, not half read', () => {
    const e = thrown(InputError, () => readYaml('a: 1\n---\nb: 2\n', 'two.yaml'));
    expect(where(e)).toEqual(['input.yaml-documents @ (root)']);
    expect(e.message).toBe(
      'two.yaml: has 2 documents (separated by `---`); podsim reads one per file — split them into 2 files',
    );
  });

  it('a leading `---`, a trailing `---` or `...` and comments are one document', () => {
    for (const text of ['---\na: 1\n', 'a: 1\n---\n', 'a: 1\n...\n', 'a: 1\n---\n# end\n'])
      expect(readYaml(text, 'one.yaml')).toEqual({ a: 1 });
  });

  it('a scenario file of two documents names the file', () => {
    const e = thrown(InputError, () =>
      parseScenarioText('description: x\n---\ndescription: y\n', 's.yaml'),
    );
    expect(e.message).toMatch(/^s\.yaml: has 2 documents/);
  });
});

describe('every loader reads through the size cap', () => {
  it('a folder given as a topology, scenario or plan is a FileError naming it', () => {
    // A folder that does exist: the loaders look for a preset first and then read the path.
    for (const load of [loadTopology, loadScenario, loadPlan]) {
      const e = thrown(InputError, () => load(TMP));
      expect(e.message).toMatch(/is not a file/);
    }
  });

  it('a traffic file that is a folder is a FileError; a missing one keeps the keyword hint', () => {
    thrown(FileError, () => readTrafficFile(TMP, ['h0']));
    const e = thrown(InputError, () => readTrafficFile(join(TMP, 'nope.csv'), ['h0']));
    expect(e.message).toMatch(/uniform, local, local:F/);
  });

  it('a trace larger than the cap stops the load with a LimitError', () => {
    // A sparse file: its size is past the cap without writing the bytes.
    truncateSync(write('big.csv', ''), LIMITS.inputFileBytes + 1);
    const text = `description: x\nworkload: { arrival: { trace: big.csv } }\n`;
    const e = thrown(LimitError, () => parseScenarioText(text, 'big.yaml', { baseDir: TMP }));
    expect(e.message).toMatch(/above the 268,435,456-byte limit on input files/);
  });

  it('a topology file past the cap is a LimitError', () => {
    const file = write('huge.yaml', '');
    truncateSync(file, LIMITS.inputFileBytes + 1);
    const e = thrown(LimitError, () => loadTopology(file));
    expect(e.issues[0]?.code).toBe('limit.input-file');
  });
});
