/**
 * Cross-references of an explicit topology file, checked on the raw data so they are reported
 * together with schema problems: duplicate ids (declared, or taken by a GPU or NIC podsim
 * creates), links to unknown nodes, self-links, link ids, and duplicate links. Where the raw data
 * is too broken to know an id (a node without a string id, a host whose GPU/NIC count is
 * invalid), references that might point at it are not flagged, so no issue is a knock-on of
 * another.
 */
import type { Issue } from '../../errors/index.ts';
import { linkId } from '../../topology/builder.ts';
import type { ComponentProfile } from '../../topology/defaults.ts';
import { isRecord } from '../files.ts';
import { show, suggestion } from '../issues.ts';
import { resolveProfile } from './common.ts';
import { componentsSchema } from './schema-common.ts';

/** Where the builder's derived nodes (GPUs, NICs) come from. */
export interface Derived {
  readonly host: string;
  readonly hostIndex: number;
  readonly kind: 'gpu' | 'nic';
  readonly n: number;
}

/** What the cross-reference check learns about node ids. */
export interface IdIndex {
  /** Declared id → index in `nodes`. */
  readonly declared: Map<string, number>;
  /** Derived GPU/NIC id → its host. */
  readonly derived: Map<string, Derived>;
}

/** What the link checks need to know of the ids. */
interface Ids extends IdIndex {
  /** False when some node's id cannot be read. */
  readonly allIdsKnown: boolean;
  /** `<host>.gpu` / `<host>.nic` of hosts whose count cannot be read. */
  readonly unknownPrefixes: readonly string[];
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 64;

/** Declared ids (first of each), with an issue per duplicate. */
function declaredIds(
  nodes: readonly unknown[],
  issues: Issue[],
): { declared: Map<string, number>; allIdsKnown: boolean } {
  const declared = new Map<string, number>();
  let allIdsKnown = true;
  nodes.forEach((node, i) => {
    if (!isRecord(node) || typeof node['id'] !== 'string') {
      allIdsKnown = false;
      return;
    }
    const id = node['id'];
    const first = declared.get(id);
    if (first !== undefined)
      issues.push({
        code: 'topology.duplicate-id',
        path: ['nodes', i, 'id'],
        message: `duplicate id "${id}" (first at nodes[${first}])`,
      });
    else declared.set(id, i);
  });
  return { declared, allIdsKnown };
}

/** The GPUs and NICs podsim creates for each host, with an issue per declared node that takes one's id. */
function derivedIds(
  nodes: readonly unknown[],
  declared: ReadonlyMap<string, number>,
  profile: ComponentProfile | undefined,
  issues: Issue[],
): { derived: Map<string, Derived>; unknownPrefixes: string[] } {
  const derived = new Map<string, Derived>();
  const unknownPrefixes: string[] = [];
  nodes.forEach((node, i) => {
    if (!isRecord(node) || typeof node['id'] !== 'string' || node['kind'] !== 'host') return;
    const host = node['id'];
    if (declared.get(host) !== i) return;
    for (const kind of ['gpu', 'nic'] as const) {
      const raw = node[`${kind}s`];
      // Explicit files cable every NIC by hand, so a host has none unless it says `nics:`.
      const fallback = kind === 'nic' ? 0 : profile?.gpusPerHost;
      const count = raw === undefined ? fallback : isCount(raw) ? raw : undefined;
      if (count === undefined) {
        unknownPrefixes.push(`${host}.${kind}`);
        continue;
      }
      for (let n = 0; n < count; n++) {
        const did = `${host}.${kind}${n}`;
        const clash = declared.get(did);
        if (clash !== undefined) {
          issues.push({
            code: 'topology.duplicate-id',
            path: ['nodes', clash, 'id'],
            message: `id "${did}" is taken by ${kind.toUpperCase()} ${n} of host ${host} (nodes[${i}]), which podsim creates; rename this node`,
          });
        } else derived.set(did, { host, hostIndex: i, kind, n });
      }
    }
  });
  return { derived, unknownPrefixes };
}

/** A link's two ends: each must name a node (did-you-mean over `known`). */
function endIssues(
  link: Readonly<Record<string, unknown>>,
  j: number,
  ids: Ids,
  known: readonly string[],
  issues: Issue[],
): void {
  for (const end of ['a', 'b'] as const) {
    const ref = link[end];
    if (typeof ref !== 'string' || ref === '' || ids.declared.has(ref) || ids.derived.has(ref))
      continue;
    if (!ids.allIdsKnown || ids.unknownPrefixes.some((p) => ref.startsWith(p))) continue;
    issues.push({
      code: 'topology.unknown-node',
      path: ['links', j, end],
      message: `unknown node "${ref}"${suggestion(ref, known)}`,
    });
  }
}

/**
 * A link between two named ends: not to itself, its `id` the default one, not a duplicate of a
 * host-internal link or of an earlier link (`firstLink`: pair key → first index).
 */
function pairIssues(
  link: Readonly<Record<string, unknown>>,
  j: number,
  a: string,
  b: string,
  ids: Ids,
  firstLink: Map<string, number>,
  issues: Issue[],
): void {
  if (a === b) {
    issues.push({
      code: 'topology.self-link',
      path: ['links', j, 'b'],
      message: `a link cannot join "${a}" to itself`,
    });
    return;
  }
  const id = link['id'];
  if (typeof id === 'string' && id !== linkId(a, b) && id !== linkId(b, a)) {
    issues.push({
      code: 'input.link-id',
      path: ['links', j, 'id'],
      message: `link ids are "<a>--<b>": expected "${linkId(a, b)}" (or "${linkId(b, a)}"), got ${show(id)}; remove \`id\` to use the default`,
    });
  }
  const da = ids.derived.get(a);
  const db = ids.derived.get(b);
  if ((da !== undefined && da.host === b) || (db !== undefined && db.host === a)) {
    issues.push({
      code: 'topology.duplicate-link',
      path: ['links', j],
      message: `${a} and ${b} are already joined by the host-internal PCIe link podsim creates for the host's ${(da ?? db)?.kind.toUpperCase()}s`,
    });
    return;
  }
  const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
  const first = firstLink.get(key);
  if (first !== undefined)
    issues.push({
      code: 'topology.duplicate-link',
      path: ['links', j],
      message: `duplicate link between ${a} and ${b} (first at links[${first}]); two cables between the same pair are one link with more lanes`,
    });
  else firstLink.set(key, j);
}

/**
 * Duplicate ids, links to unknown nodes, duplicate links, self-links and link ids, checked on the
 * raw data so they are reported together with schema problems.
 * @returns the issues, and the ids found (for mapping validation issues back into the file)
 */
export function crossReferences(data: Readonly<Record<string, unknown>>): {
  issues: Issue[];
  ids: IdIndex;
} {
  const issues: Issue[] = [];
  const nodes = Array.isArray(data['nodes']) ? (data['nodes'] as unknown[]) : [];
  const links = Array.isArray(data['links']) ? (data['links'] as unknown[]) : [];
  const comps = componentsSchema.safeParse(data['components'] ?? {});
  const profile = comps.success ? resolveProfile(comps.data as Record<string, unknown>) : undefined;
  const { declared, allIdsKnown } = declaredIds(nodes, issues);
  const { derived, unknownPrefixes } = derivedIds(nodes, declared, profile, issues);
  const ids: Ids = { declared, derived, allIdsKnown, unknownPrefixes };
  const known = [...declared.keys(), ...derived.keys()];
  const firstLink = new Map<string, number>();
  links.forEach((link, j) => {
    if (!isRecord(link)) return;
    endIssues(link, j, ids, known, issues);
    const a = link['a'];
    const b = link['b'];
    if (typeof a !== 'string' || typeof b !== 'string') return;
    pairIssues(link, j, a, b, ids, firstLink, issues);
  });
  return { issues, ids: { declared, derived } };
}
