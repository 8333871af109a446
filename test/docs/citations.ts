/**
 * The pure half of the citation test: reading a Markdown document's outline (headings, bold
 * labels, GitHub anchors, sections) and finding citations of `docs/<file>.md` in source text,
 * with the section numbers and quoted names that follow them. Each check returns the problems it
 * finds as strings, so a test can list them all at once (docs/design.md convention §4).
 */

/** One heading of a Markdown document. */
export interface Heading {
  /** 2 for `##`, 3 for `###`, … */
  readonly level: number;
  /** The heading's text, as written. */
  readonly text: string;
  /** The section number when the text starts with `N.` (e.g. `## 3. DroidSpeak`). */
  readonly number: number | undefined;
  /** Index of the heading's line. */
  readonly line: number;
}

/** A section: a heading and the lines up to the next heading of the same or a higher level. */
export interface Section {
  readonly heading: Heading;
  /** The section's text, sub-sections included. */
  readonly text: string;
  /** Its headings (with and without their `N.`) and bold labels (`**Label.**`), sub-sections included, normalised. */
  readonly labels: readonly string[];
}

/** A parsed Markdown document. */
export interface Outline {
  readonly headings: readonly Heading[];
  /** Every section, in document order. */
  readonly sections: readonly Section[];
  /** The whole document as one section (heading level 0). */
  readonly whole: Section;
  /** GitHub's anchor of every heading (`#3-droidspeak-…`), duplicates suffixed `-1`, `-2`. */
  readonly anchors: ReadonlySet<string>;
}

/** Lower-case, single spaces, no Markdown emphasis or code marks, no trailing `.` or `:`. */
export function normalise(text: string): string {
  return text.replace(/[*`_]/g, '').replace(/\s+/g, ' ').trim().replace(/[.:]$/, '').toLowerCase();
}

/** GitHub's anchor for a heading text (before duplicate suffixes). */
export function slug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** Reads the outline of a Markdown document; lines inside code fences are not headings. */
export function outline(markdown: string): Outline {
  const lines = markdown.split('\n');
  const headings: Heading[] = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (m === null) return;
    const text = m[2] ?? '';
    const num = /^(\d+)\.\s/.exec(text);
    headings.push({
      level: m[1]?.length ?? 0,
      text,
      number: num ? Number(num[1]) : undefined,
      line: i,
    });
  });
  const sectionOf = (heading: Heading, from: number, to: number): Section => {
    const body = lines.slice(from, to);
    const bold = [...body.join('\n').matchAll(/\*\*([^*\n]+?)\*\*/g)].map((b) => b[1] ?? '');
    const inner = headings
      .filter((h) => h.line >= from && h.line < to)
      .flatMap((h) => [h.text, h.text.replace(/^\d+\.\s+/, '')]);
    return {
      heading,
      text: body.join('\n'),
      labels: [...inner, ...bold].map(normalise),
    };
  };
  const sections = headings.map((h, k) => {
    const next = headings.slice(k + 1).find((o) => o.level <= h.level);
    return sectionOf(h, h.line, next === undefined ? lines.length : next.line);
  });
  const whole = sectionOf({ level: 0, text: '', number: undefined, line: 0 }, 0, lines.length);
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const h of headings) {
    const base = slug(h.text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return { headings, sections, whole, anchors };
}

/** A citation of `docs/<file>.md` found in source text. */
export interface Citation {
  /** `design.md`, `references.md`, … */
  readonly file: string;
  /** Where it was found: `src/kv/gpu.ts:28`. */
  readonly where: string;
  /** Text right before `docs/`: a `/` there means a path outside the repository (`../shared/docs/…`). */
  readonly prefix: string;
  /** Section numbers cited (`§3–5` gives 3, 4, 5). */
  readonly sections: readonly number[];
  /** A quoted section name (`§3 "Model shapes"`), to be a heading or bold label. */
  readonly name: string | undefined;
  /** A quoted passage after a colon (`§1: "…"`, `: \`KvPool\``), to appear in the cited text. */
  readonly passage: string | undefined;
}

/**
 * Joins a file's lines into one string with comment leaders (` * `, `//`, `#`, `/**`) removed,
 * so a citation broken over two comment lines reads as one; returns the text and, per
 * character, the line it came from (1-based).
 */
export function joinComments(source: string): { text: string; lineAt: (offset: number) => number } {
  const starts: number[] = [];
  let text = '';
  for (const raw of source.split('\n')) {
    starts.push(text.length);
    text += raw.replace(/^\s*(\/\*\*|\/\*|\*\/|\*|\/\/|#)?\s?/, '') + ' ';
  }
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return { text, lineAt };
}

/**
 * Documents in which a double-quoted text after a colon is a section name too
 * (`docs/design.md: "hybrid"`); elsewhere it is a quotation (`references.md §1: "…"`).
 */
const NAMES_AFTER_COLON: ReadonlySet<string> = new Set(['design.md']);

const SECTION = /^\s*§\s?(\d+)(?:\s*[–-]\s*§?\s?(\d+))?/;

/** Every citation of `docs/<file>.md` in one file's text. */
export function citationsIn(path: string, source: string): Citation[] {
  const { text, lineAt } = joinComments(source);
  const out: Citation[] = [];
  for (const m of text.matchAll(/docs\/([A-Za-z0-9_.-]+?\.md)\b/g)) {
    const at = m.index ?? 0;
    let rest = text.slice(at + m[0].length, at + m[0].length + 400);
    const lead = /^('s)?(\s*convention(?=\s*§))?/.exec(rest);
    rest = rest.slice(lead?.[0].length ?? 0);
    const sections: number[] = [];
    for (;;) {
      const s = SECTION.exec(rest);
      if (s === null) break;
      const from = Number(s[1]);
      const to = s[2] === undefined ? from : Number(s[2]);
      for (let k = from; k <= to; k++) sections.push(k);
      rest = rest.slice(s[0].length);
      const more = /^\s*(,|and)(?=\s*§)/.exec(rest);
      if (more === null) break;
      rest = rest.slice(more[0].length);
    }
    const quote =
      /^(\s*,\s*(?:table\s+)?|\s*:\s*|\s+(?:table\s+)?)(?:"([^"]{1,120})"|`([^`]{1,80})`)/.exec(
        rest,
      );
    const colon = quote !== null && (quote[1] ?? '').includes(':');
    const quoted = quote === null ? undefined : (quote[2] ?? quote[3]);
    const named =
      quote !== null && quote[2] !== undefined && (!colon || NAMES_AFTER_COLON.has(m[1] ?? ''));
    out.push({
      file: m[1] ?? '',
      where: `${path}:${lineAt(at)}`,
      prefix: text.slice(Math.max(0, at - 10), at),
      sections,
      name: named ? quoted : undefined,
      passage: named ? undefined : quoted,
    });
  }
  return out;
}

/** The numbered section `n` of a document, if any. */
export function numberedSection(doc: Outline, n: number): Section | undefined {
  return doc.sections.find((s) => s.heading.number === n);
}

/** Whether `name` is a heading or bold label of `section` (or one that begins `name (`). */
export function hasLabel(section: Section, name: string): boolean {
  const want = normalise(name);
  return section.labels.some((l) => l === want || l.startsWith(`${want} (`));
}

/** Whether `passage` appears in `section`'s text (case and spacing aside). */
export function hasPassage(section: Section, passage: string): boolean {
  return normalise(section.text).includes(normalise(passage));
}

/**
 * The problems of one citation against the documents in `docs/` (keyed by file name): a missing
 * file, a path outside the repository, a section number, name or passage the document lacks.
 */
export function problemsOf(c: Citation, docs: ReadonlyMap<string, Outline>): string[] {
  const cited = `docs/${c.file}`;
  if (c.prefix.endsWith('/'))
    return [`${c.where}: …${c.prefix.trim()}${cited} is not a path in the repository`];
  const doc = docs.get(c.file);
  if (doc === undefined) return [`${c.where}: ${cited} does not exist`];
  const problems: string[] = [];
  const scopes: Section[] = [];
  for (const n of c.sections) {
    const s = numberedSection(doc, n);
    if (s === undefined) problems.push(`${c.where}: ${cited} has no section §${n}`);
    else scopes.push(s);
  }
  if (scopes.length === 0) scopes.push(doc.whole);
  const where = c.sections.length === 0 ? cited : `${cited} §${c.sections.join(', §')}`;
  if (c.name !== undefined && !scopes.some((s) => hasLabel(s, c.name ?? '')))
    problems.push(`${c.where}: ${where} has no heading or bold label "${c.name}"`);
  if (c.passage !== undefined && !scopes.some((s) => hasPassage(s, c.passage ?? '')))
    problems.push(`${c.where}: ${where} does not contain "${c.passage}"`);
  return problems;
}
