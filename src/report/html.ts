/**
 * The pieces the report pages share (the what-if report, src/report/report.ts, and the capacity
 * report, src/report/capacity-report.ts): a table model as an HTML table, inline `code` spans,
 * and the inline style sheet. Pure string builders (docs/design.md convention §6); one copy, so
 * both pages look alike.
 */
import { escapeXml } from './svg-kit.ts';
import type { Table } from './table.ts';

/** A table model as an HTML table (title as caption, alignment as a class). */
export function tableHtml(table: Table): string {
  const cls = (i: number): string => (table.columns[i]?.align === 'right' ? ' class="num"' : '');
  return [
    '<table>',
    ...(table.title === undefined ? [] : [`<caption>${escapeXml(table.title)}</caption>`]),
    `<thead><tr>${table.columns.map((c, i) => `<th scope="col"${cls(i)}>${escapeXml(c.header)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...table.rows.map(
      (r) =>
        `<tr>${table.columns.map((_c, i) => (i === 0 ? `<th scope="row">${escapeXml(r[i] ?? '')}</th>` : `<td${cls(i)}>${escapeXml(r[i] ?? '')}</td>`)).join('')}</tr>`,
    ),
    '</tbody>',
    '</table>',
  ].join('\n');
}

/** Text with its inline `code` spans as HTML `<code>` elements, everything else escaped. */
export const inlineHtml = (s: string): string =>
  escapeXml(s).replace(/`([^`]*)`/g, '<code>$1</code>');

/** The reports' inline style sheet (no external resources: a report is one self-contained file). */
export const CSS = `
body { font-family: sans-serif; margin: 2rem auto; max-width: 1240px; padding: 0 1rem; color: #111; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figcaption { font-size: 0.9rem; color: #333; }
svg { max-width: 100%; height: auto; border: 1px solid #eee; }
code { font-size: 0.9em; background: #f4f4f4; padding: 0 0.2em; }
`.trim();

/**
 * The opening of a report page up to and including `<body>`: doctype, language, charset,
 * viewport, the title and the inline style sheet (XHTML-compatible: every element closed).
 */
export function htmlHead(title: string): string[] {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${escapeXml(title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
  ];
}
