/**
 * The one reading of the config's `rules` and `runbooks` patterns, for every command: lint and the
 * site find files with it, `runbooks new` asks it whether lint will see a file it creates, and
 * watch asks it whether a changed path matters.
 *
 * The rules are tinyglobby's and fast-glob's (and ESLint's flat config's), so a pattern means
 * what it means to the globber that walks the folders:
 * - Every pattern, `!` ones included, is relative to the folder of the config file (`./` is
 *   allowed). `!_template.md` names `_template.md` in that folder only; `!**\/_template.md` names
 *   it in every folder, and so does it for files a `../` pattern reaches outside the folder.
 * - A `!` pattern excludes from all the others, wherever it stands in the list (as fast-glob's
 *   `ignore`; a later positive pattern does not bring a file back, unlike .gitignore).
 * - A positive pattern finds a hidden file or folder only when it spells the dot; a `!` pattern
 *   excludes hidden files too. Nothing under node_modules or .git is ever a project file.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { globBase } from '../config/config.ts';
import { IO_ERROR, type Diagnostic } from '../engine/diagnostic.ts';

/** Folders the globber never enters. */
const IGNORE = ['**/node_modules/**', '**/.git/**'];
const ignored = picomatch(IGNORE, { dot: true });

/** A compiled list of patterns: which paths it selects. */
export interface GlobMatcher {
  /** The patterns without a leading `!`. */
  readonly positive: readonly string[];
  /** The `!` patterns, without their `!`. */
  readonly negative: readonly string[];
  /** Whether a positive pattern matches `file` (a path relative to the root, or absolute). */
  included(file: string): boolean;
  /** Whether a `!` pattern excludes `file`. */
  excluded(file: string): boolean;
  /** Whether `file` is one of the files the patterns select: included and not excluded. */
  matches(file: string): boolean;
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

/** A path segment without glob syntax: it matches only itself. */
const PLAIN_NAME = /^[^*?[\]{}()!+@|\\]+$/;

/** A relative path that path.resolve would change beyond prefixing the root: a `.`, `..` or empty segment, or a backslash. */
const NOT_NORMAL = /(?:^|\/)\.{0,2}(?:\/|$)|\\/;

/** Compiles `patterns` as the config gives them, relative to `root` (absolute). */
export function compileGlobs(patterns: readonly string[], root: string): GlobMatcher {
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const strip = (p: string): string => p.replace(/^\.\//, '');
  const yes = positive.length > 0 ? picomatch(positive.map(strip), { dot: false }) : () => false;
  const no = negative.length > 0 ? picomatch(negative.map(strip), { dot: true }) : () => false;
  // picomatch's `**` does not cross `..`, so a file reached through `../shared/**` is tried by its tail too.
  const deep = negative
    .map(strip)
    .filter((p) => p.startsWith('**/'))
    .map((p) => p.slice(3));
  const anywhere = deep.length > 0 ? picomatch(deep, { dot: true }) : () => false;
  // A path matches a ! pattern whose last segment is a plain name (`**/_template.md`) only if it ends with that name: most files are told apart without matching.
  const lastNames = negative.map((p) => p.slice(p.lastIndexOf('/') + 1));
  const endings = lastNames.every((name) => PLAIN_NAME.test(name)) ? lastNames : undefined;
  const rootPosix = toPosix(path.resolve(root));
  const rootPrefix = rootPosix.endsWith('/') ? rootPosix : `${rootPosix}/`;
  /** The path relative to the root and the absolute path, both POSIX, without a trailing slash. */
  const forms = (file: string): [string, string] => {
    const plain = file.replace(/\/$/, '');
    if (path.isAbsolute(plain)) return [toPosix(path.relative(root, plain)), toPosix(plain)];
    const relative = strip(plain);
    // A normal relative path (what the globber returns) is the root and itself: path.resolve on each of thousands of files cost more than matching them.
    if (!NOT_NORMAL.test(relative)) return [relative, rootPrefix + relative];
    return [relative, toPosix(path.resolve(root, plain))];
  };
  const included = (file: string): boolean => {
    const [relative, absolute] = forms(file);
    if (ignored(relative)) return false;
    return yes(relative) || yes(absolute);
  };
  const excluded = (file: string): boolean => {
    if (negative.length === 0) return false;
    const [relative, absolute] = forms(file);
    if (endings && !endings.some((name) => relative.endsWith(name) || absolute.endsWith(name))) return false;
    if (no(relative) || no(absolute)) return true;
    if (deep.length === 0) return false;
    if (anywhere(relative)) return true;
    for (let slash = relative.indexOf('/'); slash !== -1; slash = relative.indexOf('/', slash + 1))
      if (anywhere(relative.slice(slash + 1))) return true;
    return false;
  };
  return { positive, negative, included, excluded, matches: (file) => included(file) && !excluded(file) };
}

/** Folder-looking matches (a folder named `x.md`) are kept so that they are reported, not skipped. */
const LOOKS_LIKE_FILE = /\.[A-Za-z0-9]+\/$/;

/**
 * Symbolic links whose target is gone, in the folders the globs start at or matched files in. The
 * globber drops them silently; reading them yields the io-error that says a runbook vanished.
 */
async function brokenSymlinks(found: string[], globs: GlobMatcher, root: string): Promise<string[]> {
  const folders = [
    ...new Set([
      ...globs.positive.map((p) => path.resolve(root, globBase(p))),
      // Thousands of files share a few folders: resolve each folder once.
      ...[...new Set(found.map((f) => path.dirname(f)))].map((dir) => path.resolve(root, dir)),
    ]),
  ];
  // The listings are independent: read them side by side rather than one after another.
  const listings = await Promise.all(
    folders.map((dir) => readdir(dir, { withFileTypes: true }).catch(() => undefined)), // a glob base that does not exist matches nothing
  );
  const broken: string[] = [];
  for (const [index, dir] of folders.entries()) {
    for (const entry of listings[index] ?? []) {
      // A FIFO, socket or device the globber skips is reported (reading it is refused), not ignored.
      const special = !entry.isSymbolicLink() && !entry.isFile() && !entry.isDirectory();
      if (!entry.isSymbolicLink() && !special) continue;
      const absolute = path.join(dir, entry.name);
      const relative = toPosix(path.relative(root, absolute));
      if (!globs.included(relative)) continue;
      if (special) {
        broken.push(relative);
        continue;
      }
      try {
        await stat(absolute);
      } catch {
        broken.push(relative);
      }
    }
  }
  return broken;
}

/** Whether `inner` is `outer` or inside it (both absolute, resolved). */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);
}

/**
 * The globber follows symbolic links to folders, so a link to the folder itself or above it
 * (`runbooks/loop -> .`) yields every file again under a longer path, and a link out of the project
 * pulls in files that are not the project's. Drops both, and says so once per link: a loop is a
 * warning at the link, a link leaving the project a warning too, unless a pattern itself starts
 * outside the project (it leaves on purpose).
 */
async function throughSymlinks(found: string[], positive: readonly string[], root: string, notes: Diagnostic[]): Promise<string[]> {
  const rootReal = await realpath(root).catch(() => root);
  const outsideOnPurpose = positive.some((p) => !within(path.resolve(root, globBase(p)), root));
  const linkCache = new Map<string, { loop: boolean; outside: boolean } | undefined>();
  const reported = new Set<string>();
  /** What a folder on the way is: undefined for a plain folder, else where its link leads. */
  const linkOf = async (relativeDir: string): Promise<{ loop: boolean; outside: boolean } | undefined> => {
    if (linkCache.has(relativeDir)) return linkCache.get(relativeDir);
    const absolute = path.join(root, relativeDir);
    let verdict: { loop: boolean; outside: boolean } | undefined;
    const info = await lstat(absolute).catch(() => undefined);
    if (info?.isSymbolicLink()) {
      const target = await realpath(absolute).catch(() => undefined);
      const parent = await realpath(path.dirname(absolute)).catch(() => path.dirname(absolute));
      verdict = target === undefined ? undefined : { loop: within(parent, target), outside: !within(target, rootReal) };
    }
    linkCache.set(relativeDir, verdict);
    return verdict;
  };
  /** Whether the entries in a folder are dropped: some folder on the way to it is a link not to follow. */
  const dropIn = async (folder: string): Promise<boolean> => {
    const parts = folder.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const link = await linkOf(dir);
      if (!link || !(link.loop || (link.outside && !outsideOnPurpose))) continue;
      if (reported.has(dir)) return true;
      reported.add(dir);
      notes.push({
        file: dir,
        line: 1,
        column: 1,
        ruleId: IO_ERROR,
        severity: 'warning',
        message: link.loop
          ? 'This symbolic link leads back to a folder that contains it (a loop); it was not followed'
          : 'This symbolic link leads outside the project; it was not followed',
        hint: link.loop
          ? 'Remove the link, or exclude it in the config (a leading ! excludes).'
          : 'Move the files into the project, or name them with a pattern of their own (e.g. ../shared/**/*.md).',
      });
      return true;
    }
    return false;
  };
  // Thousands of files share a few folders: each folder is judged once, in the order the files come.
  const dropped = new Map<string, boolean>();
  const kept: string[] = [];
  for (const entry of found) {
    const plain = entry.replace(/\/$/, '');
    const slash = plain.lastIndexOf('/');
    if (slash === -1) {
      kept.push(entry);
      continue;
    }
    const folder = plain.slice(0, slash);
    let drop = dropped.get(folder);
    if (drop === undefined) {
      drop = await dropIn(folder);
      dropped.set(folder, drop);
    }
    if (!drop) kept.push(entry);
  }
  return kept;
}

/** What {@link expandGlobsDetailed} found. */
export interface ExpandedGlobs {
  /** Sorted paths relative to the root; folders named like files end in `/`. */
  files: string[];
  /** The positive patterns that yield no file, by index in the list; allExcluded: they matched files, but `!` patterns excluded all of them. */
  unmatched: { index: number; pattern: string; allExcluded: boolean }[];
}

/**
 * Expands config globs to sorted paths relative to `root`; folders named like files end in `/`.
 * Negations (`!**\/_index.md`) also apply to files outside `root`, which the globber would not see.
 * Also says which positive patterns found no file (by index in `patterns`). Symbolic-link loops and exits go to `notes`.
 */
export async function expandGlobsDetailed(patterns: string[], root: string, notes: Diagnostic[] = []): Promise<ExpandedGlobs> {
  const globs = compileGlobs(patterns, root);
  const positive = [...globs.positive];
  const walked = await glob(positive, { cwd: root, onlyFiles: false, dot: false, ignore: IGNORE, expandDirectories: false });
  const globbed = await throughSymlinks(walked, positive, root, notes);
  const found = [...globbed, ...(await brokenSymlinks(globbed, globs, root))];
  const candidates = found.filter((entry) => !entry.endsWith('/') || LOOKS_LIKE_FILE.test(entry));
  const files = candidates.filter((entry) => !globs.excluded(entry)).sort();
  const unmatched: ExpandedGlobs['unmatched'] = [];
  const kept = new Set(files);
  for (const [index, pattern] of patterns.entries()) {
    if (pattern.startsWith('!')) continue;
    // One positive pattern found exactly what the glob found; with several, ask each of them.
    const own = positive.length === 1 ? candidates : await matchesOf(pattern, candidates, root);
    if (own.length === 0) unmatched.push({ index, pattern, allExcluded: false });
    else if (!own.some((entry) => kept.has(entry))) unmatched.push({ index, pattern, allExcluded: true });
  }
  return { files, unmatched };
}

/**
 * The entries one of several patterns contributed. A pattern test on the globber's answer is
 * enough when it finds some; when it finds none, the globber is asked again for that pattern
 * alone, so a difference in how the two spell paths never invents a "no files" error.
 */
async function matchesOf(pattern: string, candidates: string[], root: string): Promise<string[]> {
  const one = compileGlobs([pattern], root);
  const hits = candidates.filter((entry) => one.included(entry));
  if (hits.length > 0) return hits;
  const alone = await glob([pattern], { cwd: root, onlyFiles: false, dot: false, ignore: IGNORE, expandDirectories: false });
  const set = new Set(alone);
  return candidates.filter((entry) => set.has(entry));
}
