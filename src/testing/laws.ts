/**
 * The law suite every topology generator must pass (docs/design.md convention §12, after fast-check's
 * `ArbitraryAssertions`): a list of named laws, each a predicate on a generated topology that
 * returns its violations (empty = the law holds), and {@link topologyLawProperties} to turn them
 * into fast-check properties over any arbitrary of generated topologies — podsim's own
 * (`topologyArbitrary()`) or yours (`generatedTopology(myGenerator, params)`).
 *
 * The laws recompute what they check from the graph itself rather than trusting
 * `validateTopology`, so a bug in validation does not hide a bug in a generator (the first law
 * checks validation separately). Laws that depend on a generator's claims (pair overlap,
 * requested degrees) apply only when the generator name or parameters make that claim.
 */
import fc from 'fast-check';
import { validateTopology } from '../topology/validate.ts';
import { formatPath } from '../errors/index.ts';
import type { NodeAttributes, TopologyGraph } from '../topology/types.ts';
import type { GeneratedTopology } from './arbitraries.ts';
import { capped, linksOfKind, MAX_LISTED, ofKind, podOf, type TopologyLaw } from './laws-kit.ts';
import { octopusDegrees, pairOverlapClaims } from './laws-octopus.ts';

// The law shape and the Octopus claim laws live in laws-kit.ts and laws-octopus.ts.
export type { TopologyLaw } from './laws-kit.ts';
export { octopusDegrees, pairOverlapClaims } from './laws-octopus.ts';

// ---------------------------------------------------------------------------- laws

/** `validateTopology` finds no issue. */
export const validationClean: TopologyLaw = {
  name: 'validation is clean',
  description: 'validateTopology(graph) reports no issue',
  check: (t) =>
    validateTopology(t.graph).map((i) => `${i.code} at ${formatPath(i.path)}: ${i.message}`),
};

/** Cabled links never exceed a node's ports (recomputed here, independently of validation). */
export const degreesWithinPorts: TopologyLaw = {
  name: 'degrees within ports',
  description:
    'host CXL links ≤ cxlPorts; MHD, memory-device and CXL-switch links ≤ ports; ToR and spine cables ≤ ports; a NIC has ≤ 1 network cable',
  check: ({ graph: g }) => {
    const out: string[] = [];
    g.forEachNode((id, a) => {
      let used: number;
      let have: number;
      switch (a.kind) {
        case 'host':
          [used, have] = [linksOfKind(g, id, 'cxl'), a.cxlPorts];
          break;
        case 'mhd':
        case 'memory-device':
        case 'cxl-switch':
          [used, have] = [linksOfKind(g, id, 'cxl'), a.ports];
          break;
        case 'tor':
        case 'spine':
          [used, have] = [linksOfKind(g, id, 'network'), a.ports];
          break;
        case 'nic':
          [used, have] = [linksOfKind(g, id, 'network'), 1];
          break;
        case 'gpu':
          return;
      }
      if (used > have) out.push(`${a.kind} ${id}: ${used} links on ${have} ports`);
    });
    return capped(out);
  },
};

/** Every link is undirected, seen the same from both ends, and has positive finite bandwidth each way. */
export const linksSymmetric: TopologyLaw = {
  name: 'links are undirected and symmetric',
  description:
    'the graph is simple and undirected; every link is found from both ends under its one id and has a positive, finite per-direction bandwidth',
  check: ({ graph: g }) => {
    const out: string[] = [];
    if (g.type !== 'undirected') out.push(`graph type is ${g.type}, not undirected`);
    if (g.multi) out.push('graph allows parallel links');
    g.forEachEdge((e, l, s, t) => {
      if (!g.isUndirected(e)) out.push(`link ${e} is directed`);
      if (s === t) out.push(`link ${e} is a self-loop`);
      if (g.edge(s, t) !== e || g.edge(t, s) !== e)
        out.push(
          `link ${e}: lookup ${s}→${t} gives ${String(g.edge(s, t))}, ${t}→${s} gives ${String(g.edge(t, s))}`,
        );
      if (!g.areNeighbors(s, t) || !g.areNeighbors(t, s))
        out.push(`link ${e}: ${s} and ${t} are not neighbours both ways`);
      if (!(l.bandwidthBytesPerNs > 0) || !Number.isFinite(l.bandwidthBytesPerNs))
        out.push(`link ${e}: bandwidth ${l.bandwidthBytesPerNs} B/ns per direction`);
    });
    return capped(out);
  },
};

/** Every host reaches every other host through the graph (CXL, relays or RDMA). */
export const hostsConnected: TopologyLaw = {
  name: 'hosts are connected',
  description: 'every host reaches every other host through the graph',
  check: ({ graph: g }) => {
    const hosts = ofKind(g, 'host');
    const first = hosts[0];
    if (first === undefined) return ['topology has no host'];
    const seen = new Set<string>([first]);
    const stack = [first];
    while (stack.length > 0) {
      const v = stack.pop() as string;
      g.forEachNeighbor(v, (n) => {
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      });
    }
    const unreached = hosts.filter((h) => !seen.has(h));
    return unreached.length === 0
      ? []
      : [
          `${unreached.length} of ${hosts.length} hosts do not reach ${first}: ${unreached.slice(0, MAX_LISTED).join(', ')}${unreached.length > MAX_LISTED ? ', …' : ''}`,
        ];
  },
};

/** Topology families whose hosts pool memory over CXL. */
const CXL_FAMILIES: ReadonlySet<string> = new Set([
  'octopus',
  'full-pod',
  'switched-cxl',
  'hybrid',
]);
/** Families that claim every host reaches every memory device. */
const FULL_REACH_FAMILIES: ReadonlySet<string> = new Set(['full-pod', 'switched-cxl']);

/** Memory devices a host reaches over CXL links, passing only through CXL switches. */
export function cxlReachableMemory(g: TopologyGraph, host: string): Set<string> {
  const memory = new Set<string>();
  const seen = new Set<string>([host]);
  const stack = [host];
  while (stack.length > 0) {
    const v = stack.pop() as string;
    g.forEachEdge(v, (_e, l, s, t, sa, ta) => {
      if (l.kind !== 'cxl') return;
      const [n, na] = s === v ? [t, ta] : [s, sa];
      if (seen.has(n)) return;
      seen.add(n);
      if (na.kind === 'mhd' || na.kind === 'memory-device') memory.add(n);
      else if (na.kind === 'cxl-switch') stack.push(n);
    });
  }
  return memory;
}

/** CXL families: every host reaches pooled memory over CXL (all of it in full pods and switched pools). */
export const cxlMemoryReach: TopologyLaw = {
  name: 'hosts reach CXL memory',
  description:
    'in CXL families (octopus, full-pod, switched-cxl, hybrid) every host reaches at least one memory device over CXL (through switches only); in full-pod and switched-cxl, every memory device',
  check: ({ graph: g }) => {
    const family = g.getAttribute('family');
    if (!CXL_FAMILIES.has(family)) return [];
    const devices = g.filterNodes((_, a) => a.kind === 'mhd' || a.kind === 'memory-device');
    const out: string[] = [];
    g.forEachNode((id, a) => {
      if (a.kind !== 'host') return;
      const reach = cxlReachableMemory(g, id);
      if (reach.size === 0) out.push(`host ${id} reaches no memory device over CXL`);
      else if (FULL_REACH_FAMILIES.has(family) && reach.size !== devices.length)
        out.push(
          `host ${id} reaches ${reach.size} of ${devices.length} memory devices (${family} reaches all)`,
        );
    });
    return capped(out);
  },
};

/** Stable JSON of a graph's export (node, edge and graph attributes, in insertion order). */
export const exportJson = (g: TopologyGraph): string => JSON.stringify(g.export());

/** The same generator, parameters and options give an identical graph. */
export const deterministic: TopologyLaw = {
  name: 'deterministic',
  description:
    'generating again with the same parameters and options gives an identical graph export',
  check: (t) => {
    const again = exportJson(t.regenerate());
    const first = exportJson(t.graph);
    if (again === first) return [];
    let k = 0;
    while (k < first.length && first[k] === again[k]) k++;
    return [
      `second run differs at character ${k}: …${first.slice(Math.max(0, k - 40), k + 40)}… vs …${again.slice(Math.max(0, k - 40), k + 40)}…`,
    ];
  },
};

/** Id patterns per node kind (types.ts header); pod nodes of hybrids carry a `pK.` prefix. */
const ID_PATTERNS: Readonly<Record<NodeAttributes['kind'], RegExp>> = {
  host: /^(p\d+\.)?h\d+$/,
  gpu: /^(p\d+\.)?h\d+\.gpu\d+$/,
  nic: /^(p\d+\.)?h\d+\.nic\d+$/,
  mhd: /^(p\d+\.)?d\d+$/,
  'cxl-switch': /^(p\d+\.)?sw\d+$/,
  'memory-device': /^(p\d+\.)?md\d+$/,
  tor: /^tor\d+$/,
  spine: /^spine\d+$/,
};

/**
 * Node and link id conventions: hosts `h<i>`, GPUs `<host>.gpu<k>`, NICs `<host>.nic<k>`, MHDs
 * `d<j>`, CXL switches `sw<j>`, memory devices `md<j>`, ToRs `tor<j>`, spines `spine<j>`; in
 * hybrids, pod nodes carry `p<k>.` and every link stays inside one pod or joins the network; a
 * link's id is `a--b` for its two ends.
 */
export const idConventions: TopologyLaw = {
  name: 'id conventions',
  description:
    'node ids follow the kind conventions of types.ts (hybrid pod nodes prefixed pK.), GPUs/NICs are named after their host, links are named a--b',
  check: ({ graph: g }) => {
    const out: string[] = [];
    const hybrid = g.getAttribute('family') === 'hybrid';
    g.forEachNode((id, a) => {
      if (!ID_PATTERNS[a.kind].test(id))
        out.push(`${a.kind} id "${id}" does not match ${String(ID_PATTERNS[a.kind])}`);
      if ((a.kind === 'gpu' || a.kind === 'nic') && !id.startsWith(`${a.host}.${a.kind}`))
        out.push(`${a.kind} "${id}" is not named after its host ${a.host}`);
      if (hybrid && a.kind !== 'tor' && a.kind !== 'spine' && podOf(id) === '')
        out.push(`hybrid pod node "${id}" has no pK. prefix`);
      if (!hybrid && podOf(id) !== '') out.push(`node "${id}" has a pod prefix outside a hybrid`);
    });
    g.forEachEdge((e, l, s, t) => {
      if (e !== `${s}--${t}` && e !== `${t}--${s}`)
        out.push(`link "${e}" joining ${s} and ${t} is not named "${s}--${t}"`);
      if (hybrid && l.kind === 'cxl' && podOf(s) !== podOf(t))
        out.push(`CXL link ${e} crosses pods`);
    });
    return capped(out);
  },
};

/** Every law podsim's generators pass, in a stable order. */
export const TOPOLOGY_LAWS: readonly TopologyLaw[] = Object.freeze([
  validationClean,
  degreesWithinPorts,
  linksSymmetric,
  hostsConnected,
  cxlMemoryReach,
  octopusDegrees,
  pairOverlapClaims,
  deterministic,
  idConventions,
]);

/** Thrown by a law property so fast-check reports the law and its violations. */
export class LawViolation extends Error {
  override readonly name = 'LawViolation';
  constructor(
    readonly law: string,
    readonly violations: readonly string[],
  ) {
    super(`law "${law}" violated:\n  - ${violations.join('\n  - ')}`);
  }
}

/**
 * One fast-check property per law over `arb`; each fails with a {@link LawViolation} listing
 * what broke.
 * @example for (const law of topologyLawProperties(topologyArbitrary('octopus-bibd'))) it(law.name, () => fc.assert(law.property, { numRuns: 25 }));
 */
export function topologyLawProperties<T extends GeneratedTopology>(
  arb: fc.Arbitrary<T>,
  laws: readonly TopologyLaw[] = TOPOLOGY_LAWS,
): { name: string; law: TopologyLaw; property: fc.IProperty<[T]> }[] {
  return laws.map((law) => ({
    name: law.name,
    law,
    property: fc.property(arb, (t) => {
      const violations = law.check(t);
      if (violations.length > 0) throw new LawViolation(law.name, violations);
    }),
  }));
}

/** Runs every law once on one topology; returns the violations by law name (laws that hold are left out). */
export function checkTopologyLaws(
  t: GeneratedTopology,
  laws: readonly TopologyLaw[] = TOPOLOGY_LAWS,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const law of laws) {
    const v = law.check(t);
    if (v.length > 0) out[law.name] = v;
  }
  return out;
}
