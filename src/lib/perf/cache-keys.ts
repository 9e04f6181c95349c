import { hash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolVersion } from '../config/tool.ts';

/*
 * What the cache's contents follow from besides the files (perf/cache.ts): the parser, for parse
 * results (toolKey); the checks and the config, for the findings it keeps (findingsKey).
 */

/** Bumped when the cache file's layout (perf/cache.ts) changes. */
export const FORMAT = 'runbooks-lint-cache/5';

const LIB_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The libraries whose output ends up in a parse result. */
const PARSER_PACKAGES = [
  'micromark',
  'micromark-extension-frontmatter',
  'micromark-extension-gfm',
  'micromark-extension-gfm-autolink-literal',
  'micromark-extension-gfm-footnote',
  'micromark-extension-gfm-strikethrough',
  'micromark-extension-gfm-table',
  'micromark-extension-gfm-task-list-item',
  'micromark-util-subtokenize',
  'micromark-util-decode-numeric-character-reference',
  'decode-named-character-reference',
  'yaml',
  'github-slugger',
  'markdown-it',
  'entities',
  'mdurl',
  'uc.micro',
  'js-yaml',
  '@prometheus-io/lezer-promql',
  '@lezer/lr',
];

/** A file's content hash, as cache entries are keyed. */
export function contentHash(text: string): string {
  return hash('sha1', text, 'base64');
}

function packageVersion(name: string): string {
  try {
    for (let dir = path.dirname(fileURLToPath(import.meta.resolve(name))); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name: found, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (found === name) return version ?? 'unknown';
    }
  } catch {
    // Not resolvable from here (an unusual install layout): the tool version still keys the cache.
  }
  return 'unknown';
}

let sourcesMemo: string | undefined;

/** This module's extension: .ts when run from the sources, .js in the installed package (compiled, imports rewritten). */
const EXT = path.extname(fileURLToPath(import.meta.url));
/** Where parse results come from: a worker parses with exactly what these import. */
const PARSER_ENTRIES = [`workers/jobs${EXT}`, `workers/encoding${EXT}`];
/** Where findings come from: the checks, and the engine that runs them. */
const CHECK_ENTRIES = [`../checks/index${EXT}`, `../engine/lint${EXT}`];
const RELATIVE_IMPORT = new RegExp(String.raw`(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+\.${EXT.slice(1)})['"]`, 'g');

/** A source file's content hash and the files it imports (relative imports only), read once per process. */
const sourceFiles = new Map<string, { hash: string; imports: string[] }>();

function sourceFile(file: string): { hash: string; imports: string[] } {
  let known = sourceFiles.get(file);
  if (known === undefined) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // A file that cannot be read keys as empty and imports nothing; it would fail the run anyway.
    }
    const imports = [...text.matchAll(RELATIVE_IMPORT)].map((match) => path.resolve(path.dirname(file), match[1] as string));
    known = { hash: contentHash(text), imports };
    sourceFiles.set(file, known);
  }
  return known;
}

/** The given entries' source files and every file they import, each with its content hash, a line each. */
function sourcesKey(entries: readonly string[]): string {
  const found = new Set<string>();
  const visit = (file: string): void => {
    if (found.has(file)) return;
    found.add(file);
    for (const imported of sourceFile(file).imports) visit(imported);
  };
  for (const entry of entries) visit(path.join(LIB_DIR, entry));
  return [...found]
    .sort()
    .map((file) => `${path.relative(LIB_DIR, file)}\n${sourceFile(file).hash}`)
    .join('\n');
}

/**
 * Identifies the parser: the tool's version, a hash of the parser's source files (the import
 * graph of the worker's parsing code: an edit to a check does not throw the cache
 * away, an edit to the parser does) and the parsing libraries' versions.
 */
export function toolKey(version: string = toolVersion()): string {
  if (sourcesMemo === undefined) {
    const parts = [sourcesKey(PARSER_ENTRIES)];
    for (const name of PARSER_PACKAGES) parts.push(name, packageVersion(name));
    sourcesMemo = parts.join('\n');
  }
  return contentHash(`${FORMAT}\n${version}\n${sourcesMemo}`);
}

let checksMemo: string | undefined;

/** A RegExp in the config keys by its text (JSON would make it `{}`). */
const keyedValue = (_key: string, value: unknown): unknown => (value instanceof RegExp ? `/${value.source}/${value.flags}` : value);

/**
 * Identifies what the findings of the runbook-at-a-time checks follow from, besides the file: the
 * tool's version, the checks' and the engine's source files (an edit to any check throws the
 * findings away, not the parse results), and the run's `settings` (the config, which checks run
 * and with which options).
 */
export function findingsKey(settings: unknown, version: string = toolVersion()): string {
  checksMemo ??= sourcesKey(CHECK_ENTRIES);
  return contentHash(`${version}\n${checksMemo}\n${JSON.stringify(settings, keyedValue)}`);
}
