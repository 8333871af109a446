/**
 * Progress off a terminal: plain lines on stderr (count, share, rate, ETA) at most once per
 * interval, none at the end, none when disabled (`--json`), and nothing on stdout.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressBar } from '../../src/cli/progress.ts';

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env['PODSIM_PROGRESS_INTERVAL_MS'];
});

function capture(): { err: string[]; out: string[] } {
  const err: string[] = [];
  const out: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((c: unknown) => (err.push(String(c)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((c: unknown) => (out.push(String(c)), true));
  return { err, out };
}

describe('progress off a terminal', () => {
  it('prints a plain line per update when the interval is 0, but not for the last', () => {
    process.env['PODSIM_PROGRESS_INTERVAL_MS'] = '0';
    const { err, out } = capture();
    const p = progressBar('sweep', 4);
    for (let i = 1; i <= 4; i++) p.update(i, 4);
    p.stop();
    expect(err).toHaveLength(3);
    expect(err[0]).toMatch(/^podsim: sweep: 1\/4 \(25 %\), [\d.]+\/s, ETA /);
    expect(err[2]).toMatch(/^podsim: sweep: 3\/4 \(75 %\)/);
    expect(out).toEqual([]);
  });

  it('stays quiet within the interval, and entirely when disabled', () => {
    process.env['PODSIM_PROGRESS_INTERVAL_MS'] = '3600000';
    const { err } = capture();
    const p = progressBar('sweep', 4);
    p.update(1, 4);
    const q = progressBar('sweep', 4, false);
    process.env['PODSIM_PROGRESS_INTERVAL_MS'] = '0';
    q.update(2, 4);
    expect(err).toEqual([]);
  });
});

describe('--quiet', () => {
  it('drops notes (where a file went, timings) but keeps results and errors', async () => {
    const { runCli, tempDir } = await import('./run.ts');
    const tmp = tempDir();
    try {
      const out = tmp.path('pod.yaml');
      const args = ['topology', 'generate', 'octopus-bibd', '--host-ports', '3'];
      const loud = await runCli([...args, '--device-ports', '3', '-o', out]);
      expect(loud.stderr).toContain('wrote');
      const quiet = await runCli([...args, '--device-ports', '3', '-o', out, '--quiet']);
      expect(quiet.exitCode, quiet.stderr).toBe(0);
      expect(quiet.stderr).toBe('');
      const bad = await runCli([...args, '--device-ports', '1', '--quiet']);
      expect(bad.exitCode).not.toBe(0);
      expect(bad.stderr).toMatch(/^podsim: /);
      const result = await runCli(['topology', 'inspect', 'prototype-3', '--json', '--quiet']);
      expect(JSON.parse(result.stdout)).toHaveProperty('hosts', 3);
    } finally {
      tmp.cleanup();
      const { setQuiet } = await import('../../src/cli/output.ts');
      setQuiet(false);
    }
  });
});
