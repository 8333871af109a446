/**
 * The README's regime table, pinned where it is cheap enough to run (issue 12: "at least one
 * bundled what-if in which the three fabrics differ in TTFT p99 or goodput, with the reason
 * printed"): on A100s every fetch rides the GPU's PCIe 4 link and the fabrics agree, and the
 * output says why; on GH200s (coherent 450 GB/s link) the fabric caps fetches and the switched
 * pod's TTFT tail is longer, and the output says why. (Where fabric-aware beats droidspeak:
 * test/sim/planner-collapse.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { sizeServing } from '../../src/app/capacity-config.ts';
import { buildGeneratorDocument } from '../../src/app/generated-topology.ts';
import { atRate } from '../../src/cost/capacity.ts';
import { compileFabric } from '../../src/fabric/compile.ts';
import { candidateDocument, loadPlan } from '../../src/io/index.ts';
import { runSimulation } from '../../src/sim/engine.ts';
import { runCli } from '../cli/run.ts';

/** The value cells of a what-if row (columns are separated by two or more spaces). */
function row(stdout: string, label: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith(label)) ?? '';
  return line
    .slice(label.length)
    .trim()
    .split(/\s{2,}/);
}

const seconds = (cell: string): number => {
  const m = /^([\d.]+) (ms|s)/.exec(cell);
  return m === null ? Number.NaN : Number(m[1]) * (m[2] === 'ms' ? 1e-3 : 1);
};

describe('where the fabric decides', () => {
  it('A100 (droidspeak-8b, npm start): the fabrics agree, because GPU compute and the PCIe 4 link bound them', async () => {
    const r = await runCli(['whatif', '--quiet']);
    expect(r.exitCode).toBe(0);
    const p99 = row(r.stdout, 'TTFT p99');
    expect(new Set(p99.map((c) => c.replace(' ★', ''))).size).toBe(1);
    expect(r.stdout).toMatch(
      /all 3 columns agree because GPU compute \([\d.]+ %\) bounds every one and every KV fetch rides the GPU's own link \(28\.0 GB\/s\)/,
    );
  }, 120_000);

  it('GH200 (droidspeak-8b-gh200): the switched pod’s TTFT p99 is longer, and the output names the fetch bandwidth', async () => {
    const r = await runCli([
      'whatif',
      'droidspeak-8b-gh200',
      '--topologies',
      'octopus-96-gh200',
      'switched-96-gh200',
      'rdma-96x3-gh200',
      '--quiet',
    ]);
    expect(r.exitCode).toBe(0);
    const [octopus, switched, rdma] = row(r.stdout, 'TTFT p99').map(seconds);
    expect(switched).toBeGreaterThan(1.2 * (octopus as number));
    expect(switched).toBeGreaterThan(1.2 * (rdma as number));
    expect(row(r.stdout, 'KV fetch into a GPU, bandwidth')).toEqual([
      '448 GB/s ★',
      '112 GB/s',
      '100 GB/s',
    ]);
    expect(r.stdout).toContain('the columns differ in TTFT p99 or goodput');
    expect(r.stdout).toMatch(/the KV fetch bandwidth differs \(100 GB\/s–448 GB\/s\)/);
  }, 180_000);

  it('every GPU serving, 32 hosts (the bundled capacity plan): 200 /s meets the SLOs on the Octopus pod, not on the switched pool, whose switch ring is busy', () => {
    const { plan } = loadPlan('droidspeak-8b');
    const scenario = plan.scenario;
    if (scenario === undefined) throw new Error('the bundled plan has a scenario');
    const at32 = (label: string) => {
      const c = plan.candidates.find((x) => x.label === label);
      if (c === undefined) throw new Error(label);
      const graph = buildGeneratorDocument(candidateDocument(c, 32), `${label}-32`);
      const f = compileFabric(graph, {});
      const sized = sizeServing(f, scenario, plan.serving.replicas);
      if ('reason' in sized) throw new Error(sized.reason);
      expect(sized.replicas).toBe(256);
      return runSimulation(f, atRate(sized.cfg, 200));
    };
    const octopus = at32('octopus-sparse');
    const switched = at32('switched-cxl');
    expect(octopus.sloAttainment).toBeGreaterThanOrEqual(0.99);
    expect(switched.sloAttainment).toBeLessThan(0.99);
    // the switched pool's busiest link joins two of its three switches, and it is busy
    expect(switched.utilisation.busiestLink.id).toMatch(/^sw\d+--sw\d+/);
    expect(switched.utilisation.busiestLink.utilisation).toBeGreaterThan(0.5);
    expect(switched.decisions.exact).toBeLessThan(octopus.decisions.exact);
  }, 120_000);
});
