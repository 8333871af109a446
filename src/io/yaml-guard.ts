/**
 * Guards run on YAML (and JSON) text before it is composed into data (docs/limits.md): the
 * nesting depth, measured on the concrete syntax tree with an explicit stack so a document of
 * thousands of `[` never reaches the recursive composer ("Maximum call stack size exceeded"),
 * and the number of documents — podsim reads one per file, never the first of several.
 */
import { LineCounter, Parser } from 'yaml';
import { InputError, LimitError } from '../errors/index.ts';
import { LIMITS } from '../errors/limits.ts';

/** A CST node as far as the depth walk needs it: its kind, where it starts and what it holds. */
interface CstNode {
  readonly type: string;
  readonly offset: number;
  readonly items?: readonly { key?: unknown; value?: unknown }[];
  readonly value?: unknown;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

const isNode = (v: unknown): v is CstNode =>
  v !== null && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string';

/**
 * The offset of the first collection nested deeper than `limit` levels under `root`, or
 * undefined. Iterative, so it is safe on any depth the parser accepts.
 */
export function tooDeepAt(root: unknown, limit: number): number | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (!isNode(node)) continue;
    const isCollection = COLLECTIONS.has(node.type);
    const d = isCollection ? depth + 1 : depth;
    if (d > limit) return node.offset;
    if (node.items !== undefined)
      for (const item of node.items) {
        stack.push({ node: item.key, depth: d });
        stack.push({ node: item.value, depth: d });
      }
    // A document's value; a block scalar or alias has no collection under it.
    if (!isCollection && node.value !== undefined) stack.push({ node: node.value, depth: d });
  }
  return undefined;
}

/**
 * Refuses YAML text nested deeper than LIMITS.yamlDepth (LimitError `limit.yaml-depth`, with the
 * line) or holding more than one non-empty document (InputError `input.yaml-documents`).
 * Call before composing the text; the parser itself is iterative.
 */
export function guardYamlText(text: string, file: string): void {
  const lines = new LineCounter();
  const docs = [...new Parser(lines.addNewLine).parse(text)].filter(
    (t) => t.type === 'document' && t.value !== undefined && !isEmptyValue(t.value),
  );
  for (const doc of docs) {
    const at = tooDeepAt(doc, LIMITS.yamlDepth);
    if (at !== undefined)
      throw new LimitError(
        [
          {
            code: 'limit.yaml-depth',
            path: [],
            message: `nesting deeper than ${LIMITS.yamlDepth} levels at line ${lines.linePos(at).line} (limit yamlDepth, docs/limits.md; podsim's files nest a few levels — flatten the document)`,
          },
        ],
        file,
      );
  }
  if (docs.length > 1)
    throw new InputError(
      [
        {
          code: 'input.yaml-documents',
          path: [],
          message: `has ${docs.length} documents (separated by \`---\`); podsim reads one per file — split them into ${docs.length} files`,
        },
      ],
      file,
    );
}

/** A document value that holds nothing (only comments or whitespace after `---`). */
function isEmptyValue(v: unknown): boolean {
  if (!isNode(v)) return true;
  const source = (v as { source?: unknown }).source;
  return v.type === 'scalar' && source === '';
}

/** Control characters U+0000–U+001F (podsim keeps U+0001 as an internal escape prefix of ids). */
// eslint-disable-next-line no-control-regex -- the point is to find them
const CONTROL = /[\u0000-\u001f]/;

/**
 * Refuses any mapping key with a control character (U+0000–U+001F), and any key named
 * `__proto__` (dropped by object parsing), wherever it is: keys are
 * ids (variants in `workload.variants`, component names, …), and podsim reserves U+0001 as an
 * internal escape prefix. Iterative; `data` is composed YAML, so it is a tree of bounded depth.
 * @throws InputError (`input.id`) with the path of every such key
 */
export function guardKeys(data: unknown, file: string): void {
  const issues: { code: string; path: (string | number)[]; message: string }[] = [];
  // Depth-first with explicit exit markers, so the objects on the current path are known: an
  // alias that refers to a node containing it (`a: &a [*a]`) composes into a cycle, which every
  // later walk would follow forever. Shared (non-cyclic) aliases are fine.
  type Frame = { v: unknown; path: (string | number)[]; exit?: object };
  const stack: Frame[] = [{ v: data, path: [] }];
  const onPath = new Set<object>();
  while (stack.length > 0 && issues.length < 20) {
    const { v, path, exit } = stack.pop() as Frame;
    if (exit !== undefined) {
      onPath.delete(exit);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (onPath.has(v)) {
      issues.push({
        code: 'input.yaml-cycle',
        path,
        message:
          'an alias refers to a node that contains it (a recursive alias); write the value out',
      });
      continue;
    }
    onPath.add(v);
    stack.push({ v: undefined, path, exit: v });
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
    else
      for (const [k, x] of Object.entries(v)) {
        if (CONTROL.test(k))
          issues.push({
            code: 'input.id',
            path: [...path, k],
            message: `key ${JSON.stringify(k)} has a control character: ids and names may not contain U+0000–U+001F`,
          });
        else if (k === '__proto__')
          // a mapping key, not an id in a list: JavaScript objects (and the schema library) drop
          // or misread it, so it is refused rather than silently lost
          issues.push({
            code: 'input.reserved-key',
            path: [...path, k],
            message: `a mapping key named "__proto__" cannot be read as data (JavaScript reserves it); rename it — as an id in a list (e.g. a node's id) it is fine`,
          });
        else stack.push({ v: x, path: [...path, k] });
      }
  }
  if (issues.length > 0) throw new InputError(issues, file);
}
