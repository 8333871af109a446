/**
 * Per-row trace files (src/io/scenario/trace*.ts, docs/workloads.md): podsim's CSV and JSONL
 * formats read row by row, the Azure and Mooncake importers with hand-derived arrivals and
 * contexts, every bad line named `file:line: column …`, the scenario-level checks (fields a trace
 * or a pipeline replaces, unserved variants, `after`), the bundled trace-replay scenario replayed
 * exactly, and the loader fuzzed with fast-check.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PodsimError } from '../../src/errors/index.ts';
import { compileFabric } from '../../src/fabric/compile.ts';
import { loadScenario, loadTopology, parseScenarioText } from '../../src/io/index.ts';
import { runSimulation } from '../../src/sim/engine.ts';
import type { RequestRecord } from '../../src/sim/types.ts';
import { generateRequests, type Request } from '../../src/sim/workload.ts';

const dir = mkdtempSync(join(tmpdir(), 'podsim-trace-'));

const HEAD = `models: [llama-3.1-8b]
variants: [{ id: a, model: llama-3.1-8b }, { id: b, model: llama-3.1-8b }]
profiles: [{ receiver: a, sender: b, synthetic: {} }]
`;

/** The scenario of a workload section (YAML flow text) with `files` written beside it. */
function load(workload: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return parseScenarioText(`${HEAD}workload: ${workload}\n`, 's.yaml', { baseDir: dir });
}

/** The messages of the error loading would throw. */
function problems(workload: string, files: Record<string, string>): string[] {
  try {
    load(workload, files);
  } catch (e) {
    if (!(e instanceof PodsimError)) throw e;
    return e.issues.map((i) => `${i.code} @ ${i.path.join('.')}: ${i.message}`);
  }
  return [];
}

const requests = (workload: string, files: Record<string, string>): Request[] => {
  const s = load(workload, files);
  return [...generateRequests(s.workload, s.seed)];
};

describe('podsim per-row traces', () => {
  it('CSV: arrival with a unit per cell, every column per row', () => {
    const csv = `# two rows\narrival,variant,context,contextTokens,suffixTokens,outputTokens\n0 s,a,doc,800,16,4\n1.5 ms,b,doc,800,0,9\n`;
    expect(requests('{ trace: { file: t.csv } }', { 't.csv': csv })).toEqual([
      {
        id: 0,
        arrivalNs: 0,
        variant: 'a',
        context: 'doc',
        contextTokens: 800,
        suffixTokens: 16,
        outputTokens: 4,
      },
      {
        id: 1,
        arrivalNs: 1.5e6,
        variant: 'b',
        context: 'doc',
        contextTokens: 800,
        suffixTokens: 0,
        outputTokens: 9,
      },
    ]);
  });

  it('JSONL with a unit column (arrivalMs), columns in any order', () => {
    const jsonl =
      '{"arrivalMs": 2, "variant": "b", "context": "k", "contextTokens": 10, "suffixTokens": 1, "outputTokens": 2}\n' +
      '{"outputTokens": 3, "suffixTokens": 0, "contextTokens": 20, "context": "m", "variant": "a", "arrivalMs": 2.5}\n';
    const r = requests('{ trace: { file: t.jsonl } }', { 't.jsonl': jsonl });
    expect(r.map((q) => [q.arrivalNs, q.variant, q.context, q.contextTokens])).toEqual([
      [2e6, 'b', 'k', 10],
      [2.5e6, 'a', 'm', 20],
    ]);
  });

  it('names file:line and the column for every bad cell, the header, order and length conflicts', () => {
    const csv = [
      'arrivalMs,variant,context,contextTokens,suffixTokens,outputTokens',
      '0,a,x,100,0,1',
      '-1,a,,1.5,0,0',
      '5,a,x,100,0',
      '4,b,x,200,0,1',
    ].join('\n');
    // Line 3 is refused cell by cell; line 4 has a cell too few; line 5 gives context x a second
    // length (line 3 and 4 were not added, so the order check compares it with line 2: fine).
    expect(problems('{ trace: { file: bad.csv } }', { 'bad.csv': csv })).toEqual([
      'workload.trace-line @ workload.trace.file: bad.csv:3: column arrivalMs: "-1" is not a number ≥ 0; column context: "" is not a non-empty id; column contextTokens: "1.5" is not a whole number of tokens ≥ 1; column outputTokens: "0" is not a whole number of tokens ≥ 1',
      'workload.trace-line @ workload.trace.file: bad.csv:4: 5 cells, but the header has 6 columns',
      'workload.context-length @ workload.trace.file: bad.csv:5: context "x" has 200 tokens here but 100 on line 2; a context has one length (give the longer prompt a new context id)',
    ]);
    expect(problems('{ trace: { file: h.csv } }', { 'h.csv': 'when,variant,context\n' })).toEqual([
      'workload.trace-header @ workload.trace.file: h.csv:1: header: unknown column "when"; columns: arrival, arrivalNs, arrivalUs, arrivalMs, arrivalS, variant, context, contextTokens, suffixTokens, outputTokens; missing column "contextTokens"; missing column "suffixTokens"; missing column "outputTokens"; no arrival column; give arrival (a time with a unit, such as "12.5 ms") or one of arrivalNs, arrivalUs, arrivalMs, arrivalS (a bare number)',
    ]);
    const conflict =
      'arrivalS,variant,context,contextTokens,suffixTokens,outputTokens\n0,a,x,100,0,1\n1,b,x,200,0,1\n0.5,a,y,5,0,1\n';
    expect(problems('{ trace: { file: c.csv } }', { 'c.csv': conflict })).toEqual([
      'workload.context-length @ workload.trace.file: c.csv:3: context "x" has 200 tokens here but 100 on line 2; a context has one length (give the longer prompt a new context id)',
      "workload.trace-order @ workload.trace.file: c.csv:4: arrival 500 ms comes before line 3's 1.00 s; rows must be sorted by arrival",
    ]);
  });

  it('JSON values are not coerced: a token count given as a string is refused', () => {
    const jsonl =
      '{"arrival": "1 s", "variant": "a", "context": "k", "contextTokens": "10", "suffixTokens": 1, "outputTokens": 2}\n';
    expect(problems('{ trace: { file: s.jsonl } }', { 's.jsonl': jsonl })).toEqual([
      'workload.trace-line @ workload.trace.file: s.jsonl:1: column contextTokens: "10" is not a whole number of tokens ≥ 1',
    ]);
  });

  it('an empty trace, an unserved variant, fields a trace replaces', () => {
    expect(
      problems('{ trace: { file: e.csv } }', {
        'e.csv': 'arrival,variant,context,contextTokens,suffixTokens,outputTokens\n',
      }),
    ).toEqual([
      'workload.trace-empty @ workload.trace.file: e.csv: has no rows; it needs at least one request after its header',
    ]);
    const csv =
      'arrival,variant,context,contextTokens,suffixTokens,outputTokens\n0 s,a,x,1,0,1\n1 s,zed,x,1,0,1\n';
    expect(problems('{ trace: { file: u.csv } }', { 'u.csv': csv })).toEqual([
      'workload.unserved @ workload.trace.file: u.csv:3: variant "zed" is not served; allowed: "a", "b"',
    ]);
    expect(
      problems('{ trace: { file: u.csv }, output: { fixed: 3 }, variants: { a: 1 } }', {}).map(
        (m) => m.split(':')[0],
      ),
    ).toEqual([
      'workload.trace-conflict @ workload.output',
      'workload.trace-conflict @ workload.variants',
      'workload.unserved @ workload.trace.file',
    ]);
  });
});

describe('importers', () => {
  it('Azure: arrivals are timestamps minus the first (100 ns ticks kept), one context per row, variants drawn', () => {
    const csv = [
      'TIMESTAMP,ContextTokens,GeneratedTokens',
      '2023-11-16 18:15:46.6805900,4808,10',
      '2023-11-16 18:15:46.9105901,1200,3',
      '2023-11-16 18:15:50.0000000,77,1',
    ].join('\n');
    const r = requests('{ trace: { file: az.csv, format: azure } }', { 'az.csv': csv });
    // 46.9105901 − 46.6805900 = 0.2300001 s = 230,000,100 ns; 50.0 − 46.68059 = 3.31941 s.
    expect(
      r.map((q) => [q.arrivalNs, q.context, q.contextTokens, q.suffixTokens, q.outputTokens]),
    ).toEqual([
      [0, 'azure0', 4808, 0, 10],
      [230_000_100, 'azure1', 1200, 0, 3],
      [3_319_410_000, 'azure2', 77, 0, 1],
    ]);
    for (const q of r) expect(['a', 'b']).toContain(q.variant);
    expect(
      problems('{ trace: { file: az2.csv, format: azure } }', {
        'az2.csv': 'TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,5,0\n',
      }),
    ).toEqual([
      'workload.trace-line @ workload.trace.file: az2.csv:2: column TIMESTAMP: "yesterday" is not a time such as "2023-11-16 18:15:46.6805900"; column GeneratedTokens: "0" is not a whole number of tokens ≥ 1 (podsim decodes at least the first token)',
    ]);
  });

  it('Mooncake: a row’s context is its longest hash-id prefix another row shares', () => {
    const jsonl = [
      // Row 0 shares [1, 2] with row 1 and [1] with row 2: its longest shared prefix is [1, 2].
      '{"timestamp": 0, "input_length": 1100, "output_length": 5, "hash_ids": [1, 2, 3]}',
      '{"timestamp": 10, "input_length": 900, "output_length": 6, "hash_ids": [1, 2, 4]}',
      '{"timestamp": 10, "input_length": 600, "output_length": 7, "hash_ids": [1, 5]}',
      '{"timestamp": 25, "input_length": 300, "output_length": 8, "hash_ids": [9]}',
    ].join('\n');
    const r = requests('{ trace: { file: m.jsonl, format: mooncake, blockTokens: 512 } }', {
      'm.jsonl': jsonl,
    });
    // Rows 0 and 1: prefix [1, 2] = 2 blocks × 512 = 1,024 tokens, capped at the shorter prompt
    // sharing it (900): context p0 of 900 tokens; suffixes 1,100 − 900 = 200 and 0.
    // Row 2: prefix [1] (shared by all three first rows) = 512 tokens: context p1, suffix 88.
    // Row 3 shares nothing: its own context u3, the whole 300-token prompt.
    expect(
      r.map((q) => [q.arrivalNs, q.context, q.contextTokens, q.suffixTokens, q.outputTokens]),
    ).toEqual([
      [0, 'p0', 900, 200, 5],
      [10e6, 'p0', 900, 0, 6],
      [10e6, 'p1', 512, 88, 7],
      [25e6, 'u3', 300, 0, 8],
    ]);
    expect(
      problems('{ trace: { file: m2.jsonl, format: mooncake } }', {
        'm2.jsonl':
          '{"timestamp": -1, "input_length": 3, "output_length": 1, "hash_ids": [1.5], "x": 1}\nnot json\n',
      }),
    ).toEqual([
      'workload.trace-line @ workload.trace.file: m2.jsonl:1: unknown key "x"; keys: timestamp, input_length, output_length, hash_ids; timestamp: -1 is not a number of ms ≥ 0; hash_ids: a list of 1 is not a list of whole numbers ≥ 0',
      'workload.trace-line @ workload.trace.file: m2.jsonl:2: "not json" is not a JSON object; a Mooncake trace has one object per line',
    ]);
  });
});

describe('pipelines in scenario files', () => {
  it('refuses fields a pipeline replaces, unserved step variants and `after` naming no earlier step', () => {
    const w = `{ requests: 4, pipeline: { steps: [{ id: p, variant: a }, { id: q, variant: c, after: r }] }, output: { fixed: 3 } }`;
    expect(problems(w, {})).toEqual([
      'workload.pipeline-conflict @ workload.output: `output` cannot be set with a pipeline: each step sets its own (docs/workloads.md)',
      'workload.unserved @ workload.pipeline.steps.1.variant: step "q" names variant "c", which is not served; did you mean "a"?',
      'workload.pipeline-parent @ workload.pipeline.steps.1.after: "r" is not a step listed before "q"; earlier steps: p',
    ]);
  });

  it('resolves think times, defaults and `after` (fan-out)', () => {
    const s = load(
      `{ requests: 3, pipeline: { steps: [{ id: p, variant: a }, { id: q, variant: b, think: "2 s" }, { id: r, variant: a, after: p, think: { uniform: ["1 s", "3 s"] }, suffixTokens: 7, output: { uniform: [1, 4] } }] } }`,
      {},
    );
    const steps = s.workload.pipeline?.steps ?? [];
    expect(steps.map((st) => [st.id, st.parent, st.think, st.suffixTokens, st.output])).toEqual([
      ['p', -1, { kind: 'fixed', ns: 0 }, 64, { kind: 'fixed', tokens: 128 }],
      ['q', 0, { kind: 'fixed', ns: 2e9 }, 64, { kind: 'fixed', tokens: 128 }],
      [
        'r',
        0,
        { kind: 'uniform', minNs: 1e9, maxNs: 3e9 },
        7,
        { kind: 'uniform', minTokens: 1, maxTokens: 4 },
      ],
    ]);
    expect(s.workload.variants.map((v) => v.id)).toEqual(['a', 'b']);
  });
});

describe('the bundled trace-replay scenario', () => {
  it('replays scenarios/traces/two-teams.csv exactly: each record’s variant, context and arrival is its row’s', () => {
    const { scenario } = loadScenario('trace-replay');
    const records: RequestRecord[] = [];
    runSimulation(compileFabric(loadTopology('octopus-96').graph), scenario, {
      onRecord: (r) => records.push(r),
    });
    // The file's rows (arrivalMs, variant, context, contextTokens), in order.
    const rows = [
      [0, 'toolace', 'repo-a', 14000],
      [250, 'evolcode', 'repo-b', 9000],
      [900, 'toolace', 'repo-c', 22000],
      [4000, 'evolcode', 'repo-a', 14000],
      [4100, 'toolace', 'repo-a', 14000],
      [4600, 'toolace', 'repo-b', 9000],
      [5200, 'evolcode', 'repo-c', 22000],
      [8000, 'evolcode', 'repo-b', 9000],
      [8050, 'toolace', 'repo-c', 22000],
      [9000, 'evolcode', 'repo-a', 14000],
      [12000, 'toolace', 'repo-b', 9000],
      [12500, 'evolcode', 'repo-c', 22000],
    ];
    records.sort((a, b) => a.id - b.id);
    expect(records.map((r) => [r.arrivalNs / 1e6, r.variant, r.context, r.contextTokens])).toEqual(
      rows,
    );
    // First use of each repository: a full prefill; the first use by the other variant: partial.
    expect(records.slice(0, 4).map((r) => r.decision)).toEqual([
      'full-prefill',
      'full-prefill',
      'full-prefill',
      'partial',
    ]);
  });
});

describe('fuzzing the trace readers', () => {
  const formats = ['podsim', 'azure', 'mooncake'] as const;
  const cell = fc.oneof(
    fc.constantFrom(
      '0',
      '1 s',
      '12.5 ms',
      'a',
      'b',
      '',
      '-3',
      '1e400',
      'NaN',
      '2023-11-16 18:15:46.1',
    ),
    fc.integer({ min: -5, max: 100_000 }).map(String),
    fc.string({ maxLength: 8 }),
  );
  const csvLine = fc.array(cell, { maxLength: 7 }).map((c) => c.join(','));
  const jsonLine = fc
    .record(
      {
        timestamp: fc.oneof(fc.integer({ min: -2, max: 1e6 }), fc.string()),
        input_length: fc.integer({ min: -1, max: 1e5 }),
        output_length: fc.integer({ min: -1, max: 100 }),
        hash_ids: fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 5 }),
        arrivalMs: fc.double({ noNaN: false }),
        variant: fc.constantFrom('a', 'b', 'c', 7),
        context: fc.constantFrom('x', 'y', ''),
        contextTokens: fc.integer({ min: -1, max: 2e6 }),
        suffixTokens: fc.integer({ min: -1, max: 10 }),
        outputTokens: fc.integer({ min: -1, max: 10 }),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o));
  const header = fc.constantFrom(
    'arrival,variant,context,contextTokens,suffixTokens,outputTokens',
    'arrivalMs,variant,context,contextTokens,suffixTokens,outputTokens',
    'TIMESTAMP,ContextTokens,GeneratedTokens',
    '',
  );

  it('whatever the file, loading gives a Scenario or a PodsimError naming the scenario file', () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...formats),
        header,
        fc.array(fc.oneof(csvLine, jsonLine, fc.string({ maxLength: 30 })), { maxLength: 8 }),
        (format, head, lines) => {
          const name = `f${n++}.txt`;
          try {
            load(`{ trace: { file: ${name}, format: ${format} } }`, {
              [name]: [head, ...lines].join('\n'),
            });
          } catch (e) {
            if (!(e instanceof PodsimError)) throw e;
            expect(e.issues.length).toBeGreaterThan(0);
            expect(e.message).toMatch(/^(s\.yaml|\d+ problems in s\.yaml)/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
