/**
 * Runbook Markdown → HTML, from the mdast tree our own parser builds (src/lib/markdown/mdast.ts), so the
 * page shows exactly what the linter checked: the same headings, the same anchors, the same
 * frontmatter reading. Raw HTML in Markdown renders after GitHub's sanitizer (hast-util-sanitize's
 * default schema); the unsafe-html check reports what it removes.
 */
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from 'hast';
import { raw } from 'hast-util-raw';
import { defaultSchema, sanitize } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Blockquote, Code, Heading as MdHeading, Image, InlineCode, Link, Nodes, Root, Table, Text } from 'mdast';
import { defaultHandlers, toHast, type Handler, type State } from 'mdast-util-to-hast';
import { plainText } from '../markdown/mdast.ts';
import { hasPlaceholder, restorePlaceholders } from '../markdown/placeholders.ts';
import { codeToHast, templateWithSlots, textWithSlots } from './highlight.ts';
import { fillPlaceholders, labelNames, splitPlaceholders, token } from './labels.ts';
import { SHELL_LANGS, shellContexts } from './values.ts';

/** An entry of the table of contents. */
export interface TocEntry {
  depth: number;
  text: string;
  slug: string;
}

/** A runbook body ready to publish. */
export interface RenderedBody {
  html: string;
  toc: TocEntry[];
  /** Label names the body's placeholders use, in order of first use. */
  labels: string[];
}

/** How the renderer turns a relative link (`./HostDown.md#diagnosis`) into a site URL; undefined keeps it. */
type LinkResolver = (path: string, fragment: string | undefined) => string | undefined;

/** Options of {@link renderBody}. */
export interface RenderOptions {
  resolveLink?: LinkResolver;
  /** Drop the first level-1 heading, which the page header repeats as its title. */
  dropTitle?: boolean;
  /**
   * The anchors of the headings, in order, when the Markdown is a part of a file (one alert's
   * section): the whole file's, so that links checked against the file land on this page too.
   */
  slugs?: readonly string[];
  /** The heading level the table of contents starts at (it shows that level and the next); default 2. */
  tocFrom?: number;
}

const SAFE_SCHEME = /^(?:https?|mailto|tel):/i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}

function hastWalk(node: HastRoot | HastContent, visit: (node: Element) => void): void {
  if (node.type === 'element') visit(node);
  if ('children' in node) for (const child of node.children) hastWalk(child, visit);
}

/** Heading anchors as the linter computes them (src/lib/markdown/runbook-reader.ts readHeadings), so checked links land. */
function headingSlugs(tree: Root, given?: readonly string[]): Map<MdHeading, string> {
  const slugger = new GithubSlugger();
  const headings: MdHeading[] = [];
  walk(tree, (node) => {
    if (node.type === 'heading' && node.position) headings.push(node);
  });
  const fits = given !== undefined && given.length === headings.length;
  return new Map(headings.map((node, i) => [node, fits ? (given[i] as string) : slugger.slug(plainText(node).trim())]));
}

/** Marks each slot of a shell command with its quoting context, so the page script quotes hostile values to fit. */
function markShellSlots(value: string, children: ElementContent[]): void {
  const offsets: number[] = [];
  let offset = 0;
  for (const part of splitPlaceholders(value)) {
    if (part.label !== undefined) offsets.push(offset);
    offset += part.text.length;
  }
  const contexts = shellContexts(value, offsets);
  let i = 0;
  for (const child of children) {
    if (child.type === 'element' && child.properties.dataLabel !== undefined) child.properties.dataShell = contexts[i++] ?? 'none';
  }
}

function codeBlock(lang: string | undefined, value: string): Element {
  const language = lang?.split(/\s+/)[0] || undefined;
  const children = codeToHast(value, language);
  if (language && SHELL_LANGS.has(language.toLowerCase())) markShellSlots(value, children);
  const code: Element = {
    type: 'element',
    tagName: 'code',
    properties: language ? { className: [`language-${language}`] } : {},
    children,
  };
  const bar: ElementContent[] = [];
  if (language)
    bar.push({ type: 'element', tagName: 'span', properties: { className: ['code-lang'] }, children: [{ type: 'text', value: language }] });
  // Hidden until the page script runs: without JavaScript there is nothing to copy with.
  bar.push({
    type: 'element',
    tagName: 'button',
    properties: { type: 'button', className: ['copy'], hidden: true },
    children: [{ type: 'text', value: 'Copy' }],
  });
  return {
    type: 'element',
    tagName: 'div',
    properties: { className: ['code'] },
    children: [
      { type: 'element', tagName: 'div', properties: { className: ['code-bar'], dataPagefindIgnore: '' }, children: bar },
      // Focusable so that a keyboard can scroll long lines, which scroll inside the block, not the page.
      { type: 'element', tagName: 'pre', properties: { tabIndex: 0 }, children: [code] },
    ],
  };
}

/** GitHub's alert blockquotes: `> [!NOTE]` alone on the blockquote's first line. */
const ALERT = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\r?\n|$)/i;

/** A blockquote that starts with `[!NOTE]` and the like, as GitHub renders it: a callout with its kind as the title. */
function alertCallout(state: State, node: Blockquote): Element | undefined {
  const first = node.children[0];
  const lead = first?.type === 'paragraph' ? first.children[0] : undefined;
  const match = lead?.type === 'text' ? ALERT.exec(lead.value) : null;
  if (!match || !first || first.type !== 'paragraph' || !lead || lead.type !== 'text') return undefined;
  const kind = (match[1] as string).toLowerCase();
  const rest = lead.value.slice(match[0].length);
  const paragraph = { ...first, children: rest === '' ? first.children.slice(1) : [{ ...lead, value: rest }, ...first.children.slice(1)] };
  const body = { ...node, children: paragraph.children.length > 0 ? [paragraph, ...node.children.slice(1)] : node.children.slice(1) };
  const title: Element = {
    type: 'element',
    tagName: 'p',
    properties: { className: ['callout-title'] },
    children: [{ type: 'text', value: kind.charAt(0).toUpperCase() + kind.slice(1) }],
  };
  return {
    type: 'element',
    tagName: 'div',
    properties: { className: ['callout', `callout-${kind}`], role: 'note' },
    children: [title, ...state.wrap(state.all(body), true)],
  };
}

/** Marks hast elements built from Markdown, so that the sanitizer leaves them alone and cleans only raw HTML. */
const OWN = 'runbooksOwnElement';
const MARK = '\uE000runbooks-own-';

type OwnElement = Omit<Element, 'type'> & { type: typeof OWN };

/** Every element of a tree made from Markdown becomes an own element: raw() passes those through and parses only raw HTML. */
function markOwn(node: HastRoot | HastContent): void {
  if (node.type === 'element') (node as unknown as OwnElement).type = OWN;
  if ('children' in node) for (const child of node.children) markOwn(child);
}

/**
 * Sanitizes the elements raw HTML became with GitHub's schema, and nothing else: each own element
 * (and so its subtree, cleaned on its own) waits as a placeholder text while the sanitizer runs.
 */
function sanitizeRaw(children: HastContent[]): HastContent[] {
  const kept: Element[] = [];
  const protect = (nodes: HastContent[]): HastContent[] =>
    nodes.map((node) => {
      if ((node as { type: string }).type === OWN) {
        const own = node as unknown as OwnElement;
        kept.push({ ...own, type: 'element', children: sanitizeRaw(own.children as HastContent[]) as ElementContent[] });
        return { type: 'text', value: `${MARK}${kept.length - 1}\uE000` };
      }
      if ('children' in node) node.children = protect(node.children as HastContent[]) as ElementContent[];
      return node;
    });
  const clean = sanitize({ type: 'root', children: protect(children) }, defaultSchema) as HastRoot;
  const restore = (nodes: HastContent[]): HastContent[] =>
    nodes.map((node) => {
      if (node.type === 'text' && node.value.startsWith(MARK)) return kept[Number(node.value.slice(MARK.length, -1))] ?? node;
      if ('children' in node) node.children = restore(node.children as HastContent[]) as ElementContent[];
      return node;
    });
  return restore(clean.children);
}

function hasRaw(node: HastRoot | HastContent): boolean {
  return (node as { type: string }).type === 'raw' || ('children' in node && node.children.some((child) => hasRaw(child)));
}

/** A code block as HTML, outside Markdown: a rule's expression on the runbook page. */
export function codeBlockHtml(value: string, lang: string | undefined): string {
  return toHtml(codeBlock(lang, value));
}

/** Text with its label placeholders as slots and other template expressions as tokens, as HTML: annotations on the runbook page. */
export function textHtml(text: string): string {
  return toHtml({ type: 'root', children: templateWithSlots(text) });
}

/**
 * Whether a URL with placeholders has its kind fixed by literal text before the first one: a safe
 * scheme, or a path, query or fragment. `{{ $labels.url }}` or `http{{ $labels.s }}://…` would let
 * a label choose the scheme, so such a link stays inert.
 */
export function fillableUrl(url: string): boolean {
  const first = splitPlaceholders(url)[0];
  const literal = first === undefined || first.label !== undefined ? '' : first.text;
  if (ANY_SCHEME.test(literal)) return SAFE_SCHEME.test(literal);
  return /^(?:\/|#|\?|\.)/.test(literal);
}

/** A URL with its placeholders as URI-encoded tokens: what the page links to before (or without) its script. */
export function tokenUrl(url: string): string {
  return splitPlaceholders(url)
    .map((p) => (p.label === undefined ? p.text : encodeURIComponent(token(p.label))))
    .join('');
}

/** The page's element for a link (or image) whose address would come from a label: the text, no address. */
function inert(children: ElementContent[]): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: { className: ['inert-link'], title: "Not a link: its address would come from the alert's labels" },
    children,
  };
}

function safeHref(href: string, resolve: LinkResolver | undefined): string | undefined {
  if (href.startsWith('#') || SAFE_SCHEME.test(href)) return href;
  if (ANY_SCHEME.test(href) || href.startsWith('//')) return undefined;
  if (href.startsWith('/') || !resolve) return href;
  const hash = href.indexOf('#');
  const pathPart = (hash === -1 ? href : href.slice(0, hash)).replace(/\?.*$/, '');
  const fragment = hash === -1 ? undefined : href.slice(hash + 1);
  let decoded = pathPart;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    // Kept as written; the linter's broken-link check reports it.
  }
  let decodedFragment = fragment;
  try {
    decodedFragment = fragment === undefined ? undefined : decodeURIComponent(fragment);
  } catch {
    // As above.
  }
  return resolve(decoded, decodedFragment) ?? href;
}

/** Renders a runbook's body (its frontmatter left out) with anchors, slots and copyable code. */
export function renderBody(tree: Root, options: RenderOptions = {}): RenderedBody {
  const slugs = headingSlugs(tree, options.slugs);
  const toc: TocEntry[] = [];
  const labels: string[] = [];
  const titleNode = options.dropTitle ? tree.children.find((n): n is MdHeading => n.type === 'heading') : undefined;
  const dropped = titleNode?.depth === 1 ? titleNode : undefined;
  const handlers: Record<string, Handler> = {
    yaml: () => undefined,
    heading(state: State, node: MdHeading) {
      if (node === dropped) return undefined;
      const slug = slugs.get(node) ?? '';
      // The anchor keeps the linter's slug; what people read shows placeholders as tokens.
      const text = fillPlaceholders(plainText(node).trim(), new Map());
      const tocFrom = options.tocFrom ?? 2;
      // Entries keep the page's own scale (2 and 3), whatever level the section's headings are at.
      if (node.depth >= tocFrom && node.depth <= tocFrom + 1) toc.push({ depth: node.depth - tocFrom + 2, text, slug });
      const anchor: Element = {
        type: 'element',
        tagName: 'a',
        properties: { className: ['anchor'], href: `#${slug}`, dataPagefindIgnore: '' },
        children: [
          { type: 'element', tagName: 'span', properties: { ariaHidden: 'true' }, children: [{ type: 'text', value: '#' }] },
          {
            type: 'element',
            tagName: 'span',
            properties: { className: ['sr-only'] },
            children: [{ type: 'text', value: `Link to section ${text}` }],
          },
        ],
      };
      return {
        type: 'element',
        tagName: `h${node.depth}`,
        properties: { id: slug },
        children: [...state.all(node), { type: 'text', value: ' ' }, anchor],
      };
    },
    code(_state: State, node: Code) {
      labels.push(...labelNames(node.value));
      return codeBlock(node.lang ?? undefined, node.value);
    },
    inlineCode(_state: State, node: InlineCode) {
      labels.push(...labelNames(node.value));
      return { type: 'element', tagName: 'code', properties: {}, children: textWithSlots(node.value) };
    },
    link(state: State, node: Link) {
      const title = node.title ?? undefined;
      const titled =
        title === undefined ? {} : hasPlaceholder(title) ? { title: fillPlaceholders(title, new Map()), dataTitle: title } : { title };
      if (title) labels.push(...labelNames(title));
      if (!hasPlaceholder(node.url)) {
        const element = defaultHandlers.link(state, node);
        Object.assign(element.properties, titled);
        return element;
      }
      const children = state.all(node);
      if (!fillableUrl(node.url)) return inert(children);
      // A link that carries label values (a Grafana query for this pod): the page script fills the
      // template from data-href, each value URI-encoded; without it the link holds readable tokens.
      labels.push(...labelNames(node.url));
      return {
        type: 'element',
        tagName: 'a',
        properties: { href: tokenUrl(node.url), dataHref: restorePlaceholders(node.url), ...titled },
        children,
      };
    },
    image(_state: State, node: Image) {
      const alt = node.alt ?? '';
      labels.push(...labelNames(alt), ...labelNames(node.url), ...labelNames(node.title ?? ''));
      const properties: Element['properties'] = hasPlaceholder(alt) ? { alt: fillPlaceholders(alt, new Map()), dataAlt: alt } : { alt };
      if (node.title)
        Object.assign(
          properties,
          hasPlaceholder(node.title) ? { title: fillPlaceholders(node.title, new Map()), dataTitle: node.title } : { title: node.title },
        );
      if (!hasPlaceholder(node.url)) return { type: 'element', tagName: 'img', properties: { src: node.url, ...properties }, children: [] };
      if (!fillableUrl(node.url)) return inert([{ type: 'text', value: fillPlaceholders(alt, new Map()) }]);
      return {
        type: 'element',
        tagName: 'img',
        properties: { src: tokenUrl(node.url), dataSrc: restorePlaceholders(node.url), ...properties },
        children: [],
      };
    },
    text(_state: State, node: Text) {
      labels.push(...labelNames(node.value));
      return textWithSlots(node.value);
    },
    blockquote(state: State, node: Blockquote) {
      return alertCallout(state, node) ?? defaultHandlers.blockquote(state, node);
    },
    table(state: State, node: Table) {
      // Focusable and scrolling in its own box: a wide table must not widen the page on a phone.
      return {
        type: 'element',
        tagName: 'div',
        properties: { className: ['table-scroll'], tabIndex: 0 },
        children: [defaultHandlers.table(state, node)],
      };
    },
  };
  let hast = toHast(tree, { handlers, allowDangerousHtml: true }) as HastRoot;
  if (hasRaw(hast)) {
    markOwn(hast);
    hast = raw(hast, { passThrough: [OWN] }) as HastRoot;
    hast = { type: 'root', children: sanitizeRaw(hast.children) };
  }
  hastWalk(hast, (element) => {
    for (const key of ['href', 'src'] as const) {
      const value = element.properties[key];
      if (typeof value !== 'string') continue;
      // Filled from labels by the page script; fillableUrl has already judged the template.
      if (element.properties.dataHref !== undefined || element.properties.dataSrc !== undefined) continue;
      // Only links are rewritten; a relative image stays as written (the site does not copy images).
      const safe = safeHref(value, key === 'href' ? options.resolveLink : undefined);
      if (safe === undefined) {
        delete element.properties[key];
      } else element.properties[key] = safe;
    }
  });
  return { html: toHtml(hast), toc, labels: [...new Set(labels)] };
}
