/**
 * The runbook facts read from the mdast tree, the way the linter read them before it read
 * micromark's tokens directly (src/lib/markdown/runbook-reader.ts): the reference that test/runbook-reader.test.ts
 * holds the token reader to. Only the Markdown facts; the frontmatter comes back as its text.
 */
import GithubSlugger from 'github-slugger';
import type { Nodes, Root, RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { plainText } from '../../src/lib/markdown/mdast.ts';
import { protectPlaceholders } from '../../src/lib/markdown/placeholders.ts';
import type { Comment, Footnote, ForeignSyntax, Heading, Link, RawHtml } from '../../src/lib/project/model.ts';
import { htmlFacts, textFacts, type MarkdownFacts } from '../../src/lib/markdown/runbook-reader.ts';

/**
 * The site's processor (src/lib/markdown/mdast.ts) without GFM's autolink-literal transform. That
 * transform finds literals micromark left in text (after a `[`, say) and splits the text node into
 * nodes without positions, which would hide the facts of the whole text (a missing footnote, a
 * shortcode) from a reader that needs positions. The links it adds have no position either, so
 * no fact is lost; the text keeps the positions micromark gave it, as the token reader reads it.
 */
const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();
for (const extension of (processor.data('fromMarkdownExtensions') ?? []).flat()) {
  if ('transforms' in extension) delete extension.transforms;
}
const parseMarkdown = (text: string): Root => processor.parse(protectPlaceholders(text));

function walk(node: Nodes, visit: (node: Nodes, parent: Nodes | undefined) => void, parent?: Nodes): void {
  visit(node, parent);
  if ('children' in node) for (const child of node.children) walk(child, visit, node);
}

const COMMENT = /<!--([\s\S]*?)-->/g;

function isOnlyComments(node: RootContent): boolean {
  return node.type === 'html' && /^\s*(?:<!--[\s\S]*?-->\s*)+$/.test(node.value);
}

function readHeadings(tree: Root, lines: number): Heading[] {
  const slugger = new GithubSlugger();
  const headings: Heading[] = [];
  walk(tree, (node) => {
    if (node.type !== 'heading' || !node.position) return;
    const text = plainText(node).trim();
    headings.push({
      depth: node.depth,
      text,
      slug: slugger.slug(text),
      line: node.position.start.line,
      column: node.position.start.column,
      blocks: 0,
      sectionEndLine: lines + 1,
    });
  });
  for (const heading of headings) {
    const next = headings.find((h) => h.line > heading.line && h.depth <= heading.depth);
    heading.sectionEndLine = next?.line ?? lines + 1;
    heading.blocks = tree.children.filter(
      (b) =>
        b.type !== 'heading' &&
        !isOnlyComments(b) &&
        b.position !== undefined &&
        b.position.start.line > heading.line &&
        b.position.start.line < heading.sectionEndLine,
    ).length;
  }
  return headings;
}

export function mdastFacts(text: string): MarkdownFacts {
  const tree = parseMarkdown(text);
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  const links: Link[] = [];
  const comments: Comment[] = [];
  const footnotes: Footnote[] = [];
  const html: RawHtml[] = [];
  const foreign: ForeignSyntax[] = [];
  walk(tree, (node, parent) => {
    const start = node.position?.start;
    if (!start) return;
    const end = node.position?.end;
    const span = { line: start.line, column: start.column, endLine: end?.line, endColumn: end?.column };
    switch (node.type) {
      case 'link':
      case 'image':
      case 'definition':
        links.push({ url: node.url, kind: node.type, ...span });
        break;
      case 'footnoteReference':
      case 'footnoteDefinition':
        footnotes.push({
          label: node.label ?? node.identifier,
          kind: node.type === 'footnoteReference' ? 'reference' : 'definition',
          ...span,
        });
        break;
      case 'text':
        // An autolink's text is its address (`<https://x/[^1]>`, `www.x.com/{% a %}`), not text of the document.
        if (parent?.type === 'link' && parent.position?.start.offset !== undefined && text[parent.position.start.offset] !== '[') break;
        // The text as written (escapes and references undecoded), as the token reader searches it.
        if (start.offset !== undefined && end?.offset !== undefined)
          textFacts(text.slice(start.offset, end.offset), start, footnotes, foreign);
        break;
      case 'html':
        if (!/^\s*(?:<!--[\s\S]*?-->\s*)+$/.test(node.value)) {
          html.push({ value: node.value, ...span });
          htmlFacts(node.value, start, foreign);
        }
        for (const match of node.value.matchAll(COMMENT)) {
          const before = node.value.slice(0, match.index);
          const lineBreaks = before.split('\n').length - 1;
          const column = lineBreaks === 0 ? start.column + before.length : before.length - before.lastIndexOf('\n');
          const inner = match[0].split('\n');
          const endLine = start.line + lineBreaks + inner.length - 1;
          const endColumn = inner.length === 1 ? column + match[0].length : (inner.at(-1) ?? '').length + 1;
          comments.push({ value: (match[1] ?? '').trim(), line: start.line + lineBreaks, column, endLine, endColumn });
        }
        break;
    }
  });
  const first = tree.children[0];
  const yaml =
    first?.type === 'yaml' && first.position
      ? {
          value: first.value,
          at: {
            line: first.position.start.line,
            column: first.position.start.column,
            endLine: first.position.end.line,
            endColumn: first.position.end.column,
          },
        }
      : undefined;
  const byPlace = (a: { line: number; column: number }, b: { line: number; column: number }): number =>
    a.line - b.line || a.column - b.column;
  return {
    yaml,
    headings: readHeadings(tree, lines),
    links,
    comments,
    footnotes: footnotes.sort(byPlace),
    html,
    foreign: foreign.sort(byPlace),
    lines,
  };
}
