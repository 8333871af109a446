/**
 * Name lookup shared by the built-in model and GPU tables: case-insensitive id lookup that
 * fails with an {@link InputError} naming the closest id ("did you mean …?") and every known id
 * (docs/design.md convention §4–5); the edit distance is the shared one in `errors/suggest.ts`. Also
 * the prototype-free table ({@link nameTable}) and own-entry read ({@link ownEntry}) that tables
 * keyed by user-given names (models, GPUs) use, so `constructor` or `__proto__` is just a name.
 */
import { InputError } from '../errors/index.ts';
import { closest } from '../errors/suggest.ts';

/**
 * Looks `id` up (case-insensitively) in a table keyed by lowercase ids.
 * @param what - what the table holds, for the message ("model", "GPU").
 * @param code - issue code of the error, e.g. `kv.unknown-model`.
 * @param path - where the id came from in the user's input (empty for a direct call).
 * @throws InputError when the id is unknown, with a did-you-mean and the list of ids.
 */
export function lookupById<T>(
  table: Readonly<Record<string, T>>,
  id: string,
  what: string,
  code: string,
  path: readonly (string | number)[],
): T {
  const key = id.trim().toLowerCase();
  if (Object.prototype.hasOwnProperty.call(table, key)) {
    const found = table[key];
    if (found !== undefined) return found;
  }
  const known = Object.keys(table);
  const near = closest(key, known);
  const hint = near === undefined ? '.' : `; did you mean "${near}"?`;
  const message = `unknown ${what} "${id}"${hint} Known ${what}s: ${known.join(', ')}`;
  throw new InputError([{ code, path, message }]);
}

/**
 * A frozen lookup table with no prototype, so that a name read from a file (`constructor`,
 * `toString`, `__proto__` …) can only ever find an entry of the table, never an inherited
 * property (docs/design.md "Conventions": maps, not objects, for anything keyed by user ids).
 * @example nameTable({ a: 1 })['constructor'] === undefined
 */
export function nameTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  const table = Object.create(null) as Record<string, T>;
  for (const [k, v] of Object.entries(entries)) table[k] = v;
  return Object.freeze(table);
}

/**
 * The entry of `table` under `key` when the table has it as its own property; undefined for any
 * other key, inherited names (`constructor`, `toString` …) included.
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
