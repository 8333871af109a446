/**
 * Importers for public LLM-serving traces (docs/workloads.md "Importers"; docs/references.md §9).
 * Neither names a variant, so every row's variant is drawn by the workload's `variants` weights
 * from the run's seed (the variants stream) when the run starts.
 *
 * - **Azure LLM inference trace** (CSV `TIMESTAMP,ContextTokens,GeneratedTokens`): arrivals are
 *   the timestamps minus the first; the trace says nothing about shared prefixes, so every row is
 *   its own context (`azure<row>`, the whole prompt: `contextTokens = ContextTokens`, no suffix)
 *   and no row can reuse another's cache — a replay exercises load and fabric, not reuse.
 * - **Mooncake** (JSONL `timestamp` in ms, `input_length`, `output_length`, `hash_ids`: one id per
 *   `blockTokens`-token block, equal ids meaning an equal prefix): a row's context is the longest
 *   prefix of its hash ids that at least one other row of the trace also starts with (context id
 *   `p<k>`, k in order of first use; tokens = blocks × blockTokens, capped at the shortest prompt
 *   sharing that prefix), the rest of its prompt is its suffix. A row sharing no block with any
 *   other is its own context (`u<row>`, whole prompt, no suffix). A row hits only a cache stored
 *   under exactly its context id: a row whose longest shared prefix is 3 blocks does not reuse a
 *   5-block context that contains them (the pool reuses whole caches).
 */
import { show } from '../issues.ts';
import type { LineIssues } from './trace-rows.ts';
import { csvCells, dataLines, RowsBuilder, tokenCell, type TraceData } from './trace-rows.ts';

const AZURE_COLUMNS = ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens'] as const;
/** `2023-11-16 18:15:46.6805900`: the Azure trace's timestamp (UTC, up to 100 ns ticks). */
const AZURE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** An Azure timestamp as [whole seconds since the epoch, ns within the second], or undefined. */
function azureTime(cell: string): [number, number] | undefined {
  const m = AZURE_TIME.exec(cell);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (!Number.isFinite(ms) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
    return undefined;
  return [ms / 1000, Number((m[7] ?? '').padEnd(9, '0'))];
}

/** Reads an Azure LLM inference trace. */
export function readAzureTrace(text: string, out: LineIssues): TraceData | undefined {
  const b = new RowsBuilder(out);
  let col: number[] | undefined;
  let first: [number, number] | undefined;
  let row = 0;
  for (const [n, line] of dataLines(text)) {
    const cells = csvCells(line);
    if (col === undefined) {
      const unknown = cells.filter((c) => !(AZURE_COLUMNS as readonly string[]).includes(c));
      const missing = AZURE_COLUMNS.filter((c) => !cells.includes(c));
      if (unknown.length > 0 || missing.length > 0) {
        out.bad(
          n,
          `header ${show(line)}: an Azure LLM inference trace has the columns ${AZURE_COLUMNS.join(', ')}${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''}${unknown.length > 0 ? `; unknown ${unknown.join(', ')}` : ''}`,
          'workload.trace-header',
        );
        return undefined;
      }
      col = AZURE_COLUMNS.map((c) => cells.indexOf(c));
      continue;
    }
    if (cells.length !== col.length) {
      out.bad(n, `${cells.length} cells, but the header has ${col.length} columns`);
      continue;
    }
    const [ti, ci, gi] = col as [number, number, number];
    const bad: string[] = [];
    const t = azureTime(cells[ti] as string);
    if (t === undefined)
      bad.push(
        `column TIMESTAMP: ${show(cells[ti])} is not a time such as "2023-11-16 18:15:46.6805900"`,
      );
    const ctx = tokenCell(cells[ci], 1, true);
    if (typeof ctx === 'string') bad.push(`column ContextTokens: ${ctx}`);
    const gen = tokenCell(cells[gi], 1, true);
    if (typeof gen === 'string')
      bad.push(`column GeneratedTokens: ${gen} (podsim decodes at least the first token)`);
    if (bad.length > 0 || t === undefined || typeof ctx === 'string' || typeof gen === 'string') {
      out.bad(n, bad.join('; '));
      continue;
    }
    first ??= t;
    const ns = Number(((t[0] - first[0]) * 1e9 + (t[1] - first[1])).toPrecision(15));
    b.add(n, ns, undefined, `azure${row++}`, { context: ctx, suffix: 0, output: gen });
  }
  return b.arrivalsNs.length > 0 ? b.build(out.rel) : undefined;
}

/** One Mooncake row as read. */
interface MooncakeRow {
  readonly line: number;
  readonly ns: number;
  readonly input: number;
  readonly output: number;
  readonly hashes: readonly number[];
}

/** A node of the hash-prefix trie: how many rows pass through it, their shortest prompt. */
interface PrefixNode {
  count: number;
  minInput: number;
  readonly children: Map<number, PrefixNode>;
}

const MOONCAKE_KEYS = ['timestamp', 'input_length', 'output_length', 'hash_ids'];

/** One Mooncake line as a row, or the problems with it. */
function mooncakeRow(line: number, text: string): MooncakeRow | string {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return `${show(text)} is not a JSON object; a Mooncake trace has one object per line`;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o))
    return `${show(o)} is not a JSON object; a Mooncake trace has one object per line`;
  const r = o as Record<string, unknown>;
  const bad: string[] = [];
  for (const k of Object.keys(r))
    if (!MOONCAKE_KEYS.includes(k))
      bad.push(`unknown key ${show(k)}; keys: ${MOONCAKE_KEYS.join(', ')}`);
  const ts = r['timestamp'];
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0)
    bad.push(`timestamp: ${show(ts)} is not a number of ms ≥ 0`);
  const input = tokenCell(r['input_length'], 1, false);
  if (typeof input === 'string') bad.push(`input_length: ${input}`);
  const output = tokenCell(r['output_length'], 1, false);
  if (typeof output === 'string')
    bad.push(`output_length: ${output} (podsim decodes at least the first token)`);
  const h = r['hash_ids'];
  if (!Array.isArray(h) || !h.every((x) => Number.isSafeInteger(x) && (x as number) >= 0))
    bad.push(`hash_ids: ${show(h)} is not a list of whole numbers ≥ 0`);
  if (bad.length > 0) return bad.join('; ');
  return {
    line,
    ns: Number(((ts as number) * 1e6).toPrecision(15)),
    input: input as number,
    output: output as number,
    hashes: h as number[],
  };
}

/** Reads a Mooncake trace, contexts derived from shared hash-id prefixes (file header). */
export function readMooncakeTrace(
  text: string,
  out: LineIssues,
  blockTokens: number,
): TraceData | undefined {
  const rows: MooncakeRow[] = [];
  const root: PrefixNode = { count: 0, minInput: Infinity, children: new Map() };
  for (const [n, line] of dataLines(text)) {
    const r = mooncakeRow(n, line);
    if (typeof r === 'string') {
      out.bad(n, r);
      continue;
    }
    rows.push(r);
    let node = root;
    for (const id of r.hashes) {
      let next = node.children.get(id);
      if (next === undefined) {
        next = { count: 0, minInput: Infinity, children: new Map() };
        node.children.set(id, next);
      }
      next.count++;
      next.minInput = Math.min(next.minInput, r.input);
      node = next;
    }
  }
  const b = new RowsBuilder(out);
  const idOf = new Map<PrefixNode, string>();
  rows.forEach((r, i) => {
    // Deepest node of this row's hash ids that another row also passes through.
    let node = root;
    let blocks = 0;
    for (const h of r.hashes) {
      const next = node.children.get(h) as PrefixNode;
      if (next.count < 2) break;
      node = next;
      blocks++;
    }
    if (blocks === 0) {
      b.add(r.line, r.ns, undefined, `u${i}`, { context: r.input, suffix: 0, output: r.output });
      return;
    }
    const shared = node;
    let id = idOf.get(shared);
    if (id === undefined) idOf.set(shared, (id = `p${idOf.size}`));
    const context = Math.min(blocks * blockTokens, shared.minInput);
    b.add(r.line, r.ns, undefined, id, { context, suffix: r.input - context, output: r.output });
  });
  return b.arrivalsNs.length > 0 ? b.build(out.rel) : undefined;
}
