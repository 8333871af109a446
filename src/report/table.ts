/**
 * One table model rendered three ways: aligned text for terminals, Markdown for reports, CSV
 * for scripts. Hand-written (≈60 lines) because the libraries each cover one format
 * (cli-table3: boxes only; markdown-table: Markdown only; csv-stringify: CSV only) and the
 * three must agree cell for cell. Pure functions: callers print.
 */

/** Column alignment: text left, numbers right. */
export type Align = 'left' | 'right';

/** A machine-readable cell: a number in the base unit its column names, or text. */
export type RawCell = number | string;

/** A table: header cells, rows of already-formatted cells, per-column alignment. */
export interface Table {
  readonly columns: readonly { readonly header: string; readonly align?: Align }[];
  readonly rows: readonly (readonly string[])[];
  /** Optional title printed above the text form. */
  readonly title?: string;
  /**
   * The same table for scripts: headers naming the base unit (`p50_ns`, `bytes`,
   * `rate_bytes_per_ns`) and cells as raw numbers, no separators, units or marks. CSV prints this
   * when present, so a spreadsheet reads numbers, not "1,146" or "1.17 µs".
   */
  readonly raw?: {
    readonly headers: readonly string[];
    readonly rows: readonly (readonly RawCell[])[];
  };
}

/** Display width of a string (code points; the units µ, ∞ and box characters are one column each). */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, align: Align): string {
  const gap = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? gap + s : s + gap;
}

/** Narrowest a text column is cut to when a table must fit a terminal (characters). */
export const MIN_FITTED_COLUMN = 8;

/** `s` cut to `w` columns, its last one `…` when cut. */
function cut(s: string, w: number): string {
  const cps = [...s];
  return cps.length <= w ? s : `${cps.slice(0, Math.max(0, w - 1)).join('')}…`;
}

/**
 * Column widths that fit `maxWidth` (with two spaces between columns): the widest text
 * (left-aligned) column is narrowed one character at a time, never below
 * {@link MIN_FITTED_COLUMN} nor its header; numbers (right-aligned) are never cut, so a table of
 * many numeric columns may stay wider than the terminal.
 */
function fitWidths(t: Table, natural: readonly number[], maxWidth: number): number[] {
  const widths = [...natural];
  const total = (): number => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const floor = t.columns.map((c) => Math.max(MIN_FITTED_COLUMN, width(c.header)));
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++)
      if (
        (t.columns[i]?.align ?? 'left') === 'left' &&
        (widths[i] ?? 0) > (floor[i] ?? 0) &&
        (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0))
      )
        widest = i;
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
}

/**
 * Aligned plain-text rendering with a rule under the header. With `options.maxWidth` (a terminal's
 * columns), text cells are cut with `…` so the table fits where it can (see `fitWidths`);
 * without it (pipes, files, `--wide`) nothing is cut.
 */
export function renderText(t: Table, options: { readonly maxWidth?: number } = {}): string {
  const maxWidth = options.maxWidth;
  const natural = t.columns.map((c, i) =>
    Math.max(width(c.header), ...t.rows.map((r) => width(r[i] ?? ''))),
  );
  const widths = maxWidth === undefined ? natural : fitWidths(t, natural, maxWidth);
  const line = (cells: readonly string[]): string =>
    t.columns
      .map((c, i) => pad(cut(cells[i] ?? '', widths[i] ?? 0), widths[i] ?? 0, c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (t.title !== undefined) out.push(t.title);
  out.push(line(t.columns.map((c) => c.header)));
  out.push(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of t.rows) out.push(line(r));
  return out.join('\n');
}

/** GitHub-flavoured Markdown rendering (pipes in cells escaped). */
export function renderMarkdown(t: Table): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const head = `| ${t.columns.map((c) => esc(c.header)).join(' | ')} |`;
  const rule = `|${t.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`;
  const body = t.rows.map((r) => `| ${t.columns.map((_, i) => esc(r[i] ?? '')).join(' | ')} |`);
  return [...(t.title === undefined ? [] : [`**${t.title}**`, '']), head, rule, ...body].join('\n');
}

/** RFC 4180 CSV rendering (quotes where needed, CRLF-free: `\n` line ends); the raw twin when the table has one. */
export function renderCsv(t: Table): string {
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  if (t.raw !== undefined)
    return [
      t.raw.headers.map(q).join(','),
      ...t.raw.rows.map((r) => r.map((c) => (typeof c === 'number' ? String(c) : q(c))).join(',')),
    ].join('\n');
  return [
    t.columns.map((c) => q(c.header)).join(','),
    ...t.rows.map((r) => t.columns.map((_, i) => q(r[i] ?? '')).join(',')),
  ].join('\n');
}
