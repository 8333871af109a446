/**
 * Issue 15 item 5, end to end: node ids, variant ids and model ids named after
 * `Object.prototype` properties (`__proto__`, `constructor`, `toString` …) are ordinary ids in
 * every command — inspect, rpc, fetch, flows, export, failures, run, whatif, explain — and the
 * outputs show them exactly as written, never the graph's encoded keys (src/topology/keys.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/errors/index.ts';
import { KEY_PREFIX } from '../src/topology/keys.ts';
import { runCli, runJson, tempDir, type TempDir } from './cli/run.ts';

/** Hosts, an MHD, a CXL switch with a device behind it and a ToR, all with hostile ids. */
const TOPOLOGY = `name: hostile-ids
description: every node named after an Object.prototype property
nodes:
  - { id: __proto__, kind: host, gpus: 1, nics: 1 }
  - { id: constructor, kind: host, gpus: 1, nics: 1 }
  - { id: toString, kind: host, gpus: 1, nics: 1 }
  - { id: prototype, kind: mhd, ports: 4 }
  - { id: valueOf, kind: cxl-switch }
  - { id: hasOwnProperty, kind: memory-device }
  - { id: isPrototypeOf, kind: tor }
links:
  - { a: __proto__, b: prototype, kind: cxl, length: "1 m" }
  - { a: constructor, b: prototype, kind: cxl, length: "1 m" }
  - { a: toString, b: prototype, kind: cxl, length: "1 m" }
  - { a: __proto__, b: valueOf, kind: cxl, length: "1 m" }
  - { a: valueOf, b: hasOwnProperty, kind: cxl, length: "1 m" }
  - { a: __proto__.nic0, b: isPrototypeOf, kind: network }
  - { a: constructor.nic0, b: isPrototypeOf, kind: network }
  - { a: toString.nic0, b: isPrototypeOf, kind: network }
`;
const NODE_IDS = [
  '__proto__',
  'constructor',
  'toString',
  'prototype',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
];

/** Variants and a custom model with hostile ids too. */
const SCENARIO = `name: hostile-scenario
seed: 1
gpu: a100-80gb
tensorParallel: 1
models:
  - llama-3.1-8b
  - { id: __proto__, layers: 32, hiddenSize: 4096, heads: 32, kvHeads: 8, headDim: 128, intermediateSize: 14336, vocabSize: 128256, parameterCount: 8e9 }
variants:
  - { id: constructor, model: llama-3.1-8b }
  - { id: toString, model: llama-3.1-8b }
  - { id: valueOf, model: __proto__ }
profiles:
  - { receiver: constructor, sender: toString, synthetic: {} }
  - { receiver: toString, sender: constructor, synthetic: {} }
qualityBudget: 5 %
planner: { policy: fabric-aware, strategy: best }
pool: { placement: stripe, eviction: lru, hostDramFraction: 0.5, gpuCacheFraction: 0.3 }
serving:
  replicas:
    - { variant: constructor, count: 1 }
    - { variant: toString, count: 1 }
    - { variant: valueOf, count: 1 }
  routing: round-robin
  maxBatch: 8
workload:
  arrival: { poisson: "4 /s" }
  requests: 60
  contexts: { count: 10, length: { fixed: 2000 } }
  popularity: { zipf: 1.0 }
  variants: { constructor: 2, toString: 1, valueOf: 1 }
  crossVariantShare: 60 %
  suffixTokens: 64
  output: { fixed: 16 }
slo: { ttft: "3 s", e2e: "30 s" }
`;

let tmp: TempDir;
let topo: string;
let scenario: string;
beforeAll(() => {
  tmp = tempDir('podsim-ids-');
  topo = tmp.file('hostile.yaml', TOPOLOGY);
  scenario = tmp.file('scenario.yaml', SCENARIO);
});
afterAll(() => tmp.cleanup());

/** A run that succeeded and printed no encoded key (stderr holds at most a timing line). */
async function ok(args: readonly string[]): Promise<string> {
  const r = await runCli(args);
  expect(r.stderr, r.stderr).not.toMatch(/podsim:|\n\s+at /);
  expect(r.stderr).not.toContain(KEY_PREFIX);
  expect(r.exitCode).toBe(EXIT_CODES.ok);
  expect(r.stdout).not.toContain(KEY_PREFIX);
  expect(r.stdout).not.toContain('\\u0001');
  return r.stdout;
}

describe('hostile node ids in a topology file', () => {
  it('inspect loads it and counts every node', async () => {
    const j = await runJson<{ nodeCounts: Record<string, number> }>([
      'topology',
      'inspect',
      topo,
      '--json',
    ]);
    expect(j.nodeCounts).toMatchObject({ host: 3, gpu: 3, nic: 3, mhd: 1, 'cxl-switch': 1 });
    expect(await ok(['topology', 'inspect', topo])).toContain('hostile-ids');
  });

  it('export json lists every id as written, GPUs naming their host', async () => {
    const j = await runJson<{
      nodes: { id: string; kind: string; host?: string }[];
      links: { id: string; source: string; target: string }[];
    }>(['topology', 'export', topo, '--format', 'json']);
    const ids = j.nodes.map((n) => n.id);
    for (const id of NODE_IDS) expect(ids).toContain(id);
    expect(j.nodes.find((n) => n.id === '__proto__.gpu0')?.host).toBe('__proto__');
    expect(j.links.map((l) => l.id)).toContain('__proto__--prototype');
    expect(j.links.find((l) => l.id === 'valueOf--hasOwnProperty')).toMatchObject({
      source: 'valueOf',
      target: 'hasOwnProperty',
    });
  });

  it('export dot and graphml show every id as written', async () => {
    const dot = await ok(['topology', 'export', topo, '--format', 'dot']);
    const xml = await ok(['topology', 'export', topo, '--format', 'graphml']);
    for (const id of NODE_IDS) {
      expect(dot).toContain(`"${id}" [label=`);
      expect(xml).toContain(`<node id="${id}">`);
    }
    expect(dot).toContain('"__proto__" -- "prototype"');
  });

  it('rpc between two named hosts, and over all pairs', async () => {
    const j = await runJson<{ from: string; to: string; best: { request: { path: string[] } } }>([
      'rpc',
      topo,
      '--from',
      '__proto__',
      '--to',
      'constructor',
      '--json',
    ]);
    expect(j.best.request.path).toEqual(['__proto__', 'prototype', 'constructor']);
    const all = await ok(['rpc', topo]);
    expect(all).toContain('all 3 host pairs');
  });

  it('a traffic file names hosts by their ids', async () => {
    const csv = tmp.file(
      'traffic.csv',
      'src,dst,weight\n__proto__,constructor,5\nconstructor,toString,1\ntoString,__proto__,2\n',
    );
    expect(await ok(['rpc', topo, '--traffic', csv])).toContain('traffic file');
    const typo = tmp.file('typo.csv', 'src,dst,weight\n__proto__,constructr,5\n');
    const r = await runCli(['rpc', topo, '--traffic', typo]);
    expect(r.stderr).toContain('did you mean "constructor"');
    expect(r.exitCode).not.toBe(EXIT_CODES.ok);
  });

  it('fetch into a named host from another host’s memory', async () => {
    const j = await runJson<{
      consumer: string;
      gpu: string;
      stripes: { source: string; path: string[] }[];
    }>([
      'fetch',
      topo,
      '--host',
      'constructor',
      '--size',
      '1GB',
      '--placement',
      'host:__proto__:dram',
      '--json',
    ]);
    expect(j.consumer).toBe('constructor');
    expect(j.gpu).toBe('constructor.gpu0');
    expect(j.stripes[0]?.source).toBe('__proto__');
    expect(j.stripes[0]?.path).toContain('isPrototypeOf');
  });

  it('flows between named nodes', async () => {
    const flows = tmp.file(
      'flows.json',
      JSON.stringify([
        { id: '__proto__', src: 'prototype', dst: 'constructor.gpu0', bytes: 1e9, startNs: 0 },
        { id: 'toString', src: 'hasOwnProperty', dst: '__proto__.gpu0', bytes: 1e9, startNs: 0 },
      ]),
    );
    const j = await runJson<{ id: string; path: string[] }[]>([
      'flows',
      topo,
      '--flows',
      flows,
      '--json',
    ]);
    expect(j.map((f) => f.id)).toEqual(['__proto__', 'toString']);
    expect(j[0]?.path).toContain('prototype:media');
    expect(j[1]?.path).toContain('valueOf--hasOwnProperty:rev');
  });

  it('failures name devices, hosts and links by their ids', async () => {
    const r = await runJson<{ best: { medium: string; request: { path: string[] } } }>([
      'rpc',
      topo,
      '--from',
      'toString',
      '--to',
      'constructor',
      '--fail',
      'device:prototype',
      '--json',
    ]);
    expect(r.best.medium).toBe('rdma');
    expect(r.best.request.path).toContain('isPrototypeOf');
    const link = await runJson<{ best: { medium: string } }>([
      'rpc',
      topo,
      '--from',
      'toString',
      '--to',
      'constructor',
      '--fail',
      'link:constructor--prototype',
      '--json',
    ]);
    expect(link.best.medium).toBe('rdma');
    const host = await runCli([
      'fetch',
      topo,
      '--host',
      'constructor',
      '--size',
      '1GB',
      '--fail',
      'host:__proto__',
      '--json',
    ]);
    expect(host.exitCode).toBe(EXIT_CODES.ok);
  });

  it('a validation problem names the node as written', async () => {
    const bad = tmp.file(
      'bad.yaml',
      TOPOLOGY.replace(
        '{ id: prototype, kind: mhd, ports: 4 }',
        '{ id: prototype, kind: mhd, ports: 2 }',
      ),
    );
    const r = await runCli(['topology', 'inspect', bad]);
    expect(r.exitCode).not.toBe(EXIT_CODES.ok);
    expect(r.exitCode).not.toBe(EXIT_CODES.internal);
    expect(r.stderr).toMatch(/^podsim: /);
    expect(r.stderr).toContain('nodes[3].ports');
    expect(r.stderr).not.toContain(KEY_PREFIX);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('hostile variant and model ids in a scenario, on hostile node ids', () => {
  it('run serves every variant and its records show the ids as written', async () => {
    const records = tmp.path('records.csv');
    await ok(['run', scenario, '--topology', topo, '--records', records]);
    const rows = readFileSync(records, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const variants = new Set(rows.map((r) => r[1]));
    const hosts = new Set(rows.map((r) => r[5]));
    expect(variants).toEqual(new Set(['constructor', 'toString', 'valueOf']));
    expect(hosts).toEqual(new Set(['__proto__', 'constructor', 'toString']));
  });

  it('whatif compares the hostile topology with a bundled one', async () => {
    const out = await ok(['whatif', scenario, '--topologies', topo, 'prototype-3']);
    expect(out).toContain('hostile-ids');
  });

  it('explain plans a request of variant constructor at host __proto__', async () => {
    const out = await ok([
      'explain',
      scenario,
      '--topology',
      topo,
      '--request',
      JSON.stringify({ variant: 'constructor', tokens: 4000, host: '__proto__' }),
      '--sender',
      'toString',
      '--producer',
      'toString',
    ]);
    expect(out).toContain('at __proto__');
    expect(out).toContain('reuse toString');
  });
});
