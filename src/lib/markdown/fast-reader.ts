import GithubSlugger from 'github-slugger';
import MarkdownIt, { type Options, type StateBlock, type StateInline, type Token } from 'markdown-it';
import type { Comment, Heading, Link, RawHtml } from '../project/model.ts';
import type { Position } from '../engine/diagnostic.ts';
import { finishSections, readComments, type MarkdownFacts } from './runbook-reader.ts';

/*
 * The fast reader: the facts of runbook-reader.ts's markdownFacts, read from markdown-it's tokens
 * instead of micromark's events, for the Markdown that both read alike. markdown-it is CommonMark
 * too, but it lacks GFM's footnotes and autolink literals and reads a few constructs differently,
 * so this reader accepts only a subset it can tell apart by looking: a text outside it (see
 * OUTSIDE_SUBSET and the checks below) is answered `undefined`, and the caller reads it with
 * micromark. test/readers-equivalence.test.ts holds the two to the same facts, positions included.
 */

/**
 * Text the subset leaves out, anywhere in the file: footnotes (`[^`), the syntax foreign-syntax looks for (shortcodes, Jinja, MDX module lines, JSX tags),
 * empty list items (a marker alone on its line, where the two part ways on what follows), tabs
 * (CommonMark expands them to tab stops in indentation, which markdown-it's offsets do not show),
 * NUL and CR (markdown-it rewrites them, which would move offsets).
 */
const OUTSIDE_SUBSET = /\[\^|\{\{[<%]|\{[%#]|^[ \t]*(?:import|export)\s|<[A-Z]|^[ >]*(?:[-+*]|\d{1,9}[.)]) *$|\t|\0|\r/m;

/**
 * Whitespace beyond space, tab and line endings: markdown-it's trims and HTML block tests take it
 * for blank where CommonMark does not. The no-break spaces protectPlaceholders puts inside a
 * placeholder of a link's destination are only ever read as part of the destination.
 */
const UNICODE_SPACE = /[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\v\f]/;
const PLACEHOLDER_SPAN = /\{\{[^{}\n]*\}\}/g;

/**
 * A line that may hold a link reference definition, in any container. The subset takes only the
 * plain form at the top level, without trailing blanks (where micromark's end of it varies)
 * (DEFINITION), each of which markdown-it must have read as one.
 */
const MAY_DEFINE = /^[ \t>*+\-\d.)]*\[[^\]\n]*\]:/gm;
const DEFINITION = /^( {0,3})\[[^[\]\\\n]+\]:[ ]*(<[^<>\n\\]*>|[^\s<>()\\]+)(?:[ ]+(?:"[^"\\\n]*"|'[^'\\\n]*'))?$/;

/** Where a GFM autolink literal could start: micromark would make a link of it, markdown-it (without linkify) leaves text. */
const MAY_AUTOLINK = /@|www\.|:\/\//i;

/** Inline markers beyond which micromark's reader keeps a paragraph raw (runbook-reader.ts MAX_INLINE_MARKERS): such files go to it. */
const MAX_MARKERS = 4000;
const MARKER_CODES = new Set([...'[]()*_<>`!&\\'].map((c) => c.charCodeAt(0)));

/**
 * Longer texts go to micromark: the bounds on time and memory that keep a hostile file from
 * stalling a run (runbook-reader.ts: MAX_NESTING, MAX_BLOCKS, the marker limits) were measured for
 * micromark, not for markdown-it. No real runbook comes near this size.
 */
export const FAST_MAX_CHARS = 32 * 1024;

/** markdown-it stops nesting silently at its limit; a file whose tokens come near it is left to micromark. */
const MAX_LEVEL = 50;

/**
 * HTML blocks that end at a closing sequence rather than a blank line, with that sequence: one left
 * open runs to the end of its container, where micromark and markdown-it end it differently.
 */
const CLOSED_BY: [RegExp, RegExp][] = [
  [/^\s*<(?:script|pre|style|textarea)(?:\s|>|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^\s*<!--/, /-->/],
  [/^\s*<\?/, /\?>/],
  [/^\s*<!\[CDATA\[/, /\]\]>/],
  [/^\s*<![A-Za-z]/, />/],
];

const ONLY_COMMENTS = /^\s*(?:<!--[\s\S]*?-->\s*)+$/;

interface Span {
  start: number;
  end: number;
}

/** The token's source span as a wrapped rule recorded it (offsets into the inline content or the document). */
const spanOf = (token: Token): Span | undefined => token.meta as Span | undefined;

/** What the wrapped rules tell the reader through markdown-it's environment. */
interface Env {
  /** Set when markdown-it read the text in a way micromark does not. */
  outside?: boolean;
}

type InlineRule = (state: StateInline, silent: boolean) => boolean;
type BlockRule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;

interface RulerInternals<T> {
  __rules__: { name: string; fn: T }[];
}

function original<T>(ruler: unknown, name: string): T {
  const rule = (ruler as RulerInternals<T>).__rules__.find((r) => r.name === name);
  if (!rule) throw new Error(`markdown-it has no rule ${name}`);
  return rule.fn;
}

let instance: MarkdownIt | undefined;

/**
 * markdown-it as CommonMark with raw HTML, destinations kept as written (no percent-encoding, no
 * refusal of `javascript:`: micromark's reader keeps them as written too), and each rule whose
 * token becomes a fact wrapped to record where in the source the token stands.
 */
function parser(): MarkdownIt {
  if (instance) return instance;
  // maxNesting is an option of markdown-it that its type declarations leave out; MAX_LEVEL keeps files far from it.
  const md = new MarkdownIt('commonmark', { html: true, linkify: false, maxNesting: 1000 } as Options).enable('table');
  md.normalizeLink = (url) => url;
  md.normalizeLinkText = (url) => url;
  md.validateLink = () => true;
  for (const name of ['link', 'image', 'autolink', 'html_inline']) {
    const rule = original<InlineRule>(md.inline.ruler, name);
    md.inline.ruler.at(name, (state, silent) => {
      const start = state.pos;
      const before = state.tokens.length;
      const ok = rule(state, silent);
      // After an unclosed comment, CDATA or declaration, markdown-it reads the rest of the
      // paragraph's HTML as text (a shortcut of its own): micromark does not.
      if ((state as StateInline & { skipHtmlSpecial?: boolean }).skipHtmlSpecial) (state.env as Env).outside = true;
      if (!ok) return false;
      // The fact's token is the last one the rule pushed (link_close, image, html_inline).
      if (!silent && state.tokens.length > before) (state.tokens.at(-1) as Token).meta = { start, end: state.pos } satisfies Span;
      return true;
    });
  }
  const reference = original<BlockRule>(md.block.ruler, 'reference');
  md.block.ruler.at('reference', (state, startLine, endLine, silent) => {
    if (!reference(state, startLine, endLine, silent)) return false;
    // A token of its own (no renderer sees it): the definition is a fact and a block of its section.
    if (!silent) state.push('definition', '', 0).map = [startLine, state.line];
    return true;
  });
  for (const name of ['heading', 'lheading', 'html_block']) {
    const rule = original<BlockRule>(md.block.ruler, name);
    md.block.ruler.at(
      name,
      (state, startLine, endLine, silent) => {
        const before = state.tokens.length;
        if (!rule(state, startLine, endLine, silent)) return false;
        if (!silent) {
          const token = state.tokens[before] as Token;
          token.meta = {
            start: (state.bMarks[startLine] as number) + (state.tShift[startLine] as number),
            end: state.eMarks[state.line - 1] as number,
          } satisfies Span;
        }
        return true;
      },
      { alt: name === 'lheading' ? [] : ['paragraph', 'reference', 'blockquote'] },
    );
  }
  instance = md;
  return md;
}

/** Offsets to 1-based line and column, as micromark counts them for text without tabs. */
class Lines {
  readonly starts: number[] = [0];
  readonly text: string;
  constructor(text: string) {
    this.text = text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  point(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] as number) + 1 };
  }

  /** The text of 0-based line `n`, without its line ending. */
  line(n: number): string {
    const start = this.starts[n] as number;
    const next = this.starts[n + 1];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1);
  }

  span(from: number, to: number): Position {
    const start = this.point(from);
    const end = this.point(to);
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }
}

/**
 * Where each line of an inline token's content starts in the document: the content is its block's
 * lines with their container prefixes and the outer whitespace cut, so each content line is the
 * end of its source line (the last one before trailing blanks). Undefined when a line is not,
 * which the caller treats as outside the subset.
 */
function contentStarts(content: string, firstLine: number, lines: Lines): number[] | undefined {
  const parts = content.split('\n');
  const starts: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const n = firstLine + i;
    if (n >= lines.starts.length) return undefined;
    const source = lines.line(n);
    const trimmed = source.trimEnd();
    let at: number;
    if (i < parts.length - 1 && source.endsWith(part)) at = source.length - part.length;
    else if (trimmed.endsWith(part)) at = trimmed.length - part.length;
    else if (parts.length === 1 && part !== '' && source.indexOf(part) === source.lastIndexOf(part) && source.includes(part))
      at = source.indexOf(part);
    else return undefined;
    starts.push((lines.starts[n] as number) + at);
  }
  return starts;
}

/**
 * Whether a block inside a container is free of lazy continuation lines (a quote's line without
 * its `>`, a list item's line indented less than its first): there micromark and markdown-it
 * disagree on which block a line starts. Each line must begin where the first does or further
 * right, behind at least `quotes` markers.
 */
function notLazy(content: string, firstLine: number, lines: Lines, quotes: number): boolean {
  const starts = contentStarts(content, firstLine, lines);
  if (!starts) return false;
  const column = (offset: number, n: number): number => offset - (lines.starts[firstLine + n] as number);
  const first = column(starts[0] as number, 0);
  return starts.every((offset, n) => {
    const prefix = lines.line(firstLine + n).slice(0, column(offset, n));
    return column(offset, n) >= first && (quotes === 0 || (prefix.match(/>/g)?.length ?? 0) >= quotes);
  });
}

/**
 * Whether a block's lines include one that only lazy continuation puts there (see notLazy): in a
 * quote, a line with fewer `>` than the quote's depth; in a list item outside quotes, a line
 * indented less than the item's content. A list item in a quote counts as lazy.
 */
function lazyLines(token: Token, lines: Lines, quotes: number): boolean {
  const [from, to] = token.map as [number, number];
  if (token.type === 'list_item_open') {
    if (quotes > 0) return true;
    const item = /^( *)([-+*]|\d{1,9}[.)])( *)(?=\S)/.exec(lines.line(from));
    if (!item) return true;
    const content =
      (item[1] as string).length + (item[2] as string).length + ((item[3] as string).length >= 5 ? 1 : (item[3] as string).length);
    for (let n = from + 1; n < to && n < lines.starts.length; n++) {
      const line = lines.line(n);
      if (line.trim() !== '' && line.length - line.trimStart().length < content) return true;
    }
    return false;
  }
  for (let n = from; n < to && n < lines.starts.length; n++) {
    const line = lines.line(n);
    if (line.trim() !== '' && ((/^[ >]*/.exec(line)?.[0] ?? '').match(/>/g)?.length ?? 0) < quotes) return true;
  }
  return false;
}

/** Maps offsets in an inline token's content to document offsets. */
function contentMapper(token: Token, lines: Lines): ((offset: number) => number) | undefined {
  const starts = token.map ? contentStarts(token.content, token.map[0], lines) : undefined;
  if (!starts) return undefined;
  const lineStarts: number[] = [0];
  for (let i = token.content.indexOf('\n'); i !== -1; i = token.content.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return (offset) => {
    let k = lineStarts.length - 1;
    while (k > 0 && (lineStarts[k] as number) > offset) k--;
    return (starts[k] as number) + offset - (lineStarts[k] as number);
  };
}

/**
 * Whether a table is of the form both read alike: at the top level or in a list item (not a
 * quote), after a blank line (GFM reads a paragraph's last line as a header, markdown-it breaks
 * the paragraph), every row starting with a pipe (a line that also starts a heading or a list is
 * a table to markdown-it only), and a blank line or the end after it.
 */
function plainTable(token: Token, lines: Lines, inQuote: boolean): boolean {
  const map = token.map;
  if (!map || inQuote) return false;
  if (map[0] > 0 && lines.line(map[0] - 1).trim() !== '') return false;
  const header = cellCount(lines.line(map[0]));
  for (let n = map[0]; n < map[1]; n++) {
    // markdown-it drops a row's cells beyond the header's; micromark still reads them.
    if (!/^ *\|/.test(lines.line(n)) || cellCount(lines.line(n)) > header) return false;
  }
  return map[1] >= lines.starts.length || lines.line(map[1]).trim() === '';
}

/** The cells of a table row: split at pipes not escaped by a backslash, without the outer ones. */
function cellCount(row: string): number {
  const text = row.trim();
  let pipes = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '|') pipes++;
  }
  const closed = text.length > 1 && text.endsWith('|') && !text.endsWith('\\|');
  return pipes + 1 - (text.startsWith('|') ? 1 : 0) - (closed ? 1 : 0);
}

/**
 * A link reference definition as micromark's reader gives it (kind `definition`, the destination
 * decoded, the span from `[` to the end of its title or destination), for the plain one-line form
 * at the top level with an ASCII label (labels match case-insensitively, and Unicode case folding
 * is where the two could differ), followed by a blank line or another definition; undefined for any other.
 */
function definitionFact(token: Token, lines: Lines): (Link & { offset: number }) | undefined {
  const map = token.map;
  if (!map || token.level !== 0 || map[1] - map[0] !== 1) return undefined;
  const line = lines.line(map[0]);
  const match = DEFINITION.exec(line);
  // micromark reads what follows a definition without a blank line (a paragraph, a setext heading) as one block with it.
  const next = map[1] < lines.starts.length ? lines.line(map[1]) : '';
  if (next.trim() !== '' && !DEFINITION.test(next)) return undefined;
  if (!match || /\P{ASCII}/u.test(line.slice(0, line.indexOf(']:')))) return undefined;
  const destination = match[2] as string;
  const url = parser().utils.unescapeAll(destination.startsWith('<') ? destination.slice(1, -1) : destination);
  const start = (lines.starts[map[0]] as number) + (match[1] as string).length;
  const end = (lines.starts[map[0]] as number) + line.trimEnd().length;
  return { url, kind: 'definition', ...lines.span(start, end), offset: start };
}

/**
 * Whether any text token among `tokens` (at any depth) could be read by micromark as a GFM autolink
 * literal; the text of an autolink (`<https://…>`) is a link already.
 */
function mayAutolink(tokens: readonly Token[]): boolean {
  let inAutolink = false;
  for (const token of tokens) {
    if (token.type === 'link_open' && token.markup === 'autolink') inAutolink = true;
    else if (token.type === 'link_close') inAutolink = false;
    else if (token.type === 'text' && !inAutolink && MAY_AUTOLINK.test(token.content)) return true;
    if (token.children && mayAutolink(token.children)) return true;
  }
  return false;
}

function markerCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (MARKER_CODES.has(text.charCodeAt(i))) count++;
  return count;
}

/** The frontmatter block as micromark-extension-frontmatter reads it, for the plain form (fences of exactly `---`). */
function frontmatterBlock(text: string): { value: string; at: Position; end: number } | undefined | 'outside' {
  if (!text.startsWith('---')) return undefined;
  const first = text.indexOf('\n');
  if (first === -1) return /^---[ \t]*$/.test(text) ? 'outside' : undefined;
  const opening = text.slice(0, first);
  if (opening !== '---') return /^---[ \t]*$/.test(opening) ? 'outside' : undefined;
  // The first later line of only `---` closes it; a fence with anything after it, or none (micromark
  // then reads what follows in a way of its own), is left to micromark.
  const close = /^---[ \t]*$/m.exec(text.slice(first + 1));
  if (!close) return 'outside';
  if (close[0] !== '---') return 'outside';
  const closeAt = first + 1 + close.index;
  const end = closeAt + 3;
  const value = text.slice(first + 1, Math.max(first + 1, closeAt - 1));
  return { value, at: { line: 1, column: 1, endLine: text.slice(0, end).split('\n').length, endColumn: 4 }, end };
}

/**
 * The facts of `markdownFacts` (runbook-reader.ts) for a text inside the subset this reader
 * shares with micromark; undefined for any other text (read it with markdownFacts then).
 * `text` is what markdownFacts reads: placeholders protected, lone CRs already LFs.
 */
export function fastMarkdownFacts(text: string): MarkdownFacts | undefined {
  if (text.length > FAST_MAX_CHARS || OUTSIDE_SUBSET.test(text) || markerCount(text) > MAX_MARKERS) return undefined;
  if (UNICODE_SPACE.test(text) && UNICODE_SPACE.test(text.replace(PLACEHOLDER_SPAN, ''))) return undefined;
  const fm = frontmatterBlock(text);
  if (fm === 'outside') return undefined;
  // The frontmatter's lines become empty: markdown-it reads the rest at the same line numbers and columns.
  const body = fm ? '\n'.repeat((fm.at.endLine as number) - 1) + text.slice(fm.end) : text;
  const bodyLines = new Lines(body);
  let tokens: Token[];
  const env: Env = {};
  try {
    tokens = parser().parse(body, env);
  } catch {
    return undefined;
  }
  if (env.outside) return undefined;
  let lineCount = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCount++;

  const headings: Heading[] = [];
  const links: (Link & { offset: number })[] = [];
  const comments: Comment[] = [];
  const html: RawHtml[] = [];
  const blocks: { line: number; counts: boolean }[] = fm ? [{ line: 1, counts: true }] : [];
  const slugger = new GithubSlugger();
  const point = (offset: number): { line: number; column: number } => bodyLines.point(offset);

  let quotes = 0;
  let definitions = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] as Token;
    if (token.level > MAX_LEVEL) return undefined;
    if (token.type === 'blockquote_open') quotes++;
    else if (token.type === 'blockquote_close') quotes--;
    if (token.map && token.nesting !== -1 && (quotes > 0 || token.type === 'list_item_open') && lazyLines(token, bodyLines, quotes))
      return undefined;
    // A quote (or a list) that a non-blank line follows: whether that line continues it lazily is where they part ways.
    if (
      token.map &&
      (token.type === 'blockquote_open' ||
        (token.level === 0 && (token.type === 'bullet_list_open' || token.type === 'ordered_list_open'))) &&
      token.map[1] < bodyLines.starts.length &&
      bodyLines.line(token.map[1]).trim() !== '' &&
      bodyLines.line(token.map[1] - 1).trim() !== ''
    )
      return undefined;
    if (token.type === 'table_open' && !plainTable(token, bodyLines, quotes > 0)) return undefined;
    // A block of the document's own flow: what a section's content is made of.
    if (token.level === 0 && token.nesting !== -1 && token.map)
      blocks.push({ line: token.map[0] + 1, counts: token.type !== 'heading_open' });
    if (token.type === 'definition') {
      const fact = definitionFact(token, bodyLines);
      if (!fact) return undefined;
      definitions++;
      links.push(fact);
      continue;
    }
    if (token.type === 'html_block') {
      const span = spanOf(token);
      if (!span) return undefined;
      // As micromark's, the value holds the first line's indentation, not its container's prefix.
      const value = token.content.replace(/\n$/, '');
      const closer = CLOSED_BY.find(([opener]) => opener.test(value))?.[1];
      if (closer && !closer.test(value.slice(value.lastIndexOf('\n') + 1))) return undefined;
      const from = token.map ? contentStarts(value, token.map[0], bodyLines)?.[0] : undefined;
      if (from === undefined || (token.level > 0 && !notLazy(value, (token.map as [number, number])[0], bodyLines, quotes)))
        return undefined;
      const start = point(from);
      readComments(value, start, comments);
      const onlyComments = ONLY_COMMENTS.test(value);
      if (token.level === 0 && onlyComments) (blocks.at(-1) as { counts: boolean }).counts = false;
      if (!onlyComments) {
        const end = point(span.end);
        html.push({ value, line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
      }
      continue;
    }
    if (token.type !== 'inline') continue;
    const children = token.children ?? [];
    if (mayAutolink(children)) return undefined;
    const parent = tokens[t - 1] as Token;
    const inHeading = parent.type === 'heading_open';
    if (parent.level > 0) {
      // A setext heading in a container, or a block with lazy lines (see notLazy).
      if (inHeading && parent.markup !== '' && !parent.markup.startsWith('#')) return undefined;
      if (token.content.includes('\n') && !(token.map && notLazy(token.content, token.map[0], bodyLines, quotes))) return undefined;
    }
    // Backticks left as text: markdown-it's shortcut for unclosed runs can mis-read code spans around them.
    if (token.content.includes('`') && children.some((c) => c.type === 'text' && c.content.includes('`'))) return undefined;
    // GFM strikes through `~a~` and `~~a~~`, which leaves a heading's text without the tildes;
    // CommonMark keeps them. Beside a non-ASCII character, whether `*` or `_` is emphasis depends
    // on which Unicode classes count as punctuation, where the two differ.
    if (inHeading && /~|[*_]\P{ASCII}|\P{ASCII}[*_]/u.test(token.content)) return undefined;
    let map: ((offset: number) => number) | undefined | null = null;
    const toDocument = (offset: number): number | undefined => {
      if (map === null) map = contentMapper(token, bodyLines);
      return map?.(offset);
    };
    let headingText = '';
    const openLinks: Token[] = [];
    for (let c = 0; c < children.length; c++) {
      const child = children[c] as Token;
      switch (child.type) {
        case 'code_inline':
          // markdown-it makes a code span's line endings spaces; micromark's reader keeps them.
          if (inHeading && token.content.includes('\n')) return undefined;
          headingText += child.content;
          break;
        case 'text':
          headingText += child.content;
          break;
        case 'softbreak':
          headingText += '\n';
          break;
        case 'link_open':
          openLinks.push(child);
          break;
        case 'link_close':
        case 'image': {
          const open = child.type === 'image' ? child : openLinks.pop();
          const span = spanOf(child);
          if (!open || !span) return undefined;
          // A reference (`[text][label]`, `[label]`) ends with its label; only links with a destination of their own are facts.
          if (token.content[span.end - 1] === ']') break;
          const from = toDocument(span.start);
          const to = toDocument(span.end);
          if (from === undefined || to === undefined) return undefined;
          const at = bodyLines.span(from, to);
          links.push({
            url: open.attrGet(child.type === 'image' ? 'src' : 'href') ?? '',
            kind: child.type === 'image' ? 'image' : 'link',
            ...at,
            offset: from,
          });
          break;
        }
        case 'html_inline': {
          const span = spanOf(child);
          if (!span) return undefined;
          const from = toDocument(span.start);
          const to = toDocument(span.end);
          if (from === undefined || to === undefined) return undefined;
          const value = child.content;
          // micromark leaves the indentation of an inline HTML's later lines out of its value.
          if (/\n[ \t]/.test(value)) return undefined;
          const start = point(from);
          readComments(value, start, comments);
          if (!ONLY_COMMENTS.test(value)) {
            const end = point(to);
            html.push({ value, line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
          }
          break;
        }
      }
    }
    if (inHeading) {
      const span = spanOf(parent);
      if (!span) return undefined;
      const at = point(span.start);
      const title = headingText.trim();
      headings.push({
        depth: Number(parent.tag.slice(1)),
        text: title,
        slug: slugger.slug(title),
        line: at.line,
        column: at.column,
        blocks: 0,
        sectionEndLine: lineCount + 1,
      });
    }
  }
  // Every line that may define a reference must be one markdown-it read as a definition at the top level.
  if (definitions > 0 || body.includes(']:')) {
    if ((body.match(MAY_DEFINE)?.length ?? 0) !== definitions) return undefined;
  }
  finishSections(headings, blocks, lineCount);
  links.sort((a, b) => a.offset - b.offset);
  return {
    yaml: fm ? { value: fm.value, at: fm.at } : undefined,
    headings,
    links: links.map(({ offset: _offset, ...link }) => link),
    comments,
    footnotes: [],
    html,
    foreign: [],
    lines: lineCount,
  };
}
