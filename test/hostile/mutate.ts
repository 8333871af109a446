/**
 * One-field mutations of a YAML document for the generated hostile cases (docs/hostile-inputs.md):
 * pick a path in the parsed file, then delete the field, retype it, set an extreme number, a NaN
 * or infinity (as YAML `.nan`/`.inf` and as strings), a huge integer, a unit string of the wrong
 * kind, deep nesting, aliases, or `__proto__`/`constructor` keys and ids. Raw YAML that
 * `stringify` cannot produce (`.nan`, a 30-digit integer, anchors) goes in through a marker that is
 * replaced in the text.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

/** A path into a parsed document. */
export type DocPath = readonly (string | number)[];

/** Every path in `doc` that holds a value (maps, lists and leaves), root excluded. */
export function pathsOf(doc: unknown, at: DocPath = [], out: DocPath[] = []): DocPath[] {
  if (Array.isArray(doc))
    doc.forEach((v, i) => {
      out.push([...at, i]);
      pathsOf(v, [...at, i], out);
    });
  else if (doc !== null && typeof doc === 'object')
    for (const [k, v] of Object.entries(doc)) {
      out.push([...at, k]);
      pathsOf(v, [...at, k], out);
    }
  return out;
}

/** A mutation: a name for the report and what it does to the value at the path. */
export interface Mutation {
  readonly name: string;
  /** The new value, or `DELETE`; a string starting with RAW is written as raw YAML. */
  readonly value: unknown;
}

/** Marks a field for deletion. */
export const DELETE = Symbol('delete');
const RAW = '\u0000raw:';
const raw = (yaml: string): string => `${RAW}${yaml}`;

/** The mutations, each a plausible mistake or attack. */
export const MUTATIONS: readonly Mutation[] = [
  { name: 'deleted', value: DELETE },
  { name: 'a string', value: 'x' },
  { name: 'an empty string', value: '' },
  { name: 'an empty list', value: [] },
  { name: 'an empty map', value: {} },
  { name: 'true', value: true },
  { name: 'null', value: null },
  { name: '0', value: 0 },
  { name: '-1', value: -1 },
  { name: '2.5', value: 2.5 },
  { name: '1e308', value: 1e308 },
  { name: '-1e308', value: -1e308 },
  { name: '1e-300', value: 1e-300 },
  { name: '2^53', value: 2 ** 53 },
  { name: 'a 30-digit integer', value: raw('123456789012345678901234567890') },
  { name: 'YAML .nan', value: raw('.nan') },
  { name: 'YAML .inf', value: raw('.inf') },
  { name: 'YAML -.inf', value: raw('-.inf') },
  { name: 'the string "NaN"', value: 'NaN' },
  { name: 'the string "Infinity"', value: 'Infinity' },
  { name: 'a bandwidth', value: '5 GB/s' },
  { name: 'a length', value: '3 m' },
  { name: 'a time', value: '12 ns' },
  { name: 'a price', value: '$5' },
  { name: 'a percentage', value: '150 %' },
  { name: 'a huge size', value: '1e308 GB' },
  { name: 'a negative size', value: '-4 GiB' },
  { name: 'a NaN quantity', value: 'NaN ns' },
  { name: '200 nested lists', value: raw(`${'['.repeat(200)}1${']'.repeat(200)}`) },
  { name: 'an aliased list', value: raw('{ a: &x [1, 2, 3], b: *x }') },
  {
    name: 'a small alias fan-out',
    value: raw('[&a [1, 1, 1, 1, 1, 1, 1, 1], [*a, *a, *a, *a, *a, *a, *a, *a]]'),
  },
  { name: 'the id __proto__', value: '__proto__' },
  { name: 'the id constructor', value: 'constructor' },
  { name: 'the id prototype', value: 'prototype' },
  { name: 'a map with a __proto__ key', value: raw('{ __proto__: { polluted: 1 } }') },
  { name: 'a map with a constructor key', value: raw('{ constructor: { prototype: 1 } }') },
];

/** `doc` with `value` at `path` (or the field deleted), as YAML text. */
export function mutatedText(doc: unknown, path: DocPath, value: unknown): string {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === DELETE) {
    if (Array.isArray(target) && typeof last === 'number') target.splice(last, 1);
    else delete target[last];
  } else target[last] = value;
  const raws: string[] = [];
  const text = stringify(copy, (_k, v: unknown) => {
    if (typeof v === 'string' && v.startsWith(RAW)) {
      raws.push(v.slice(RAW.length));
      return `@@RAW${raws.length - 1}@@`;
    }
    return v;
  });
  return text.replace(/"?@@RAW(\d+)@@"?/g, (_m, i: string) => raws[Number(i)] ?? '');
}

/** A path of `doc` and a mutation, as a fast-check arbitrary. */
export function mutationOf(doc: unknown): fc.Arbitrary<{ path: DocPath; mutation: Mutation }> {
  const paths = pathsOf(doc);
  return fc.record({
    path: fc.constantFrom(...paths),
    mutation: fc.constantFrom(...MUTATIONS),
  });
}

/** The words of a path a message naming it should contain (its keys, not list indices). */
export const pathKeys = (path: DocPath): string[] =>
  path.filter((p): p is string => typeof p === 'string');
