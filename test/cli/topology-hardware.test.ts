/**
 * `podsim topology inspect` shows the GPU and NIC links and what bounds a sample fetch
 * (docs/hardware.md), in text and JSON.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './run.ts';

describe('topology inspect: hardware', () => {
  it('prints the GPU link, the NIC and the bound of a 1 GB fetch', async () => {
    const r = await runCli(['topology', 'inspect', 'rdma-96x3-h100']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      'PCIe 5 x16, 56.0 GB/s per direction (768 GPUs, 768 with GPUDirect RDMA',
    );
    expect(r.stdout).toContain('50.0 GB/s (400 Gb/s) on PCIe 5 x16');
    // 1 GB at one 400 Gb/s NIC (50 GB/s) = 20 ms plus a few µs of first-byte latency.
    expect(r.stdout).toMatch(
      /1\.00 GB into h0\.gpu0 from h95's GPU over RDMA: 20\.0 ms, 50\.0 GB\/s/,
    );
    expect(r.stdout).toContain('NIC line rate');
  });

  it('adds hardware and sampleFetch to the JSON', async () => {
    const r = await runCli(['topology', 'inspect', 'octopus-96-gh200', '--json']);
    const j = JSON.parse(r.stdout) as {
      hardware: { gpuLinks: { kind: string; bandwidthBytesPerNs: number }[] };
      sampleFetch: { bound: { role: string }[] };
    };
    expect(j.hardware.gpuLinks[0]).toMatchObject({ kind: 'c2c', bandwidthBytesPerNs: 450 });
    expect(j.sampleFetch.bound.map((b) => b.role)).toEqual(Array(8).fill('CXL link'));
  });

  it('topology compare adds the GPU link and what bounds the fetch, one column per topology', async () => {
    const r = await runCli(['topology', 'compare', 'octopus-96', 'switched-96-gh200', '--csv']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('GPU link,PCIe 4 x16,C2C 450 GB/s');
    // A100: the GPU's PCIe 4 link (28 GB/s) is below the CXL paths; C2C (450) is above the
    // switched host's 2 CXL x16 links (112 GB/s), so those bound it.
    expect(r.stdout).toContain('fetch bounded by,GPU PCIe link,CXL link');
  });

  it('a scenario whose GPU or replicas do not fit the topology: exit 3, naming the scenario file and the field', async () => {
    const gpu = await runCli(['run', 'droidspeak-8b-gh200', '--topology', 'octopus-96']);
    expect(gpu.exitCode).toBe(3);
    expect(gpu.stderr).toMatch(
      /^podsim: scenarios\/droidspeak-8b-gh200\.yaml: gpu: scenario GPU GH200 \(H100 96GB\) does not match topology octopus-96: /,
    );
    const whatif = await runCli(['whatif', 'droidspeak-8b-gh200', '--quiet']);
    expect(whatif.exitCode).toBe(3);
    expect(whatif.stderr).toContain('scenarios/droidspeak-8b-gh200.yaml: gpu: ');
    // droidspeak-8b's 32 replicas on DroidSpeak's testbed (2 hosts × 8 GPUs)
    const tiny = await runCli(['run', 'droidspeak-8b', '--topology', 'droidspeak-testbed']);
    expect(tiny.exitCode).toBe(3);
    expect(tiny.stderr).toContain('scenarios/droidspeak-8b.yaml: serving.replicas: 32 replicas');
  });
});
