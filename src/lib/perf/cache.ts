import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
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
import { FORMAT, toolKey } from './cache-keys.ts';
import { CacheDamaged, restLater, ruleRestLater } from './lazy-rest.ts';
import { decodeCore, type Parsed, type Sent } from './workers/encoding.ts';
import { isFindings, isParsedCore, isRuleFileRest, isRunbookRest } from './workers/shape.ts';
import type { RuleFile, Runbook } from '../project/model.ts';

/*
 * Parse results are cached: a pure function of a file's text and path, so an entry needs no
 * key but its content hash, and the whole cache none but the parser's identity (toolKey). Beside
 * them, the findings of the checks that look at one runbook at a time (Check.eachRunbook), keyed
 * by content hash and by the checks' identity and config (findingsKey). The format, trust and
 * ownership rules are in ARCHITECTURE.md ("The parse cache").
 */

/** What every cache file of this tool starts with, whatever its version: a file without it is not ours. */
const FORMAT_PREFIX = 'runbooks-lint-cache/';

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
const TEMPORARY = /^lint-cache\.\d+\.(?:index\.|\d+\.old\.)?tmp$/;

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

/** What the cache needs of a file's metadata (a subset of fs.Stats). */
export interface FileStat {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/**
 * Where an entry's rest (see encoding.ts) is: in the file read, from byte `at`; or this run's JSON,
 * to write, and once written, in the file being written (and no longer held).
 */
type Rest =
  | { at: number; length: number; json?: undefined }
  | { json: string; at?: undefined; length?: undefined }
  | { written: true; at?: undefined; length?: undefined; json?: undefined };

interface Entry {
  hash: string;
  /** `size:mtimeMs:ctimeMs:ino` of the file when its hash was last checked, and when (ms), `:`-joined. */
  meta: string;
  /** The parse result's core as JSON text. */
  core: string;
  rest: Rest;
  /** entrySum of `hash` and the rest's bytes. */
  restSum: string;
  /** Whether the result is a runbook's whose source is its file's text, not kept (see encoding.ts). */
  sourced: boolean;
  /** What the runbook-at-a-time checks found in the file, as JSON, under the file's findings key; '' when not known. */
  findings: string;
  /** The stat `trusts` found this entry's metadata in, which getUnchanged need not compare again. */
  trustedFor?: FileStat;
}

/** A checksum against damage, not against an adversary: CRC-32 runs at memory speed, where a cryptographic hash would slow every warm run. */
const entrySum = (hash: string, json: string | Uint8Array): string => crc32(json, crc32(hash)).toString(36);

/** Bytes are written to the temporary file in chunks of about this size. */
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
 * and hashes those files (after a checkout, a cold run at once, then every run after it). So are
 * findings the checks found afresh for unchanged files (the config or the checks changed).
 */
const MAX_STALE_SHARE = 0.1;

const metaOf = (stat: FileStat): string => `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;

/** Whether an entry's metadata is `stat`'s, recorded long enough after the file's last change to spare reading it. */
function trusted(entry: Entry, stat: FileStat): boolean {
  const checkedAt = Number(entry.meta.slice(entry.meta.lastIndexOf(':') + 1));
  return entry.meta.startsWith(`${metaOf(stat)}:`) && checkedAt - Math.max(stat.mtimeMs, stat.ctimeMs) >= RACY_MS;
}

/** The line in the index after the entries, before the findings: `findings\t<findingsKey>`. */
const FINDINGS = 'findings\t';

/** A path as the index holds it, JSON: nearly always a plain quoted string, read without JSON.parse. */
function pathOf(quoted: string): string | undefined {
  if (quoted.length < 2 || quoted[0] !== '"' || quoted[quoted.length - 1] !== '"') return undefined;
  if (!quoted.includes('\\')) return quoted.slice(1, -1);
  try {
    const file = JSON.parse(quoted) as unknown;
    return typeof file === 'string' ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The header: the format, the parser's key, where the index starts and the index's CRC-32, in a
 * fixed width, so that it is written last, over the placeholder written first.
 */
const headerOf = (key: string, indexAt: number, indexSum: number): string =>
  `${FORMAT}\t${key}\t${String(indexAt).padStart(15, '0')}\t${indexSum.toString(16).padStart(8, '0')}\n`;

/** Closes the file a cache reads rests from, once nothing can ask it for one. */
const closing = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Closed already.
  }
});

/**
 * Parse results kept between runs, as ESLint's --cache. The file: a header line (see headerOf),
 * the entries' rests (see encoding.ts) one after another, then the index: a line per file,
 * `<path as JSON>\t<hash>\t<metadata>\t<rest at>:<rest length>:<rest sum>:<s when the source is
 * the file's text, else ->\t<core as JSON>` (JSON text holds no raw tab or newline), then
 * `findings\t<findingsKey>` and a line per runbook, `<path as JSON>\t<findings as JSON>`. A run reads the index only,
 * checked whole against its CRC; a file's rest is read (at its place, from the file as it was
 * opened) and decoded when something first reads one of its fields: most runs need no heading,
 * link or position of an unchanged file, and no runbook's text, which is not kept when it is the
 * file's (it is read from the file, checked against the entry's hash).
 * Unchanged metadata spares hashing a file unless it was recorded within RACY_MS of a change; the
 * new file is streamed to a temporary file from the first change on and renamed over the old one.
 */
export class ParseCache {
  readonly location: string;
  readonly #key: string;
  readonly #loaded = new Map<string, Entry>();
  /** The file read, open for the rests, while anything can still ask for one. */
  #fd: number | undefined;
  #keptCount = 0;
  /** Entries read again only because their metadata could not be trusted, and now would be (see MAX_STALE_SHARE). */
  #confirmed = 0;
  /** Fresh results not yet written, while a rewrite is not yet worth it. */
  readonly #pending = new Map<string, Entry>();
  #loadedBytes = 0;
  /** The key of the findings read from the file (see findingsKey). */
  #findingsKey = '';
  /** This run's findings and their key, once it records some: they replace those read. */
  readonly #findings = new Map<string, string>();
  #runFindingsKey: string | undefined;
  /** Files whose findings this run found afresh, where the file's entry was kept. */
  #foundAgain = 0;
  /** The entry this run uses for each file, as found or set. */
  readonly #used = new Map<string, Entry>();
  /**
   * The file being written: the rests go out as they come, and the index lines to a file beside
   * it, appended after the rests when the run saves (with the checks' findings, known only then);
   * `copy` is a run of rests still to copy from the file read (kept entries come in its order).
   */
  #writer:
    | {
        fd: number;
        temporary: string;
        chunk: (string | Buffer)[];
        size: number;
        at: number;
        index: { fd: number; temporary: string; chunk: string[]; size: number };
        /** The content hash of each entry written. */
        hashes: Map<string, string>;
        copy: { from: number; to: number } | undefined;
      }
    | undefined;
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
    // Only a regular file is read: a FIFO there would block the run forever, a device could be endless.
    if (notAFile(location) !== undefined) {
      cache.#broken = true;
      return cache;
    }
    let fd: number | undefined;
    let text: string;
    let indexAt: number;
    try {
      fd = openSync(location, constants.O_RDONLY);
      const size = fstatSync(fd).size;
      const expected = headerOf(key, 0, 0);
      const header = Buffer.alloc(expected.length);
      if (readSync(fd, header, 0, header.length, 0) !== header.length) throw new Error('short');
      const line = header.toString('latin1');
      // The format and the key, then the index's place (15 digits) and CRC (8 hex digits).
      const fixed = expected.length - 25;
      if (line.slice(0, fixed) !== expected.slice(0, fixed) || line[fixed + 15] !== '\t' || !line.endsWith('\n')) {
        throw new Error('another format or key');
      }
      indexAt = Number(line.slice(fixed, fixed + 15));
      const indexSum = Number.parseInt(line.slice(fixed + 16, -1), 16);
      if (!Number.isSafeInteger(indexAt) || indexAt < header.length || indexAt > size) throw new Error('damaged');
      const index = Buffer.allocUnsafe(size - indexAt);
      for (let read = 0; read < index.length; ) {
        const got = readSync(fd, index, read, index.length - read, indexAt + read);
        if (got === 0) throw new Error('short');
        read += got;
      }
      if (crc32(index) !== indexSum) throw new Error('damaged');
      text = index.toString('utf8');
      cache.#loadedBytes = size;
    } catch {
      if (fd !== undefined) closeSync(fd);
      return cache;
    }
    cache.#fd = fd;
    closing.register(cache, fd);
    const lines = text.split('\n');
    let i = 0;
    for (; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.startsWith(FINDINGS)) break;
      const first = line.indexOf('\t');
      const second = first < 0 ? -1 : line.indexOf('\t', first + 1);
      const third = second < 0 ? -1 : line.indexOf('\t', second + 1);
      const fourth = third < 0 ? -1 : line.indexOf('\t', third + 1);
      if (fourth < 0) continue;
      try {
        // A path is JSON, nearly always without an escape to decode.
        const file = pathOf(line.slice(0, first));
        const [at, length, restSum, sourced] = line.slice(third + 1, fourth).split(':');
        const rest = { at: Number(at), length: Number(length) };
        if (file === undefined || restSum === undefined) continue;
        // A rest that is not wholly between the header and the index is a damaged line.
        if (!(rest.at >= 0 && rest.length >= 0 && rest.at + rest.length <= indexAt)) continue;
        cache.#loaded.set(file, {
          hash: line.slice(first + 1, second),
          meta: line.slice(second + 1, third),
          rest,
          restSum,
          sourced: sourced === 's',
          findings: '',
          core: line.slice(fourth + 1),
        });
      } catch {
        // A damaged line is a missing entry; that file is parsed again.
      }
    }
    cache.#findingsKey = (lines[i] ?? '').slice(FINDINGS.length);
    for (i++; i < lines.length; i++) {
      const line = lines[i] as string;
      const tab = line.indexOf('\t');
      const entry = tab < 0 ? undefined : cache.#loaded.get(pathOf(line.slice(0, tab)) ?? '');
      if (entry) entry.findings = line.slice(tab + 1);
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
    if (entry === undefined || !trusted(entry, stat)) return false;
    entry.trustedFor = stat;
    return true;
  }

  /**
   * The cached parse result of `file` when its metadata shows it unchanged since its hash was
   * checked (see the class comment); undefined when the file must be read and hashed.
   * `absolute` is where to read a runbook's text, when it is wanted.
   */
  getUnchanged(file: string, stat: FileStat, absolute?: string): Parsed | undefined {
    const entry = this.#loaded.get(file);
    if (!entry) return undefined;
    if (entry.trustedFor !== stat && !trusted(entry, stat)) return undefined;
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
   * An entry's core, decoded, with its rest to be read when first wanted. Where a runbook kept
   * without its source gets it: the text read, or the file to read it from; without either, the
   * entry is a miss.
   */
  #use(file: string, entry: Entry, source: { text?: string; absolute?: string }): Parsed | undefined {
    if (entry.sourced && source.text === undefined && source.absolute === undefined) return undefined;
    let parsed: Parsed;
    try {
      parsed = decodeCore(entry.core);
    } catch {
      return undefined;
    }
    // Anything unexpected is a miss: an entry of the wrong shape, or with a place the file does not have.
    if (!isParsedCore(parsed, file)) {
      this.#loaded.delete(file);
      return undefined;
    }
    const isRunbook = !('rules' in parsed);
    const { hash, restSum } = entry;
    // Only an entry read from the file is used: its rest is there.
    const { at, length } = entry.rest;
    if (at === undefined || length === undefined) return undefined;
    // The rest is read from the file this cache opened (still open, whatever replaced it since):
    // the loader holds the cache, so the file is not closed while a result can still ask for it.
    const readRest = (): unknown => {
      const bytes = this.#read(at, length);
      let rest: unknown;
      try {
        if (bytes && entrySum(hash, bytes) === restSum) rest = JSON.parse(bytes.toString('utf8'));
      } catch {
        rest = undefined;
      }
      const shaped = isRunbook ? isRunbookRest(rest, (parsed as Runbook).lines) : isRuleFileRest(rest, (parsed as RuleFile).rules.length);
      if (!shaped) {
        this.#dropDamaged();
        throw new CacheDamaged(`The cache's entry for ${file} in ${this.location} is damaged: the cache is removed, run the command again`);
      }
      return rest;
    };
    if (isRunbook) restLater(parsed as Runbook, { readRest, text: source.text, absolute: source.absolute, hash });
    else ruleRestLater(parsed as RuleFile, readRest);
    this.#used.set(file, entry);
    this.#keptCount++;
    // Written at once when the writer is open; else when it opens, from #used.
    if (this.#writer) this.#append(file, entry);
    return parsed;
  }

  /**
   * A rest that fails its check (the index's CRC covers no rest): the file is removed and this run
   * writes none, or every later run would copy the damaged rest on and fail the same way.
   */
  #dropDamaged(): void {
    this.#abandon();
    try {
      if (notAFile(this.location) === undefined) rmSync(this.location, { force: true });
    } catch {
      // Not removable (a read-only folder): the next run meets the damage again, and the message names the file.
    }
  }

  /** `length` bytes of the file read, from `at`; undefined when they cannot be read. */
  #read(at: number, length: number): Buffer | undefined {
    const bytes = Buffer.allocUnsafe(length);
    try {
      for (let read = 0; read < length; ) {
        const got = this.#fd === undefined ? 0 : readSync(this.#fd, bytes, read, length - read, at + read);
        if (got === 0) return undefined;
        read += got;
      }
    } catch {
      return undefined;
    }
    return bytes;
  }

  /** The content hash of the entry this run uses for `file`, when it has one. */
  hashOf(file: string): string | undefined {
    return this.#used.get(file)?.hash;
  }

  /**
   * What the runbook-at-a-time checks found in `file` in an earlier run under `key` (findingsKey),
   * when the file's entry this run uses is the one they looked at; kept for the next save.
   */
  findingsOf(file: string, key: string): KeptFindingsValue | undefined {
    if (key !== this.#findingsKey) return undefined;
    const entry = this.#used.get(file);
    // An entry read from the file holds its findings; a fresh one has none yet.
    if (entry === undefined || entry.findings === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(entry.findings);
    } catch {
      return undefined;
    }
    if (!isFindings(parsed)) return undefined;
    return parsed;
  }

  /** Records what the runbook-at-a-time checks found in `file` (see findingsOf), for the file's entry this run uses. */
  setFindings(file: string, key: string, findings: KeptFindingsValue): void {
    const entry = this.#used.get(file);
    if (entry === undefined) return;
    if (this.#loaded.get(file)?.hash === entry.hash) this.#foundAgain++;
    this.#keepFindings(key, file, JSON.stringify(findings));
  }

  #keepFindings(key: string, file: string, json: string): void {
    if (this.#runFindingsKey !== key) {
      // Findings of one key only are kept: a run checks with one config.
      this.#findings.clear();
      this.#runFindingsKey = key;
    }
    this.#findings.set(file, json);
  }

  /** Records a fresh parse result of a file with the given content hash and metadata. */
  set(file: string, hash: string, sent: Sent, stat?: FileStat): void {
    // Results JSON cannot carry exactly (see encoding.ts) are parsed again next time.
    if (sent.core === undefined) return;
    const entry: Entry = {
      hash,
      meta: stat ? `${metaOf(stat)}:${this.#now}` : '',
      core: sent.core,
      rest: { json: sent.rest },
      restSum: entrySum(hash, sent.rest),
      sourced: sent.sourced,
      findings: '',
    };
    this.#used.set(file, entry);
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
      const header = headerOf(this.#key, 0, 0);
      const fd = openSync(temporary, 'w');
      const indexTemporary = `${this.location}.${process.pid}.index.tmp`;
      let indexFd: number;
      try {
        indexFd = openSync(indexTemporary, 'w+');
      } catch (error) {
        closeSync(fd);
        rmSync(temporary, { force: true });
        throw error;
      }
      const index = { fd: indexFd, temporary: indexTemporary, chunk: [], size: 0 };
      this.#writer = { fd, temporary, chunk: [header], size: header.length, at: 0, index, hashes: new Map(), copy: undefined };
    } catch {
      this.#broken = true;
      return;
    }
    // The entries used and set so far, in the order the run met them: kept rests are copied in runs.
    for (const [file, entry] of this.#used) this.#append(file, entry);
    this.#pending.clear();
  }

  /** Writes an entry's rest (copied from the file read, or its JSON) and keeps its place for the index. */
  #append(file: string, entry: Entry): void {
    const writer = this.#writer;
    if (!writer) return;
    // Where the rest goes: after what is written, waiting in the chunk, or waiting to be copied.
    const restAt = writer.at + writer.size + (writer.copy ? writer.copy.to - writer.copy.from : 0);
    let length: number;
    if ('written' in entry.rest) return;
    if (entry.rest.json !== undefined) {
      this.#flushCopy();
      length = Buffer.byteLength(entry.rest.json);
      this.#write(entry.rest.json);
      entry.rest = { written: true };
    } else {
      length = entry.rest.length;
      // Kept entries come in the order of the file read: their rests are copied in runs.
      const { at } = entry.rest;
      if (writer.copy?.to === at) writer.copy.to = at + length;
      else {
        this.#flushCopy();
        if (!this.#writer) return;
        writer.copy = { from: at, to: at + length };
      }
      if (writer.copy && writer.copy.to - writer.copy.from >= WRITE_CHUNK) this.#flushCopy();
    }
    writer.hashes.set(file, entry.hash);
    const line = `${JSON.stringify(file)}\t${entry.hash}\t${entry.meta}\t${restAt}:${length}:${entry.restSum}:${entry.sourced ? 's' : '-'}\t${entry.core}\n`;
    writer.index.chunk.push(line);
    // A fresh entry's core is needed no more (a kept one's is a slice of the index read).
    if ('written' in entry.rest) entry.core = '';
    writer.index.size += line.length;
    if (writer.index.size >= WRITE_CHUNK) this.#flushIndex();
  }

  /** Writes the index lines waiting. */
  #flushIndex(): void {
    const index = this.#writer?.index;
    if (!index || index.chunk.length === 0) return;
    try {
      const bytes = Buffer.from(index.chunk.join(''));
      for (let written = 0; written < bytes.length; ) written += writeSync(index.fd, bytes, written);
    } catch {
      this.#abandon();
      return;
    }
    index.chunk = [];
    index.size = 0;
  }

  /** Copies the run of kept rests from the file read. */
  #flushCopy(): void {
    const writer = this.#writer;
    const copy = writer?.copy;
    if (!writer || !copy) return;
    writer.copy = undefined;
    const bytes = this.#read(copy.from, copy.to - copy.from);
    if (!bytes) {
      this.#abandon();
      return;
    }
    this.#write(bytes);
  }

  #write(piece: string | Buffer): void {
    const writer = this.#writer;
    if (!writer) return;
    writer.chunk.push(piece);
    writer.size += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
    if (writer.size >= WRITE_CHUNK) this.#flush();
  }

  /** Writes the chunk: each run of text as one buffer (not one per piece), copied bytes as they are. */
  #flush(): void {
    const writer = this.#writer;
    if (!writer || writer.chunk.length === 0) return;
    try {
      let text: string[] = [];
      const out = (bytes: Buffer): void => {
        for (let written = 0; written < bytes.length; ) written += writeSync(writer.fd, bytes, written);
        writer.at += bytes.length;
      };
      for (const piece of writer.chunk) {
        if (typeof piece === 'string') {
          text.push(piece);
          continue;
        }
        if (text.length > 0) out(Buffer.from(text.join('')));
        text = [];
        out(piece);
      }
      if (text.length > 0) out(Buffer.from(text.join('')));
    } catch {
      this.#abandon();
      return;
    }
    writer.chunk = [];
    writer.size = 0;
  }

  /**
   * Appends the index after the rests (copied from the file beside it), then the findings: this
   * run's when it checked, else those read. Returns where the index starts and its CRC.
   */
  #appendIndex(): { at: number; sum: number } | undefined {
    this.#flushCopy();
    this.#flush();
    this.#flushIndex();
    const writer = this.#writer;
    if (!writer) return undefined;
    const at = writer.at;
    let sum = 0;
    const add = (bytes: Buffer): void => {
      sum = crc32(bytes, sum);
      this.#write(bytes);
    };
    const buffer = Buffer.allocUnsafe(WRITE_CHUNK);
    try {
      for (let offset = 0; ; ) {
        const got = readSync(writer.index.fd, buffer, 0, buffer.length, offset);
        if (got === 0) break;
        add(Buffer.from(buffer.subarray(0, got)));
        offset += got;
      }
    } catch {
      this.#abandon();
      return undefined;
    }
    const ran = this.#runFindingsKey !== undefined;
    let pieces = [`${FINDINGS}${ran ? this.#runFindingsKey : this.#findingsKey}\n`];
    let size = 0;
    const flush = (): void => {
      add(Buffer.from(pieces.join('')));
      pieces = [];
      size = 0;
    };
    // Each file's findings with the content hash they were found for: written only for an entry of that content.
    // Under the key read, a used entry keeps the findings read unless the run found them afresh.
    const keptToo = this.#runFindingsKey === this.#findingsKey;
    const found: [string, string, string | undefined][] = ran
      ? [...this.#used].map(([file, entry]) => [file, this.#findings.get(file) ?? (keptToo ? entry.findings : ''), entry.hash])
      : [...this.#loaded].map(([file, entry]) => [file, entry.findings, entry.hash]);
    for (const [file, json, hash] of found) {
      if (json === '' || hash === undefined || writer.hashes.get(file) !== hash) continue;
      const line = `${JSON.stringify(file)}\t${json}\n`;
      pieces.push(line);
      size += line.length;
      if (size >= WRITE_CHUNK) flush();
    }
    flush();
    this.#flush();
    return this.#writer ? { at, sum } : undefined;
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
    for (const fd of [writer.fd, writer.index.fd]) {
      try {
        closeSync(fd);
      } catch {
        // Already closed or never opened properly; the file is removed below either way.
      }
    }
    rmSync(writer.temporary, { force: true });
    rmSync(writer.index.temporary, { force: true });
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
    const index = this.#appendIndex();
    const writer = this.#writer;
    if (!writer || index === undefined) return false;
    try {
      const header = Buffer.from(headerOf(this.#key, index.at, index.sum));
      if (writeSync(writer.fd, header, 0, header.length, 0) !== header.length) throw new Error('short write');
    } catch {
      this.#abandon();
      return false;
    }
    try {
      // Some file systems (NFS) report a write that failed (out of space, over quota) only here.
      closeSync(writer.fd);
      closeSync(writer.index.fd);
    } catch {
      this.#abandon();
      return false;
    }
    this.#writer = undefined;
    rmSync(writer.index.temporary, { force: true });
    try {
      // Checked again at the last moment: something other than a cache may have appeared there.
      if (notAFile(this.location) !== undefined) throw new Error('not a file');
      replaceFile(writer.temporary, this.location);
      return true;
    } catch {
      this.#broken = true;
      rmSync(writer.temporary, { force: true });
      return false;
    }
  }
}

/** How many old cache files this process has moved aside (see replaceFile). */
let asides = 0;

/**
 * Renames `from` over `to`. Windows refuses to replace a file while any handle to it is open, and
 * the run holds the cache file it read open to the end (its entries' rests are read from it): that
 * file is moved aside first, which Windows allows of an open file, then removed (gone once closed).
 */
function replaceFile(from: string, to: string): void {
  try {
    renameSync(from, to);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY') throw error;
  }
  // A name of its own each time: on Windows a file moved aside keeps its name until this process
  // closes it, and a long-running process (watch) may save again before that.
  const aside = `${to}.${process.pid}.${asides++}.old.tmp`;
  renameSync(to, aside);
  try {
    renameSync(from, to);
  } catch (error) {
    try {
      renameSync(aside, to);
    } catch {
      // The old file stays aside, a temporary the folder's owner accepts: the next run is a cold one.
    }
    throw error;
  }
  try {
    rmSync(aside, { force: true });
  } catch {
    // Left as a temporary file the cache's folder may hold; it costs only disk space.
  }
}

/** What the engine keeps of a runbook's findings (engine/each-runbook.ts). */
type KeptFindingsValue = { found: Record<string, unknown[]>; uses: unknown[] };
