/**
 * The flags several commands share, defined and parsed in one place: the output format
 * (`--json`, `--csv`, `--markdown`; aligned text by default), `--fail` (elements out of service)
 * and the issue re-pointing that names the flag a user typed ({@link asFlags}), and the `--seed`
 * and `--policy` overrides of a scenario. Printing in the chosen format is {@link emit} in
 * ./output.ts.
 */
import type { Argv } from 'yargs';
import { InputError, PodsimError, withIssues, type Issue } from '../errors/index.ts';
import type { Failures } from '../fabric/compile.ts';
import { BUILTIN_GPU_IDS, getGpu } from '../kv/gpu.ts';
import type { PolicyName } from '../planner/planner.ts';
import type { SimConfig } from '../sim/types.ts';
import { parseSize, type Bytes } from '../units/index.ts';

/** The format flags as parsed. */
export interface FormatArgs {
  json?: boolean;
  csv?: boolean;
  markdown?: boolean;
}

/** An output format. */
export type Format = 'text' | 'json' | 'csv' | 'markdown';

/** Adds `--json`, `--csv` and `--markdown` to a command. */
export const formatOptions = <T>(y: Argv<T>): Argv<T & FormatArgs> =>
  y
    .option('json', { type: 'boolean', describe: 'machine-readable JSON' })
    .option('csv', { type: 'boolean', describe: 'CSV tables' })
    .option('markdown', { type: 'boolean', describe: 'Markdown tables' }) as Argv<T & FormatArgs>;

/** The format asked for; more than one flag is a usage error. */
export function chosenFormat(argv: FormatArgs): Format {
  const chosen = (['json', 'csv', 'markdown'] as const).filter((f) => argv[f] === true);
  if (chosen.length > 1)
    throw new InputError([
      {
        code: 'cli.conflict',
        path: [],
        message: `choose one of --json, --csv, --markdown (got ${chosen.map((c) => `--${c}`).join(', ')})`,
      },
    ]);
  return chosen[0] ?? 'text';
}

/** What `--fail` does, as most commands describe it. */
export const FAIL_DESCRIPTION = 'take elements out of service: link:ID,device:ID,host:ID';

/** Adds `--fail` to a command, described as given (default {@link FAIL_DESCRIPTION}). */
export const failOption = <T>(
  y: Argv<T>,
  describe: string = FAIL_DESCRIPTION,
): Argv<T & { fail?: string }> =>
  y.option('fail', { type: 'string', describe }) as Argv<T & { fail?: string }>;

/**
 * Parses `--fail link:h0--d3,device:d7,host:h5` into failures.
 * @throws InputError naming every malformed entry
 */
export function parseFailures(text: string | undefined): Failures {
  if (text === undefined || text.trim() === '') return {};
  const links: string[] = [];
  const devices: string[] = [];
  const hosts: string[] = [];
  const issues: Issue[] = [];
  text.split(',').forEach((entry, i) => {
    const m = /^\s*(link|device|host):(\S+)\s*$/.exec(entry);
    if (m === null) {
      issues.push({
        code: 'cli.bad-failure',
        path: ['--fail', i],
        message: `"${entry}" is not kind:id; kinds: link, device, host (e.g. link:h0--d3, device:d7, host:h5)`,
      });
      return;
    }
    const id = m[2] ?? '';
    if (m[1] === 'link') links.push(id);
    else if (m[1] === 'device') devices.push(id);
    else hosts.push(id);
  });
  if (issues.length > 0) throw new InputError(issues);
  return { links, devices, hosts };
}

/**
 * Runs `fn`, re-pointing issues whose path starts with a library field (`from`, `devices`, …) at
 * the flag the user typed (the issue's path then starts with the flag, which makes it a usage
 * mistake, exit 2), so messages say `--to: "h9" is not a host …`.
 */
export function asFlags<T>(flags: Readonly<Record<string, string>>, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof PodsimError)) throw e;
    const issues = e.issues.map((i) => {
      const flag = typeof i.path[0] === 'string' ? flags[i.path[0]] : undefined;
      return flag === undefined ? i : { ...i, path: [flag, ...i.path.slice(1)] };
    });
    throw withIssues(e, issues);
  }
}

/**
 * Runs `fn` (a simulation of the scenario read from `file`), naming that file in the problems
 * the simulator finds in the scenario against the topology (its GPU or its replicas: issue paths
 * into the scenario, such as `gpu` or `serving.replicas`), which it raises without one. Issues on
 * flags (paths starting with `--`) and errors that already name a file pass through.
 */
export async function inScenario<T>(file: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof InputError) || e.file !== undefined) throw e;
    if (e.issues.some((i) => String(i.path[0] ?? '').startsWith('--'))) throw e;
    throw new InputError(e.issues, file);
  }
}

/**
 * Parses a payload size flag (`--size 1.43GB`): a size with a unit (units/parse.ts refuses a
 * negative, non-finite or unit-less value), which must also be a whole number of bytes no larger
 * than 2^53 − 1 (≈ 9 PB), where byte counts stop being exact.
 * @throws UnitError or InputError (`cli.size`) naming the flag
 */
export function sizeFlag(text: string, flag: string): Bytes {
  const size = parseSize(text, [flag]);
  if (Number.isSafeInteger(size)) return size;
  throw new InputError([
    {
      code: 'cli.size',
      path: [flag],
      message: `expected a whole number of bytes from 0 B to 9 PB (2^53 − 1 B), got "${text}" (${size} B)`,
    },
  ]);
}

/** The largest seed: seeds are 32-bit (the PRNG, src/units/random.ts, takes a uint32). */
export const MAX_SEED = 2 ** 32 - 1;

/**
 * Parses a whole-number flag given as text (or as a number yargs already parsed), checking its
 * domain at the boundary: decimal digits only (no `''`, `1e3`, `0x10`, `2.5`, `NaN`), between
 * `min` and `max`.
 * @param what what the number counts, for the message (`requests queued`)
 * @throws InputError (`cli.integer`, a usage mistake) naming the flag and what is allowed
 * @example integerFlag('4', '--queue', 0, 1_000_000, 'requests queued') // 4
 */
export function integerFlag(
  value: string | number,
  flag: string,
  min: number,
  max: number,
  what: string,
): number {
  const text = String(value).trim();
  const n = /^[-+]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
  throw new InputError([
    {
      code: 'cli.integer',
      path: [flag],
      message: `expected a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} (${what}), got ${JSON.stringify(typeof value === 'string' ? value : String(value))}`,
    },
  ]);
}

/** Adds `--seed` as text, so that `--seed ''` is refused rather than read as 0 (yargs' number type). */
export const seedOption = <T>(
  y: Argv<T>,
  describe = 'override the scenario seed',
): Argv<T & { seed?: string }> =>
  y.option('seed', { type: 'string', describe: `${describe} (0 … 2^32 − 1)` }) as Argv<
    T & { seed?: string }
  >;

/**
 * Applies `--seed` (a whole number 0 … 2^32 − 1; {@link integerFlag}) and `--policy` (already one
 * of the yargs choices) to a scenario.
 * @throws InputError naming `--seed` for anything else (`''`, 1e308, 2^53, -1, 2.5)
 */
/** `--gpu`: the scenario's GPU replaced by a built-in profile (it must match the topology's GPU link). */
export const gpuOption = <T>(y: Argv<T>): Argv<T & { gpu: string | undefined }> =>
  y.option('gpu', {
    type: 'string',
    describe: `override the scenario's GPU (${BUILTIN_GPU_IDS.join(', ')}); the topology must wire that generation (e.g. h100-80gb on *-h100 topologies)`,
  });

export function withOverrides(
  scenario: SimConfig,
  flags: {
    seed?: number | string | undefined;
    policy?: string | undefined;
    gpu?: string | undefined;
  },
): SimConfig {
  const seed =
    flags.seed === undefined ? undefined : integerFlag(flags.seed, '--seed', 0, MAX_SEED, 'a seed');
  return {
    ...scenario,
    ...(seed === undefined ? {} : { seed }),
    ...(flags.gpu === undefined ? {} : { gpu: getGpu(flags.gpu, ['--gpu']) }),
    ...(flags.policy === undefined
      ? {}
      : { planner: { ...scenario.planner, policy: flags.policy as PolicyName } }),
  };
}
