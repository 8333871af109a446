/**
 * The output-format flags every command shares (`--json`, `--csv`, `--markdown`; aligned text
 * by default) and the one place that prints tables or JSON by them.
 */
import type { Argv } from 'yargs';
import { InputError } from '../errors/index.ts';
import { renderCsv, renderMarkdown, renderText, type Table } from '../report/table.ts';
import { json, out } from './output.ts';

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

/** Prints `tables` in the chosen format, or `value` as JSON. */
export function emit(format: Format, tables: readonly Table[], value: unknown): void {
  if (format === 'json') out(json(value));
  else
    out(
      tables
        .map(format === 'csv' ? renderCsv : format === 'markdown' ? renderMarkdown : renderText)
        .join('\n\n'),
    );
}
