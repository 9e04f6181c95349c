import GithubSlugger from 'github-slugger';
import type { Nodes, Root, RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Comment, Frontmatter, Heading, Link, Runbook } from './model.ts';
import { claimPointers } from './frontmatter.ts';
import { indexPointers } from './positions.ts';
import { parseYaml } from './yaml.ts';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/** Parses Markdown with YAML frontmatter into an mdast tree, exactly as the linter sees it. */
export function parseMarkdown(text: string): Root {
  return processor.parse(text);
}

/** The plain text of a node, as a heading's anchor is made from it. */
export function plainText(node: Nodes): string {
  if ('value' in node && node.type !== 'yaml' && node.type !== 'html') return node.value;
  if ('children' in node) return node.children.map((child) => plainText(child)).join('');
  return '';
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}

const COMMENT = /<!--([\s\S]*?)-->/g;

function readFrontmatter(tree: Root, text: string, file: string, diagnostics: Runbook['diagnostics']): Frontmatter | undefined {
  const first = tree.children[0];
  if (first?.type === 'yaml' && first.position) {
    const { start, end } = first.position;
    const at = { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
    // The YAML starts on the line after the opening fence.
    const parsed = parseYaml(first.value, file, start.line);
    diagnostics.push(...parsed.diagnostics);
    const document = parsed.documents[0];
    if (parsed.diagnostics.length > 0 || !document) {
      return { data: undefined, state: parsed.diagnostics.length > 0 ? 'invalid' : 'ok', at, pointers: {} };
    }
    return { data: document.data, state: 'ok', at, pointers: claimPointers(indexPointers(document.doc, document.positions)) };
  }
  if (/^---[ \t]*\r?\n/.test(text)) {
    return { data: undefined, state: 'unclosed', at: { line: 1, column: 1, endLine: 1, endColumn: 4 }, pointers: {} };
  }
  return undefined;
}

/** A block of nothing but HTML comments (a template's "write here" note, a suppression) is not content. */
function isOnlyComments(node: RootContent): boolean {
  return node.type === 'html' && /^\s*(?:<!--[\s\S]*?-->\s*)+$/.test(node.value);
}

function readHeadings(tree: Root, lines: number): Heading[] {
  const slugger = new GithubSlugger();
  const headings: Heading[] = [];
  const blocks: RootContent[] = tree.children;
  walk(tree, (node) => {
    if (node.type !== 'heading' || !node.position) return;
    const text = plainText(node).trim();
    headings.push({ depth: node.depth, text, slug: slugger.slug(text), line: node.position.start.line,
      column: node.position.start.column, blocks: 0, sectionEndLine: lines + 1 });
  });
  // A section runs to the next heading of the same or a higher level; its sub-sections' content is its own.
  for (const heading of headings) {
    const next = headings.find((h) => h.line > heading.line && h.depth <= heading.depth);
    heading.sectionEndLine = next?.line ?? lines + 1;
    heading.blocks = blocks.filter((b) => b.type !== 'heading' && !isOnlyComments(b) && b.position !== undefined &&
      b.position.start.line > heading.line && b.position.start.line < heading.sectionEndLine).length;
  }
  return headings;
}

/**
 * Parses one runbook's text into plain facts (no syntax tree), for checks and the cache.
 * `file` is the repo-relative path used in every position.
 */
export function parseRunbook(text: string, file: string): { runbook: Runbook; tree: Root } {
  const tree = parseMarkdown(text);
  const diagnostics: Runbook['diagnostics'] = [];
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  const links: Link[] = [];
  const comments: Comment[] = [];
  walk(tree, (node) => {
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
      case 'html':
        for (const match of node.value.matchAll(COMMENT)) {
          const before = node.value.slice(0, match.index);
          const lineBreaks = before.split('\n').length - 1;
          const column = lineBreaks === 0 ? start.column + before.length : before.length - before.lastIndexOf('\n');
          // Where the comment ends: a suppression's "next line" is the line after it.
          const inner = match[0].split('\n');
          const endLine = start.line + lineBreaks + inner.length - 1;
          const endColumn = inner.length === 1 ? column + match[0].length : (inner.at(-1) ?? '').length + 1;
          comments.push({ value: (match[1] ?? '').trim(), line: start.line + lineBreaks, column, endLine, endColumn });
        }
        break;
    }
  });
  return {
    tree,
    runbook: {
      file,
      frontmatter: readFrontmatter(tree, text, file, diagnostics),
      headings: readHeadings(tree, lines),
      links,
      source: text,
      comments,
      lines,
      diagnostics,
    },
  };
}

/** A runbook that could not be read at all: no facts, only the diagnostic that says why. */
export function unreadableRunbook(file: string, diagnostic: Runbook['diagnostics'][number]): Runbook {
  return { file, frontmatter: undefined, headings: [], links: [], source: '', comments: [], lines: 0, diagnostics: [diagnostic] };
}
