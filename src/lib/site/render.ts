/**
 * Runbook Markdown → HTML, from the mdast tree our own parser builds (src/lib/runbooks.ts), so the
 * page shows exactly what the linter checked: the same headings, the same anchors, the same
 * frontmatter reading. Raw HTML in Markdown is dropped, not passed through.
 */
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Code, Heading as MdHeading, Image, InlineCode, Link, Nodes, Root, Text } from 'mdast';
import { defaultHandlers, toHast, type Handler, type State } from 'mdast-util-to-hast';
import { plainText } from '../markdown.ts';
import { hasPlaceholder, restorePlaceholders } from '../placeholders.ts';
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
export type LinkResolver = (path: string, fragment: string | undefined) => string | undefined;

/** Options of {@link renderBody}. */
export interface RenderOptions {
  resolveLink?: LinkResolver;
  /** Drop the first level-1 heading, which the page header repeats as its title. */
  dropTitle?: boolean;
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

/** Heading anchors as the linter computes them (src/lib/runbooks.ts readHeadings), so checked links land. */
function headingSlugs(tree: Root): Map<MdHeading, string> {
  const slugger = new GithubSlugger();
  const slugs = new Map<MdHeading, string>();
  walk(tree, (node) => {
    if (node.type === 'heading' && node.position) slugs.set(node, slugger.slug(plainText(node).trim()));
  });
  return slugs;
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
  if (language) bar.push({ type: 'element', tagName: 'span', properties: { className: ['code-lang'] }, children: [{ type: 'text', value: language }] });
  // Hidden until the page script runs: without JavaScript there is nothing to copy with.
  bar.push({ type: 'element', tagName: 'button', properties: { type: 'button', className: ['copy'], hidden: true }, children: [{ type: 'text', value: 'Copy' }] });
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
  return splitPlaceholders(url).map((p) => (p.label === undefined ? p.text : encodeURIComponent(token(p.label)))).join('');
}

/** The page's element for a link (or image) whose address would come from a label: the text, no address. */
function inert(children: ElementContent[]): Element {
  return { type: 'element', tagName: 'span', properties: { className: ['inert-link'], title: "Not a link: its address would come from the alert's labels" }, children };
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
  const slugs = headingSlugs(tree);
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
      if (node.depth >= 2 && node.depth <= 3) toc.push({ depth: node.depth, text, slug });
      const anchor: Element = {
        type: 'element',
        tagName: 'a',
        properties: { className: ['anchor'], href: `#${slug}`, dataPagefindIgnore: '' },
        children: [
          { type: 'element', tagName: 'span', properties: { ariaHidden: 'true' }, children: [{ type: 'text', value: '#' }] },
          { type: 'element', tagName: 'span', properties: { className: ['sr-only'] }, children: [{ type: 'text', value: `Link to section ${text}` }] },
        ],
      };
      return { type: 'element', tagName: `h${node.depth}`, properties: { id: slug }, children: [...state.all(node), { type: 'text', value: ' ' }, anchor] };
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
      const titled = title === undefined ? {} : hasPlaceholder(title) ? { title: fillPlaceholders(title, new Map()), dataTitle: title } : { title };
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
      return { type: 'element', tagName: 'a', properties: { href: tokenUrl(node.url), dataHref: restorePlaceholders(node.url), ...titled }, children };
    },
    image(state: State, node: Image) {
      const alt = node.alt ?? '';
      labels.push(...labelNames(alt), ...labelNames(node.url), ...labelNames(node.title ?? ''));
      const properties: Element['properties'] = hasPlaceholder(alt) ? { alt: fillPlaceholders(alt, new Map()), dataAlt: alt } : { alt };
      if (node.title) Object.assign(properties, hasPlaceholder(node.title) ? { title: fillPlaceholders(node.title, new Map()), dataTitle: node.title } : { title: node.title });
      if (!hasPlaceholder(node.url)) return { type: 'element', tagName: 'img', properties: { src: node.url, ...properties }, children: [] };
      if (!fillableUrl(node.url)) return inert([{ type: 'text', value: fillPlaceholders(alt, new Map()) }]);
      return { type: 'element', tagName: 'img', properties: { src: tokenUrl(node.url), dataSrc: restorePlaceholders(node.url), ...properties }, children: [] };
    },
    text(_state: State, node: Text) {
      labels.push(...labelNames(node.value));
      return textWithSlots(node.value);
    },
  };
  const hast = toHast(tree, { handlers, allowDangerousHtml: false }) as HastRoot;
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
