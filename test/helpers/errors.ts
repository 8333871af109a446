/**
 * Catching the error a call must throw, typed, for tests that then check its issues (docs/design.md
 * §5: tests check the class and the codes, not the message text).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatPath, PodsimError, type Issue } from '../../src/errors/index.ts';

/** Runs `f` and returns the error of class `cls` it throws; fails when it throws nothing or another error. */
export function thrown<E extends Error>(
  cls: abstract new (...args: never[]) => E,
  f: () => unknown,
): E {
  try {
    f();
  } catch (e) {
    if (e instanceof cls) return e;
    throw e;
  }
  throw new Error(`expected a ${cls.name}`);
}

/**
 * The loader fuzz contract: parsing `text` as `file` either succeeds or throws a PodsimError with
 * issues whose message names the file — never another kind of error.
 */
export function parsesOrPodsimError(
  parse: (text: string, file: string) => unknown,
  text: string,
  file = 'fuzz.yaml',
): void {
  try {
    parse(text, file);
  } catch (e) {
    if (!(e instanceof PodsimError)) throw e;
    if (e.issues.length === 0) throw new Error('a PodsimError without issues');
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (!(e.message.startsWith(file) || new RegExp(`^\\d+ problems in ${escaped}`).test(e.message)))
      throw new Error(`message does not name ${file}: ${e.message.slice(0, 120)}`);
  }
}

/**
 * The loader mutation contract: setting the field at `path` of a valid document to `value`
 * either still loads or fails only with issues under that path (the loader blames what changed).
 */
export function mutationBlamesItsField(
  parse: (text: string, file: string) => unknown,
  doc: unknown,
  path: readonly (string | number)[],
  value: unknown,
): void {
  let target = doc as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path[path.length - 1] as string | number] = value;
  try {
    parse(JSON.stringify(doc), 'mutated.json');
  } catch (e) {
    if (!(e instanceof PodsimError)) throw e;
    const outside = e.issues.filter(
      (i: Issue) => formatPath(i.path.slice(0, path.length)) !== formatPath(path),
    );
    expect(outside, `${formatPath(path)} = ${JSON.stringify(value)}`).toEqual([]);
  }
}

/**
 * The loader fuzz cases every file format shares: arbitrary text, and arbitrary JSON values
 * written as JSON or YAML, each must give a result or a {@link PodsimError} naming the file.
 * @param result what a good parse gives, for the test names ("a Scenario", "a graph")
 */
export function fuzzLoaderBasics(
  parse: (text: string, file: string) => unknown,
  result: string,
): void {
  const onlyPodsimErrors = (text: string): void => parsesOrPodsimError(parse, text);
  it(`arbitrary strings give ${result} or a PodsimError`, () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), onlyPodsimErrors));
  });
  it(`arbitrary JSON values, serialized as JSON or YAML, give ${result} or a PodsimError`, () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (v, asYaml) =>
        onlyPodsimErrors(asYaml ? stringify(v) : JSON.stringify(v)),
      ),
    );
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (v) =>
        onlyPodsimErrors(JSON.stringify(v) ?? 'null'),
      ),
    );
  });
}
