/**
 * The cluster examples run as shipped (issue 14: the Slurm example failed silently unless logs/
 * existed, asked 16 CPUs for 4 points, and the Kubernetes one had no image recipe and no merge
 * step). The Slurm script is run for real: its submission half against a stand-in `sbatch` that
 * records what it was asked, and its per-task half for two shards locally, then merged.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, tempDir, type TempDir } from './run.ts';

const SCRIPT = 'docs/cluster/slurm-sweep.sh';
let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir('podsim-cluster-');
});
afterAll(() => tmp.cleanup());

function bash(args: string[], env: Record<string, string>, cwd = process.cwd()) {
  return spawnSync('bash', args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
}

describe('the Slurm example', () => {
  it('submits from anywhere: makes logs/ and the output folder, then the array and a merge that waits for it', () => {
    const fake = tmp.path('fakebin');
    const calls = tmp.path('sbatch-calls.txt');
    spawnSync('mkdir', ['-p', fake]);
    // A stand-in sbatch: records its arguments, answers a job id as --parsable does.
    writeFileSync(join(fake, 'sbatch'), `#!/bin/bash\necho "$*" >> "${calls}"\necho 4242\n`);
    chmodSync(join(fake, 'sbatch'), 0o755);
    const cwd = tmp.path('submit');
    spawnSync('mkdir', ['-p', cwd]);
    const r = bash(
      [join(process.cwd(), SCRIPT)],
      {
        PATH: `${fake}:${process.env['PATH'] ?? ''}`,
        SLURM_ARRAY_TASK_ID: '',
      },
      cwd,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(cwd, 'logs'))).toBe(true);
    expect(existsSync(join(cwd, 'out'))).toBe(true);
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/--parsable --array=1-4 /);
    expect(lines[1]).toMatch(/--dependency=afterok:4242 /);
    expect(lines[1]).toContain('merge out/shard-*.jsonl --csv > out/sweep.csv');
  });

  it('asks one CPU per point of its shard (16 points over 4 tasks → 4)', () => {
    const text = readFileSync(SCRIPT, 'utf8');
    const grid = /PODSIM_GRID:-([^}]*)\}/.exec(text)?.[1] ?? '';
    const points = grid
      .split(' ')
      .map((axis) => (axis.split('=')[1] ?? '').split(',').length)
      .reduce((a, b) => a * b, 1);
    const tasks = Number(/--array=1-(\d+)/.exec(text)?.[1]);
    const cpus = Number(/--cpus-per-task=(\d+)/.exec(text)?.[1]);
    expect(points).toBe(16);
    expect(cpus).toBe(Math.ceil(points / tasks));
  });

  it('two tasks run locally write their shards, and merge gives every point once', async () => {
    const out = tmp.path('shards');
    for (const task of ['1', '2']) {
      const r = bash([SCRIPT], {
        SLURM_ARRAY_TASK_ID: task,
        SLURM_CPUS_PER_TASK: '1',
        PODSIM_SHARDS: '2',
        PODSIM_GRID: 'rate=8,16',
        PODSIM_OUT: out,
      });
      expect(r.status, r.stderr).toBe(0);
    }
    const merged = await runCli([
      'merge',
      join(out, 'shard-1.jsonl'),
      join(out, 'shard-2.jsonl'),
      '--json',
    ]);
    expect(merged.exitCode, merged.stderr).toBe(0);
    const doc = JSON.parse(merged.stdout) as { records: { point: number; params: object }[] };
    expect(doc.records.map((r) => [r.point, r.params])).toEqual([
      [0, { rate: 8 }],
      [1, { rate: 16 }],
    ]);
  }, 120_000);
});

describe('the Kubernetes example', () => {
  it('claims a ReadWriteMany volume, runs 4 indexed shards of 4 CPUs, and merges from the same volume', () => {
    const docs = readFileSync('docs/cluster/k8s-sweep.yaml', 'utf8')
      .split(/^---$/m)
      .map((d) => parse(d) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const pvc = docs.find((d) => d['kind'] === 'PersistentVolumeClaim');
    expect(pvc?.['spec'].accessModes).toEqual(['ReadWriteMany']);
    const job = docs.find((d) => d['kind'] === 'Job');
    expect(job?.['spec'].completionMode).toBe('Indexed');
    const args = String(job?.['spec'].template.spec.containers[0].args[0]);
    expect(args).toContain('--shard $((JOB_COMPLETION_INDEX + 1))/4');
    const merge = parse(readFileSync('docs/cluster/k8s-merge.yaml', 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(String(merge['spec'].template.spec.containers[0].args[0])).toMatch(
      /merge \/out\/shard-\*\.jsonl/,
    );
    expect(merge['spec'].template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(
      pvc?.['metadata'].name,
    );
  });

  it('the image recipe uses the Node major podsim supports and installs with npm ci', () => {
    const docker = readFileSync('docs/cluster/Dockerfile', 'utf8');
    const engines = (
      JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }
    ).engines.node;
    const major = /(\d+)/.exec(engines)?.[1];
    expect(docker).toMatch(new RegExp(`^FROM node:${major}\\b`, 'm'));
    expect(docker).toMatch(/^RUN npm ci\b/m);
    for (const copied of docker.matchAll(/^COPY (.+) \.\/?\S*$/gm))
      for (const f of (copied[1] ?? '').split(' ')) expect(existsSync(f), f).toBe(true);
  });
});
