/**
 * Every reader of runbook facts, in one table per kind of input, for test/readers.test.ts to hold
 * to the same facts on the same inputs. The first entry of each table is the reference; every
 * other entry is compared with it (agreement with the reference makes all of them agree).
 *
 * A new reader plugs in with one line in its table:
 * - MARKDOWN_READERS `{ name, facts(text, path) }`: a runbook's Markdown facts (`MarkdownFacts`);
 * - YAML_READERS `{ name, data(text, path) }`: the plain data of every document, or a refusal;
 * - RUNBOOK_READERS `{ name, runbook(text, path) }`: a whole runbook as the linter keeps it
 *   (`Runbook`: facts, frontmatter data and pointers, diagnostics), as `parseRunbook` gives it;
 * - RULE_FILE_READERS `{ name, ruleFile(text, path) }`: a rule file as `readRuleFile` gives it.
 * A reader that leaves some facts to another (positions, say, computed only where a finding needs
 * them) names those properties in `omits`; they are dropped from both sides, at any depth, before
 * comparing, and the test's name says so. Everything else must be equal.
 */
import { isDeepStrictEqual } from 'node:util';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { markdownFacts, parseRunbook, type MarkdownFacts } from '../../src/lib/markdown/runbook-reader.ts';
import type { RuleFile, Runbook } from '../../src/lib/project/model.ts';
import { readRuleFile } from '../../src/lib/sources/index.ts';
import { parseYaml } from '../../src/lib/text/yaml.ts';
import { mdastFacts } from './mdast-facts.ts';
import { fastMarkdownFacts } from '../../src/lib/markdown/fast-reader.ts';
import { protectPlaceholders } from '../../src/lib/markdown/placeholders.ts';
import { fastYamlData } from '../../src/lib/text/fast-yaml.ts';
import { fastRunbook } from './reader-facts.ts';

/** A reader of a runbook's Markdown: its facts, as `markdownFacts` returns them. */
export interface MarkdownReader {
  name: string;
  facts(text: string, path: string): MarkdownFacts;
  /** Properties this reader does not give, left out of the comparison wherever they occur. */
  omits?: readonly string[];
}

/** What a YAML reader made of a text: the data of each document, or that it refused the text. */
type YamlResult = { ok: true; documents: unknown[] } | { ok: false; reason: string };

/** A reader of YAML (frontmatter or a rule file): the plain data of every document. */
export interface YamlReader {
  name: string;
  data(text: string, path: string): YamlResult;
}

/** A reader of a whole runbook file, as the linter keeps it. */
export interface RunbookReader {
  name: string;
  runbook(text: string, path: string): Runbook;
  omits?: readonly string[];
}

/** A reader of a whole rule file, as the linter keeps it. */
export interface RuleFileReader {
  name: string;
  ruleFile(text: string, path: string): RuleFile;
  omits?: readonly string[];
}

export const RUNBOOK_READERS: readonly RunbookReader[] = [
  { name: 'parseRunbook (micromark, yaml)', runbook: parseRunbook },
  { name: 'parseRunbook fast (markdown-it and js-yaml where they read alike, claims located with yaml)', runbook: fastRunbook },
];

export const RULE_FILE_READERS: readonly RuleFileReader[] = [
  { name: 'readRuleFile (yaml)', ruleFile: readRuleFile },
  {
    name: 'readRuleFile fast (a line scanner composes the nodes where the text is in its subset)',
    ruleFile: (text, path) => readRuleFile(text, path, { fast: true }),
  },
];

export const MARKDOWN_READERS: readonly MarkdownReader[] = [
  // The site's tree (remark-parse): what a reader of the page sees.
  { name: 'mdast (remark-parse)', facts: (text) => mdastFacts(text) },
  { name: 'token reader (micromark)', facts: (text) => markdownFacts(text) },
  {
    name: 'fast reader (markdown-it; micromark where it declines)',
    facts: (text) => fastMarkdownFacts(protectPlaceholders(text)) ?? markdownFacts(text),
  },
];

export const YAML_READERS: readonly YamlReader[] = [
  // How the linter reads YAML today, with positions (yaml's Documents, the YAML 1.2 core schema).
  {
    name: 'yaml (parseYaml)',
    data: (text, path) => {
      const parsed = parseYaml(text, path);
      return parsed.diagnostics.length === 0
        ? { ok: true, documents: parsed.documents.map((d) => d.data) }
        : { ok: false, reason: parsed.diagnostics[0]?.message ?? '' };
    },
  },
  // js-yaml as a fast reader would use it: the YAML 1.2 core schema, no merge keys, plain data,
  // and `yaml` for the texts where the two give different data (JS_YAML_DIFFERS).
  {
    name: 'js-yaml (core schema; defers to yaml where they differ)',
    data: (text) => {
      const differs = JS_YAML_DIFFERS.find(({ pattern }) => pattern.test(text));
      if (differs) return { ok: false, reason: `deferred: ${differs.what}` };
      try {
        return { ok: true, documents: loadAll(text, { schema: CORE_SCHEMA }) };
      } catch (error) {
        return { ok: false, reason: (error as Error).message.split('\n')[0] ?? '' };
      }
    },
  },
  // The linter's fast frontmatter reader (text/fast-yaml.ts): js-yaml on a line-by-line subset, else declined.
  {
    name: 'fastYamlData (js-yaml on a plain subset)',
    data: (text) => {
      const data = fastYamlData(text);
      return data === undefined ? { ok: false, reason: 'declined' } : { ok: true, documents: [data] };
    },
  },
];

/**
 * Where js-yaml 5 (core schema) and `yaml` (core schema, toJS) both accept a text but give different
 * data, found by test/readers.test.ts. A fast path on js-yaml must hand these texts to `yaml`; the
 * patterns err on the side of deferring (a `!` in a quoted string defers too, at no cost but speed).
 */
const JS_YAML_DIFFERS: readonly { what: string; pattern: RegExp }[] = [
  // `!!float 1` is 1 to js-yaml and "1" to yaml; `!!map ""` is {} and ""; unknown tags are an error to js-yaml only.
  { what: 'a tag', pattern: /(?:^|[\s[{,])!/m },
  // `~: x` and `null: x` have the key "null" in js-yaml and "" in yaml.
  { what: 'a null key', pattern: /(?:^|[{,?])[ \t]*(?:-[ \t]+)*(?:\?[ \t]+)?(?:~|null|Null|NULL)?[ \t]*:(?=[ \t]|$)/m },
  // js-yaml reads `key: &a b: 1` as {key: {b: 1}}; yaml refuses a mapping on the line of its parent's key.
  { what: 'an anchor', pattern: /(?:^|[\s[{,])&\S/m },
  // A `...` with no document before it (at the start, or right after another `...`): an empty document to yaml, none to js-yaml.
  {
    what: 'a document end marker with no document',
    pattern: /(?:^|\n\.\.\.[ \t]*\r?\n)(?:[ \t]*(?:#[^\n]*)?\r?\n)*\.\.\.[ \t]*(?:\r?\n|$)/,
  },
  // A document-level block scalar with an indentation indicator (`|2`): js-yaml counts from column 0, yaml from -1.
  {
    what: 'a block scalar with an indentation indicator at the top level',
    pattern: /^(?:---[ \t]+)?(?:[&!]\S*[ \t]+)*[|>](?:[1-9][-+]?|[-+][1-9])/m,
  },
];

/** `value` without the named properties, at any depth: what two readers are compared on. */
function without<T>(value: T, omits: readonly string[] | undefined): T {
  if (!omits || omits.length === 0) return value;
  const drop = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(drop);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([key]) => !omits.includes(key))
        .map(([key, inner]) => [key, drop(inner)]),
    );
  };
  return drop(value) as T;
}

/** Drops properties whose value is undefined, at any depth: `{ a: undefined }` and `{}` say the same. */
function defined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(defined);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, defined(v)]),
  );
}

/** Where `reader` and the reference disagree on a Markdown text: both sides' facts, or undefined when they agree. */
export function markdownDisagreement(
  reader: MarkdownReader,
  text: string,
  path = 'runbook.md',
): { expected: unknown; actual: unknown } | undefined {
  const reference = MARKDOWN_READERS[0] as MarkdownReader;
  const expected = defined(without(reference.facts(text, path), reader.omits));
  const actual = defined(without(reader.facts(text, path), reader.omits));
  return isDeepStrictEqual(actual, expected) ? undefined : { expected, actual };
}

/** Where a whole-file reader and its table's reference disagree: both sides, or undefined when they agree. */
export function fileDisagreement<T>(
  read: (text: string, path: string) => T,
  reference: (text: string, path: string) => T,
  omits: readonly string[] | undefined,
  text: string,
  path: string,
): { expected: unknown; actual: unknown } | undefined {
  const expected = defined(without(reference(text, path), omits));
  const actual = defined(without(read(text, path), omits));
  return isDeepStrictEqual(actual, expected) ? undefined : { expected, actual };
}

/**
 * How `reader` and the reference read a YAML text. They disagree when both accept it and give
 * other data, or when `reader` accepts what the reference refuses (a fast path would miss the
 * parse error). A reader may refuse what the reference accepts: a fast path then hands the text
 * to the reference. `compared` says whether the data were compared.
 */
export function yamlDisagreement(
  reader: YamlReader,
  text: string,
  path = 'file.yaml',
): { compared: boolean; disagreement?: { expected: unknown; actual: unknown } } {
  const reference = YAML_READERS[0] as YamlReader;
  const actual = reader.data(text, path);
  if (!actual.ok) return { compared: false };
  const expected = reference.data(text, path);
  if (!expected.ok) return { compared: false, disagreement: { expected, actual } };
  const same = isDeepStrictEqual(defined(actual.documents), defined(expected.documents));
  return { compared: true, ...(same ? {} : { disagreement: { expected: expected.documents, actual: actual.documents } }) };
}
