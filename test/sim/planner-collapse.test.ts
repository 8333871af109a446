/**
 * `fabric-aware` cannot collapse (issue 12 item 11; docs/planner.md "The system cost"): on the
 * cases where the pool's fabric is the shared bottleneck it never does worse than both
 * `droidspeak` and `exact-only` by more than noise, and its real, bandwidth-driven win — slow
 * RDMA NICs, where recomputing beats fetching — stays measurable.
 *
 * The cases run the bundled droidspeak-8b scenario (32 replicas, 60 % cross-variant, 3 s TTFT
 * SLO) on topologies generated here:
 * - **sw4**: a 4-host switched CXL pod (switched-cxl: 4 hosts × 8 A100s, 2 devices, 16-port
 *   switches, one CXL link per host) at 72 requests/s: every fetch crosses the same two devices.
 *   Before the system cost, fabric-aware reached 15.6 goodput/s here (1,000 requests, seed 1)
 *   against 19.9 for droidspeak and 19.2 for exact-only, leaving half its exact hits.
 * - **sw96-h100**: the second case, H100 compute on PCIe 6 on a 96-host switched pod
 *   (48 devices of 1 TiB, 32-port switches, two links per host) at 192 requests/s. Before: 79.5
 *   vs 119.2 (droidspeak) and 115.5 (exact-only) at 2,000 requests; 86.1 vs 88.0 and 80.0 at the
 *   600 run here, with 116 exact hits taken against droidspeak's 244.
 * - **rdma25**: a 4-host RDMA rack, one 25 Gb/s NIC per host shared by its 8 GPUs, at 32
 *   requests/s — fetching a 1.4 GB cache from another host takes ≥ 0.45 s alone and seconds
 *   when shared, so recomputing wins. Before: fabric-aware 27.2 vs droidspeak 9.3 (800 requests).
 *
 * Noise: the runs are deterministic for a seed, so "noise" is how much a policy comparison moves
 * with the seed. Measured on sw4 at 600 requests over seeds 1–4 (paired, same seed): the ratio
 * fabric-aware ÷ droidspeak spans 0.980–1.014 and fabric-aware ÷ exact-only 1.04–1.25, while
 * goodput itself moves 20–33 /s between seeds. The band below is 5 % (over twice the widest
 * paired swing seen).
 */
import { describe, expect, it } from 'vitest';
import { compileFabric, type Fabric } from '../../src/fabric/compile.ts';
import { loadScenario } from '../../src/io/index.ts';
import { getGpu, type GpuProfile } from '../../src/kv/gpu.ts';
import type { PolicyName } from '../../src/planner/planner.ts';
import { runSimulation } from '../../src/sim/engine.ts';
import type { SimConfig } from '../../src/sim/types.ts';
import { DEFAULT_COMPONENTS } from '../../src/topology/defaults.ts';
import { generate } from '../../src/topology/generators/index.ts';

/** Relative noise band of a paired policy comparison (see the header for how it was measured). */
const NOISE = 0.05;
/**
 * Share of droidspeak's exact hits fabric-aware must keep: it may leave a few whose fetch would
 * hold up loads behind it (the load-slot term), but not half, as the TTFT-only rule did
 * *(estimate: 230 of 244 kept on sw96, 221 of 221 on sw4)*.
 */
const KEPT = 0.9;
const { scenario } = loadScenario('droidspeak-8b');

interface Case {
  readonly fabric: Fabric;
  readonly gpu: GpuProfile;
  readonly ratePerSecond: number;
  readonly requests: number;
}

const sw4: Case = {
  fabric: compileFabric(
    generate('switched-cxl', { hosts: 4, devices: 2, switchPorts: 16, hostLinks: 1 }),
  ),
  gpu: scenario.gpu,
  ratePerSecond: 72,
  requests: 600,
};

const rdma25: Case = {
  fabric: compileFabric(
    generate(
      'rdma-rack',
      { hosts: 4, racks: 1 },
      {
        gpusPerHost: 8,
        nicsPerHost: 1,
        // 25 Gb/s = 3.125 GB/s per NIC.
        components: {
          ...DEFAULT_COMPONENTS,
          nicRateBytesPerNs: 3.125,
        } as typeof DEFAULT_COMPONENTS,
      },
    ),
  ),
  gpu: scenario.gpu,
  ratePerSecond: 32,
  requests: 600,
};

/** Goodput (/s) and exact hits taken of one run. */
function goodput(c: Case, policy: PolicyName, seed = 1): { goodput: number; exact: number } {
  const cfg = {
    ...scenario,
    gpu: c.gpu,
    seed,
    planner: { policy, strategy: 'best' },
    workload: {
      ...scenario.workload,
      arrival: { kind: 'poisson', ratePerSecond: c.ratePerSecond },
      requests: c.requests,
    },
  } as SimConfig;
  const r = runSimulation(c.fabric, cfg);
  return { goodput: r.goodputPerS, exact: r.decisions.exact };
}

/** fabric-aware vs the two baselines on one case. */
function compare(
  c: Case,
  seed = 1,
): { fa: number; ds: number; eo: number; faExact: number; dsExact: number } {
  const fa = goodput(c, 'fabric-aware', seed);
  const ds = goodput(c, 'droidspeak', seed);
  return {
    fa: fa.goodput,
    ds: ds.goodput,
    eo: goodput(c, 'exact-only', seed).goodput,
    faExact: fa.exact,
    dsExact: ds.exact,
  };
}

describe('fabric-aware on shared-bottleneck fabrics', () => {
  it('sw4 at 72 /s: never worse than both baselines by more than noise', () => {
    for (const seed of [1, 2]) {
      const { fa, ds, eo, faExact, dsExact } = compare(sw4, seed);
      expect(fa).toBeGreaterThanOrEqual(Math.min(ds, eo) * (1 - NOISE));
      // Stronger, and what the system cost is for: within noise of the better baseline.
      expect(fa).toBeGreaterThanOrEqual(Math.max(ds, eo) * (1 - NOISE));
      // The mechanism: it keeps its exact hits (droidspeak takes every one).
      expect(faExact).toBeGreaterThanOrEqual(dsExact * KEPT);
    }
  }, 120_000);

  it('sw96 with H100 on PCIe 5 at 192 /s: never worse than both baselines by more than noise', () => {
    // The case was H100 compute on PCIe 6 links; a run now refuses a GPU its topology
    // does not wire, so the H100 rides its own PCIe 5 x16 (56 GB/s, as fast as the host's two
    // switch links: the switched fabric is the shared bottleneck).
    const sw96: Case = {
      fabric: compileFabric(
        generate(
          'switched-cxl',
          { hosts: 96, devices: 48, switchPorts: 32, hostLinks: 2 },
          {
            gpusPerHost: 8,
            components: {
              ...DEFAULT_COMPONENTS,
              mhdCapacity: 2 ** 40,
              gpuPcieGeneration: 5,
            } as typeof DEFAULT_COMPONENTS,
          },
        ),
      ),
      gpu: getGpu('h100-80gb'),
      ratePerSecond: 192,
      requests: 600,
    };
    const { fa, ds, eo } = compare(sw96);
    // Measured: fabric-aware 152.0, droidspeak 156.0, exact-only 146.2 /s.
    expect(fa).toBeGreaterThanOrEqual(Math.min(ds, eo) * (1 - NOISE));
    expect(fa).toBeGreaterThanOrEqual(Math.max(ds, eo) * (1 - NOISE));
    // No exact-hit floor here (sw4 has one): with B200 compute a recompute is cheap enough that
    // leaving some exact hits is better for the system, and goodput above is what must hold.
  }, 300_000);
});

describe("fabric-aware's bandwidth-driven win", () => {
  it('rdma25: on 25 Gb/s NICs it beats droidspeak by far more than noise', () => {
    const { fa, ds, eo } = compare(rdma25);
    // Measured 25.9 vs 21.3 (droidspeak) and 24.6 (exact-only) /s: 1.22× and 1.05×. (3.2× at 800
    // requests before paced writes, HBM admission and the new compute model merged; the
    // baselines gained most from them. On 10 Gb/s NICs: 23.9 vs 17.0 and 19.3.) 1.1× is twice
    // the noise band; exact-only, which never recomputes what it holds, it must still beat.
    expect(fa).toBeGreaterThan(1.1 * ds);
    expect(fa).toBeGreaterThan(eo);
  }, 120_000);
});
