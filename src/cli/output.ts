/**
 * The CLI's side effects in one place: writing results to stdout or a file (tables in the
 * chosen format, or JSON), and notes to stderr. Commands call these rather than `console`, so tests can capture output by spying on
 * `process.stdout.write`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderCsv, renderMarkdown, renderText, type Table } from '../report/table.ts';
import type { Format } from './flags.ts';

/** Writes `text` (plus a final newline when missing) to stdout. */
export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes a note for humans to stderr (progress, where a file went). */
export function note(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes `text` to `file` (creating its folder), or to stdout when `file` is undefined or `-`. */
export function writeResult(file: string | undefined, text: string): void {
  if (file === undefined || file === '-') {
    out(text);
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  note(`wrote ${file}`);
}

/** Pretty JSON with a trailing newline (2-space indent, stable for diffs). */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Prints `tables` in the chosen format (aligned text, CSV or Markdown), or `value` as JSON. */
export function emit(format: Format, tables: readonly Table[], value: unknown): void {
  if (format === 'json') out(json(value));
  else
    out(
      tables
        .map(format === 'csv' ? renderCsv : format === 'markdown' ? renderMarkdown : renderText)
        .join('\n\n'),
    );
}
