import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import GithubSlugger from 'github-slugger';
import { createRequire } from 'node:module';
import { decodeNumericCharacterReference } from 'micromark-util-decode-numeric-character-reference';
import type { Event, Extension, Token } from 'micromark-util-types';
import type { Comment, Footnote, ForeignSyntax, Frontmatter, Heading, Link, RawHtml, Runbook } from '../project/model.ts';
import { PARSE_ERROR, type Position } from '../engine/diagnostic.ts';
import { findInHtml, findInText, findMissingFootnotes } from './foreign-syntax-patterns.ts';
import { claimPointers } from './frontmatter.ts';
import { LineIndex, pointIn, type LineColumn } from '../text/positions.ts';
import { parseYaml } from '../text/yaml.ts';
import { fastYamlData } from '../text/fast-yaml.ts';
import { fastMarkdownFacts } from './fast-reader.ts';
import { protectPlaceholders } from './placeholders.ts';

/*
 * The linter reads a runbook from micromark's tokens, the same tokens remark-parse turns into the
 * mdast tree the site renders (mdast.ts). Building that tree and walking it would cost more than
 * the tokens do; the linter needs only the facts below.
 * test/runbook-reader.test.ts holds these facts equal to the ones read from the tree, on every
 * runbook of the corpus and on edge cases.
 */

/**
 * micromark, loaded on first use and synchronously (parsing is synchronous): most runbooks are read
 * by the fast reader, and a run or a worker that meets none of the others does not load micromark.
 */
function loadMicromark() {
  const require = createRequire(import.meta.url);
  const { parse, preprocess } = require('micromark') as typeof import('micromark');
  const { frontmatter } = require('micromark-extension-frontmatter') as typeof import('micromark-extension-frontmatter');
  const { gfm } = require('micromark-extension-gfm') as typeof import('micromark-extension-gfm');
  const { gfmAutolinkLiteral } =
    require('micromark-extension-gfm-autolink-literal') as typeof import('micromark-extension-gfm-autolink-literal');
  const { gfmFootnote } = require('micromark-extension-gfm-footnote') as typeof import('micromark-extension-gfm-footnote');
  const { gfmStrikethrough } = require('micromark-extension-gfm-strikethrough') as typeof import('micromark-extension-gfm-strikethrough');
  const { gfmTable } = require('micromark-extension-gfm-table') as typeof import('micromark-extension-gfm-table');
  const { gfmTaskListItem } = require('micromark-extension-gfm-task-list-item') as typeof import('micromark-extension-gfm-task-list-item');
  const { subtokenize } = require('micromark-util-subtokenize') as typeof import('micromark-util-subtokenize');
  // GitHub Flavored Markdown, as remark-gfm reads it for the site (mdast.ts), and the same
  // without the constructs a text cannot hold: GFM's table construct is tried at every line of every
  // paragraph and its autolink literals at every `w`, `h` and `@` of text, which made them nearly all
  // of GFM's cost, and most runbooks have neither. Indexed by [may hold a table][may hold an autolink literal].
  const syntax: Extension[][][] = [
    [
      [frontmatter(['yaml']), gfmFootnote(), gfmStrikethrough(), gfmTaskListItem()],
      [frontmatter(['yaml']), gfmAutolinkLiteral(), gfmFootnote(), gfmStrikethrough(), gfmTaskListItem()],
    ],
    [
      [frontmatter(['yaml']), gfmFootnote(), gfmStrikethrough(), gfmTaskListItem(), gfmTable()],
      [frontmatter(['yaml']), gfm()],
    ],
  ];
  return { parse, preprocess, subtokenize, syntax };
}

let micromark: ReturnType<typeof loadMicromark> | undefined;

/**
 * Thrown, instead of loading micromark, by a parse that runs under a time limit (jobs.ts's
 * parseBatch): a module load stopped half-way leaves that module broken for the rest of the
 * process, so the caller loads it outside the limit (loadExactReader) and parses the file again.
 */
export class ExactReaderNotLoaded extends Error {}

let loadingAllowed = true;

/** Whether a parse may load micromark; a caller that bounds the parse's time forbids it meanwhile. */
export function allowExactReaderLoading(allowed: boolean): void {
  loadingAllowed = allowed;
}

/** Loads micromark now, if it is not loaded yet. */
export function loadExactReader(): void {
  micromark ??= loadMicromark();
}

/** Every autolink literal starts at one of these (`www.`, `https://`, an email's `@`, `mailto:x@`). */
const MAY_AUTOLINK = /@|www\.|:\/\//i;

/**
 * A line that could be a table's delimiter row: nothing but container prefixes, hyphens, colons,
 * pipes and spaces, with a hyphen and a pipe or colon (`|---|:-:|`, `-|-`, `:-:`). Without one,
 * the text holds no table.
 */
const DELIMITER_ROW = /^[ \t>]*(?=[^\n]*-)(?=[^\n]*[|:])[|:\- \t]+\r?$/m;

/**
 * micromark's events for a document, as remark-parse gets them (micromark's postprocess), except
 * that a paragraph that cannot hold a fact the linter reads keeps its text as one raw chunk (see
 * MAY_HOLD_FACTS), which spares the inline syntax of most paragraphs of a typical runbook. Headings are always tokenized in full.
 */
function tokenize(text: string, tooComplex: Position[]): Event[] {
  if (!micromark && !loadingAllowed) throw new ExactReaderNotLoaded('micromark must be loaded before a bounded parse needs it');
  micromark ??= loadMicromark();
  const { parse, preprocess, subtokenize } = micromark;
  const extensions = micromark.syntax[DELIMITER_ROW.test(text) ? 1 : 0]?.[MAY_AUTOLINK.test(text) ? 1 : 0] as Extension[];
  const events = parse({ extensions: [...extensions] })
    .document()
    .write(preprocess()(text, undefined, true));
  // Each pass tokenizes one more level: the first leaves paragraphs whose text is still a chunk.
  while (!subtokenize(events)) keepPlainParagraphsRaw(events, text, tooComplex);
  return events;
}

/**
 * What a paragraph's text must contain to hold a fact: a link, image, footnote or HTML (`[`, `<`),
 * a GFM autolink literal (`@`, `://`, `www.`), a shortcode or Jinja block (`{%`, `{#`; `{{<` has a `<`),
 * an MDX import or export line.
 */
const MAY_HOLD_FACTS = /[[<@]|:\/\/|www\.|\{[%#]|^[ \t]*(?:import|export)\s/im;

/**
 * micromark's inline resolution (emphasis, link labels, unclosed `[a](`) costs the square of the
 * number of markers in one paragraph (tens of thousands took seconds). Past this many
 * markers a paragraph or heading keeps its text raw (its links are not read) and a warning says so,
 * which keeps every paragraph's cost bounded and the whole file linear.
 */
const MAX_INLINE_MARKERS = 4000;
const MARKER_CODES = new Set([...'[]()*_<>`!&\\'].map((c) => c.charCodeAt(0)));

function markerCount(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (MARKER_CODES.has(text.charCodeAt(i))) count++;
  return count;
}

/**
 * Inline markers read per file. micromark splices each paragraph's tokens into the document's
 * event list, a cost that grows with the square of their number; past this many, the rest of the paragraphs keep their text raw and a warning says so.
 */
const MAX_FILE_MARKERS = 20_000;

/** Marks the text chunks of paragraphs that cannot hold a fact, or that hold too many markers, as already tokenized. */
function keepPlainParagraphsRaw(events: Event[], text: string, tooComplex: Position[]): void {
  let budget = MAX_FILE_MARKERS;
  for (let i = 1; i < events.length; i++) {
    const [kind, token] = events[i] as Event;
    if (kind !== 'enter' || token.contentType !== 'text' || token._tokenizer) continue;
    const parent = (events[i - 1] as Event)[1].type;
    const paragraph = parent === 'paragraph';
    if (!paragraph && parent !== 'atxHeadingText' && parent !== 'setextHeadingText') continue;
    let last = token;
    while (last.next) last = last.next;
    const from = token.start.offset;
    const to = last.end.offset;
    const markers = markerCount(text, from, to);
    if (markers > MAX_INLINE_MARKERS) tooComplex.push({ line: token.start.line, column: token.start.column });
    else if (!paragraph || MAY_HOLD_FACTS.test(text.slice(from, to))) {
      if (budget >= 0 && (budget -= markers) >= 0) continue;
      // Said once, at the first paragraph past the budget; headings stay read in full.
      if (!paragraph) continue;
      if (budget > -Infinity) tooComplex.push({ line: token.start.line, column: token.start.column, endLine: -1 });
      budget = -Infinity;
    }
    for (let chunk: Token | undefined = token; chunk; chunk = chunk.next) chunk.contentType = undefined;
  }
}

/**
 * How deeply lists and block quotes nest, estimated line by line without parsing: micromark's
 * container handling grows with the square of the depth.
 */
const MAX_NESTING = 100;

/**
 * Blocks (paragraphs, list items, headings, quotes) per runbook: micromark splices each block's
 * tokens into one array, which costs the square of their number. No runbook has nearly this many; a file that does is refused with a finding.
 */
const MAX_BLOCKS = 50_000;

function nestingDepth(text: string): { depth: number; line: number; blocksLine?: number } {
  let worst = { depth: 0, line: 1 };
  const stack: number[] = [];
  let line = 0;
  let blocks = 0;
  let blank = true;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    let i = start;
    let column = 0;
    let quotes = 0;
    // Leading blanks and `>` markers, then list markers: each `- ` or `1. ` opens one more level.
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) column++;
      else if (c === 9) column += 4 - (column % 4);
      else if (c === 62 /* > */) {
        quotes++;
        column++;
      } else break;
    }
    const opensBlock = blank || quotes > 0 || /^(?:[-+*#]|\d{1,9}[.)])/.test(text.slice(i, i + 10));
    blank = i >= end || /^\s*$/.test(text.slice(i, end));
    if (!blank && opensBlock && ++blocks > MAX_BLOCKS) return { depth: 0, line, blocksLine: line };
    if (i < end) {
      while (stack.length > 0 && (stack.at(-1) as number) > column) stack.pop();
      for (;;) {
        const marker = /^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/.exec(text.slice(i, Math.min(end, i + 12)));
        if (!marker) break;
        i += marker[0].length;
        column += marker[0].length;
        while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) {
          i++;
          column++;
        }
        stack.push(column);
      }
      const depth = stack.length + quotes;
      // The first line past the limit is where to look.
      if (depth > MAX_NESTING) return { depth, line };
      if (depth > worst.depth) worst = { depth, line };
    }
    start = end + 1;
  }
  return worst;
}

/** Tokens that become an mdast node of the document's flow (a block); the ones at the top are a section's content. */
const BLOCKS = new Set([
  'yaml',
  'atxHeading',
  'setextHeading',
  'thematicBreak',
  'blockQuote',
  'listOrdered',
  'listUnordered',
  'codeFenced',
  'codeIndented',
  'htmlFlow',
  'paragraph',
  'definition',
  'table',
  'gfmFootnoteDefinition',
]);

/** Inside these a heading's text does not continue: a link's destination, an image (its alt is not text), raw HTML, a footnote reference. */
const NOT_TEXT = new Set(['resource', 'reference', 'image', 'htmlText', 'gfmFootnoteCall']);

/** Tokens that make up one mdast text node: a run of them is one stretch of text that foreign syntax is searched in. */
const TEXT_LIKE = new Set([
  'data',
  'lineEnding',
  'characterEscape',
  'escapeMarker',
  'characterEscapeValue',
  'characterReference',
  'characterReferenceMarker',
  'characterReferenceMarkerNumeric',
  'characterReferenceMarkerHexadecimal',
  'characterReferenceValue',
]);

/** Inside these, data is not text of the document: destinations, titles, labels of references and footnotes, an image's alt. */
const NOT_RUN = new Set([
  'resource',
  'reference',
  'definition',
  'image',
  'gfmFootnoteCall',
  'gfmFootnoteDefinitionLabel',
  'literalAutolink',
  'yaml',
  'codeFencedFenceInfo',
  'codeFencedFenceMeta',
]);

/**
 * What stands around a line break inside a paragraph besides the line ending: trailing whitespace
 * before it, indentation and container prefixes (`> `, a list item's indent) after it. Within a
 * run of text they belong to the same mdast text node, so a construct written over two lines of a
 * quote or a list item (`{% if x` / `%}`) is found, as in a plain paragraph.
 */
const LINE_EDGE = new Set([
  'lineSuffix',
  'linePrefix',
  'listItemIndent',
  'blockQuotePrefix',
  'blockQuoteMarker',
  'blockQuotePrefixWhitespace',
]);

const COMMENT = /<!--([\s\S]*?)-->/g;

/** A block of nothing but HTML comments (a template's "write here" note, a suppression) is not content. */
const ONLY_COMMENTS = /^\s*(?:<!--[\s\S]*?-->\s*)+$/;

interface TopBlock {
  line: number;
  counts: boolean;
}

interface OpenLink {
  kind: Link['kind'];
  start: Token['start'];
  url: string;
  /** A link with a destination of its own; without one it is a reference (`[text][label]`), which is not checked. */
  resource: boolean;
}

const span = (token: Token): Position => ({
  line: token.start.line,
  column: token.start.column,
  endLine: token.end.line,
  endColumn: token.end.column,
});

/** Every HTML comment in one HTML node, at its place in the file. */
export function readComments(value: string, start: LineColumn, comments: Comment[]): void {
  let lines: LineIndex | undefined;
  for (const match of value.matchAll(COMMENT)) {
    lines ??= new LineIndex(value, start);
    const { line, column } = lines.at(match.index);
    // Where the comment ends: a suppression's "next line" is the line after it.
    const end = lines.at(match.index + match[0].length);
    comments.push({ value: (match[1] ?? '').trim(), line, column, endLine: end.line, endColumn: end.column });
  }
}

function readFrontmatter(
  yaml: { value: string; at: Position } | undefined,
  text: string,
  file: string,
  diagnostics: Runbook['diagnostics'],
  fast: boolean,
): Frontmatter | undefined {
  if (yaml) {
    const { at } = yaml;
    // The data alone: where its alert names stand is found when asked for (claimPointersOf).
    const data = fast ? orUndefined(() => fastYamlData(yaml.value)) : undefined;
    if (data) return { data, state: 'ok', at, pointers: {}, unlocated: true };
    let { value } = yaml;
    const bom = value.indexOf('\uFEFF');
    if (bom >= 0) {
      // A byte order mark is invisible in an editor and would become part of a key ("\uFEFFtitle").
      // The YAML starts on the line after the opening fence.
      diagnostics.push({
        file,
        ...new LineIndex(value, { line: at.line + 1, column: 1 }).at(bom),
        ruleId: PARSE_ERROR,
        severity: 'warning',
        message: 'An invisible byte order mark (U+FEFF) stands inside the frontmatter; it was read as if absent',
        hint: 'Delete the character (it often comes from pasting text saved by Windows Notepad).',
      });
      value = value.replaceAll('\uFEFF', '');
    }
    // The YAML starts on the line after the opening fence.
    const parsed = parseYaml(value, file, at.line);
    diagnostics.push(...parsed.diagnostics);
    const document = parsed.documents[0];
    if (parsed.diagnostics.length > 0 || !document) {
      return { data: undefined, state: parsed.diagnostics.length > 0 ? 'invalid' : 'ok', at, pointers: {} };
    }
    return { data: document.data, state: 'ok', at, pointers: claimPointers(document.doc, document.positions) };
  }
  if (/^---[ \t]*\r?\n/.test(text)) {
    return { data: undefined, state: 'unclosed', at: { line: 1, column: 1, endLine: 1, endColumn: 4 }, pointers: {} };
  }
  return undefined;
}

/**
 * A fast reader's answer, or undefined when it throws (a bug of its own, or a stack too deep for
 * markdown-it): the exact reader then reads the file, and the run's stop at the time limit, which
 * no catch can intercept, still applies.
 */
function orUndefined<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** What the Markdown of a runbook says, before its frontmatter is parsed. */
export interface MarkdownFacts {
  /** The frontmatter block's YAML text and where the block stands, when the file has one. */
  yaml: { value: string; at: Position } | undefined;
  headings: Heading[];
  links: Link[];
  comments: Comment[];
  /** In order of where they start. */
  footnotes: Footnote[];
  html: RawHtml[];
  /** In order of where they start. */
  foreign: ForeignSyntax[];
  lines: number;
  /** Paragraphs and headings whose text was kept raw, having too many inline markers to read in bounded time. */
  tooComplex?: Position[];
}

type Point = Token['start'];

/** Finds foreign syntax and undefined footnote references in one stretch of text (an mdast text node's source). */
export function textFacts(slice: string, start: LineColumn, footnotes: Footnote[], foreign: ForeignSyntax[]): void {
  let lines: LineIndex | undefined;
  const at = (index: number): LineColumn => (lines ??= new LineIndex(slice, start)).at(index);
  for (const found of findMissingFootnotes(slice)) {
    const to = at(found.index + found.length);
    footnotes.push({ label: found.label, kind: 'missing', ...at(found.index), endLine: to.line, endColumn: to.column });
  }
  for (const { index, ...found } of findInText(slice)) {
    const from = at(index);
    // MDX reads import and export only at the very start of a line, outside any container.
    if (found.construct === 'mdx-import' && from.column !== 1) continue;
    foreign.push({ ...found, ...from });
  }
}

/** JSX components in one HTML node. */
export function htmlFacts(value: string, start: LineColumn, foreign: ForeignSyntax[]): void {
  for (const { index, ...found } of findInHtml(value)) foreign.push({ ...found, ...pointIn(value, start, index) });
}

const byPlace = (a: Position, b: Position): number => a.line - b.line || a.column - b.column;

/**
 * Sets each heading's section end and block count from the document's top-level blocks (`counts`:
 * whether the block is content, as a paragraph is and a heading or a block of only comments is not).
 */
export function finishSections(headings: Heading[], blocks: readonly TopBlock[], lines: number): void {
  // A section runs to the next heading of the same or a higher level; its sub-sections' content is
  // its own. One pass with a stack of open sections, and a prefix count of the blocks that count.
  const sections: Heading[] = [];
  for (const heading of headings) {
    while (sections.length > 0 && (sections.at(-1) as Heading).depth >= heading.depth)
      (sections.pop() as Heading).sectionEndLine = heading.line;
    sections.push(heading);
  }
  for (const heading of sections) heading.sectionEndLine = lines + 1;
  const countedLines = blocks.filter((b) => b.counts).map((b) => b.line);
  /** How many counted blocks start before `line`. */
  const before = (line: number): number => {
    let low = 0;
    let high = countedLines.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((countedLines[middle] as number) < line) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  for (const heading of headings) heading.blocks = before(heading.sectionEndLine) - before(heading.line + 1);
}

/**
 * Reads the facts the checks need from a runbook's Markdown, as mdast would give them: headings
 * with their plain text (as mdast-util-to-string), links, images and definitions with their
 * decoded destinations (references excluded), and the HTML comments of every HTML node.
 */
export function markdownFacts(source: string): MarkdownFacts {
  // Placeholders with spaces in a link's address are read as the site reads them (one module).
  const text = protectPlaceholders(source);
  const tooComplex: Position[] = [];
  const events = tokenize(text, tooComplex);
  const slice = (token: Token): string => text.slice(token.start.offset, token.end.offset);
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;

  const headings: Heading[] = [];
  const links: (Link & { offset: number })[] = [];
  const comments: Comment[] = [];
  const footnotes: Footnote[] = [];
  const html: RawHtml[] = [];
  const foreign: ForeignSyntax[] = [];
  const blocks: TopBlock[] = [];
  const slugger = new GithubSlugger();
  let yaml: { value: string; at: Position } | undefined;

  /** Open tokens, innermost last. */
  const open: string[] = [];
  /** Open block tokens: 0 means the next block is a top-level one. */
  let blockDepth = 0;
  /** Open tokens whose content is not a heading's text (see NOT_TEXT). */
  let notText = 0;
  /** Inside an image's alt text, nothing is a node of its own: no link, no HTML. */
  let inAlt = 0;
  let heading: { depth: number; text: string; start: Token['start'] } | undefined;
  let atHardBreak = false;
  let referenceBase = 0;
  const openLinks: OpenLink[] = [];
  /** The string being read: a destination, an HTML node, the frontmatter. */
  let buffer: string | undefined;
  let htmlStart: Token['start'] | undefined;
  /** The stretch of text being read (see TEXT_LIKE), from the start of its first token to the end of its last. */
  let run: { start: Point; end: number } | undefined;
  let notRun = 0;
  /** Labels of the footnote references and definitions being read, innermost last (a definition can hold references). */
  const footnoteLabels: string[] = [];
  const flushRun = (): void => {
    if (run) textFacts(text.slice(run.start.offset, run.end), run.start, footnotes, foreign);
    run = undefined;
  };

  /** Text that belongs to the current heading, the current buffer, or both (a destination in a heading is excluded by NOT_TEXT). */
  const append = (value: string): void => {
    if (buffer !== undefined) buffer += value;
    else if (heading && notText === 0) heading.text += value;
  };

  for (let i = 0; i < events.length; i++) {
    const event = events[i] as Event;
    const token = event[1];
    // A string: the frontmatter extension adds token types (yaml, yamlValue) that micromark's types do not list.
    const type: string = token.type;
    if (run && LINE_EDGE.has(type)) {
      // Continues the run; the text after it extends the run's end.
    } else if (!TEXT_LIKE.has(type)) flushRun();
    else if (event[0] === 'exit' && notRun === 0 && inAlt === 0 && (type !== 'lineEnding' || run)) {
      // A line ending only continues text; one between blocks is not text.
      if (run) run.end = token.end.offset;
      else run = { start: token.start, end: token.end.offset };
    }
    if (event[0] === 'enter') {
      if (NOT_RUN.has(type)) notRun++;
      if (BLOCKS.has(type)) {
        if (blockDepth === 0) blocks.push({ line: token.start.line, counts: type !== 'atxHeading' && type !== 'setextHeading' });
        blockDepth++;
      }
      if (NOT_TEXT.has(type)) notText++;
      if (type === 'label' && open.at(-1) === 'image') inAlt++;
      open.push(type);
      if (inAlt > 0) continue;
      switch (type) {
        case 'atxHeading':
        case 'setextHeading':
          heading = { depth: 0, text: '', start: token.start };
          break;
        case 'link':
        case 'image':
          openLinks.push({ kind: type, start: token.start, url: '', resource: false });
          break;
        case 'autolink':
        case 'literalAutolink':
          openLinks.push({ kind: 'link', start: token.start, url: '', resource: true });
          break;
        case 'definition':
          openLinks.push({ kind: 'definition', start: token.start, url: '', resource: true });
          break;
        case 'resource':
          (openLinks.at(-1) as OpenLink).resource = true;
          break;
        case 'resourceDestinationString':
        case 'definitionDestinationString':
        case 'yaml':
          buffer = '';
          break;
        case 'htmlFlow':
        case 'htmlText':
          buffer = '';
          htmlStart = token.start;
          break;
      }
      continue;
    }

    open.pop();
    if (NOT_RUN.has(type)) notRun--;
    if (BLOCKS.has(type)) blockDepth--;
    if (NOT_TEXT.has(type)) notText--;
    if (type === 'label' && open.at(-1) === 'image') {
      inAlt--;
      continue;
    }
    if (inAlt > 0) continue;
    switch (type) {
      case 'chunkText': // the raw text of a heading with too many markers (see MAX_INLINE_MARKERS)
      case 'data':
      case 'codeTextData':
      case 'characterEscapeValue':
      case 'htmlFlowData':
      case 'htmlTextData':
      case 'yamlValue':
        append(slice(token));
        break;
      case 'autolinkProtocol':
        append(slice(token));
        (openLinks.at(-1) as OpenLink).url = slice(token);
        break;
      case 'autolinkEmail':
        append(slice(token));
        (openLinks.at(-1) as OpenLink).url = `mailto:${slice(token)}`;
        break;
      // GFM autolink literals hold no data token: their text is the link's text, their URL as mdast-util-gfm makes it.
      case 'literalAutolinkHttp':
        append(slice(token));
        (openLinks.at(-1) as OpenLink).url = slice(token);
        break;
      case 'literalAutolinkWww':
        append(slice(token));
        (openLinks.at(-1) as OpenLink).url = `http://${slice(token)}`;
        break;
      case 'literalAutolinkEmail':
        append(slice(token));
        (openLinks.at(-1) as OpenLink).url = `mailto:${slice(token)}`;
        break;
      case 'gfmFootnoteCallString':
      case 'gfmFootnoteDefinitionLabelString':
        footnoteLabels.push(slice(token));
        break;
      case 'gfmFootnoteCall':
        footnotes.push({ label: footnoteLabels.pop() ?? '', kind: 'reference', ...span(token) });
        break;
      case 'gfmFootnoteDefinition':
        footnotes.push({ label: footnoteLabels.pop() ?? '', kind: 'definition', ...span(token) });
        break;
      case 'characterReferenceMarkerNumeric':
        referenceBase = 10;
        break;
      case 'characterReferenceMarkerHexadecimal':
        referenceBase = 16;
        break;
      case 'characterReferenceValue':
        append(
          referenceBase ? decodeNumericCharacterReference(slice(token), referenceBase) : decodeNamedCharacterReference(slice(token)) || '',
        );
        referenceBase = 0;
        break;
      case 'lineEnding':
        // The line ending after a setext heading's text is appended too: mdast leaves it out, the trim below drops it.
        if (atHardBreak) atHardBreak = false;
        // Inside a container, micromark's line ending can reach over the next line's `> ` prefix; mdast keeps only the break.
        else append(/^\r?\n|^\r/.exec(slice(token))?.[0] ?? '');
        break;
      case 'hardBreakEscape':
      case 'hardBreakTrailing':
        atHardBreak = true;
        break;
      case 'atxHeadingSequence':
        if (heading && heading.depth === 0) heading.depth = slice(token).length;
        break;
      case 'setextHeadingLineSequence':
        if (heading) heading.depth = text.charCodeAt(token.start.offset) === 61 /* = */ ? 1 : 2;
        break;
      case 'atxHeading':
      case 'setextHeading':
        if (heading) {
          const title = heading.text.trim();
          headings.push({
            depth: heading.depth,
            text: title,
            slug: slugger.slug(title),
            line: heading.start.line,
            column: heading.start.column,
            blocks: 0,
            sectionEndLine: lines + 1,
          });
          heading = undefined;
        }
        break;
      case 'resourceDestinationString':
      case 'definitionDestinationString':
        (openLinks.at(-1) as OpenLink).url = buffer ?? '';
        buffer = undefined;
        break;
      case 'link':
      case 'image':
      case 'autolink':
      case 'literalAutolink':
      case 'definition': {
        const link = openLinks.pop() as OpenLink;
        if (link.resource) links.push({ url: link.url, kind: link.kind, ...span(token), offset: link.start.offset });
        break;
      }
      case 'htmlFlow':
      case 'htmlText': {
        const value = buffer ?? '';
        buffer = undefined;
        const start = htmlStart ?? token.start;
        readComments(value, start, comments);
        const onlyComments = ONLY_COMMENTS.test(value);
        if (type === 'htmlFlow' && blockDepth === 0 && onlyComments) (blocks.at(-1) as TopBlock).counts = false;
        if (!onlyComments) {
          html.push({ value, line: start.line, column: start.column, endLine: token.end.line, endColumn: token.end.column });
          htmlFacts(value, start, foreign);
        }
        break;
      }
      case 'yaml':
        // As mdast-util-frontmatter: without the line endings after the opening and before the closing fence.
        yaml = { value: (buffer ?? '').replace(/^(\r?\n|\r)|(\r?\n|\r)$/g, ''), at: span(token) };
        buffer = undefined;
        break;
    }
  }

  finishSections(headings, blocks, lines);
  // mdast lists a link before the image inside it: the order in which they start.
  links.sort((a, b) => a.offset - b.offset);
  flushRun();
  return {
    yaml,
    headings,
    links: links.map(({ offset: _offset, ...link }) => link),
    comments,
    footnotes: footnotes.sort(byPlace),
    html,
    foreign: foreign.sort(byPlace),
    lines,
    ...(tooComplex.length > 0 ? { tooComplex } : {}),
  };
}

/**
 * Parses one runbook's text into plain facts (no syntax tree), for checks and the cache.
 * `file` is the repo-relative path used in every position. With `fast`, the text is read with the
 * fast readers (fast-reader.ts, text/fast-yaml.ts) where they read it as micromark and `yaml` do,
 * and the frontmatter's alert-name positions are left to be located when asked for: the facts are
 * the same (test/readers-equivalence.test.ts).
 */
export function parseRunbook(original: string, file: string, { fast = false }: { fast?: boolean } = {}): Runbook {
  // A lone CR ends a line as LF does (CommonMark, YAML); one for one, so no offset moves.
  const text = original.includes('\r') ? original.replace(/\r(?!\n)/g, '\n') : original;
  const nesting = nestingDepth(text);
  if (nesting.blocksLine !== undefined) {
    return unreadableRunbook(file, {
      file,
      line: nesting.blocksLine,
      column: 1,
      ruleId: PARSE_ERROR,
      severity: 'error',
      message: `The runbook has more than ${MAX_BLOCKS} paragraphs, list items and headings by this line; it was not read`,
      hint: 'Split it into several runbooks: reading a file this long would take minutes.',
    });
  }
  if (nesting.depth > MAX_NESTING) {
    return unreadableRunbook(file, {
      file,
      line: nesting.line,
      column: 1,
      ruleId: PARSE_ERROR,
      severity: 'error',
      message: `Lists or block quotes nest ${nesting.depth} levels deep here, over the limit of ${MAX_NESTING}; the runbook was not read`,
      hint: 'Flatten the nesting: no runbook needs that many levels, and reading them would take minutes.',
    });
  }
  const { yaml, headings, links, comments, footnotes, html, foreign, lines, tooComplex } =
    (fast ? orUndefined(() => fastMarkdownFacts(protectPlaceholders(text))) : undefined) ?? markdownFacts(text);
  const diagnostics: Runbook['diagnostics'] = (tooComplex ?? []).map(({ line, column, endLine }) => ({
    file,
    line,
    column,
    ruleId: PARSE_ERROR,
    severity: 'warning' as const,
    ...(endLine === -1
      ? {
          message: `The runbook has more than ${MAX_FILE_MARKERS} link, emphasis or HTML markers; from this paragraph on, links and comments were not read`,
          hint: 'Split the runbook into several files.',
        }
      : {
          message: `This paragraph has more than ${MAX_INLINE_MARKERS} link, emphasis or HTML markers; its links and comments were not read`,
          hint: 'Split it into shorter paragraphs (a blank line between them), or into a list.',
        }),
  }));
  const frontmatter = readFrontmatter(yaml, text, file, diagnostics, fast);
  return { file, frontmatter, headings, links, source: text, comments, footnotes, html, foreign, lines, diagnostics };
}

/** A runbook that could not be read at all: no facts, only the diagnostic that says why. */
export function unreadableRunbook(file: string, diagnostic: Runbook['diagnostics'][number]): Runbook {
  return {
    file,
    frontmatter: undefined,
    headings: [],
    links: [],
    source: '',
    comments: [],
    footnotes: [],
    html: [],
    foreign: [],
    lines: 0,
    diagnostics: [diagnostic],
  };
}
