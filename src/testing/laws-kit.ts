/**
 * The pieces every topology law is built from (src/testing/laws.ts): the {@link TopologyLaw}
 * shape, the cap on listed violations, and small graph readers (nodes of a kind, links of a kind
 * at a node, hosts' directly cabled devices, hybrid pod prefixes, numeric parameters).
 */
import type { LinkKind, NodeAttributes, TopologyGraph } from '../topology/types.ts';
import type { GeneratedTopology } from './arbitraries.ts';

/** A named law: `check` returns the violations found (empty when the law holds). */
export interface TopologyLaw {
  readonly name: string;
  /** One sentence: what the law says. */
  readonly description: string;
  check(t: GeneratedTopology): string[];
}

/** At most this many violations are listed per law; the rest are counted. */
export const MAX_LISTED = 8;

/** The violations, the first {@link MAX_LISTED} listed and the rest counted. */
export function capped(violations: string[]): string[] {
  if (violations.length <= MAX_LISTED) return violations;
  return [...violations.slice(0, MAX_LISTED), `… and ${violations.length - MAX_LISTED} more`];
}

/** Ids of the nodes of one kind. */
export const ofKind = (g: TopologyGraph, kind: NodeAttributes['kind']): string[] =>
  g.filterNodes((_, a) => a.kind === kind);

/** Links of one kind at a node. */
export function linksOfKind(g: TopologyGraph, node: string, kind: LinkKind): number {
  let n = 0;
  g.forEachEdge(node, (_e, l) => {
    if (l.kind === kind) n++;
  });
  return n;
}

/** Whether a value is a non-null object. */
export const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null;
/** A numeric field of an object, or undefined. */
export const numberField = (x: unknown, field: string): number | undefined => {
  if (!isRecord(x)) return undefined;
  const v = x[field];
  return typeof v === 'number' ? v : undefined;
};

/** Pod id prefix of a hybrid node (`p3.h7` → `p3.`), or '' when unprefixed. */
export const podOf = (id: string): string => /^(p\d+\.)/.exec(id)?.[1] ?? '';

/** MHDs (and memory devices) each host is cabled to directly. */
export function directDevices(g: TopologyGraph, host: string): Set<string> {
  const out = new Set<string>();
  g.forEachEdge(host, (_e, l, s, t, sa, ta) => {
    if (l.kind !== 'cxl') return;
    const [other, oa] = s === host ? [t, ta] : [s, sa];
    if (oa.kind === 'mhd' || oa.kind === 'memory-device') out.add(other);
  });
  return out;
}

/** How many elements two sets share. */
export function shared(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}
