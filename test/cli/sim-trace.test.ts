/**
 * `podsim run --trace` (issue 14: "Timelines"): the file is valid Chrome trace JSON (the Trace
 * Event Format chrome://tracing and Perfetto load) — every event well formed, async transfers
 * paired — and it holds what the run did: a GPU span per prefill and decode run on each replica's
 * own track, never overlapping there; a fetch per reuse; the cache writes.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError, runCli, tempDir } from './run.ts';

const tmp = tempDir('podsim-trace-');
afterAll(() => tmp.cleanup());

interface Ev {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  args?: Record<string, unknown>;
}

/** A 120-request copy of the bundled scenario. */
function small(): string {
  const text = readFileSync(new URL('../../scenarios/droidspeak-8b.yaml', import.meta.url), 'utf8');
  return tmp.file('small.yaml', text.replace(/requests: 2000/, 'requests: 120'));
}

describe('run --trace', () => {
  it('writes valid Chrome trace JSON that holds the run’s GPU work, fetches and writes', async () => {
    const file = tmp.path('out/trace.json');
    const r = await runCli(['run', small(), '--topology', 'octopus-96', '--trace', file, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as {
      requests: { completed: number };
      decisions: { exact: number; partial: number; fullPrefill: number };
    };
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      traceEvents: Ev[];
      displayTimeUnit: string;
      otherData: Record<string, unknown>;
    };
    expect(Array.isArray(doc.traceEvents)).toBe(true);
    expect(['ms', 'ns']).toContain(doc.displayTimeUnit);
    expect(doc.otherData['topology']).toBe('octopus-96');
    // The format's rules: a name, a phase, integer pid/tid; timed events have ts ≥ 0.
    for (const e of doc.traceEvents) {
      expect(typeof e.name).toBe('string');
      expect(['X', 'b', 'e', 'M']).toContain(e.ph);
      expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true);
      if (e.ph !== 'M') expect(e.ts).toBeGreaterThanOrEqual(0);
      if (e.ph === 'X') expect(e.dur).toBeGreaterThanOrEqual(0);
    }
    // Async transfers pair up: each id begins once and ends once, not before it began.
    const begins = new Map<number, number>();
    for (const e of doc.traceEvents.filter((x) => x.ph === 'b'))
      begins.set(e.id as number, e.ts as number);
    const ends = doc.traceEvents.filter((x) => x.ph === 'e');
    expect(ends.length).toBe(begins.size);
    for (const e of ends) expect(e.ts).toBeGreaterThanOrEqual(begins.get(e.id as number) as number);
    // GPU work: one prefill-type span per request that computed something before its first
    // token (every request: exact reuse still prefills its suffix), on its replica's track.
    const gpu = doc.traceEvents.filter((x) => x.ph === 'X' && x.cat === 'gpu');
    const prefills = gpu.filter((x) => !x.name.startsWith('decode'));
    expect(prefills.length).toBeGreaterThanOrEqual(run.requests.completed);
    expect(gpu.some((x) => x.name.startsWith('decode'))).toBe(true);
    // A replica's GPU does one thing at a time: its spans do not overlap.
    const byReplica = new Map<number, Ev[]>();
    for (const x of gpu) byReplica.set(x.tid, [...(byReplica.get(x.tid) ?? []), x]);
    for (const spans of byReplica.values()) {
      spans.sort((a, b) => (a.ts as number) - (b.ts as number));
      for (let i = 1; i < spans.length; i++) {
        const prev = spans[i - 1] as Ev;
        expect(spans[i]?.ts as number).toBeGreaterThanOrEqual(
          (prev.ts as number) + (prev.dur as number) - 1e-6,
        );
      }
    }
    // Transfers: a fetch for each reuse, and cache writes.
    const fetches = doc.traceEvents.filter((x) => x.ph === 'b' && x.cat === 'fetch');
    expect(fetches.length).toBeGreaterThanOrEqual(run.decisions.exact + run.decisions.partial);
    expect(doc.traceEvents.some((x) => x.ph === 'b' && x.cat === 'write')).toBe(true);
    // Tracks are named for Perfetto.
    expect(doc.traceEvents.some((x) => x.ph === 'M' && x.name === 'thread_name')).toBe(true);
  });

  it('refuses a trace file that is not .json, and --trace with --records', async () => {
    expectUsageError(
      await runCli(['run', small(), '--topology', 'octopus-96', '--trace', tmp.path('t.txt')]),
      '--trace',
      '.json',
    );
    expectUsageError(
      await runCli([
        'run',
        small(),
        '--topology',
        'octopus-96',
        '--trace',
        tmp.path('t.json'),
        '--records',
        tmp.path('r.csv'),
      ]),
      '--trace or --records',
    );
  });
});
