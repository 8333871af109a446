/**
 * End-to-end tests of `podsim topology …` and of the CLI's general contract (project guide):
 * results on stdout in text, JSON and CSV; byte-identical output for the same inputs; `--help`
 * with examples; and every user mistake refused with exit code 2 and one `podsim:` message that
 * names the file and field at fault, never a stack trace. Runs go through `main()` in-process
 * (test/cli/run.ts), except one real `node bin/podsim.js --help`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectInputError,
  expectUsageError,
  runCli,
  runJson,
  tempDir,
  type TempDir,
} from './run.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The bundled presets, as `topologies/*.yaml` holds them. */
const PRESETS = [
  'droidspeak-testbed',
  'hybrid-4x13',
  'octopus-96',
  'octopus-96-gh200',
  'octopus-96-h100',
  'octopus-96-reach',
  'octopus-bibd-25',
  'prototype-3',
  'prototype-3-rdma',
  'prototype-3-switched',
  'rdma-32x1',
  'rdma-96x3',
  'rdma-96x3-gh200',
  'rdma-96x3-h100',
  'switched-96',
  'switched-96-gh200',
  'switched-96-h100',
];

/** An explicit topology whose MHD (nodes[1]) has a bandwidth where a size belongs. */
const WRONG_UNIT_YAML = `name: wrong-unit
nodes:
  - { id: h0, kind: host, gpus: 1 }
  - { id: d0, kind: mhd, ports: 4, capacity: "5 GB/s" }
links:
  - { a: h0, b: d0, kind: cxl, length: "1 m" }
`;

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('topology inspect', () => {
  it('--json gives the metrics of octopus-96', async () => {
    const m = await runJson<Record<string, unknown>>([
      'topology',
      'inspect',
      'octopus-96',
      '--json',
    ]);
    expect(m['name']).toBe('octopus-96');
    expect(m['hosts']).toBe(96);
    for (const k of ['devices', 'switches', 'links'] as const) {
      expect(typeof m[k], k).toBe('number');
      expect(Number.isInteger(m[k]), k).toBe(true);
    }
    expect(m['devices']).toBeGreaterThan(0);
    expect(m['links']).toBeGreaterThan(0);
    const f = m['pairSharingFraction'];
    expect(typeof f).toBe('number');
    expect(f as number).toBeGreaterThan(0);
    expect(f as number).toBeLessThan(1);
  });

  it('text output is a table whose value column starts at the same offset on every row', async () => {
    const r = await runCli(['topology', 'inspect', 'octopus-96']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^octopus-96 /);
    const header = lines.findIndex((l) => /^measure\s+value$/.test(l));
    expect(header).toBeGreaterThan(0);
    const end = lines.indexOf('', header);
    const rule = lines[header + 1] ?? '';
    expect(rule).toMatch(/^─+ {2}─+$/);
    const rows = lines.slice(header + 2, end);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    // Offset of the value column: after the first run of two or more spaces (labels use single spaces).
    const valueAt = (l: string): number => /^(.*?\S) {2,}(?=\S)/.exec(l)?.[0].length ?? -1;
    const column = valueAt(lines[header] ?? '');
    expect(column).toBe(rule.indexOf('  ') + 2);
    for (const row of rows) expect(valueAt(row), row).toBe(column);
    expect(rows.find((l) => l.startsWith('hosts'))?.slice(column)).toBe('96');
  });

  it('--csv gives comma-separated tables', async () => {
    const r = await runCli(['topology', 'inspect', 'octopus-96', '--csv']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('measure,value');
    expect(lines).toContain('hosts,96');
    for (const l of lines.filter((x) => x !== '')) expect(l, l).toContain(',');
    expect(r.stdout).not.toContain('─');
  });

  it('--json and --csv together are refused', async () => {
    expectUsageError(
      await runCli(['topology', 'inspect', 'octopus-96', '--json', '--csv']),
      '--json',
      '--csv',
    );
  });
});

describe('topology compare (the default job behind npm start)', () => {
  it('names the three 96-host topologies and is byte-identical across runs', async () => {
    const a = await runCli(['topology', 'compare']);
    const b = await runCli(['topology', 'compare']);
    expect(a.exitCode).toBe(0);
    expect(a.stderr).toBe('');
    for (const name of ['octopus-96', 'switched-96', 'rdma-96x3']) expect(a.stdout).toContain(name);
    expect(b.stdout).toBe(a.stdout);
  });

  it('--json has one entry per named topology, in order', async () => {
    const m = await runJson<{ name: string; hosts: number }[]>([
      'topology',
      'compare',
      'prototype-3',
      'prototype-3-switched',
      'prototype-3-rdma',
      '--json',
    ]);
    expect(m.map((x) => x.name)).toEqual([
      'prototype-3',
      'prototype-3-switched',
      'prototype-3-rdma',
    ]);
    expect(m.map((x) => x.hosts)).toEqual([3, 3, 3]);
  });
});

describe('topology generate', () => {
  it('writes a file that inspect reads back (octopus-bibd X=4, N=4: 13 hosts)', async () => {
    const out = tmp.path('pod.yaml');
    const r = await runCli([
      'topology',
      'generate',
      'octopus-bibd',
      '--host-ports',
      '4',
      '--device-ports',
      '4',
      '-o',
      out,
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(out);
    expect(r.stderr).toContain('13 hosts');
    // a 13-host projective plane fits copper reach once placed (docs/layout.md)
    expect(r.stderr).toContain('every CXL cable within the 1.5 m copper reach');
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toMatch(/^generator: octopus-bibd$/m);
    const m = await runJson<{ hosts: number; devices: number }>([
      'topology',
      'inspect',
      out,
      '--json',
    ]);
    expect(m.hosts).toBe(13);
    expect(m.devices).toBe(13);
  });

  it('says when a pod does not fit copper reach, with its longest cable', async () => {
    const r = await runCli([
      'topology',
      'generate',
      'octopus-islands',
      '--hosts',
      '96',
      '--host-ports',
      '8',
      '--device-ports',
      '4',
      '-o',
      tmp.path('islands.yaml'),
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /does not fit the 1\.5 m copper reach \(longest cable 4\.54 m, 241 cables/,
    );
  });

  it('writes the same file for the same flags', async () => {
    const args = [
      'topology',
      'generate',
      'octopus-sparse',
      '--hosts',
      '20',
      '--host-ports',
      '4',
      '--device-ports',
      '4',
      '--seed',
      '7',
    ];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^generator: octopus-sparse$/m);
    expect(b.stdout).toBe(a.stdout);
  });
});

describe('topology export', () => {
  it.each(['json', 'dot', 'graphml'])('--format %s succeeds', async (format) => {
    const r = await runCli(['topology', 'export', 'prototype-3', '--format', format]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    if (format === 'json') {
      const doc = JSON.parse(r.stdout) as {
        nodes: unknown[];
        links: unknown[];
        resources: { id: string }[];
      };
      expect(doc.nodes.length).toBeGreaterThan(0);
      expect(doc.links.length).toBeGreaterThan(0);
      expect(doc.resources.length).toBeGreaterThan(0);
      expect(doc.resources.map((x) => x.id)).toContain('d0:media');
    } else if (format === 'dot') {
      expect(r.stdout).toMatch(/^graph "prototype-3" \{/);
      expect(r.stdout.trimEnd()).toMatch(/\}$/);
    } else {
      expect(r.stdout).toMatch(/^<\?xml /);
      expect(r.stdout).toContain('<graphml');
      expect(r.stdout.trimEnd()).toMatch(/<\/graphml>$/);
    }
  });

  it('an unknown --format names the allowed ones', async () => {
    expectUsageError(
      await runCli(['topology', 'export', 'prototype-3', '--format', 'svg']),
      'svg',
      'json',
      'dot',
      'graphml',
    );
  });
});

describe('topology list and schema', () => {
  it('list --json lists the bundled presets and the generators', async () => {
    const l = await runJson<{ presets: { name: string }[]; generators: { name: string }[] }>([
      'topology',
      'list',
      '--json',
    ]);
    expect(l.presets.map((p) => p.name).sort()).toEqual(PRESETS);
    expect(l.generators.map((g) => g.name)).toContain('octopus-bibd');
  });

  it('schema prints a JSON Schema', async () => {
    const s = await runJson<Record<string, unknown>>(['topology', 'schema']);
    expect(String(s['$schema'])).toMatch(/^https:\/\/json-schema\.org\//);
    expect(s['$defs'] ?? s['definitions']).toBeTypeOf('object');
  });
});

describe('user mistakes: one podsim: line naming what is wrong, no stack trace, the exit code of its class', () => {
  it('a wrong unit in a topology file names the file and the field path', async () => {
    const file = tmp.file('wrong-unit.yaml', WRONG_UNIT_YAML);
    const msg = expectInputError(
      await runCli(['topology', 'inspect', file]),
      'wrong-unit.yaml',
      'nodes[1].capacity',
      '5 GB/s',
    );
    expect(msg).toMatch(/bandwidth/);
    expect(msg).toMatch(/size/);
  });

  it('an unknown preset name lists the bundled ones', async () => {
    expectInputError(
      await runCli(['topology', 'inspect', 'octopus-97']),
      'octopus-97',
      'octopus-96',
      'prototype-3',
    );
  });

  it('octopus-bibd with no block design suggests the nearest feasible parameters', async () => {
    const msg = expectInputError(
      await runCli([
        'topology',
        'generate',
        'octopus-bibd',
        '--host-ports',
        '6',
        '--device-ports',
        '4',
      ]),
      '--host-ports 6',
      '--device-ports 4',
    );
    expect(msg).toMatch(/nearest feasible/i);
    expect(msg).toContain('--host-ports 4, --device-ports 4');
  });

  // Was a defect: the message named file keys (hostPorts) rather than the flags typed.
  it('octopus-bibd with no block design names the flags the user typed', async () => {
    expectInputError(
      await runCli([
        'topology',
        'generate',
        'octopus-bibd',
        '--host-ports',
        '6',
        '--device-ports',
        '4',
      ]),
      '--host-ports',
    );
  });

  it('a non-integer --hosts names the flag', async () => {
    const msg = expectUsageError(
      await runCli(['topology', 'generate', 'octopus-sparse', '--hosts', '2.5']),
      '--hosts',
      '2.5',
    );
    expect(msg).toContain('integer');
  });

  it('an unknown command is refused', async () => {
    expectUsageError(await runCli(['frobnicate']), 'frobnicate');
  });

  it('a misspelt command gets a suggestion', async () => {
    expectUsageError(await runCli(['topolgy', 'list']), 'topology');
  });

  it('an unknown generator lists the generators', async () => {
    expectUsageError(
      await runCli(['topology', 'generate', 'octopus-bibdd']),
      'octopus-bibdd',
      'octopus-bibd',
      'octopus-sparse',
    );
  });

  // Was a defect (now fixed, kept as a regression test): `podsim topology frob` says only "Name a topology subcommand: …" — it does not say
  // that "frob" is unknown (the topology builder's demandCommand fires before .strict()).
  it('an unknown topology subcommand names it', async () => {
    expectUsageError(await runCli(['topology', 'zzzwq']), 'zzzwq');
  });

  it('a missing topology file names the path', async () => {
    const missing = tmp.path('no-such.yaml');
    expectInputError(await runCli(['topology', 'inspect', missing]), missing);
  });

  it('a YAML syntax error names the file and the line', async () => {
    const file = tmp.file('broken.yaml', 'nodes: [\n  - {id: h0\n');
    const msg = expectInputError(await runCli(['topology', 'inspect', file]), 'broken.yaml');
    expect(msg).toMatch(/line \d+/);
  });
});

describe('--help', () => {
  it('node bin/podsim.js --help prints usage with every command and exits 0 (child process)', () => {
    // One real process through bin/podsim.js, as a user runs it; the in-process runs below
    // call main() directly (test/cli/run.ts).
    const stdout = execFileSync(process.execPath, [join(REPO, 'bin', 'podsim.js'), '--help'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(stdout).toMatch(/^podsim <command> \[options\]/);
    for (const c of ['topology', 'rpc', 'fetch', 'flows', 'calibrate'])
      expect(stdout).toContain(`podsim ${c}`);
    expect(stdout).toMatch(/--help/);
  });

  it.each([
    'topology inspect',
    'topology compare',
    'topology generate',
    'topology export',
    'rpc',
    'fetch',
    'flows',
    'calibrate',
  ])('podsim %s --help shows examples', async (cmd) => {
    const r = await runCli([...cmd.split(' '), '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`podsim ${cmd}`);
    expect(r.stdout).toContain('Examples:');
  });

  // Was a defect (now fixed, kept as a regression test): these --help pages have no "Examples:" section (no .example() in
  // src/cli/main.ts, the topology group, `topology list` and `topology schema`).
  it.each(['(no command)', 'topology', 'topology list', 'topology schema'])(
    'podsim %s --help shows examples',
    async (cmd) => {
      const r = await runCli([...cmd.split(' ').filter((w) => !w.startsWith('(')), '--help']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Examples:');
    },
  );
});
