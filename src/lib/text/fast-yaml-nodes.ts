import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

/*
 * The fast reader of rule files' YAML: the same nodes `yaml` composes (YAMLMap, YAMLSeq, Pair,
 * Scalar, each with its range and scalar type), built by a line scanner, for the block-style subset
 * rule files are written in. The rule file readers (sources/) then walk them as they walk `yaml`'s,
 * so every fact, problem and position comes from the same code. The subset: block maps and
 * sequences indented by spaces, keys that are plain words, single-line plain and quoted scalars,
 * literal and folded block scalars (clipped or stripped), `---` between documents, comment lines
 * only above a document's first key. Anything else (anchors, aliases, tags, flow collections,
 * escapes, multi-line plain or quoted scalars, comment lines among the keys, duplicate keys, any
 * indentation `yaml` might read otherwise) is answered `undefined`, and the caller reads the text
 * with `yaml`. test/readers-equivalence.test.ts and the readers' table hold the two to the same facts.
 */

/** A key: a word that the core schema reads as a string (not null, a boolean or a number). */
const KEY = /^(?!(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)(?![\w./-]))[A-Za-z_][\w./-]*:(?= |$)/;
/** Characters no text in the subset holds: control characters, and the ones YAML forbids or reads specially. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const OUTSIDE = /[\t\r\x00-\x08\x0B-\x1F\x7F-\x9F\uFEFF\uFFFE\uFFFF]/;
/** A plain scalar may not start with an indicator (`- x`, `? x`, `: x` and the rest are left to `yaml`). */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOLEAN = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const DECIMAL = /^[-+]?[0-9]+$/;
/** Other core-schema numbers (octal, hex, floats, .inf, .nan): left to `yaml`. */
const OTHER_NUMBER =
  /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const BLOCK_HEADER = /^([|>])(-?)$/;
/** Deeper than any rule file nests; `yaml`'s own bound is checked by its reader. */
const MAX_DEPTH = 50;

class Declined extends Error {}
function decline(): never {
  throw new Declined();
}

interface Line {
  start: number;
  /** Offset just past the line's newline, or the text's end. */
  next: number;
  indent: number;
  /** The line without its indentation. */
  body: string;
}

/**
 * The documents of `text` as `yaml` composes them (contents only: no comments, no directives), or
 * undefined when the text is outside the subset. `text` is a rule file's text after its BOM and
 * lone CRs are gone.
 */
export function fastYamlDocuments(text: string): Document[] | undefined {
  if (OUTSIDE.test(text)) return undefined;
  try {
    return new Reader(text).documents();
  } catch (error) {
    if (error instanceof Declined) return undefined;
    throw error;
  }
}

class Reader {
  readonly #text: string;
  readonly #lines: Line[] = [];
  #at = 0;

  constructor(text: string) {
    this.#text = text;
    for (let start = 0; start < text.length; ) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      const raw = text.slice(start, end);
      const body = spacesOff(raw);
      this.#lines.push({ start, next: newline < 0 ? text.length : newline + 1, indent: raw.length - body.length, body });
      start = end + 1;
    }
  }

  documents(): Document[] {
    const documents: Document[] = [];
    const lines = this.#lines;
    while (this.#at < lines.length) {
      // Above the first key: blank lines, comment lines and one `---`.
      let marker = false;
      for (; this.#at < lines.length; this.#at++) {
        const line = lines[this.#at] as Line;
        if (line.body === '' || line.body.startsWith('#')) {
          if (line.body !== '' && line.indent > 0) decline();
          continue;
        }
        if (line.body === '---' && line.indent === 0 && !marker) {
          marker = true;
          continue;
        }
        break;
      }
      if (this.#at >= lines.length) {
        if (marker || documents.length === 0) decline();
        break;
      }
      const first = lines[this.#at] as Line;
      if (first.indent !== 0 || !KEY.test(first.body)) decline();
      const doc = new Document();
      doc.contents = this.#map(0, 0, 1);
      documents.push(doc);
      this.#skipBlank();
      const after = lines[this.#at];
      if (after && after.body !== '---') decline();
    }
    return documents;
  }

  #skipBlank(): void {
    while (this.#at < this.#lines.length && (this.#lines[this.#at] as Line).body === '') this.#at++;
  }

  /**
   * The next line with content, after blank lines and comment lines. A comment line must stand at
   * the column of that line (then it is inside the collection that goes on there) and not at the
   * end of a document: `yaml` counts a comment that ends a collection into that collection's range.
   */
  #peek(): Line | undefined {
    const lines = this.#lines;
    let comment = -1;
    for (; this.#at < lines.length; this.#at++) {
      const line = lines[this.#at] as Line;
      if (line.body === '') continue;
      if (!line.body.startsWith('#')) break;
      if (comment >= 0 && line.indent !== comment) decline();
      comment = line.indent;
    }
    const line = lines[this.#at];
    const end = !line || (line.indent === 0 && (line.body === '---' || line.body.startsWith('...')));
    this.#afterComment = comment >= 0;
    if (comment >= 0 && (end || line.indent !== comment)) decline();
    return end ? undefined : line;
  }

  /** Whether a comment line came before the line #peek returned last. */
  #afterComment = false;
  /** Sequences that a comment line at their column ended: `yaml` extends their end over it, so none may be the last node of another. */
  readonly #endsAfterComment = new WeakSet<object>();

  /** The end of `node` as its parent's end, when it is the parent's last node. */
  #endOf(node: Scalar | YAMLMap | YAMLSeq): number {
    if (this.#endsAfterComment.has(node)) decline();
    return (node.range as [number, number, number])[2];
  }

  /** A block map whose keys stand at `column`; the first key is on the current line, from `column`. */
  #map(column: number, indent: number, depth: number): YAMLMap {
    if (depth > MAX_DEPTH) decline();
    const map = new YAMLMap();
    const keys = new Set<string>();
    let first = true;
    let start = 0;
    let last: Scalar | YAMLMap | YAMLSeq | undefined;
    for (;;) {
      let line: Line;
      let body: string;
      let offset: number;
      if (first) {
        line = this.#lines[this.#at] as Line;
        offset = line.start + column;
        body = this.#text.slice(offset, line.next).replace(/\n$/, '');
      } else {
        const next = this.#peek();
        // A comment line before a shallower line is that line's: `yaml` leaves it out of this map's range.
        if (!next || next.indent < indent) break;
        if (next.indent > indent) decline();
        line = next;
        offset = line.start + line.indent;
        body = line.body;
      }
      const key = KEY.exec(body);
      if (!key) decline();
      const name = key[0].slice(0, -1);
      if (keys.has(name)) decline();
      keys.add(name);
      const keyNode = scalar(name, 'PLAIN', offset, offset + name.length, offset + name.length);
      if (first) start = offset;
      first = false;
      const valueNode = this.#value(line, offset + key[0].length, column, depth);
      map.items.push(new Pair(keyNode, valueNode));
      last = valueNode;
    }
    const end = this.#endOf(last as Scalar | YAMLMap | YAMLSeq);
    map.range = [start, end, end];
    return map;
  }

  /** The value of a key whose colon ends just before `from`, on `line`; `column` is the map's. */
  #value(line: Line, from: number, column: number, depth: number): Scalar | YAMLMap | YAMLSeq {
    const rest = this.#text.slice(from, line.next).replace(/\n$/, '');
    const trimmed = spacesOff(rest);
    const at = from + rest.length - trimmed.length;
    this.#at++;
    if (trimmed === '') {
      // A nested block: a map indented deeper than its key, or a sequence at the key's column or deeper.
      const next = this.#peek();
      if (!next) decline();
      if (next.body.startsWith('- ') && next.indent >= column) return this.#seq(next.indent, depth + 1);
      if (next.indent > column && KEY.test(next.body)) return this.#map(next.indent, next.indent, depth + 1);
      decline();
    }
    const header = BLOCK_HEADER.exec(trimmed);
    if (header) return this.#block(header[1] as '|' | '>', header[2] === '-', at, column);
    return this.#inline(trimmed, at, line.next);
  }

  /** A block sequence whose dashes stand at `indent`, the first on the current line. */
  #seq(indent: number, depth: number): YAMLSeq {
    if (depth > MAX_DEPTH) decline();
    const seq = new YAMLSeq();
    let start = -1;
    let last: Scalar | YAMLMap | undefined;
    for (;;) {
      const line = this.#peek();
      if (!line || line.indent < indent) break;
      if (line.indent === indent && KEY.test(line.body)) {
        // A sequence at its key's column ends at the next key; a comment line at that column is `yaml`'s end of the sequence.
        if (this.#afterComment) this.#endsAfterComment.add(seq);
        break;
      }
      if (line.indent > indent || !line.body.startsWith('- ')) decline();
      if (start < 0) start = line.start + indent;
      const content = line.body.slice(1);
      const column = indent + 1 + (content.length - spacesOff(content).length);
      const item = spacesOff(content);
      let node: Scalar | YAMLMap;
      if (KEY.test(item)) node = this.#map(column, column, depth + 1);
      else if (item === '' || item.startsWith('- ') || BLOCK_HEADER.test(item)) decline();
      else {
        node = this.#inline(item, line.start + column, line.next);
        this.#at++;
      }
      seq.items.push(node);
      last = node;
    }
    const end = this.#endOf(last as Scalar | YAMLMap);
    seq.range = [start, end, end];
    return seq;
  }

  /** A plain or quoted scalar that ends on its line, with an optional comment after it. */
  #inline(source: string, at: number, lineNext: number): Scalar {
    const first = source[0];
    if (first === '"' || first === "'") {
      let value = '';
      let i = 1;
      if (first === '"') {
        let close = 1;
        while (close < source.length && source[close] !== '"') close += source[close] === '\\' ? 2 : 1;
        if (close >= source.length) decline();
        const raw = source.slice(1, close);
        value = raw.includes('\\') ? unescapeDoubleQuoted(raw) : raw;
        i = close + 1;
      } else {
        for (;;) {
          const close = source.indexOf("'", i);
          if (close < 0) decline();
          value += source.slice(i, close);
          if (source[close + 1] === "'") {
            value += "'";
            i = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
      }
      const after = source.slice(i);
      if (after !== '' && !/^ +(?:#.*)?$/.test(after)) decline();
      return scalar(value, first === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', at, at + i, lineNext);
    }
    if (INDICATOR.test(source)) decline();
    const comment = source.indexOf(' #');
    const value = (comment < 0 ? source : source.slice(0, comment)).replace(/ +$/, '');
    if (value.includes(': ') || value.endsWith(':')) decline();
    let resolved: string | number | boolean | null = value;
    if (NULL.test(value)) resolved = null;
    else if (BOOLEAN.test(value)) resolved = value[0] === 't' || value[0] === 'T';
    else if (DECIMAL.test(value)) resolved = Number(value);
    else if (OTHER_NUMBER.test(value)) decline();
    const node = scalar(resolved, 'PLAIN', at, at + value.length, lineNext);
    node.source = value;
    return node;
  }

  /** A literal (`|`) or folded (`>`) block scalar, clipped or stripped, whose header is at `at`; its lines are indented past `column`. */
  #block(style: '|' | '>', strip: boolean, at: number, column: number): Scalar {
    const lines = this.#lines;
    const first = lines[this.#at];
    if (!first || first.body === '' || first.indent <= column) decline();
    const indent = first.indent;
    const from = this.#at;
    let last = from;
    for (; this.#at < lines.length; this.#at++) {
      const line = lines[this.#at] as Line;
      if (line.start === line.next - 1 || line.start === line.next) continue;
      if (line.body === '') decline();
      if (line.indent < indent) break;
      last = this.#at;
    }
    const end = (lines[last] as Line).next;
    if (this.#text[end - 1] !== '\n') decline();
    this.#at = last + 1;
    // Trailing blank lines belong to no value when clipped or stripped.
    const kept = lines.slice(from, last + 1).map((line) => this.#text.slice(line.start, line.next - 1).slice(indent));
    let value: string;
    if (style === '|') value = kept.join('\n');
    else {
      if (kept.some((l) => l === '' || l.startsWith(' '))) decline();
      value = kept.join(' ');
    }
    if (!strip) value += '\n';
    return scalar(value, style === '|' ? 'BLOCK_LITERAL' : 'BLOCK_FOLDED', at, end, end);
  }
}

/** YAML's one-character escapes of a double-quoted scalar; `\\x`, `\\u` and `\\U` are left to `yaml`. */
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** The value of a one-line double-quoted scalar's text with escapes. */
function unescapeDoubleQuoted(text: string): string {
  let value = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const escaped = ESCAPES[text[++i] ?? ''];
    if (escaped === undefined) decline();
    value += escaped;
  }
  return value;
}

/** `text` without its leading spaces: YAML's white space is spaces and tabs (no tab gets here), not JavaScript's `trim`'s. */
function spacesOff(text: string): string {
  let i = 0;
  while (text.charCodeAt(i) === 32) i++;
  return i === 0 ? text : text.slice(i);
}

function scalar(value: unknown, type: Scalar.Type, start: number, end: number, after: number): Scalar {
  const node = new Scalar(value);
  node.type = type;
  node.range = [start, end, after];
  if (typeof value === 'string') node.source = value;
  return node;
}
