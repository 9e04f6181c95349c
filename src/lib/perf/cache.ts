import { hash } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { toolVersion } from '../config/tool.ts';
import { encode, revive, type Encoded, type Parsed } from './workers/encoding.ts';
import { isFindings, isParsed } from './workers/shape.ts';
import type { Runbook } from '../project/model.ts';

/*
 * Parse results are cached: a pure function of a file's text and path, so an entry needs no
 * key but its content hash, and the whole cache none but the parser's identity (toolKey). Beside
 * them, the findings of the checks that look at one runbook at a time (Check.eachRunbook), keyed
 * by content hash and by the checks' identity and config (findingsKey). The format, trust and
 * ownership rules are in ARCHITECTURE.md ("The parse cache").
 */

/** What every cache file of this tool starts with, whatever its version: a file without it is not ours. */
const FORMAT_PREFIX = 'runbooks-lint-cache/';
/** Bumped when the file layout below changes. */
const FORMAT = 'runbooks-lint-cache/4';

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

/** The cache file's name inside the cache folder. */
const CACHE_FILE = 'lint-cache';

/**
 * The mark of a folder the cache owns: a CACHEDIR.TAG (https://bford.info/cachedir/), which backup
 * tools also know to skip. The cache writes only into a folder it created, or one it adopted
 * because it held nothing or nothing but this tool's cache files (as an earlier version left them).
 */
const MARKER = 'CACHEDIR.TAG';
const MARKER_TEXT =
  'Signature: 8a477f597d28d172789f06886806bc55\n# The parse cache of runbooks lint: it may be deleted at any time, and holds nothing else.\n';
const GITIGNORE = '*\n';
/** Temporary files of a save in progress (or of a run killed during one). */
const TEMPORARY = /^lint-cache\.\d+\.tmp$/;

/**
 * The cache file for a project rooted at `root`: by default in `.cache/runbooks/` beside the config
 * (a folder many repositories already ignore, and that works without node_modules, e.g. when the
 * tool runs through npx). `option` (--cache-location, relative to `cwd`) names another folder for
 * the cache to own. A location the cache cannot own (the project's root, a folder of other files,
 * the config, a FIFO, /dev/full) is refused, never written into or opened.
 */
export function cacheLocationFor(root: string, cwd: string, option?: string): string {
  const located = checkedCacheLocation(root, cwd, option);
  if ('error' in located) throw new Error(located.error);
  return located.location;
}

/** As cacheLocationFor, but says why a location is refused instead of throwing. */
export function checkedCacheLocation(root: string, cwd: string, option?: string): { location: string } | { error: string } {
  const given = option !== undefined && option !== '';
  const folder = given ? path.resolve(cwd, option) : path.join(root, '.cache', 'runbooks');
  const location = path.join(folder, CACHE_FILE);
  const problem = notOwnable(folder) ?? (notAFile(location) === undefined ? undefined : `${CACHE_FILE} in it is not a file`);
  if (problem === undefined) return { location };
  const what = given ? `--cache-location ${option}` : `the cache folder ${path.relative(cwd, folder) || '.'}`;
  return {
    error: `${what}: ${problem}; the cache needs a folder of its own: name a new one (e.g. --cache-location .cache/runbooks/) or use --no-cache`,
  };
}

/** Why the path cannot hold a cache file at all (a folder, a FIFO, a device), or undefined when it is missing or a regular file. */
function notAFile(location: string): string | undefined {
  let info;
  try {
    info = lstatSync(location, { throwIfNoEntry: false });
  } catch (error) {
    // ENOTDIR: a file where its folder should be, which ownFolder replaces when it is an old cache.
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    return `it cannot be examined (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (!info || info.isFile()) return undefined;
  return `${info.isSymbolicLink() ? 'a symbolic link' : info.isDirectory() ? 'a folder' : 'a special file (FIFO, socket or device)'} is there, not a cache file`;
}

/** Whether `file` is a regular file that starts as every cache file of this tool does. */
function isCacheFile(file: string): boolean {
  if (notAFile(file) !== undefined) return false;
  const header = Buffer.alloc(FORMAT_PREFIX.length);
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    readSync(fd, header, 0, header.length, 0);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return header.toString('latin1') === FORMAT_PREFIX;
}

/** Whether a name in an unmarked folder is one this tool would have put there. */
function isOurs(folder: string, name: string): boolean {
  const full = path.join(folder, name);
  if (name === CACHE_FILE) return isCacheFile(full);
  if (TEMPORARY.test(name)) return notAFile(full) === undefined;
  if (name === '.gitignore') {
    try {
      return notAFile(full) === undefined && readFileSync(full, 'utf8') === GITIGNORE;
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Why the cache cannot own `folder`, or undefined when it can: missing (it will be created), marked
 * as the cache's, empty or holding only this tool's cache files, or a cache file of a version that
 * took --cache-location for a file (replaced by a folder of the same name).
 */
function notOwnable(folder: string): string | undefined {
  let info;
  try {
    info = lstatSync(folder, { throwIfNoEntry: false });
  } catch (error) {
    return `a file is where one of its parent folders should be (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (!info) return undefined;
  // A link to a folder is followed (a cache kept on another disk); a link to anything else is not.
  if (info.isSymbolicLink()) info = statSync(folder, { throwIfNoEntry: false }) ?? info;
  if (info.isFile()) return isCacheFile(folder) ? undefined : 'that is a file, not a folder, and it is not a runbooks cache';
  if (!info.isDirectory()) return 'a special file (FIFO, socket, device or broken link) is there, not a folder';
  if (existsSync(path.join(folder, MARKER))) return undefined;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    return `the folder cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const foreign = names.find((name) => !isOurs(folder, name));
  return foreign === undefined
    ? undefined
    : `the folder holds files that are not the cache's (${JSON.stringify(foreign)}${names.length > 1 ? ', …' : ''})`;
}

/**
 * Makes `folder` the cache's own (see notOwnable): creates it, or replaces an old cache file by it,
 * and marks it; false when it cannot be owned.
 */
function ownFolder(folder: string): boolean {
  if (notOwnable(folder) !== undefined) return false;
  if (existsSync(path.join(folder, MARKER))) return true;
  // An earlier version's cache file where the folder goes: it is only a cache, the next run rebuilds it.
  if (lstatSync(folder, { throwIfNoEntry: false })?.isFile()) rmSync(folder);
  mkdirSync(folder, { recursive: true });
  // As pytest does: the cache folder ignores itself, so it is never committed.
  if (!existsSync(path.join(folder, '.gitignore'))) writeFileSync(path.join(folder, '.gitignore'), GITIGNORE, { flag: 'wx' });
  writeFileSync(path.join(folder, MARKER), MARKER_TEXT, { flag: 'wx' });
  return true;
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

/** This module's extension: .ts when run from the sources, .js in the installed package (compiled, imports rewritten). */
const EXT = path.extname(fileURLToPath(import.meta.url));
/** Where parse results come from: a worker parses with exactly what these import. */
const PARSER_ENTRIES = [`workers/jobs${EXT}`, `workers/encoding${EXT}`];
/** Where findings come from: the checks, and the engine that runs them. */
const CHECK_ENTRIES = [`../checks/index${EXT}`, `../engine/lint${EXT}`];
const RELATIVE_IMPORT = new RegExp(String.raw`(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+\.${EXT.slice(1)})['"]`, 'g');

/** The given entries' source files and every file they import, followed through relative imports. */
function sourcesOf(entries: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (file: string): void => {
    if (found.has(file)) return;
    found.add(file);
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const match of text.matchAll(RELATIVE_IMPORT)) visit(path.resolve(path.dirname(file), match[1] as string));
  };
  for (const entry of entries) visit(path.join(LIB_DIR, entry));
  return [...found].sort();
}

/** Each source file's path and content hash, a line each. */
function sourcesKey(entries: readonly string[]): string {
  const parts: string[] = [];
  for (const file of sourcesOf(entries)) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // A file that cannot be read keys as empty; it would fail the run anyway.
    }
    parts.push(path.relative(LIB_DIR, file), contentHash(text));
  }
  return parts.join('\n');
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

/** A cached runbook's source changed on disk since the run found the runbook unchanged. */
export class SourceChanged extends Error {}

/** The text of the runbook at `absolute` when its content hash is still `hash`. */
function sourceOf(absolute: string, hash: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch {
    throw new SourceChanged(`${file} could not be read again during this run: run the command again`);
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (contentHash(text) !== hash) throw new SourceChanged(`${file} changed during this run: run the command again`);
  return text;
}

/** Sets `source` as a plain property, as the parser gives it. */
function setSource(runbook: Runbook, value: string): void {
  Object.defineProperty(runbook, 'source', { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Gives a runbook the cache kept without its source (see encoding.ts) the file's text, read when
 * it is first wanted: most runs need no runbook's text, only where a finding is in a few.
 */
function readSourceWhenWanted(runbook: Runbook, absolute: string, hash: string): void {
  Object.defineProperty(runbook, 'source', {
    enumerable: true,
    configurable: true,
    get(): string {
      const text = sourceOf(absolute, hash, runbook.file);
      setSource(runbook, text);
      return text;
    },
    set(value: string) {
      setSource(runbook, value);
    },
  });
}

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

/** What the cache needs of a file's metadata (a subset of fs.Stats). */
export interface FileStat {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

interface Entry {
  hash: string;
  /** `size:mtimeMs:ctimeMs:ino` of the file when its hash was last checked, and when (ms), `:`-joined. */
  meta: string;
  /** The parse result as JSON text. */
  json: string;
  /** contentHash of `hash` and `json`: an entry altered in any way is a miss. */
  sum: string;
}

/** A checksum against damage, not against an adversary: CRC-32 runs at memory speed, where a cryptographic hash would slow every warm run. */
const entrySum = (hash: string, json: string): string => crc32(json, crc32(hash)).toString(36);

/** Lines are written to the temporary file in chunks of about this size. */
const WRITE_CHUNK = 1 << 20;

/**
 * A file changed less than this before its hash was checked may have changed again within the
 * same timestamp tick (1-2 s on some file systems) without its metadata showing it: its metadata
 * is not trusted, it is read and hashed again (git's "racy clean" rule).
 */
const RACY_MS = 2000;

/**
 * Rewriting the whole cache to record a few re-parsed files costs more than parsing them again on
 * the next runs: the two constants below model parsing a runbook against writing the cache. So a warm run that changed fewer files than that
 * balance leaves the file as it is; those files are parsed again until enough have changed.
 */
const REPARSE_MS = 1.5;
const WRITE_BYTES_PER_MS = 400_000;
/**
 * Entries of files that are gone are kept until they are this share of the cache. And entries whose
 * metadata could not spare this run the read (recorded too soon after a change to be trusted, see
 * RACY_MS, or not the file's metadata any more: touched, copied, checked out again), and that this
 * run read and confirmed, are recorded again once they are this share: until then, every run reads
 * and hashes those files (after a checkout, a cold run at once, then every run after it).
 */
const MAX_STALE_SHARE = 0.1;

const metaOf = (stat: FileStat): string => `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;

/** Whether an entry's metadata is `stat`'s, recorded long enough after the file's last change to spare reading it. */
function trusted(entry: Entry, stat: FileStat): boolean {
  const checkedAt = Number(entry.meta.slice(entry.meta.lastIndexOf(':') + 1));
  return entry.meta.startsWith(`${metaOf(stat)}:`) && checkedAt - Math.max(stat.mtimeMs, stat.ctimeMs) >= RACY_MS;
}

/** A runbook-at-a-time check's findings in one file, by check id (see Check.eachRunbook), as JSON. */
interface KeptFindings {
  hash: string;
  json: string;
  /** contentHash of `hash` and `json`, as an entry's. */
  sum: string;
}

/** The line that starts the findings, after the entries: no entry's line starts with a letter. */
const FINDINGS_HEADER = 'findings\t';

/**
 * Parse results kept between runs, as ESLint's --cache: a header line, then one line per file,
 * `<path as JSON>\t<hash>\t<metadata>\t<sum>\t<result as JSON>` (JSON text holds no raw tab or
 * newline), then `findings\t<findingsKey>` and a line per runbook, `<path as JSON>\t<hash>\t<sum>\t<findings as JSON>`.
 * Unchanged metadata spares hashing a file unless it was recorded within RACY_MS of a change; the
 * new file is streamed to a temporary file from the first change on and renamed over the old one.
 * A runbook's source is not kept when it is the file's text (see encoding.ts): a cached runbook
 * reads it from the file when it is first wanted (by a finding's position, say), checked against
 * the entry's hash.
 */
export class ParseCache {
  readonly location: string;
  readonly #key: string;
  readonly #loaded = new Map<string, Entry>();
  /** Entries to keep, until the writer opens; after that, kept entries are written at once. */
  readonly #kept = new Map<string, Entry>();
  #keptCount = 0;
  /** Entries read again only because their metadata could not be trusted, and now would be (see MAX_STALE_SHARE). */
  #confirmed = 0;
  /** Fresh results not yet written, while a rewrite is not yet worth it. */
  readonly #pending = new Map<string, Entry>();
  #loadedBytes = 0;
  /** Findings read from the file, under #findingsKey; and this run's, to write. */
  readonly #loadedFindings = new Map<string, KeptFindings>();
  #findingsKey = '';
  readonly #findings = new Map<string, KeptFindings>();
  #runFindingsKey: string | undefined;
  /** Files whose findings this run found afresh, where the file's entry was kept. */
  #foundAgain = 0;
  /** The content hash of the entry this run uses for each file, as found or set. */
  readonly #used = new Map<string, string>();
  /** The file being written, and the content hash of each entry written to it. */
  #writer: { fd: number; temporary: string; chunk: string[]; size: number; hashes: Map<string, string> } | undefined;
  /** Writing failed (a read-only folder, a full disk): the run goes on without saving. */
  #broken = false;
  readonly #now = Date.now();

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
    // Only a regular file is read: a FIFO there would block the run forever, a device could be endless.
    if (notAFile(location) !== undefined) {
      cache.#broken = true;
      return cache;
    }
    try {
      text = readFileSync(location, 'utf8');
    } catch {
      return cache;
    }
    const lines = text.split('\n');
    if (lines[0] !== `${FORMAT}\t${key}`) return cache;
    cache.#loadedBytes = text.length;
    let i = 1;
    for (; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.startsWith(FINDINGS_HEADER)) break;
      const first = line.indexOf('\t');
      const second = first < 0 ? -1 : line.indexOf('\t', first + 1);
      const third = second < 0 ? -1 : line.indexOf('\t', second + 1);
      const fourth = third < 0 ? -1 : line.indexOf('\t', third + 1);
      if (fourth < 0) continue;
      try {
        const file = JSON.parse(line.slice(0, first)) as unknown;
        const hash = line.slice(first + 1, second);
        const json = line.slice(fourth + 1);
        const sum = line.slice(third + 1, fourth);
        if (typeof file === 'string') cache.#loaded.set(file, { hash, meta: line.slice(second + 1, third), json, sum });
      } catch {
        // A damaged line is a missing entry; that file is parsed again.
      }
    }
    cache.#findingsKey = (lines[i] ?? '').slice(FINDINGS_HEADER.length);
    for (i++; i < lines.length; i++) {
      const line = lines[i] as string;
      const first = line.indexOf('\t');
      const second = first < 0 ? -1 : line.indexOf('\t', first + 1);
      const third = second < 0 ? -1 : line.indexOf('\t', second + 1);
      if (third < 0) continue;
      try {
        const file = JSON.parse(line.slice(0, first)) as unknown;
        const found = { hash: line.slice(first + 1, second), sum: line.slice(second + 1, third), json: line.slice(third + 1) };
        if (typeof file === 'string') cache.#loadedFindings.set(file, found);
      } catch {
        // A damaged line is findings not known; the checks look at that file again.
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

  /** Whether the file's metadata shows it unchanged since its entry was made (see getUnchanged), without decoding the entry. */
  trusts(file: string, stat: FileStat): boolean {
    const entry = this.#loaded.get(file);
    return entry !== undefined && trusted(entry, stat);
  }

  /**
   * The cached parse result of `file` when its metadata shows it unchanged since its hash was
   * checked (see the class comment); undefined when the file must be read and hashed.
   */
  getUnchanged(file: string, stat: FileStat, absolute?: string): Parsed | undefined {
    const entry = this.#loaded.get(file);
    if (!entry) return undefined;
    if (!trusted(entry, stat)) return undefined;
    return this.#use(file, entry, absolute === undefined ? {} : { absolute });
  }

  /**
   * The cached parse result of `file` when its content hash is `hash`, which is `text`'s; keeps
   * the entry for the next save.
   */
  get(file: string, hash: string, stat?: FileStat, text?: string): Parsed | undefined {
    const entry = this.#loaded.get(file);
    if (!entry || entry.hash !== hash) return undefined;
    // Content unchanged, metadata new (touched, checked out again) or recorded too soon: recorded
    // when the cache is next written, so later runs can trust it; until then the file is hashed again.
    if (stat && this.#now - Math.max(stat.mtimeMs, stat.ctimeMs) >= RACY_MS && !trusted(entry, stat)) this.#confirmed++;
    return this.#use(file, stat ? { ...entry, meta: `${metaOf(stat)}:${this.#now}` } : entry, text === undefined ? {} : { text });
  }

  /**
   * Where a runbook kept without its source gets it: the text read, or the file to read it from;
   * without either, such an entry is a miss.
   */
  #use(file: string, entry: Entry, source: { text?: string; absolute?: string }): Parsed | undefined {
    let parsed: Parsed;
    try {
      parsed = JSON.parse(entry.json) as Parsed;
    } catch {
      return undefined;
    }
    // Anything unexpected is a miss: an entry altered since it was written, or of the wrong shape.
    if (entry.sum !== entrySum(entry.hash, entry.json) || !isParsed(parsed, file)) {
      this.#loaded.delete(file);
      return undefined;
    }
    const sourceless = 'headings' in parsed && parsed.source === undefined;
    if (sourceless && source.text === undefined && source.absolute === undefined) return undefined;
    revive(parsed);
    if (sourceless) {
      if (source.text !== undefined) (parsed as Runbook).source = source.text;
      else readSourceWhenWanted(parsed as Runbook, source.absolute as string, entry.hash);
    }
    this.#used.set(file, entry.hash);
    this.#keptCount++;
    if (this.#writer) this.#append(file, entry);
    else this.#kept.set(file, entry);
    return parsed;
  }

  /**
   * What the runbook-at-a-time checks found in `file` in an earlier run under `key` (findingsKey),
   * by check id, when the file's entry this run uses is the one they looked at; kept for the next save.
   */
  findingsOf(file: string, key: string): Record<string, unknown[]> | undefined {
    if (key !== this.#findingsKey) return undefined;
    const hash = this.#used.get(file);
    const found = this.#loadedFindings.get(file);
    if (hash === undefined || found?.hash !== hash || found.sum !== entrySum(hash, found.json)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(found.json);
    } catch {
      return undefined;
    }
    if (!isFindings(parsed)) return undefined;
    this.#keepFindings(key, file, found);
    return parsed;
  }

  /** Records what the runbook-at-a-time checks found in `file` (see findingsOf), for the file's entry this run uses. */
  setFindings(file: string, key: string, findings: Record<string, unknown[]>): void {
    const hash = this.#used.get(file);
    if (hash === undefined) return;
    if (this.#loaded.get(file)?.hash === hash) this.#foundAgain++;
    const json = JSON.stringify(findings);
    this.#keepFindings(key, file, { hash, json, sum: entrySum(hash, json) });
  }

  #keepFindings(key: string, file: string, found: KeptFindings): void {
    if (this.#runFindingsKey !== key) {
      // Findings of one key only are kept: a run checks with one config.
      this.#findings.clear();
      this.#runFindingsKey = key;
    }
    this.#findings.set(file, found);
  }

  /** Records a fresh parse result of a file with the given content hash and metadata. */
  set(file: string, hash: string, encoded: Encoded, stat?: FileStat): void {
    // Results JSON cannot carry exactly (see encoding.ts) are parsed again next time.
    const json = encoded.json ?? encode(encoded.data).json;
    if (json === undefined) return;
    const entry = { hash, meta: stat ? `${metaOf(stat)}:${this.#now}` : '', json, sum: entrySum(hash, json) };
    this.#used.set(file, hash);
    if (this.#writer || this.#loaded.size === 0) {
      this.#openWriter();
      this.#append(file, entry);
      return;
    }
    this.#pending.set(file, entry);
    if (this.#pending.size * REPARSE_MS >= this.#loadedBytes / WRITE_BYTES_PER_MS) this.#openWriter();
  }

  #openWriter(): void {
    if (this.#writer || this.#broken) return;
    const temporary = `${this.location}.${process.pid}.tmp`;
    try {
      // The temporary file and the cache go only into a folder the cache owns (see ownFolder).
      if (!ownFolder(path.dirname(this.location))) throw new Error('not a folder of its own');
      this.#writer = { fd: openSync(temporary, 'w'), temporary, chunk: [`${FORMAT}\t${this.#key}\n`], size: 0, hashes: new Map() };
    } catch {
      this.#broken = true;
      return;
    }
    for (const [file, entry] of this.#kept) this.#append(file, entry);
    this.#kept.clear();
    for (const [file, entry] of this.#pending) this.#append(file, entry);
    this.#pending.clear();
  }

  #append(file: string, entry: Entry): void {
    const writer = this.#writer;
    if (!writer) return;
    writer.hashes.set(file, entry.hash);
    this.#write(`${JSON.stringify(file)}\t${entry.hash}\t${entry.meta}\t${entry.sum}\t${entry.json}\n`);
  }

  #write(line: string): void {
    const writer = this.#writer;
    if (!writer) return;
    writer.chunk.push(line);
    writer.size += line.length;
    if (writer.size >= WRITE_CHUNK) this.#flush();
  }

  /** Writes the findings after the entries: this run's when it checked, else those read, of the entries written. */
  #appendFindings(): void {
    const writer = this.#writer;
    if (!writer) return;
    const [key, findings] =
      this.#runFindingsKey === undefined ? [this.#findingsKey, this.#loadedFindings] : [this.#runFindingsKey, this.#findings];
    this.#write(`${FINDINGS_HEADER}${key}\n`);
    for (const [file, found] of findings) {
      if (writer.hashes.get(file) !== found.hash) continue;
      this.#write(`${JSON.stringify(file)}\t${found.hash}\t${found.sum}\t${found.json}\n`);
    }
  }

  #flush(): void {
    const writer = this.#writer;
    if (!writer || writer.chunk.length === 0) return;
    try {
      const bytes = Buffer.from(writer.chunk.join(''));
      for (let written = 0; written < bytes.length; ) written += writeSync(writer.fd, bytes, written);
    } catch {
      this.#abandon();
      return;
    }
    writer.chunk = [];
    writer.size = 0;
  }

  /** Drops what this run wrote (the run failed); the cache file stays as it was. */
  discard(): void {
    this.#abandon();
  }

  /** Gives up writing: closes and removes the temporary file. */
  #abandon(): void {
    const writer = this.#writer;
    this.#writer = undefined;
    this.#broken = true;
    if (!writer) return;
    try {
      closeSync(writer.fd);
    } catch {
      // Already closed or never opened properly; the file is removed below either way.
    }
    rmSync(writer.temporary, { force: true });
  }

  /**
   * Replaces the cache file with the entries used or set in this run (files that are gone drop
   * out), when that is worth it (see REPARSE_MS); true when it wrote. A cache that cannot be
   * written is skipped silently: it only costs speed next time.
   */
  save(): boolean {
    if (!this.#writer) {
      const replaced = [...this.#pending.keys()].filter((file) => this.#loaded.has(file)).length;
      const dropped = this.#loaded.size - this.#keptCount - replaced;
      const worth =
        this.#loaded.size === 0
          ? this.#pending.size > 0
          : this.#pending.size * REPARSE_MS >= this.#loadedBytes / WRITE_BYTES_PER_MS ||
            dropped > this.#loaded.size * MAX_STALE_SHARE ||
            this.#confirmed > this.#loaded.size * MAX_STALE_SHARE ||
            this.#foundAgain > this.#loaded.size * MAX_STALE_SHARE;
      if (!worth) return false;
    }
    this.#openWriter();
    this.#appendFindings();
    this.#flush();
    const writer = this.#writer;
    if (!writer) return false;
    try {
      closeSync(writer.fd);
      this.#writer = undefined;
      // Checked again at the last moment: something other than a cache may have appeared there.
      if (notAFile(this.location) !== undefined) throw new Error('not a file');
      renameSync(writer.temporary, this.location);
      return true;
    } catch {
      this.#abandon();
      return false;
    }
  }
}
