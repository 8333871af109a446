/**
 * The node-key codec at the graph boundary: what makes every user id an ordinary id.
 *
 * graphology 0.26 keeps each node's adjacency in a plain object keyed by the neighbour's key,
 * so a node named after an `Object.prototype` property (`__proto__`, `constructor`, `toString`
 * …) would read or overwrite the prototype instead of an entry — a crash at best, a poisoned
 * object at worst. So ids are never graph keys as given: {@link nodeKey} maps an id to its key
 * (the id itself for every ordinary id, so bundled topologies and their outputs are unchanged;
 * {@link KEY_PREFIX} + the id for a reserved name or an id that starts with the prefix), and
 * {@link nodeId} maps a key back. The rule (docs/design.md convention §7): an id becomes a key
 * only in a graphology call, and a key read from the graph is decoded before it is shown,
 * compared with user input or used as a map key. Node attributes (a GPU's `host`) and link ids
 * (`a--b`) hold ids, not keys. The compiled fabric (`src/fabric/compile.ts`) holds ids.
 *
 * Files cannot carry the prefix: the loaders refuse control characters (U+0000–U+001F) in ids.
 */

/** First character of an encoded key: U+0001, a control character no file id may contain. */
export const KEY_PREFIX = '\u0001';

/**
 * Names that must not be used as plain-object keys: every own property of `Object.prototype`
 * (a fixed list, so the encoding never depends on the runtime) and `prototype`.
 */
export const RESERVED_IDS: ReadonlySet<string> = new Set([
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
  'prototype',
]);

/**
 * The graph key of a node id: the id itself unless it is a {@link RESERVED_IDS} name or starts
 * with {@link KEY_PREFIX}, then the prefix + the id. Reversed by {@link nodeId}.
 * @example nodeKey('h0') === 'h0'; nodeKey('__proto__') === '\u0001__proto__'
 */
export function nodeKey(id: string): string {
  return RESERVED_IDS.has(id) || id.startsWith(KEY_PREFIX) ? KEY_PREFIX + id : id;
}

/**
 * The node id of a graph key (inverse of {@link nodeKey}): strips one {@link KEY_PREFIX}.
 * @example nodeId('\u0001__proto__') === '__proto__'; nodeId('h0') === 'h0'
 */
export function nodeId(key: string): string {
  return key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : key;
}

/**
 * A message written with graph keys, shown with node ids: drops the {@link KEY_PREFIX} of every
 * encoded key in the text. For display only (validation messages built from keys); exact for
 * every id a file can carry, since those contain no control character.
 */
export function idsInText(text: string): string {
  if (!text.includes(KEY_PREFIX)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    // A prefix is dropped and the character after it kept as it is (even another prefix).
    if (text[i] === KEY_PREFIX && i + 1 < text.length) i++;
    out += text[i];
  }
  return out;
}

/** The parts of an issue about the graph that may carry graph keys. */
interface KeyedIssue {
  readonly message: string;
  readonly path: readonly (string | number)[];
  readonly subject: { readonly node: string } | { readonly link: string } | object;
}

/**
 * An issue written with graph keys (by a check that walks the graph), rewritten with node ids in
 * its subject, path and message, so that it names nodes as the user wrote them.
 */
export function issueWithIds<T extends KeyedIssue>(issue: T): T {
  const { subject } = issue;
  return {
    ...issue,
    message: idsInText(issue.message),
    path: issue.path.map((p) => (typeof p === 'string' ? nodeId(p) : p)),
    subject: 'node' in subject ? { node: nodeId(subject.node) } : subject,
  };
}
