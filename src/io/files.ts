/**
 * What topology and scenario files share: reading YAML (or JSON) with positioned syntax errors,
 * ordering issues by where they stand in a file, and bundled presets — the `*.yaml` files of a
 * folder (`topologies/`, `scenarios/`) that a name can stand for.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { FileError, InputError, LimitError, type Issue } from '../errors/index.ts';
import { LIMITS } from '../errors/limits.ts';
import { suggestion } from './issues.ts';
import { readTextCapped } from './read-capped.ts';
import { guardKeys, guardYamlText } from './yaml-guard.ts';

/** A plain object (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The key written at a (1-based) line and column of `text`, for a duplicate-key message. */
function duplicateKeyAt(
  text: string,
  pos: { line: number; col: number } | undefined,
): string | undefined {
  if (pos === undefined) return undefined;
  const line = text.split(/\r?\n/)[pos.line - 1] ?? '';
  const m = /^\s*(?:"([^"]*)"|'([^']*)'|([^:#]+?))\s*:/.exec(line.slice(pos.col - 1));
  return m === null ? undefined : (m[1] ?? m[2] ?? m[3]);
}

/**
 * Parses YAML (or JSON) text into plain data; every syntax error becomes an issue with its line
 * and column. One document per file; nesting and alias expansion are capped (docs/limits.md).
 * @throws InputError on syntax errors or several documents
 * @throws LimitError (`limit.yaml-depth`, `limit.yaml-aliases`) past LIMITS.yamlDepth or LIMITS.yamlAliases
 */
export function readYaml(text: string, file: string): unknown {
  guardYamlText(text, file);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'silent' });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new InputError(
      problems.map((e) => {
        const first = (e.message.split('\n')[0] ?? e.message).replace(
          / at line \d+, column \d+:?$/,
          '',
        );
        const pos = e.linePos?.[0];
        const dup = e.code === 'DUPLICATE_KEY' ? duplicateKeyAt(text, pos) : undefined;
        return {
          code: 'input.yaml',
          path: [],
          message: `YAML ${doc.errors.includes(e as never) ? 'syntax error' : 'problem'}${pos === undefined ? '' : ` at line ${pos.line}, column ${pos.col}`}: ${dup === undefined ? first : `the key "${dup}" appears twice in one mapping; keep one`}`,
        };
      }),
      file,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: LIMITS.yamlAliases });
  } catch (e) {
    if (/alias count/i.test((e as Error).message))
      throw new LimitError(
        [
          {
            code: 'limit.yaml-aliases',
            path: [],
            message: `YAML aliases (\`*name\`) expand to more than ${LIMITS.yamlAliases} copies (limit yamlAliases, docs/limits.md: a guard against "billion laughs" documents); write the repeated values out or use fewer aliases`,
          },
        ],
        file,
      );
    throw new InputError(
      [{ code: 'input.yaml', path: [], message: `YAML cannot be read: ${(e as Error).message}` }],
      file,
    );
  }
  guardKeys(data, file);
  return data;
}

/**
 * A comparator ordering issues by where they are in a file: top-level keys in `keyOrder`, then
 * index order; ties keep their order (Array.prototype.sort is stable), or with `shorterFirst` an
 * issue about a whole value comes before issues inside it.
 */
export function byPathIn(
  keyOrder: readonly string[],
  shorterFirst = false,
): (a: Issue, b: Issue) => number {
  const rank = (k: string): number =>
    keyOrder.includes(k) ? keyOrder.indexOf(k) : keyOrder.length;
  return (a, b) => {
    const n = Math.min(a.path.length, b.path.length);
    for (let i = 0; i < n; i++) {
      const x = a.path[i] as string | number;
      const y = b.path[i] as string | number;
      if (x === y) continue;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      if (i === 0 && typeof x === 'string' && typeof y === 'string') return rank(x) - rank(y);
      return 0;
    }
    return shorterFirst ? a.path.length - b.path.length : 0;
  };
}

/** Name of a file without folder and extension (`topologies/octopus-96.yaml` → `octopus-96`). */
export function stem(file: string): string {
  const b = basename(file);
  const e = extname(b);
  return e === '' ? b : b.slice(0, -e.length);
}

/** A bundled file: its name (file stem), absolute path and `description`. */
export interface Preset {
  readonly name: string;
  readonly file: string;
  readonly description: string;
}

/** The `*.yaml` files of a bundled folder, sorted by name; `label` is the folder as users see it (`topologies`). */
export function listBundled(dir: string, label: string): Preset[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => {
      const file = join(dir, f);
      const data = readYaml(readTextCapped(file, 'bundled file'), `${label}/${f}`);
      const description =
        isRecord(data) && typeof data['description'] === 'string' ? data['description'].trim() : '';
      return { name: stem(f), file, description };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Reads a file given by path, or the bundled file a preset name stands for (an existing file wins).
 * @param what singular noun for messages ("topology", "scenario")
 * @returns the text, the path read and the name to show in messages (`topologies/x.yaml` for presets)
 * @throws InputError when neither exists (listing the presets, with a did-you-mean)
 * @throws FileError when the file cannot be read; LimitError when it is larger than LIMITS.inputFileBytes
 */
export function readFileOrPreset(
  fileOrPreset: string,
  dir: string,
  label: string,
  what: string,
): { text: string; path: string; display: string } {
  let path: string;
  let display: string;
  if (existsSync(fileOrPreset) && statSync(fileOrPreset).isFile()) {
    path = fileOrPreset;
    display = fileOrPreset;
  } else {
    const presets = listBundled(dir, label);
    const preset = presets.find(
      (p) => p.name === fileOrPreset || `${p.name}.yaml` === fileOrPreset,
    );
    if (preset === undefined) {
      const names = presets.map((p) => p.name);
      const near = suggestion(fileOrPreset, names);
      const whatNot = existsSync(fileOrPreset)
        ? `"${fileOrPreset}" is not a file`
        : `no file "${fileOrPreset}" and no bundled ${what} of that name`;
      throw new InputError([
        {
          code: 'input.not-found',
          path: [],
          message: `${whatNot}${near.startsWith('; did') ? near : ''}; bundled ${what === 'topology' ? 'topologies' : `${what}s`}: ${names.join(', ') || '(none)'}`,
        },
      ]);
    }
    path = preset.file;
    display = `${label}/${basename(preset.file)}`;
  }
  return { text: readTextCapped(path, `${what} file`), path, display };
}

/**
 * The text of a file a document names by a path relative to itself (a trace next to a scenario
 * or plan), or undefined after an issue at `at` saying why it cannot be read: `input.not-found`
 * (with the folder looked in) or `input.read` (a folder, no permission, …).
 * @param owner what the path is relative to, for the message (`scenario file`, `plan file`)
 */
export function readRelativeText(
  rel: string,
  baseDir: string,
  at: readonly (string | number)[],
  issues: Issue[],
  owner: string,
): string | undefined {
  const full = resolve(baseDir, rel);
  if (!existsSync(full)) {
    issues.push({
      code: 'input.not-found',
      path: [...at],
      message: `no trace file "${rel}" (looked for ${full}; the path is relative to the ${owner})`,
    });
    return undefined;
  }
  try {
    return readTextCapped(full, 'trace', at);
  } catch (e) {
    // Too large is a limit (exit 4) and stops the load; unreadable is one more issue of the file.
    if (!(e instanceof FileError)) throw e;
    issues.push({
      code: 'input.read',
      path: [...at],
      message: `cannot read the trace "${rel}": ${e.issues[0]?.message ?? e.message}`,
    });
    return undefined;
  }
}
