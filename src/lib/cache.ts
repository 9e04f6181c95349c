import { hash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode, type Encoded, type Parsed } from './workers/encoding.ts';

/*
 * What is cached, and why nothing else needs a key: only parse results (the Runbook and RuleFile
 * data), which are a pure function of a file's text and its repo-relative path. They do not depend
 * on the config or the runbook schema: schema validation, cross-file checks and every other check
 * run again on the whole project at each run. So an entry is valid when its file's content hash
 * matches, and the whole cache is valid while the tool that parsed it is the same: its version,
 * the source of its parser code (src/lib) and the versions of the parsing libraries.
 */

/** Bumped when the file layout below changes. */
const FORMAT = 'runbooks-lint-cache/1';

const LIB_DIR = path.dirname(fileURLToPath(import.meta.url));
const TOOL_ROOT = path.resolve(LIB_DIR, '../..');

/** The libraries whose output ends up in a parse result. */
const PARSER_PACKAGES = ['unified', 'remark-parse', 'remark-frontmatter', 'micromark', 'mdast-util-from-markdown', 'yaml', 'github-slugger'];

/** The cache file's name inside the cache folder. */
const CACHE_FILE = 'lint-cache';

/**
 * The cache file for a project rooted at `root`: by default `.cache/runbooks/lint-cache` beside
 * the config (a folder many repositories already ignore, and that works without node_modules,
 * e.g. when the tool runs through npx). `option` (--cache-location, relative to `cwd`) names the
 * file, or a folder to put it in when it ends with a slash or is an existing folder.
 */
export function cacheLocationFor(root: string, cwd: string, option?: string): string {
  if (option === undefined || option === '') return path.join(root, '.cache', 'runbooks', CACHE_FILE);
  const resolved = path.resolve(cwd, option);
  let isFolder = /[\\/]$/.test(option);
  try {
    isFolder ||= statSync(resolved).isDirectory();
  } catch {
    // Not there yet: a file path, created on the first save.
  }
  return isFolder ? path.join(resolved, CACHE_FILE) : resolved;
}

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

/** The tool's version, from its package.json. */
function toolVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(TOOL_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Identifies the parser: the tool's version, a hash of every source file under src/lib (parse
 * results come from there; hashing all of it, ~50 small files, costs a few milliseconds and cannot
 * miss a file the parser starts to import) and the parsing libraries' versions.
 */
export function toolKey(version: string = toolVersion()): string {
  if (sourcesMemo === undefined) {
    const parts: string[] = [];
    const sources = (readdirSync(LIB_DIR, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
    for (const file of sources) parts.push(file, contentHash(readFileSync(path.join(LIB_DIR, file), 'utf8')));
    for (const name of PARSER_PACKAGES) parts.push(name, packageVersion(name));
    sourcesMemo = parts.join('\n');
  }
  return contentHash(`${FORMAT}\n${version}\n${sourcesMemo}`);
}

interface Entry {
  hash: string;
  /** The parse result as JSON text. */
  json: string;
}

/**
 * Parse results kept between runs, as ESLint's --cache: one file holding, per repo-relative path,
 * the content hash and the parse result. The file is a header line, then one line per file:
 * `<path as JSON>\t<hash>\t<result as JSON>` (JSON text holds no raw tab or newline), so loading
 * it costs a split, and only entries that are used are parsed, and rewriting it reuses their text.
 */
export class ParseCache {
  readonly location: string;
  readonly #key: string;
  readonly #loaded = new Map<string, Entry>();
  readonly #current = new Map<string, Entry>();
  #changed = false;

  private constructor(location: string, key: string) {
    this.location = location;
    this.#key = key;
  }

  /**
   * Opens the cache file at `location`. A missing, unreadable, corrupt or outdated file (another
   * tool version) is an empty cache, never an error. `key` defaults to this tool's `toolKey()`.
   */
  static open(location: string, key: string = toolKey()): ParseCache {
    const cache = new ParseCache(location, key);
    let text: string;
    try {
      text = readFileSync(location, 'utf8');
    } catch {
      return cache;
    }
    const lines = text.split('\n');
    if (lines[0] !== `${FORMAT}\t${key}`) return cache;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const first = line.indexOf('\t');
      const second = first < 0 ? -1 : line.indexOf('\t', first + 1);
      if (second < 0) continue;
      try {
        const file = JSON.parse(line.slice(0, first)) as unknown;
        if (typeof file === 'string') cache.#loaded.set(file, { hash: line.slice(first + 1, second), json: line.slice(second + 1) });
      } catch {
        // A damaged line is a missing entry; that file is parsed again.
      }
    }
    return cache;
  }

  /** Number of entries read from the file. */
  get size(): number {
    return this.#loaded.size;
  }

  /** Whether the file had an entry for this path, whatever its hash: a hint of how much will be parsed. */
  has(file: string): boolean {
    return this.#loaded.has(file);
  }

  /** The cached parse result of `file` when its content hash is `hash`; keeps the entry for the next save. */
  get(file: string, hash: string): Parsed | undefined {
    const entry = this.#loaded.get(file);
    if (!entry || entry.hash !== hash) return undefined;
    let parsed: Parsed;
    try {
      parsed = JSON.parse(entry.json) as Parsed;
    } catch {
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || parsed.file !== file) return undefined;
    this.#current.set(file, entry);
    return parsed;
  }

  /** Records a fresh parse result; results JSON cannot carry exactly are not kept. */
  set(file: string, hash: string, encoded: Encoded): void {
    this.#changed = true;
    // Results JSON cannot carry exactly (see encoding.ts) are parsed again next time.
    const json = encoded.json ?? encode(encoded.data).json;
    if (json !== undefined) this.#current.set(file, { hash, json });
  }

  /**
   * Writes the entries used or set in this run (files that are gone drop out), atomically, when
   * anything changed. A cache that cannot be written is skipped silently: it only costs speed.
   */
  save(): boolean {
    if (!this.#changed && this.#current.size === this.#loaded.size) return false;
    const lines = [`${FORMAT}\t${this.#key}`];
    for (const [file, entry] of this.#current) lines.push(`${JSON.stringify(file)}\t${entry.hash}\t${entry.json}`);
    const dir = path.dirname(this.location);
    const temporary = `${this.location}.${process.pid}.tmp`;
    try {
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        // As pytest does: the cache folder ignores itself, so it is never committed.
        if (path.basename(dir) === 'runbooks' && path.basename(path.dirname(dir)) === '.cache') writeFileSync(path.join(dir, '.gitignore'), '*\n');
      }
      writeFileSync(temporary, `${lines.join('\n')}\n`);
      renameSync(temporary, this.location);
      return true;
    } catch {
      rmSync(temporary, { force: true });
      return false;
    }
  }
}
