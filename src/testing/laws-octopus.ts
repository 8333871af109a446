/**
 * The topology laws that hold an Octopus generator to its own claims (src/testing/laws.ts lists
 * them all): host and MHD degrees as requested, and the pair overlap each design promises —
 * exactly one shared device per host pair for a λ = 1 design, inside an island, or within a
 * hybrid's pod; at most one elsewhere. They apply only when the generator name or parameters
 * make the claim.
 */
import type { GeneratedTopology } from './arbitraries.ts';
import {
  capped,
  directDevices,
  isRecord,
  linksOfKind,
  numberField,
  ofKind,
  podOf,
  shared,
  type TopologyLaw,
} from './laws-kit.ts';
import type { TopologyGraph } from '../topology/types.ts';

/** The (X, N) an Octopus topology was asked for, from its parameters (hybrid: its pod's). */
function requestedPorts(
  t: GeneratedTopology,
): { hostPorts: number; devicePorts: number } | undefined {
  let p: unknown = t.params;
  if (t.generator === 'hybrid' && isRecord(p) && isRecord(p['pod'])) p = p['pod']['params'];
  const hostPorts = numberField(p, 'hostPorts');
  const devicePorts = numberField(p, 'devicePorts');
  return hostPorts === undefined || devicePorts === undefined
    ? undefined
    : { hostPorts, devicePorts };
}

/** Octopus degrees as requested: host degree ≤ hostPorts, MHD degree ≤ devicePorts; no switches. */
export const octopusDegrees: TopologyLaw = {
  name: 'octopus degrees as requested',
  description:
    'when params give hostPorts (X) and devicePorts (N): every host has ≤ X MHD links, every MHD ≤ N host links and N ports; Octopus pods have no CXL switch; octopus-bibd is biregular (exactly X and N)',
  check: (t) => {
    const g = t.graph;
    const req = requestedPorts(t);
    if (req === undefined) return [];
    const exact =
      t.generator === 'octopus-bibd' ||
      (t.generator === 'hybrid' &&
        isRecord(t.params) &&
        isRecord(t.params['pod']) &&
        t.params['pod']['generator'] === 'octopus-bibd');
    const out: string[] = [];
    g.forEachNode((id, a) => {
      if (a.kind === 'host') {
        const d = directDevices(g, id).size;
        if (d > req.hostPorts || (exact && d !== req.hostPorts))
          out.push(
            `host ${id} joins ${d} MHDs; asked hostPorts ${req.hostPorts}${exact ? ' exactly' : ''}`,
          );
      } else if (a.kind === 'mhd') {
        const d = linksOfKind(g, id, 'cxl');
        if (d > req.devicePorts || (exact && d !== req.devicePorts))
          out.push(
            `MHD ${id} serves ${d} hosts; asked devicePorts ${req.devicePorts}${exact ? ' exactly' : ''}`,
          );
        if (a.ports !== req.devicePorts)
          out.push(`MHD ${id} has ${a.ports} ports; asked devicePorts ${req.devicePorts}`);
      } else if (a.kind === 'cxl-switch' && g.getAttribute('family') === 'octopus')
        out.push(`Octopus pod has a CXL switch ${id}`);
    });
    return capped(out);
  },
};

/** Island of a host, when it has one. */
function islandOf(g: TopologyGraph, host: string): number | undefined {
  const a = g.getNodeAttributes(host);
  return a.kind === 'host' ? a.island : undefined;
}

/** Whether the topology (or, for a hybrid, its pod generator) is an island pod. */
function claimsIslands(t: GeneratedTopology): boolean {
  if (t.generator === 'octopus-islands') return true;
  return (
    t.generator === 'hybrid' &&
    isRecord(t.params) &&
    isRecord(t.params['pod']) &&
    t.params['pod']['generator'] === 'octopus-islands'
  );
}

/** How many devices each claimed pair must share: exact count, or at most. */
type PairClaim = { readonly exactly: number } | { readonly atMost: number } | undefined;

/** The pair-overlap claim a generator makes for two hosts (same pod for hybrids). */
function pairClaimFor(
  generator: string,
  params: unknown,
  g: TopologyGraph,
  a: string,
  b: string,
  deviceCount: number,
): PairClaim {
  switch (generator) {
    case 'octopus-bibd':
      return { exactly: 1 };
    case 'full-pod':
      return { exactly: deviceCount };
    case 'octopus-islands':
      return islandOf(g, a) === islandOf(g, b) ? { exactly: 1 } : { atMost: 1 };
    case 'hybrid': {
      if (!isRecord(params) || !isRecord(params['pod'])) return undefined;
      if (podOf(a) !== podOf(b)) return { exactly: 0 };
      const pod = params['pod'];
      return typeof pod['generator'] === 'string' && pod['generator'] !== 'hybrid'
        ? pairClaimFor(pod['generator'], pod['params'], g, a, b, deviceCount)
        : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Pair overlap where claimed: octopus-bibd — every host pair shares exactly one MHD; full-pod —
 * every pair shares every device; octopus-islands — every pair inside an island shares exactly
 * one MHD and no other pair shares more than one; hybrid — each pod keeps its generator's claim
 * and hosts of different pods share nothing.
 */
export const pairOverlapClaims: TopologyLaw = {
  name: 'pair overlap where claimed',
  description:
    'octopus-bibd: every host pair shares exactly one MHD; full-pod: every pair shares every device; octopus-islands: pairs inside an island share exactly one, others at most one; hybrid: per pod, nothing across pods',
  check: (t) => {
    const g = t.graph;
    const hosts = ofKind(g, 'host');
    const devices = new Map(hosts.map((h) => [h, directDevices(g, h)] as const));
    const deviceCount = g.filterNodes((_, a) => a.kind === 'mhd').length;
    const out: string[] = [];
    if (claimsIslands(t))
      for (const h of hosts)
        if (islandOf(g, h) === undefined) out.push(`host ${h} of an island pod records no island`);
    for (let i = 0; i < hosts.length; i++)
      for (let j = i + 1; j < hosts.length; j++) {
        const a = hosts[i] as string;
        const b = hosts[j] as string;
        const claim = pairClaimFor(t.generator, t.params, g, a, b, deviceCount);
        if (claim === undefined) continue;
        const n = shared(devices.get(a) ?? new Set(), devices.get(b) ?? new Set());
        if ('exactly' in claim && n !== claim.exactly)
          out.push(
            `hosts ${a}, ${b} share ${n} devices; ${t.generator} claims exactly ${claim.exactly}`,
          );
        if ('atMost' in claim && n > claim.atMost)
          out.push(
            `hosts ${a}, ${b} share ${n} devices; ${t.generator} claims at most ${claim.atMost}`,
          );
      }
    return capped(out);
  },
};
