/** `podsim explain` end to end: the options table, JSON, and errors that name the flag. */
import { describe, expect, it } from 'vitest';
import { expectUsageError, runCli, runJson } from './run.ts';

const REQ = '{"variant": "evolcode", "tokens": 10933, "host": "h0"}';

describe('podsim explain', () => {
  it('lists options and every policy’s choice', async () => {
    const r = await runCli([
      'explain',
      'droidspeak-8b',
      '--topology',
      'octopus-96',
      '--request',
      REQ,
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('fabric-aware');
    expect(r.stdout).toContain('pipelined');
    expect(r.stdout).toContain('Decisions');
  });

  it('--json carries options and decisions; same input, same bytes', async () => {
    const args = ['explain', 'droidspeak-8b', '--topology', 'rdma-96x3', '--request', REQ];
    const a = (await runJson([...args, '--queue', '2', '--json'])) as {
      decisions: { policy: string; chosen: { kind: string } }[];
      options: unknown[];
    };
    expect(a.decisions.map((d) => d.policy)).toEqual([
      'fabric-aware',
      'droidspeak',
      'exact-only',
      'full-prefill',
    ]);
    expect(a.options.length).toBeGreaterThan(1);
    const b = await runJson([...args, '--queue', '2', '--json']);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('bad requests name the field under --request, all at once', async () => {
    const r = await runCli([
      'explain',
      'droidspeak-8b',
      '--topology',
      'octopus-96',
      '--request',
      '{"variant": "evolkode", "tokens": 1.5, "host": "h0", "colour": 1}',
    ]);
    expectUsageError(r, '--request', 'tokens', 'colour');
    const v = await runCli([
      'explain',
      'droidspeak-8b',
      '--topology',
      'octopus-96',
      '--request',
      '{"variant": "evolkode", "tokens": 100, "host": "h0"}',
    ]);
    expectUsageError(v, '--request', 'evolkode');
    expectUsageError(
      await runCli([
        'explain',
        'droidspeak-8b',
        '--topology',
        'octopus-96',
        '--request',
        'not json',
      ]),
      '--request',
    );
  });
});
