/**
 * Input files for the hostile suite (docs/hostile-inputs.md): small valid files that run in well
 * under a second (a 2-variant scenario on 2 GPUs, a 6-host generator topology, a 1-candidate
 * plan), helpers to write mutated copies of them, and the special files the table points the CLI
 * at (a folder, a file as a parent folder, a binary file, an over-limit sparse file, YAML bombs).
 */
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { LIMITS } from '../../src/errors/limits.ts';
import { tempDir, type TempDir } from '../cli/run.ts';

/** The tiny scenario: two variants of one 8B model, one replica each, 20 requests. */
export const TINY_SCENARIO = {
  name: 'tiny',
  seed: 1,
  gpu: 'a100-80gb',
  models: ['llama-3.1-8b'],
  variants: [
    { id: 'a', model: 'llama-3.1-8b' },
    { id: 'b', model: 'llama-3.1-8b' },
  ],
  profiles: [
    { receiver: 'a', sender: 'b', synthetic: {} },
    { receiver: 'b', sender: 'a', synthetic: {} },
  ],
  qualityBudget: '5 %',
  serving: {
    replicas: [
      { variant: 'a', count: 1 },
      { variant: 'b', count: 1 },
    ],
  },
  workload: {
    arrival: { poisson: '4 /s' },
    requests: 20,
    contexts: { count: 5, length: { fixed: 2000 } },
    suffixTokens: 64,
    output: { fixed: 16 },
  },
  slo: { ttft: '3 s' },
};

/** A 6-host generator-form topology (sweepable: `--grid hosts=…`). */
export const TINY_GENERATED = {
  name: 'gen-tiny',
  generator: 'octopus-sparse',
  params: { hosts: 6, hostPorts: 2, devicePorts: 4, seed: 1 },
};

/** A 3-host explicit topology (the bundled prototype-3's shape, with every id renameable). */
export function explicitTopology(ids: { h: string[]; d: string; tor: string }): unknown {
  return {
    name: 'ids',
    nodes: [
      ...ids.h.map((id) => ({ id, kind: 'host', gpus: 1, nics: 1 })),
      { id: ids.d, kind: 'mhd', ports: 4 },
      { id: ids.tor, kind: 'tor' },
    ],
    links: [
      ...ids.h.map((id) => ({ a: id, b: ids.d, kind: 'cxl', length: '1 m' })),
      ...ids.h.map((id) => ({ a: `${id}.nic0`, b: ids.tor, kind: 'network' })),
    ],
  };
}

/** The tiny capacity plan: one RDMA candidate at 2 and 4 hosts, on the tiny scenario. */
export const TINY_PLAN = (scenarioFile: string): Record<string, unknown> => ({
  scenario: scenarioFile,
  growth: [1],
  slo: { attainment: '99 %' },
  candidates: [
    {
      generator: 'rdma-rack',
      params: { racks: 1 },
      options: { nicsPerHost: 1 },
      hosts: [2, 4],
    },
  ],
  prices: { serverBase: '$40,000' },
  memory: { perHostMean: '384 GiB', peakToMean: 1.6, localFraction: 0.75, samples: 200 },
});

/** A deep copy of a plain JSON value. */
export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** `depth` nested flow sequences: `[[[…]]]`. */
export const deepFlow = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}\n`;

/** `depth` nested block mappings under key `name:`. */
export function deepBlock(depth: number): string {
  const lines = ['name: deep'];
  for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(i)}k${i}:`);
  lines.push(`${' '.repeat(depth)}leaf: 1`);
  return `${lines.join('\n')}\n`;
}

/** The "billion laughs": `levels` aliases each expanding the one before `width` times. */
export function aliasBomb(levels: number, width: number, prefix = ''): string {
  const lines = [prefix, `l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i <= levels; i++)
    lines.push(`l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** The fixture folder and the paths of every file in it. */
export interface Fixtures extends TempDir {
  readonly scenario: string;
  readonly generated: string;
  readonly plan: string;
  /** A regular file, to be used where a folder is expected (`aFile/out.json`). */
  readonly aFile: string;
  /** An existing folder, to be used where a file is expected. */
  readonly aDir: string;
  /** 64 kB of bytes 0–255. */
  readonly binary: string;
  readonly empty: string;
  /** A sparse file one byte over LIMITS.inputFileBytes (no disk used). */
  readonly huge: string;
  /** Writes `value` as YAML to `name` and returns its path. */
  yaml(name: string, value: unknown): string;
  /** Writes a mutated copy of the tiny scenario. */
  scenarioWith(name: string, mutate: (s: typeof TINY_SCENARIO) => void): string;
  /** Writes a mutated copy of the tiny plan. */
  planWith(name: string, mutate: (p: Record<string, unknown>) => void): string;
}

/** Creates the fixture folder (call `cleanup()` in afterAll). */
export function makeFixtures(): Fixtures {
  const t = tempDir('podsim-hostile-');
  const yaml = (name: string, value: unknown): string => t.file(name, stringify(value));
  const scenario = yaml('tiny.yaml', TINY_SCENARIO);
  const generated = yaml('gen-tiny.yaml', TINY_GENERATED);
  const plan = yaml('plan.yaml', TINY_PLAN(scenario));
  const aFile = t.file('a-file', 'just a file\n');
  const aDir = t.path('a-dir');
  mkdirSync(aDir);
  const binary = t.path('binary.bin');
  writeFileSync(binary, Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919) % 256)));
  const empty = t.file('empty.yaml', '');
  const huge = t.file('huge.yaml', 'name: huge\n');
  truncateSync(huge, LIMITS.inputFileBytes + 1);
  return {
    ...t,
    scenario,
    generated,
    plan,
    aFile,
    aDir,
    binary,
    empty,
    huge,
    yaml,
    scenarioWith: (name, mutate) => {
      const s = clone(TINY_SCENARIO);
      mutate(s);
      return yaml(name, s);
    },
    planWith: (name, mutate) => {
      const p = parse(readFileSync(plan, 'utf8')) as Record<string, unknown>;
      mutate(p);
      return yaml(name, p);
    },
  };
}

/** Joins a fixture-relative path. */
export const inDir = (fx: Fixtures, ...parts: string[]): string => join(fx.dir, ...parts);
