/**
 * What GitHub's HTML sanitizer (hast-util-sanitize's default schema, which the site renders raw
 * HTML through: site/render.ts) removes from one piece of raw HTML, element by element.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { createRequire } from 'node:module';
import { findInHtml } from './foreign-syntax-patterns.ts';

type Libraries = typeof import('hast-util-raw') & typeof import('hast-util-sanitize') & typeof import('vfile');

let loaded: Libraries | undefined;

/**
 * The HTML parser and the sanitizer, loaded on first use: importing them is slow, and a
 * lint run pays for it only when a runbook holds raw HTML. Synchronous (require of an ES module), as checks are.
 */
function libraries(): Libraries {
  const require = createRequire(import.meta.url);
  loaded ??= {
    ...(require('hast-util-raw') as typeof import('hast-util-raw')),
    ...(require('hast-util-sanitize') as typeof import('hast-util-sanitize')),
    ...(require('vfile') as typeof import('vfile')),
  };
  return loaded;
}

/** One thing the sanitizer takes out, at an index of the HTML string. */
export interface Removal {
  index: number;
  tag: string;
  /** The attributes it drops, as written in HTML (`onclick`, `style`); empty when the element itself goes. */
  attributes: string[];
  /** The element goes; `withContent`: its content too (script, style), otherwise its content stays. */
  element?: { withContent: boolean };
}

/** hast property names back to the attribute names people write. */
function attributeName(property: string): string {
  if (property === 'className') return 'class';
  if (property === 'htmlFor') return 'for';
  if (/^(?:data|aria)[A-Z]/.test(property)) return property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return property.toLowerCase();
}

/** The element alone inside copies of its ancestors, the way the sanitizer sees it in place (`tr` needs its `table`). */
function inContext(element: Element, ancestors: Element[]): Root {
  const marker: ElementContent = { type: 'text', value: 'x' };
  let node: Element = { type: 'element', tagName: element.tagName, properties: { ...element.properties }, children: [marker] };
  for (const ancestor of [...ancestors].reverse()) node = { type: 'element', tagName: ancestor.tagName, properties: {}, children: [node] };
  return { type: 'root', children: [node] };
}

/** The element at `depth` of a tree built by inContext, after sanitizing; undefined when it is gone. */
function atDepth(root: Root, depth: number, tag: string): Element | undefined {
  let nodes: (RootContent | ElementContent)[] = root.children;
  for (let level = 0; ; level++) {
    const element = nodes.find((n): n is Element => n.type === 'element');
    if (level === depth) return element?.tagName === tag ? element : undefined;
    if (!element) return undefined;
    nodes = element.children;
  }
}

/**
 * Elements the sanitizer keeps wherever they stand when they have no attributes: allowed by the
 * default schema, with no required ancestors, none stripped or required to carry an attribute, and
 * none that the HTML parser moves into an element of its own making (tables, forms, select).
 */
export const KEPT_BARE: ReadonlySet<string> = new Set([
  'b',
  'blockquote',
  'br',
  'code',
  'dd',
  'del',
  'details',
  'div',
  'dl',
  'dt',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'ins',
  'kbd',
  'li',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'section',
  'span',
  'strike',
  'strong',
  'sub',
  'summary',
  'sup',
  'tt',
  'ul',
  'var',
]);
/**
 * The name of a tag without attributes, as the HTML parser reads one (its whitespace, not
 * JavaScript's), whose name starts at `from`: /<\/?([a-z][a-z0-9]*)[\t\n\f\r ]*\/?>/y read a
 * character at a time, without a match object for every tag; undefined when it is no such tag.
 */
function bareTagName(html: string, from: number): string | undefined {
  if (!isLowerLetter(html.charCodeAt(from))) return undefined;
  let end = from + 1;
  while (isLowerLetter(html.charCodeAt(end)) || isDigit(html.charCodeAt(end))) end++;
  let at = end;
  while (isHtmlSpace(html.charCodeAt(at))) at++;
  if (html.charCodeAt(at) === SLASH) at++;
  return html.charCodeAt(at) === GREATER_THAN ? html.slice(from, end) : undefined;
}

/**
 * Whether a piece of HTML holds nothing the sanitizer could remove: every tag in it opens or closes
 * a KEPT_BARE element and has no attributes. Most runbooks' HTML (`<details>`, `<kbd>`, `<br>`) is
 * like that and needs neither the HTML parser nor the sanitizer; anything else is parsed.
 */
export function onlyKeptTags(html: string): boolean {
  // Only `<` or `</` before an ASCII letter starts a tag; the others are text.
  for (let start = html.indexOf('<'); start !== -1; start = html.indexOf('<', start + 1)) {
    const next = html.charCodeAt(start + 1) === SLASH ? start + 2 : start + 1;
    if (!isAsciiLetter(html.charCodeAt(next))) continue;
    const tag = bareTagName(html, next);
    if (tag === undefined || !KEPT_BARE.has(tag)) return false;
  }
  return true;
}

const SLASH = 47;
const GREATER_THAN = 62;

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || isLowerLetter(code);
}

function isLowerLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isHtmlSpace(code: number): boolean {
  return code === 9 || code === 10 || code === 12 || code === 13 || code === 32;
}

/**
 * Every element of a runbook's raw HTML that the sanitizer drops, and every attribute it drops or
 * changes on the elements it keeps (ids it only prefixes are not reported). The pieces (one tag of
 * a paragraph, or one HTML block) are parsed as one document, so that a table split over several
 * blocks nests as it does on the page. JSX components (`<Tabs>`) are left to the foreign-syntax check.
 */
export function sanitizerRemovals(pieces: readonly string[]): (Removal & { piece: number })[] {
  return pieces.every(onlyKeptTags) ? [] : parsedRemovals(pieces);
}

/** sanitizerRemovals by parsing and sanitizing, without the shortcut for HTML that has nothing to remove. */
export function parsedRemovals(pieces: readonly string[]): (Removal & { piece: number })[] {
  const { raw, sanitize, defaultSchema, VFile } = libraries();
  const stripped = new Set(defaultSchema.strip ?? []);
  const clobbered = new Set(defaultSchema.clobber ?? []);
  const starts: number[] = [];
  let offset = 0;
  const jsx = new Set<number>();
  for (const html of pieces) {
    starts.push(offset);
    for (const found of findInHtml(html)) jsx.add(offset + found.index);
    offset += html.length + 1;
  }
  const html = pieces.join('\n');
  const tree = raw(
    {
      type: 'root',
      children: [
        { type: 'raw', value: html, position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } },
      ],
    },
    // With a file, the parser keeps where each element starts.
    { file: new VFile(html) },
  ) as Root;
  const removals: (Removal & { piece: number })[] = [];
  const visit = (node: Root | Element, ancestors: Element[]): void => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      const at = child.position?.start.offset;
      if (at !== undefined && !jsx.has(at)) {
        let piece = starts.length - 1;
        while (piece > 0 && (starts[piece] as number) > at) piece--;
        const index = at - (starts[piece] as number);
        const kept = atDepth(sanitize(inContext(child, ancestors), defaultSchema) as Root, ancestors.length, child.tagName);
        if (!kept) {
          removals.push({ piece, index, tag: child.tagName, attributes: [], element: { withContent: stripped.has(child.tagName) } });
        } else {
          const dropped = Object.keys(child.properties).filter(
            (key) => !(key in kept.properties) || (!clobbered.has(key) && String(kept.properties[key]) !== String(child.properties[key])),
          );
          if (dropped.length > 0) removals.push({ piece, index, tag: child.tagName, attributes: dropped.map(attributeName) });
        }
      }
      visit(child, [...ancestors, child]);
    }
  };
  visit(tree, []);
  return removals;
}
