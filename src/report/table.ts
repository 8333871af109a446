/**
 * One table model rendered three ways: aligned text for terminals, Markdown for reports, CSV
 * for scripts. Hand-written (≈60 lines) because the libraries each cover one format
 * (cli-table3: boxes only; markdown-table: Markdown only; csv-stringify: CSV only) and the
 * three must agree cell for cell. Pure functions: callers print.
 */

/** Column alignment: text left, numbers right. */
export type Align = 'left' | 'right';

/** A table: header cells, rows of already-formatted cells, per-column alignment. */
export interface Table {
  readonly columns: readonly { readonly header: string; readonly align?: Align }[];
  readonly rows: readonly (readonly string[])[];
  /** Optional title printed above the text form. */
  readonly title?: string;
}

/** Display width of a string (code points; the units µ, ∞ and box characters are one column each). */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, align: Align): string {
  const gap = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? gap + s : s + gap;
}

/** Aligned plain-text rendering with a rule under the header. */
export function renderText(t: Table): string {
  const widths = t.columns.map((c, i) =>
    Math.max(width(c.header), ...t.rows.map((r) => width(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    t.columns
      .map((c, i) => pad(cells[i] ?? '', widths[i] ?? 0, c.align ?? 'left'))
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

/** RFC 4180 CSV rendering (quotes where needed, CRLF-free: `\n` line ends). */
export function renderCsv(t: Table): string {
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [
    t.columns.map((c) => q(c.header)).join(','),
    ...t.rows.map((r) => t.columns.map((_, i) => q(r[i] ?? '')).join(',')),
  ].join('\n');
}
