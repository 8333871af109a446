/**
 * `octopus-sparse`: an Octopus pod for ANY host count n, host degree ≤ X, device degree ≤ N.
 * The paper leaves the construction of such sparse topologies open (docs/references.md §1); podsim's
 * algorithm and its objective are documented in docs/octopus-generators.md:
 *
 * Objective `pair-coverage`: maximise the number of host pairs that share a device, subject to
 * locality — a device's hosts lie within a window of W = X(N−1) hosts of each other in rack
 * order, so cables stay short. The upper bound is min(C(n,2), n·X·(N−1)/2) pairs (every host
 * meeting X(N−1) distinct partners).
 *
 * Greedy in rack order: for host i with a free port, open a device and add, one at a time, the
 * host in the window that brings the most new pairs (ties: most free ports, then nearest, then a
 * seeded per-host priority); stop at N hosts or when no candidate adds a new pair. A device left
 * with one host is dropped and the port stays free. O(n·X·N·W) with a hash set of covered pairs.
 *
 * That is `wiring: coverage` (the default): wire first, then let the layout optimiser place the
 * pod. `wiring: reach` places first and wires each device only to hosts within copper reach of
 * it, so every cable fits (./octopus-sparse-reach.ts).
 */
import { GeneratorError } from '../../errors/index.ts';
import { mulberry32 } from '../../units/random.ts';
import { DEFAULT_COMPONENTS } from '../defaults.ts';
import { assembleOctopus, resolveGeometry, type OctopusIncidence } from './octopus-common.ts';
import { reachIncidence } from './octopus-sparse-reach.ts';
import type { GenerateOptions, Generator, OctopusSparseParams } from './types.ts';

/** How an `octopus-sparse` pod is wired. */
export type SparseWiring = NonNullable<OctopusSparseParams['wiring']>;

/**
 * The `wiring` parameter (default `coverage`), checked again here because library callers can
 * pass any value.
 * @throws GeneratorError `generator.out-of-range` for an unknown mode
 */
export function sparseWiring(params: OctopusSparseParams): SparseWiring {
  const raw: unknown = (params as { wiring?: unknown }).wiring;
  if (raw === undefined || raw === 'coverage' || raw === 'reach') return raw ?? 'coverage';
  throw new GeneratorError([
    {
      code: 'generator.out-of-range',
      path: ['params', 'wiring'],
      message: `wiring ${JSON.stringify(raw)} is not a wiring mode; allowed: 'coverage' (wire for pair coverage, then place; the default) or 'reach' (place first, then wire within copper reach)`,
    },
  ]);
}

/** The incidence (and, for `reach`, the placements) of a sparse pod. */
function sparsePod(params: OctopusSparseParams, options: GenerateOptions): OctopusIncidence {
  if (sparseWiring(params) === 'coverage')
    return { hosts: params.hosts, devices: sparseIncidence(params) };
  const g = resolveGeometry(options);
  if (g.placement === 'fill')
    throw new GeneratorError([
      {
        code: 'generator.unsupported-option',
        path: ['options', 'layout', 'placement'],
        message:
          'placement: fill cannot be combined with wiring: reach, which places hosts and MHDs itself (so that every cable fits copper reach); drop placement or use wiring: coverage',
      },
    ]);
  const reachM = (options.components ?? DEFAULT_COMPONENTS).copperReachM;
  const w = reachIncidence(params, g, reachM);
  return { hosts: params.hosts, devices: w.devices, placed: w.placed };
}

/** The incidence the sparse algorithm builds (exported for tests and docs figures). */
export function sparseIncidence(params: OctopusSparseParams): number[][] {
  const { hosts: n, hostPorts: X, devicePorts: N } = params;
  const W = Math.max(N, X * (N - 1));
  const rand = mulberry32(params.seed);
  const priority = Float64Array.from({ length: n }, () => rand());
  const free = new Int32Array(n).fill(X);
  const covered = new Set<number>();
  const key = (a: number, b: number): number => (a < b ? a * n + b : b * n + a);
  const devices: number[][] = [];
  for (let i = 0; i < n; i++) {
    while ((free[i] ?? 0) > 0) {
      const members = [i];
      while (members.length < N) {
        let best = -1;
        let bestGain = 0;
        const lo = Math.max(0, i - W);
        const hi = Math.min(n - 1, i + W);
        for (let c = lo; c <= hi; c++) {
          if ((free[c] ?? 0) === 0 || members.includes(c)) continue;
          if (members.some((m) => Math.abs(m - c) > W)) continue;
          let gain = 0;
          for (const m of members) if (!covered.has(key(m, c))) gain++;
          if (gain === 0) continue;
          if (
            best === -1 ||
            gain > bestGain ||
            (gain === bestGain &&
              ((free[c] ?? 0) > (free[best] ?? 0) ||
                ((free[c] ?? 0) === (free[best] ?? 0) &&
                  (Math.abs(c - i) < Math.abs(best - i) ||
                    (Math.abs(c - i) === Math.abs(best - i) &&
                      (priority[c] ?? 0) < (priority[best] ?? 0))))))
          ) {
            best = c;
            bestGain = gain;
          }
        }
        if (best === -1) break;
        members.push(best);
      }
      if (members.length < 2) break;
      for (const m of members) {
        free[m] = (free[m] ?? 0) - 1;
        for (const o of members) if (o > m) covered.add(key(m, o));
      }
      devices.push(members.sort((a, b) => a - b));
    }
  }
  return devices;
}

/** The `octopus-sparse` generator. */
export const octopusSparse: Generator<OctopusSparseParams> = {
  name: 'octopus-sparse',
  family: 'octopus',
  summary:
    'any host count: host degree ≤ X, device degree ≤ N, greedily maximising host pairs that share an MHD within a cable-friendly window (deterministic per seed)',
  generate(params, options = {}) {
    if (params.hosts < 2) {
      throw new GeneratorError([
        {
          code: 'generator.too-small',
          path: ['params', 'hosts'],
          message: `hosts ${params.hosts}: an Octopus pod needs at least 2 hosts`,
        },
      ]);
    }
    if (params.devicePorts < 2) {
      throw new GeneratorError([
        {
          code: 'generator.too-small',
          path: ['params', 'devicePorts'],
          message: `devicePorts ${params.devicePorts}: an MHD needs at least 2 ports to be shared`,
        },
      ]);
    }
    if (params.hostPorts < 2 && params.hosts > params.devicePorts) {
      throw new GeneratorError([
        {
          code: 'generator.too-small',
          path: ['params', 'hostPorts'],
          message: `hostPorts ${params.hostPorts}: with one port per host, ${params.hosts} hosts on ${params.devicePorts}-port devices split into separate groups; use hostPorts ≥ 2 (or at most ${params.devicePorts} hosts)`,
        },
      ]);
    }
    const pod = sparsePod(params, options);
    const devices = pod.devices;
    const reach = sparseWiring(params) === 'reach' ? ', wired within copper reach' : '';
    return assembleOctopus(
      pod,
      params,
      {
        name: `octopus-sparse-${params.hosts}`,
        description: `Octopus sparse pod: ${params.hosts} hosts, ${devices.length} MHDs of ≤ ${params.devicePorts} ports, host degree ≤ ${params.hostPorts}, pair-coverage objective${reach} (seed ${params.seed})`,
        generator: { name: 'octopus-sparse', params: { ...params } },
      },
      options,
    );
  },
};
