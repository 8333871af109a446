/**
 * Start-up bench (issue 13 item 8): whole processes as a user starts them — `podsim --version`
 * and `podsim --help` (targets < 0.3 s wall) and `npm start`, the default what-if (target < 3 s
 * wall) and `podsim flows` on the 3,000 coupled flows of bench/flows-coupled.ts (issue 13 item 9:
 * ≤ 0.5 s wall as a whole process) — each the median of a few runs. Also the CPU the runs used (user + system, from bash's
 * `times` when bash is there) and the machine's load average, since the wall time of a process
 * on a shared machine is mostly the others' load. Builds dist/ first when it is stale
 * (bin/dist-state.js), so the figures are the compiled CLI's, as after `npm install`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsCurrent, PACKAGE_ROOT } from '../bin/dist-state.js';
import { compileFabric } from '../src/fabric/compile.ts';
import { loadTopology } from '../src/io/index.ts';
import { coupledFlowEntries } from './flows-coupled.ts';
import type { BenchRow } from './types.ts';

const ROOT = fileURLToPath(PACKAGE_ROOT);

/** One timed run: wall ms, and the CPU ms of the process tree when bash could count it. */
interface Timing {
  readonly wallMs: number;
  readonly cpuMs?: number;
}

/** `times`' children line ("0m0.120s 0m0.010s"): user + system in ms. */
function parseTimes(out: string): number | undefined {
  const lines = out.trim().split('\n');
  const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines[lines.length - 1] ?? '');
  if (m === null) return undefined;
  const [, um, us, sm, ss] = m.map(Number) as [number, number, number, number, number];
  return (um * 60 + us + sm * 60 + ss) * 1000;
}

const HAS_BASH = spawnSync('bash', ['-c', 'true']).status === 0;

/** Runs `command args` in the package root, output discarded; throws when it fails. */
function timeRun(command: string, args: readonly string[]): Timing {
  const t0 = performance.now();
  const r = HAS_BASH
    ? spawnSync(
        'bash',
        ['-c', '"$@" >/dev/null 2>&1 || exit $?; times', 'bash', command, ...args],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      )
    : spawnSync(command, args, { cwd: ROOT, stdio: 'ignore' });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status}`);
  const cpuMs = HAS_BASH ? parseTimes(String(r.stdout)) : undefined;
  return cpuMs === undefined ? { wallMs } : { wallMs, cpuMs };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** The median wall and CPU of `runs` runs, as bench rows with the wall-time target. */
function measure(
  name: string,
  command: string,
  args: readonly string[],
  runs: number,
  targetMs: number,
): BenchRow[] {
  const timings = Array.from({ length: runs }, () => timeRun(command, args));
  const wallMs = median(timings.map((t) => t.wallMs));
  const rows: BenchRow[] = [
    {
      name: `${name}: wall, median of ${runs}`,
      value: wallMs,
      unit: 'ms',
      target: `< ${targetMs.toLocaleString('en-US')} ms`,
      ok: wallMs < targetMs,
    },
  ];
  const cpu = timings.flatMap((t) => (t.cpuMs === undefined ? [] : [t.cpuMs]));
  if (cpu.length > 0)
    rows.push({ name: `${name}: CPU user+system`, value: median(cpu), unit: 'ms' });
  return rows;
}

/** Runs the start-up bench. */
export async function run(): Promise<readonly BenchRow[]> {
  if (!distIsCurrent()) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const node = process.execPath;
  const rows: BenchRow[] = [
    { name: 'machine load average (1 min) before', value: os.loadavg()[0] ?? 0, unit: 'runnable' },
  ];
  // A first run each so the file cache is warm, as it is for any command after the first.
  timeRun(node, ['bin/podsim.js', '--help']);
  rows.push(...measure('podsim --version', node, ['bin/podsim.js', '--version'], 5, 300));
  rows.push(...measure('podsim --help', node, ['bin/podsim.js', '--help'], 5, 300));
  rows.push(...measure('npm start (default what-if)', 'npm', ['start'], 3, 3000));
  const dir = mkdtempSync(join(os.tmpdir(), 'podsim-startup-'));
  try {
    const flowsFile = join(dir, 'flows-3k.json');
    const f = compileFabric(loadTopology('octopus-96').graph);
    writeFileSync(flowsFile, `${JSON.stringify(coupledFlowEntries(f, 3000))}\n`);
    const args = ['bin/podsim.js', 'flows', 'octopus-96', '--flows', flowsFile, '--json'];
    rows.push(...measure('podsim flows, 3,000 coupled flows (--json)', node, args, 5, 500));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push({
    name: 'machine load average (1 min) after',
    value: os.loadavg()[0] ?? 0,
    unit: 'runnable',
  });
  return Promise.resolve(rows);
}
