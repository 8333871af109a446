/**
 * `scenario list` takes the same format flags as every table (issue 14: `--csv` was unknown):
 * CSV with a header and one row per bundled scenario, JSON as before.
 */
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from './run.ts';

describe('scenario list formats', () => {
  it('--csv: a name,description header and one row per bundled scenario, like --json', async () => {
    const presets = await runJson<{ name: string }[]>(['scenario', 'list', '--json']);
    const r = await runCli(['scenario', 'list', '--csv']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('name,description');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(presets.map((p) => p.name));
  });
});

describe('topology export --json', () => {
  it('is --format json, as every other command spells JSON; with another --format it is refused', async () => {
    const a = await runCli(['topology', 'export', 'prototype-3', '--json']);
    const b = await runCli(['topology', 'export', 'prototype-3', '--format', 'json']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const c = await runCli(['topology', 'export', 'prototype-3', '--json', '--format', 'dot']);
    expect(c.exitCode).toBe(2);
    expect(c.stderr).toContain('--json');
  });
});

describe('topology inspect text', () => {
  it('prints whole labels and values (a table renderer once took map()’s index for a width)', async () => {
    const r = await runCli(['topology', 'inspect', 'rdma-96x3']);
    expect(r.stdout).toMatch(/^memory devices +0 \(0 multi-headed, 0 behind switches\)$/m);
    expect(r.stdout).toMatch(/^RDMA NICs +192$/m);
  });
});
