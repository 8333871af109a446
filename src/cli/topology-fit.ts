/**
 * `podsim topology fit <generator>`: the largest Octopus pod whose CXL cables all fit copper
 * reach, with a table over host counts (docs/layout.md "What fits"). Parses flags, calls
 * `fitTable`, prints.
 */
import type { Argv, CommandModule } from 'yargs';
import type { z } from 'zod';
import { InputError } from '../errors/index.ts';
import { FIT_GENERATORS, fitTable, type FitGenerator } from '../topology/fit.ts';
import { layoutOptionsSchema } from '../io/topology/schema-generator.ts';
import { layoutOf } from '../io/topology/generated.ts';
import { resolveProfile } from '../io/topology/common.ts';
import { unitString } from '../io/schema-fields.ts';
import { fromZodIssues } from '../io/issues.ts';
import { fitTableView } from '../report/topology.ts';
import { renderCsv, renderMarkdown, renderText } from '../report/table.ts';
import { chosenFormat, formatOptions, integerFlag, type FormatArgs } from './flags.ts';
import { json, out } from './output.ts';

interface FitArgs extends FormatArgs {
  generator: string;
  hostPorts: string;
  devicePorts: string;
  reach: string;
  maxHosts: string;
  seed?: string;
  wiring?: string;
  rackHeightU?: string;
  rackPitch?: string;
  hostHeightU?: string;
  deviceHeightU?: string;
}

/** Parses one flag with a zod field, or an InputError naming the flag. */
function flagField<T>(flag: string, schema: z.ZodType<T>, v: unknown): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  throw new InputError(
    // the flag leads the path, so the message reads `--reach: …` and the mistake exits as usage
    fromZodIssues(r.error.issues).map((i) => ({
      ...i,
      path: [`--${flag}`],
      message: `${i.path.length > 0 ? `(${i.path.join('.')}) ` : ''}${i.message}`,
    })),
  );
}

/** The `fit` subcommand. */
export const fitCmd: CommandModule<object, FitArgs> = {
  command: 'fit <generator>',
  describe:
    'The largest Octopus pod whose CXL cables all fit copper reach, with a table over host counts',
  builder: (y) =>
    formatOptions(
      y
        .positional('generator', {
          type: 'string',
          choices: FIT_GENERATORS,
          demandOption: true,
          describe: 'Octopus generator',
        })
        .option('host-ports', { type: 'string', default: '8', describe: 'CXL ports per host (X)' })
        .option('device-ports', { type: 'string', default: '4', describe: 'ports per MHD (N)' })
        .option('reach', {
          type: 'string',
          default: '1.5 m',
          describe: 'copper reach of a CXL cable',
        })
        .option('max-hosts', {
          type: 'string',
          default: '128',
          describe: 'largest host count tried',
        })
        .option('seed', { type: 'string', describe: 'wiring and layout seed (default 1)' })
        .option('wiring', {
          type: 'string',
          choices: ['coverage', 'reach'],
          describe:
            'octopus-sparse only: coverage = wire for pair coverage, then place (default); reach = place first, then wire within copper reach',
        })
        .option('rack-height-u', { type: 'string', describe: 'rack units per rack (default 42)' })
        .option('rack-pitch', {
          type: 'string',
          describe: 'distance between racks (default "0.6 m")',
        })
        .option('host-height-u', {
          type: 'string',
          describe: 'host height in rack units (default 2)',
        })
        .option('device-height-u', {
          type: 'string',
          describe: 'MHD height in rack units (default 1)',
        }),
    )
      .example(
        '$0 topology fit octopus-islands --host-ports 8 --device-ports 4 --reach 1.5m',
        'island pods of X=8, N=4 within 1.5 m',
      )
      .example(
        '$0 topology fit octopus-sparse --wiring reach --max-hosts 1024',
        'sparse pods wired within copper reach, up to 1,024 hosts',
      )
      .example(
        '$0 topology fit octopus-sparse --reach 3m --json',
        'as JSON',
      ) as unknown as Argv<FitArgs>,
  handler: (argv) => {
    const int = (flag: string, v: unknown, max: number): number =>
      integerFlag(String(v), `--${flag}`, 1, max, flag.replace(/-/g, ' '));
    const reach = flagField<number>(
      'reach',
      unitString('length', 'copper reach', { positive: true }),
      argv.reach,
    );
    const raw = {
      ...(argv.rackHeightU === undefined
        ? {}
        : { rackHeightU: int('rack-height-u', argv.rackHeightU, 100) }),
      ...(argv.rackPitch === undefined ? {} : { rackPitch: argv.rackPitch }),
      ...(argv.hostHeightU === undefined
        ? {}
        : { hostHeightU: int('host-height-u', argv.hostHeightU, 100) }),
      ...(argv.deviceHeightU === undefined
        ? {}
        : { deviceHeightU: int('device-height-u', argv.deviceHeightU, 100) }),
      ...(argv.seed === undefined ? {} : { seed: int('seed', argv.seed, 2 ** 32 - 1) }),
    };
    const layout = layoutOf(flagField('rack-pitch', layoutOptionsSchema, raw));
    if (argv.wiring !== undefined && argv.generator !== 'octopus-sparse')
      throw new InputError([
        {
          code: 'input.invalid',
          path: ['--wiring'],
          message: `only octopus-sparse has a wiring choice; ${argv.generator} wires its pods one way (drop --wiring)`,
        },
      ]);
    const wiring = argv.wiring as 'coverage' | 'reach' | undefined;
    const result = fitTable(
      argv.generator as FitGenerator,
      {
        hostPorts: int('host-ports', argv.hostPorts, 1024),
        devicePorts: int('device-ports', argv.devicePorts, 1024),
        ...(argv.seed === undefined ? {} : { seed: int('seed', argv.seed, 2 ** 32 - 1) }),
        ...(wiring === undefined ? {} : { wiring }),
      },
      { components: resolveProfile({ copperReach: reach }), layout },
      int('max-hosts', argv.maxHosts, 10_000),
    );
    const format = chosenFormat(argv);
    if (format === 'json') out(json(result));
    else {
      const table = fitTableView(result);
      out(
        format === 'csv'
          ? renderCsv(table)
          : format === 'markdown'
            ? renderMarkdown(table)
            : renderText(table),
      );
    }
  },
};
