/**
 * The one small XML tokenizer the tests share (docs/design.md convention §12: one helper, not copies): enough to
 * prove that GraphML and the HTML report are well-formed, without an XML dependency.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

/** What XML 1.0 cannot carry, even escaped (C0 controls but tab/LF/CR, U+FFFE/FFFF, lone surrogates). */
// eslint-disable-next-line no-control-regex
export const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/u;

const ENTITY = /&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;

/** Decodes character data or an attribute value; throws on a bare `&` or a raw `<`. */
function xmlDecode(s: string): string {
  if (s.includes('<')) throw new Error(`raw < in ${JSON.stringify(s)}`);
  if (/&(?!(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(s))
    throw new Error(`bare & in ${JSON.stringify(s)}`);
  return s.replace(ENTITY, (_m, e: string) => {
    switch (e) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(
          e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10),
        );
    }
  });
}

/**
 * Parses XML into an element tree, throwing on anything not well-formed: unclosed or
 * mismatched tags, duplicate attributes, bare `&`, raw `<` in values, text or a second element
 * outside the root, characters XML 1.0 forbids.
 */
export function parseXml(text: string): XmlElement {
  // An HTML5 page written as XHTML may start with a doctype; nothing else may precede the root.
  const src = text.replace(/^<!DOCTYPE html>\s*/, '');
  if (XML_FORBIDDEN.test(src)) throw new Error('character not allowed in XML 1.0');
  const NAME = '[A-Za-z_][\\w.:-]*';
  const openTag = new RegExp(
    `<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>`,
    'y',
  );
  const closeTag = new RegExp(`</(${NAME})\\s*>`, 'y');
  const attr = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  while (i < src.length) {
    if (src.startsWith('<?', i)) {
      if (i !== 0) throw new Error('XML declaration not at the start');
      const j = src.indexOf('?>', i);
      if (j < 0) throw new Error('unterminated declaration');
      i = j + 2;
    } else if (src.startsWith('<!--', i)) {
      const j = src.indexOf('-->', i + 4);
      if (j < 0) throw new Error('unterminated comment');
      if (src.slice(i + 4, j).includes('--')) throw new Error('-- inside a comment');
      i = j + 3;
    } else if (src.startsWith('</', i)) {
      closeTag.lastIndex = i;
      const m = closeTag.exec(src);
      if (m === null) throw new Error(`bad closing tag at ${i}`);
      const top = stack.pop();
      if (top === undefined || top.name !== m[1])
        throw new Error(`</${m[1]}> closes <${top?.name ?? '(nothing)'}>`);
      i += m[0].length;
    } else if (src[i] === '<') {
      openTag.lastIndex = i;
      const m = openTag.exec(src);
      if (m === null) throw new Error(`bad tag at ${i}: ${src.slice(i, i + 60)}`);
      const attrs: Record<string, string> = {};
      for (const a of (m[2] ?? '').matchAll(attr)) {
        const name = a[1] ?? '';
        if (name in attrs) throw new Error(`duplicate attribute ${name}`);
        attrs[name] = xmlDecode(a[2] ?? a[3] ?? '');
      }
      const el: XmlElement = { name: m[1] ?? '', attrs, children: [], text: '' };
      const parent = stack.at(-1);
      if (parent === undefined) {
        if (root !== undefined) throw new Error('second root element');
        root = el;
      } else parent.children.push(el);
      if (m[3] !== '/') stack.push(el);
      i += m[0].length;
    } else {
      const j = src.indexOf('<', i);
      const raw = src.slice(i, j < 0 ? src.length : j);
      const top = stack.at(-1);
      if (top === undefined) {
        if (raw.trim() !== '') throw new Error(`text outside the root: ${JSON.stringify(raw)}`);
      } else top.text += xmlDecode(raw);
      i += raw.length;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.map((e) => e.name).join('>, <')}>`);
  if (root === undefined) throw new Error('no root element');
  return root;
}
