/**
 * Every reader of runbook facts, in one table per kind of input, for test/readers.test.ts to hold
 * to the same facts on the same inputs. The first entry of each table is the reference; every
 * other entry is compared with it (agreement with the reference makes all of them agree).
 *
 * A new reader plugs in with one line: `{ name, facts }` in MARKDOWN_READERS (facts in the shape
 * of `MarkdownFacts`) or `{ name, data }` in YAML_READERS. A reader that leaves some facts to
 * another (positions, say, computed only where a finding needs them) names those properties in
 * `omits`; they are dropped from both sides, at any depth, before comparing, and the test's name
 * says so. Everything else must be equal.
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { markdownFacts, type MarkdownFacts } from '../../src/lib/markdown/runbook-reader.ts';
import { parseYaml } from '../../src/lib/text/yaml.ts';
import { mdastFacts } from './mdast-facts.ts';

/** A reader of a runbook's Markdown: its facts, as `markdownFacts` returns them. */
export interface MarkdownReader {
  name: string;
  facts(text: string, path: string): MarkdownFacts;
  /** Properties this reader does not give, left out of the comparison wherever they occur. */
  omits?: readonly string[];
}

/** What a YAML reader made of a text: the data of each document, or that it refused the text. */
export type YamlResult = { ok: true; documents: unknown[] } | { ok: false; reason: string };

/** A reader of YAML (frontmatter or a rule file): the plain data of every document. */
export interface YamlReader {
  name: string;
  data(text: string, path: string): YamlResult;
}

export const MARKDOWN_READERS: readonly MarkdownReader[] = [
  // The site's tree (remark-parse): what a reader of the page sees.
  { name: 'mdast (remark-parse)', facts: (text) => mdastFacts(text) },
  { name: 'token reader (micromark)', facts: (text) => markdownFacts(text) },
];

export const YAML_READERS: readonly YamlReader[] = [
  // How the linter reads YAML today, with positions (yaml's Documents, the YAML 1.2 core schema).
  {
    name: 'yaml (parseYaml)',
    data: (text, path) => {
      const parsed = parseYaml(text, path);
      return parsed.diagnostics.length === 0 ? { ok: true, documents: parsed.documents.map((d) => d.data) } : { ok: false, reason: parsed.diagnostics[0]?.message ?? '' };
    },
  },
  // js-yaml as a fast reader would use it: the YAML 1.2 core schema, no merge keys, plain data.
  {
    name: 'js-yaml (core schema)',
    data: (text) => {
      try {
        return { ok: true, documents: loadAll(text, { schema: CORE_SCHEMA }) };
      } catch (error) {
        return { ok: false, reason: (error as Error).message.split('\n')[0] ?? '' };
      }
    },
  },
];

/** `value` without the named properties, at any depth: what two readers are compared on. */
export function without<T>(value: T, omits: readonly string[] | undefined): T {
  if (!omits || omits.length === 0) return value;
  const drop = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(drop);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).filter(([key]) => !omits.includes(key)).map(([key, inner]) => [key, drop(inner)]));
  };
  return drop(value) as T;
}
