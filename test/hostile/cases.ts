/**
 * The hand-picked hostile cases (docs/hostile-inputs.md "Adding a case"): each row names a class,
 * builds its arguments from the fixtures, and says which outcome classes it may end in and what
 * the `podsim:` message must mention. Rows are grouped by the classes of issue 15; the table test
 * (table.test.ts) runs every row through the harness contract.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { BAD_INPUT, REFUSED, seededOutput, type Expectation, type Outcome } from './harness.ts';
import {
  aliasBomb,
  deepBlock,
  deepFlow,
  explicitTopology,
  inDir,
  TINY_GENERATED,
  type Fixtures,
} from './fixtures.ts';

/** One row: a name, its class, and how to build the run from the fixtures. */
export interface HostileCase {
  readonly name: string;
  readonly group: string;
  build(fx: Fixtures): { args: string[] } & Expectation;
  /** A time budget other than the default (ms). */
  readonly timeoutMs?: number;
}

const ONLY_OK: readonly Outcome[] = ['ok'];
const LIMIT: readonly Outcome[] = ['limit'];
const IO: readonly Outcome[] = ['io'];

const REQUEST = (tokens: number | string = 2000, extra = ''): string =>
  `{"variant": "a", "tokens": ${tokens}, "host": "h0"${extra}}`;
const explain = (fx: Fixtures, ...more: string[]): string[] => [
  'explain',
  fx.scenario,
  '--topology',
  'prototype-3',
  '--request',
  REQUEST(),
  ...more,
];
const runTiny = (fx: Fixtures, ...more: string[]): string[] => [
  'run',
  fx.scenario,
  '--topology',
  'prototype-3',
  ...more,
];
const sweepTiny = (fx: Fixtures, ...more: string[]): string[] => [
  'sweep',
  fx.scenario,
  '--topology',
  fx.generated,
  '--workers',
  '1',
  ...more,
];

const cases: HostileCase[] = [];
const add = (group: string, name: string, build: HostileCase['build'], timeoutMs?: number): void =>
  void cases.push(
    timeoutMs === undefined ? { group, name, build } : { group, name, build, timeoutMs },
  );

// ── Unwritable outputs: every writing flag × every bad target ────────────────────────────────
const writers: [string, string, (fx: Fixtures, out: string) => string[]][] = [
  ['topology export -o', '-o', (_fx, o) => ['topology', 'export', 'prototype-3', '-o', o]],
  [
    'topology export --format dot -o',
    '-o',
    (_fx, o) => ['topology', 'export', 'prototype-3', '--format', 'dot', '-o', o],
  ],
  [
    'topology generate -o',
    '-o',
    (_fx, o) => [
      'topology',
      'generate',
      'octopus-bibd',
      '--host-ports',
      '3',
      '--device-ports',
      '3',
      '-o',
      o,
    ],
  ],
  ['topology schema -o', '-o', (_fx, o) => ['topology', 'schema', '-o', o]],
  ['scenario schema -o', '-o', (_fx, o) => ['scenario', 'schema', '-o', o]],
  ['run --records .jsonl', '--records', (fx, o) => runTiny(fx, '--records', o)],
  ['sweep -o', '-o', (fx, o) => sweepTiny(fx, '--grid', 'hosts=6', '-o', o)],
];
const badTargets: [string, (fx: Fixtures) => string, string][] = [
  ['under a parent that is a file', (fx) => inDir(fx, 'a-file', 'out.jsonl'), 'a-file'],
  ['onto a folder', (fx) => fx.aDir, 'a-dir'],
  ['with an empty name', () => '', ''],
  ['onto /dev/full', () => '/dev/full', '/dev/full'],
];
for (const [what, flag, args] of writers)
  for (const [where, target, mention] of badTargets)
    add('unwritable output', `${what} ${where}`, (fx) => {
      const out = target(fx);
      return {
        args: args(fx, out),
        // --records also refuses a name that is not .jsonl/.csv (a usage mistake) before writing.
        allow:
          where.includes('empty') || (flag === '--records' && !out.endsWith('.jsonl'))
            ? ['usage', 'io']
            : IO,
        mentions: mention === '' ? [flag] : [mention],
        outputs: out === '' || out.startsWith('/dev/') ? [] : [{ path: out, before: undefined }],
      };
    });
// Output folders are created as needed (the README's `out/` examples), and a good write is whole.
for (const [what, , args] of writers)
  add('output folders created', `${what} into a folder that does not exist yet`, (fx) => {
    const out = inDir(fx, `new-${what.replace(/\W+/g, '-')}`, 'sub', 'out.jsonl');
    return { args: args(fx, out), allow: ONLY_OK, outputs: [{ path: out, before: undefined }] };
  });
// An old file is replaced whole or left as it was, never truncated by a refused run.
for (const [what, , args] of writers)
  add('old output kept', `${what} over an old file, then the run is refused`, (fx) => {
    const out = seededOutput(inDir(fx, `old-${what.replace(/\W+/g, '-')}.out`));
    const a = args(fx, out.path);
    // Make the run fail after parsing: a topology or scenario that does not exist.
    const broken = a.map((x) =>
      x === 'prototype-3' || x === fx.scenario ? inDir(fx, 'missing.yaml') : x,
    );
    const fails = broken.some((x) => x.endsWith('missing.yaml'));
    return fails
      ? { args: broken, allow: REFUSED, mentions: ['missing.yaml'], outputs: [out] }
      : { args: [...a, '--bogus-flag'], allow: ['usage'], mentions: ['bogus'], outputs: [out] };
  });
add('unwritable output', 'whatif --report into a file', (fx) => ({
  args: ['whatif', fx.scenario, '--topologies', 'prototype-3', '--report', fx.aFile],
  allow: IO,
  mentions: ['a-file'],
}));
add('unwritable output', 'whatif --report under a parent that is a file', (fx) => ({
  args: [
    'whatif',
    fx.scenario,
    '--topologies',
    'prototype-3',
    '--report',
    inDir(fx, 'a-file', 'r'),
  ],
  allow: IO,
  mentions: ['a-file'],
}));

// ── Special files as inputs ──────────────────────────────────────────────────────────────────
const readers: [string, (fx: Fixtures, f: string) => string[]][] = [
  ['topology inspect', (_fx, f) => ['topology', 'inspect', f]],
  ['run scenario', (_fx, f) => ['run', f, '--topology', 'prototype-3']],
  ['run --topology', (fx, f) => runTiny(fx).map((x) => (x === 'prototype-3' ? f : x))],
  ['capacity plan', (_fx, f) => ['capacity', f]],
  ['flows --flows', (_fx, f) => ['flows', 'prototype-3', '--flows', f]],
  ['rpc --traffic', (_fx, f) => ['rpc', 'prototype-3', '--traffic', f]],
  ['merge', (_fx, f) => ['merge', f]],
];
const badInputs: [string, (fx: Fixtures) => string, readonly Outcome[]][] = [
  ['/dev/zero', () => '/dev/zero', REFUSED],
  ['a folder', (fx) => fx.aDir, REFUSED],
  ['a binary file', (fx) => fx.binary, REFUSED],
  ['an empty file', (fx) => fx.empty, BAD_INPUT],
  ['a file over the size limit', (fx) => fx.huge, LIMIT],
  ['a file that does not exist', (fx) => inDir(fx, 'nope.yaml'), REFUSED],
];
for (const [what, args] of readers)
  for (const [which, file, allow] of badInputs)
    add('special input file', `${what}: ${which}`, (fx) => {
      const f = file(fx);
      return { args: args(fx, f), allow, mentions: [basename(f)] };
    });

// ── Absurd sizes ─────────────────────────────────────────────────────────────────────────────
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows reach into the scenario by path, on purpose untyped
const sized: [string, (s: Record<string, any>) => void, string][] = [
  [
    'a fixed context of 1e9 tokens',
    (s) => (s.workload.contexts.length = { fixed: 1e9 }),
    'workload.contexts',
  ],
  ['a fixed output of 1e9 tokens', (s) => (s.workload.output = { fixed: 1e9 }), 'workload.output'],
  ['a suffix of 1e9 tokens', (s) => (s.workload.suffixTokens = 1e9), 'workload.suffixTokens'],
  ['1e12 requests', (s) => (s.workload.requests = 1e12), 'workload.requests'],
  ['2^53 requests', (s) => (s.workload.requests = 2 ** 53), 'workload.requests'],
  ['1e9 contexts', (s) => (s.workload.contexts.count = 1e9), 'workload.contexts.count'],
  ['1e7 replicas', (s) => (s.serving.replicas[0].count = 1e7), 'serving.replicas[0].count'],
];
for (const [what, mutate, field] of sized)
  add('absurd size', `run: scenario with ${what}`, (fx) => ({
    args: runTiny(fx).map((x) =>
      x === fx.scenario ? fx.scenarioWith(`big-${field}.yaml`, mutate) : x,
    ),
    allow: ['input', 'limit'],
    mentions: [
      field
        .split('.')
        .pop()
        ?.replace(/\[\d+\]/, '') ?? field,
    ],
  }));
add('absurd size', 'generate octopus-sparse with 100,000 hosts', () => ({
  args: [
    'topology',
    'generate',
    'octopus-sparse',
    '--hosts',
    '100000',
    '--host-ports',
    '8',
    '--device-ports',
    '4',
  ],
  allow: ['usage', 'limit'],
  mentions: ['hosts'],
}));
add('absurd size', 'generate a hybrid of 100,000 hosts', () => ({
  args: [
    'topology',
    'generate',
    'hybrid',
    '--pods',
    '1000',
    '--pod-generator',
    'octopus-sparse',
    '--hosts',
    '100',
    '--host-ports',
    '8',
    '--device-ports',
    '4',
  ],
  allow: ['usage', 'limit'],
  mentions: ['hosts'],
}));
add('absurd size', 'generate a projective-plane BIBD of order 128', () => ({
  args: ['topology', 'generate', 'octopus-bibd', '--host-ports', '129', '--device-ports', '129'],
  allow: ['limit', 'input'],
  mentions: ['hosts'],
}));
add('absurd size', 'inspect an rdma-rack of 10,000 racks', (fx) => ({
  args: [
    'topology',
    'inspect',
    fx.yaml('racks.yaml', { generator: 'rdma-rack', params: { hosts: 10000, racks: 10000 } }),
  ],
  allow: ['ok', 'limit', 'input'],
}));
add('absurd size', 'all-pairs RPC on 10,000 hosts', (fx) => ({
  args: [
    'rpc',
    fx.yaml('rpc-10k.yaml', {
      generator: 'rdma-rack',
      params: { hosts: 10000, racks: 20 },
      options: { nicsPerHost: 1 },
      components: { torPorts: 1024 },
    }),
  ],
  allow: LIMIT,
  mentions: ['hosts'],
}));
add('absurd size', 'a hybrid topology file of 100,000 hosts', (fx) => ({
  args: [
    'topology',
    'inspect',
    fx.yaml('hyb.yaml', {
      generator: 'hybrid',
      params: {
        pods: 1000,
        pod: { generator: 'octopus-sparse', params: { hosts: 100, hostPorts: 8, devicePorts: 4 } },
      },
    }),
  ],
  allow: LIMIT,
  mentions: ['hosts'],
}));
add('absurd size', 'a capacity plan with 1e6 Monte Carlo samples', (fx) => ({
  args: [
    'capacity',
    fx.planWith('mc.yaml', (p) => ((p['memory'] as Record<string, unknown>)['samples'] = 1e6)),
  ],
  allow: LIMIT,
  mentions: ['samples'],
}));
add('absurd size', 'a capacity plan with 1e12 hosts in a candidate', (fx) => ({
  args: [
    'capacity',
    fx.planWith(
      'hosts.yaml',
      (p) => ((p['candidates'] as Record<string, unknown>[])[0]!['hosts'] = [1e12]),
    ),
  ],
  allow: ['input', 'limit'],
  mentions: ['hosts'],
}));
// 2 … 101: every value inside its axis's domain, so the grid's size is what is refused
const hundred = Array.from({ length: 100 }, (_, i) => i + 2).join(',');
add('absurd size', 'a sweep grid of 1e12 points', (fx) => ({
  args: sweepTiny(
    fx,
    '--grid',
    `hosts=${hundred}`,
    `hostPorts=${hundred}`,
    `devicePorts=${hundred}`,
    `seed=${hundred}`,
    `rate=${hundred}`,
    `requests=${hundred}`,
  ),
  allow: LIMIT,
  mentions: ['points'],
}));
add('absurd size', 'explain a request of 1e9 tokens', (fx) => ({
  args: ['explain', fx.scenario, '--topology', 'prototype-3', '--request', REQUEST(1e9)],
  allow: ['input', 'limit'],
  mentions: ['tokens'],
}));
add('absurd size', 'rpc --size 1e308 B', () => ({
  args: ['rpc', 'prototype-3', '--from', 'h0', '--to', 'h1', '--size', '1e308 B'],
  allow: BAD_INPUT,
  mentions: ['--size'],
}));
add('absurd size', 'fetch --size 1e300 GB', () => ({
  args: ['fetch', 'prototype-3', '--host', 'h0', '--size', '1e300 GB'],
  allow: BAD_INPUT,
  mentions: ['--size'],
}));

// ── Merge: shards that lie ───────────────────────────────────────────────────────────────────
const shardLines = (fx: Fixtures): string[] =>
  readFileSync(inDir(fx, 'good-shard.jsonl'), 'utf8').trimEnd().split('\n');
const shardWith = (fx: Fixtures, name: string, edit: (lines: string[]) => string[]): string =>
  fx.file(name, `${edit(shardLines(fx)).join('\n')}\n`);
const shardEdits: [string, (l: string[]) => string[], readonly string[]][] = [
  [
    'a NaN metric',
    (l) => l.map((x, i) => (i === 1 ? x.replace(/"goodputPerS":[^,}]+/, '"goodputPerS":NaN') : x)),
    ['shard'],
  ],
  [
    'a null metric',
    (l) => l.map((x, i) => (i === 1 ? x.replace(/"goodputPerS":[^,}]+/, '"goodputPerS":null') : x)),
    ['goodputPerS'],
  ],
  [
    'a header claiming 1e12 points',
    (l) => l.map((x, i) => (i === 0 ? x.replace(/"points":\d+/, '"points":1000000000000') : x)),
    ['points'],
  ],
  [
    'a header claiming -1 points',
    (l) => l.map((x, i) => (i === 0 ? x.replace(/"points":\d+/, '"points":-1') : x)),
    ['points'],
  ],
  ['a truncated last line', (l) => [...l.slice(0, -1), l[l.length - 1]!.slice(0, 20)], ['shard']],
  ['no header', (l) => l.slice(1), ['header']],
  [
    'a record with a __proto__ key',
    (l) => l.map((x, i) => (i === 1 ? x.replace('{', '{"__proto__":{"polluted":1},') : x)),
    ['shard'],
  ],
  ['a header only', (l) => l.slice(0, 1), ['missing']],
];
for (const [what, edit, mentions] of shardEdits)
  add('merge', `merge a shard with ${what}`, (fx) => {
    const f = shardWith(fx, `shard-${what.replace(/\W+/g, '-')}.jsonl`, edit);
    return { args: ['merge', f, '--json'], allow: REFUSED, mentions: [basename(f), ...mentions] };
  });

// ── YAML bombs and odd documents ─────────────────────────────────────────────────────────────
const yamlDocs: [
  string,
  (fx: Fixtures, base: string) => string,
  readonly Outcome[],
  readonly string[],
][] = [
  ['5,000-level nested flow sequences', () => deepFlow(5000), ['input', 'limit'], ['depth']],
  ['5,000-level nested block maps', () => deepBlock(5000), ['input', 'limit'], ['depth']],
  ['100-level nesting', () => deepFlow(100), ['input', 'limit'], ['depth']],
  ['an alias bomb (9 levels × 9)', () => aliasBomb(9, 9), ['input', 'limit'], ['alias']],
  [
    '1,000 aliases of one anchor',
    () => `a: &a x\nb: [${Array.from({ length: 1000 }, () => '*a').join(', ')}]\n`,
    ['input', 'limit'],
    ['alias'],
  ],
  ['a recursive alias', () => 'a: &a [*a]\n', BAD_INPUT, []],
  ['two documents', (_fx, base) => `${base}---\nname: second\n`, BAD_INPUT, ['document']],
  ['a document then garbage after ---', (_fx, base) => `${base}---\n: : :\n`, BAD_INPUT, []],
  ['a !!js/function tag', () => 'name: !!js/function "function () { return 1 }"\n', BAD_INPUT, []],
  ['a custom tag', () => 'name: !evil x\n', BAD_INPUT, []],
  ['a merge key from an alias', () => 'base: &b { name: x }\n<<: *b\n', BAD_INPUT, []],
  ['a duplicate key', (_fx, base) => `${base}name: dup\n`, BAD_INPUT, ['name']],
  ['a NUL byte', () => 'name: "a\u0000b"\n', BAD_INPUT, []],
  [
    'a byte-order mark and CRLF lines',
    (_fx, base) => `\ufeff${base.replace(/\n/g, '\r\n')}`,
    ['ok', 'input'],
    [],
  ],
  ['a top-level list', () => '- 1\n- 2\n', BAD_INPUT, []],
  ['a top-level string', () => 'hello\n', BAD_INPUT, []],
  ['a 1 MB key', () => `${'k'.repeat(1 << 20)}: 1\n`, BAD_INPUT, []],
];
for (const [what, text, allow, mentions] of yamlDocs) {
  for (const [kind, args, baseFile] of [
    [
      'scenario',
      (f: string) => ['explain', f, '--topology', 'prototype-3', '--request', REQUEST()],
      (fx: Fixtures) => fx.scenario,
    ],
    ['topology', (f: string) => ['topology', 'inspect', f], (fx: Fixtures) => fx.generated],
  ] as const)
    add('yaml', `${kind} file with ${what}`, (fx) => {
      const f = fx.file(
        `${kind}-${what.replace(/\W+/g, '-').slice(0, 40)}.yaml`,
        text(fx, readFileSync(baseFile(fx), 'utf8')),
      );
      return { args: args(f), allow, mentions: [basename(f), ...mentions] };
    });
}

// ── Odd CLI arguments ────────────────────────────────────────────────────────────────────────
type ArgRow = readonly [string, (fx: Fixtures) => string[], readonly Outcome[], readonly string[]];
const argCases: ArgRow[] = [
  ...['NaN', '-3', '2.5', 'Infinity', '1e308', '', '0x10'].map(
    (q) =>
      [
        `explain --queue ${q || "''"}`,
        (fx: Fixtures) => explain(fx, `--queue=${q}`),
        BAD_INPUT,
        ['--queue'],
      ] as const,
  ),
  ...['1e308', String(2 ** 53), '', '-1', '1.5', 'NaN', 'abc'].map(
    (s) =>
      [
        `run --seed ${s || "''"}`,
        (fx: Fixtures) => runTiny(fx, `--seed=${s}`),
        BAD_INPUT,
        ['--seed'],
      ] as const,
  ),
  ...['1e308', '', '-1'].map(
    (s) =>
      [
        `whatif --seed ${s || "''"}`,
        (fx: Fixtures) => ['whatif', fx.scenario, '--topologies', 'prototype-3', `--seed=${s}`],
        BAD_INPUT,
        ['--seed'],
      ] as const,
  ),
  [
    'whatif --topologies with an empty list',
    (fx) => ['whatif', fx.scenario, '--topologies'],
    BAD_INPUT,
    ['--topologies'],
  ],
  [
    "whatif --topologies ''",
    (fx) => ['whatif', fx.scenario, '--topologies', ''],
    BAD_INPUT,
    ['--topologies'],
  ],
  ...[
    'hosts=0',
    'hosts=-1',
    'hosts=NaN',
    'hosts=1e308',
    'hosts=2.5',
    'hosts=',
    '',
    'bogus=1',
    'rate=0',
    'rate=-4',
    'requests=0',
    'crossVariantShare=2',
    '__proto__=1',
    'constructor=1',
  ].map(
    (g) =>
      [
        `sweep --grid ${g || "''"}`,
        (fx: Fixtures) => sweepTiny(fx, '--grid', g),
        BAD_INPUT,
        ['--grid'],
      ] as const,
  ),
  ...['0', '-1', '1e9', 'NaN', '2.5'].map(
    (w) =>
      [
        `sweep --workers ${w}`,
        (fx: Fixtures) => [
          'sweep',
          fx.scenario,
          '--topology',
          fx.generated,
          '--grid',
          'hosts=6',
          '--workers',
          w,
        ],
        BAD_INPUT,
        ['--workers'],
      ] as const,
  ),
  ...['0/4', '5/4', '1/0', 'a/b', '1/1e308', '-1/2'].map(
    (s) =>
      [
        `sweep --shard ${s}`,
        (fx: Fixtures) => sweepTiny(fx, '--grid', 'hosts=6', `--shard=${s}`),
        BAD_INPUT,
        ['--shard'],
      ] as const,
  ),
  ...['-1 B', 'NaN B', '64 m', '64', '', '1e-300 B', 'Infinity B'].map(
    (s) =>
      [
        `rpc --size ${s || "''"}`,
        () => ['rpc', 'prototype-3', '--from', 'h0', '--to', 'h1', `--size=${s}`],
        BAD_INPUT,
        ['--size'],
      ] as const,
  ),
  ...['local:NaN', 'local:2', 'local:-1', 'local:', 'nonsense'].map(
    (t) =>
      [
        `rpc --traffic ${t}`,
        () => ['rpc', 'prototype-3', '--traffic', t],
        REFUSED,
        ['traffic'],
      ] as const,
  ),
  ...[
    'link:__proto__',
    'device:constructor',
    'host:prototype',
    'device:',
    'bogus',
    'device:d0,device:d0',
  ].map(
    (f) =>
      [
        `run --fail ${f}`,
        (fx: Fixtures) => runTiny(fx, '--fail', f),
        ['ok', 'usage', 'input'],
        [],
      ] as const,
  ),
  ...['__proto__', 'constructor', 'nope'].map(
    (p) =>
      [
        `run --policy ${p}`,
        (fx: Fixtures) => runTiny(fx, '--policy', p),
        BAD_INPUT,
        ['policy'],
      ] as const,
  ),
  ...['__proto__', 'constructor', 'h999', ''].map(
    (h) =>
      [
        `fetch --host ${h || "''"}`,
        () => ['fetch', 'prototype-3', '--host', h, '--size', '1 GB'],
        BAD_INPUT,
        ['--host'],
      ] as const,
  ),
  ...['0', '-1', '1e308', 'NaN', '2.5', '100000'].map(
    (n) =>
      [
        `generate octopus-sparse --hosts ${n}`,
        () => [
          'topology',
          'generate',
          'octopus-sparse',
          '--hosts',
          n,
          '--host-ports',
          '2',
          '--device-ports',
          '4',
        ],
        ['usage', 'input', 'limit'],
        ['hosts'],
      ] as const,
  ),
  [
    'explain --request that is not JSON',
    (fx) => ['explain', fx.scenario, '--topology', 'prototype-3', '--request', '{variant'],
    BAD_INPUT,
    ['--request'],
  ],
  [
    'explain --request with tokens -1',
    (fx) => ['explain', fx.scenario, '--topology', 'prototype-3', '--request', REQUEST(-1)],
    BAD_INPUT,
    ['tokens'],
  ],
  [
    'explain --request with tokens 2.5',
    (fx) => ['explain', fx.scenario, '--topology', 'prototype-3', '--request', REQUEST(2.5)],
    BAD_INPUT,
    ['tokens'],
  ],
  [
    'explain --request with tokens "NaN"',
    (fx) => ['explain', fx.scenario, '--topology', 'prototype-3', '--request', REQUEST('"NaN"')],
    BAD_INPUT,
    ['tokens'],
  ],
  [
    'explain --request with variant __proto__',
    (fx) => [
      'explain',
      fx.scenario,
      '--topology',
      'prototype-3',
      '--request',
      '{"variant": "__proto__", "tokens": 10, "host": "h0"}',
    ],
    BAD_INPUT,
    ['__proto__'],
  ],
  [
    'explain --request with a __proto__ key',
    (fx) => [
      'explain',
      fx.scenario,
      '--topology',
      'prototype-3',
      '--request',
      '{"__proto__": {"x": 1}, "variant": "a", "tokens": 10, "host": "h0"}',
    ],
    ['ok', 'usage', 'input'],
    [],
  ],
  [
    'explain --sender naming the request’s own variant',
    (fx) => explain(fx, '--sender', 'a'),
    BAD_INPUT,
    ['--sender'],
  ],
  ['explain --slo -3 s', (fx) => explain(fx, '--slo=-3 s'), BAD_INPUT, ['--slo']],
  ['explain --slo NaN s', (fx) => explain(fx, '--slo', 'NaN s'), BAD_INPUT, ['--slo']],
  [
    'explain --producer __proto__',
    (fx) => explain(fx, '--producer', '__proto__'),
    BAD_INPUT,
    ['--producer'],
  ],
];
for (const [name, args, allow, mentions] of argCases)
  add('odd argument', name, (fx) => ({ args: args(fx), allow, mentions }));

// ── Ids that could poison objects: ordinary ids everywhere ───────────────────────────────────
for (const id of ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']) {
  add('poison id', `topology with a host named ${id}`, (fx) => ({
    args: [
      'topology',
      'inspect',
      fx.yaml(`host-${id}.yaml`, explicitTopology({ h: [id, 'h1', 'h2'], d: 'd0', tor: 'tor0' })),
      '--json',
    ],
    allow: ONLY_OK,
  }));
  add('poison id', `topology with a device named ${id}`, (fx) => ({
    args: [
      'topology',
      'inspect',
      fx.yaml(`dev-${id}.yaml`, explicitTopology({ h: ['h0', 'h1', 'h2'], d: id, tor: 'tor0' })),
      '--json',
    ],
    allow: ONLY_OK,
  }));
}
for (const id of ['__proto__', 'constructor', 'prototype'])
  add('poison id', `rpc between hosts named ${id} and h1`, (fx) => ({
    args: [
      'rpc',
      fx.yaml(`rpc-${id}.yaml`, explicitTopology({ h: [id, 'h1', 'h2'], d: 'd0', tor: 'tor0' })),
      '--from',
      id,
      '--to',
      'h1',
      '--json',
    ],
    allow: ONLY_OK,
  }));
for (const id of ['__proto__', 'constructor', 'prototype'])
  add('poison id', `scenario with a variant named ${id}`, (fx) => ({
    args: [
      'explain',
      fx.scenarioWith(`v-${id}.yaml`, (s) => {
        s.variants[0]!.id = id;
        s.profiles[0]!.receiver = id;
        s.profiles[1]!.sender = id;
        s.serving.replicas[0]!.variant = id;
      }),
      '--topology',
      'prototype-3',
      '--request',
      `{"variant": "${id}", "tokens": 2000, "host": "h0"}`,
      '--json',
    ],
    allow: ONLY_OK,
  }));
add('poison id', 'scenario with workload.variants keyed by __proto__', (fx) => ({
  args: [
    'explain',
    fx.file(
      'wv-proto.yaml',
      `${readFileSync(fx.scenario, 'utf8')}`.replace(
        'workload:\n',
        'workload:\n  variants:\n    __proto__: 1\n    a: 1\n',
      ),
    ),
    '--topology',
    'prototype-3',
    '--request',
    REQUEST(),
  ],
  allow: ['input'],
  mentions: ['workload.variants.__proto__'],
}));
add('poison id', 'topology components keyed by __proto__', (fx) => ({
  args: [
    'topology',
    'inspect',
    fx.file(
      'comp-proto.yaml',
      'generator: octopus-sparse\nparams: { hosts: 6, hostPorts: 2, devicePorts: 4 }\ncomponents:\n  __proto__: { mhdPorts: 99 }\n',
    ),
  ],
  allow: ['input'],
  mentions: ['components.__proto__'],
}));
add('poison id', 'generator params keyed by constructor', (fx) => ({
  args: [
    'topology',
    'inspect',
    fx.yaml('params-ctor.yaml', {
      ...TINY_GENERATED,
      params: { ...TINY_GENERATED.params, constructor: 1 },
    }),
  ],
  allow: BAD_INPUT,
  mentions: ['constructor'],
}));
add('poison id', 'plan prices keyed by __proto__', (fx) => ({
  args: [
    'capacity',
    fx.file(
      'prices-proto.yaml',
      readFileSync(fx.plan, 'utf8').replace(
        /prices:\n/,
        'prices:\n  __proto__: { serverBase: "$1" }\n',
      ),
    ),
  ],
  allow: ['input'],
  mentions: ['prices.__proto__'],
}));

// ── Nonsense a physicist would refuse ────────────────────────────────────────────────────────
const physics: [string, (fx: Fixtures) => string[], readonly string[]][] = [
  [
    'a cable of 1e308 m',
    (fx) => [
      'topology',
      'inspect',
      fx.file(
        'cable-1e308.yaml',
        readFileSync(
          fx.yaml('c.yaml', explicitTopology({ h: ['h0', 'h1', 'h2'], d: 'd0', tor: 't' })),
          'utf8',
        ).replace('1 m', '1e308 m'),
      ),
    ],
    ['length'],
  ],
  [
    '100 m of passive copper',
    (fx) => [
      'topology',
      'inspect',
      fx.file(
        'cable-100.yaml',
        readFileSync(
          fx.yaml('c2.yaml', explicitTopology({ h: ['h0', 'h1', 'h2'], d: 'd0', tor: 't' })),
          'utf8',
        ).replace('1 m', '100 m'),
      ),
    ],
    ['length'],
  ],
  [
    'a NIC rate of 1e-300 B/s',
    (fx) => [
      'topology',
      'inspect',
      fx.yaml('nic.yaml', {
        ...TINY_GENERATED,
        generator: 'rdma-rack',
        params: { hosts: 4, racks: 1 },
        components: { nicRate: '1e-300 B/s' },
      }),
    ],
    ['nicRate'],
  ],
  [
    'a NIC rate of -200 Gb/s',
    (fx) => [
      'topology',
      'inspect',
      fx.yaml('nic2.yaml', {
        generator: 'rdma-rack',
        params: { hosts: 4, racks: 1 },
        components: { nicRate: '-200 Gb/s' },
      }),
    ],
    ['nicRate'],
  ],
  [
    'an MHD capacity of 0 B',
    (fx) => [
      'topology',
      'inspect',
      fx.yaml('cap0.yaml', { ...TINY_GENERATED, components: { mhdCapacity: '0 B' } }),
    ],
    ['mhdCapacity'],
  ],
  [
    'a price with 400 digits',
    (fx) => [
      'capacity',
      fx.planWith('p400.yaml', (p) => (p['prices'] = { serverBase: `$1${'0'.repeat(400)}` })),
    ],
    ['serverBase'],
  ],
  [
    'a negative price',
    (fx) => ['capacity', fx.planWith('pneg.yaml', (p) => (p['prices'] = { serverBase: '$-5' }))],
    ['serverBase'],
  ],
  [
    'a quality budget of 150 %',
    (fx) => [
      'run',
      fx.scenarioWith('q150.yaml', (s) => (s.qualityBudget = '150 %')),
      '--topology',
      'prototype-3',
    ],
    ['qualityBudget'],
  ],
  [
    'an arrival rate of 0 /s',
    (fx) => [
      'run',
      fx.scenarioWith('r0.yaml', (s) => (s.workload.arrival = { poisson: '0 /s' })),
      '--topology',
      'prototype-3',
    ],
    ['arrival'],
  ],
  [
    'an arrival rate of 1e308 /s',
    (fx) => [
      'run',
      fx.scenarioWith('r308.yaml', (s) => (s.workload.arrival = { poisson: '1e308 /s' })),
      '--topology',
      'prototype-3',
    ],
    ['arrival'],
  ],
  [
    'a TTFT SLO of -3 s',
    (fx) => [
      'run',
      fx.scenarioWith('slo.yaml', (s) => (s.slo = { ttft: '-3 s' })),
      '--topology',
      'prototype-3',
    ],
    ['ttft'],
  ],
  [
    'a seed of 1e308 in the file',
    (fx) => [
      'run',
      fx.scenarioWith('seed.yaml', (s) => (s.seed = 1e308)),
      '--topology',
      'prototype-3',
    ],
    ['seed'],
  ],
  [
    'peakToMean of 1e308',
    (fx) => [
      'capacity',
      fx.planWith(
        'ptm.yaml',
        (p) => ((p['memory'] as Record<string, unknown>)['peakToMean'] = 1e308),
      ),
    ],
    ['peakToMean'],
  ],
  [
    'localFraction of NaN',
    (fx) => [
      'capacity',
      fx.planWith(
        'lf.yaml',
        (p) => ((p['memory'] as Record<string, unknown>)['localFraction'] = '.nan'),
      ),
    ],
    ['localFraction'],
  ],
];
for (const [what, args, mentions] of physics)
  add('physical nonsense', what, (fx) => ({ args: args(fx), allow: BAD_INPUT, mentions }));

/** Every hand-picked case. */
export const HOSTILE_CASES: readonly HostileCase[] = cases;
