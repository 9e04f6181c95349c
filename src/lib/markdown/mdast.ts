import type { Nodes, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { protectPlaceholders } from './placeholders.ts';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

/**
 * Parses GitHub Flavored Markdown with YAML frontmatter into an mdast tree, for the site to render. The linter
 * reads the same micromark tokens without building the tree (runbook-reader.ts); a test holds the two
 * to the same facts.
 */
export function parseMarkdown(text: string): Root {
  return processor.parse(protectPlaceholders(text));
}

/** The plain text of a node, as a heading's anchor is made from it. */
export function plainText(node: Nodes): string {
  if ('value' in node && node.type !== 'yaml' && node.type !== 'html') return node.value;
  if ('children' in node) return node.children.map((child) => plainText(child)).join('');
  return '';
}
