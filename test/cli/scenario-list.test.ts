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
