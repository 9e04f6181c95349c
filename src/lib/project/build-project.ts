import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { globBase, type Config, type HeadingMatch, type IgnoredAlert } from '../config/config.ts';
import { IO_ERROR, type Diagnostic, type Location } from '../engine/diagnostic.ts';
import type { Alert, AlertClaim, AlertRule, RuleFile, Runbook } from './model.ts';
import { expandRunbookUrl } from '../config/runbook-url-pattern.ts';

/** A runbook's claim on an alert name, with the runbook. */
interface Claim extends AlertClaim {
  runbook: Runbook;
}

/** Alerts, runbooks and the links between them: what every check and every page reads. */
export interface Project {
  config: Config;
  ruleFiles: RuleFile[];
  /** Runbooks sorted by file. */
  runbooks: Runbook[];
  /** Alerts sorted by name; several rules with one name are one alert. */
  alerts: Alert[];
  /** Problems met reading the inputs (I/O and parse errors), with positions. */
  inputDiagnostics: Diagnostic[];
  alert(name: string): Alert | undefined;
  /** The alert names a runbook covers, with where it names them. */
  claimsOf(runbook: Runbook): AlertClaim[];
  /** Where a runbook's claims come from: its frontmatter, its file name, or its alert sections (match: heading). */
  claimSource(runbook: Runbook): ClaimSource;
  /** Every runbook that claims an alert name, in file order. */
  claimsFor(name: string): Claim[];
  /** The runbook that covers an alert: the first claim, when several runbooks claim it. */
  runbookFor(name: string): Runbook | undefined;
  /** The URL the site serves an alert's runbook at, or undefined without `runbookUrl` or a runbook. */
  runbookUrlFor(name: string): string | undefined;
  /** The `ignoreAlerts` entry that excuses an alert from needing a runbook on `today` (YYYY-MM-DD). */
  ignoredAlert(name: string, today: string): IgnoredAlert | undefined;
  /** The config's `rules` and `runbooks` patterns that found no file (set by loadProject; a lint run that reads nothing must not pass). */
  unmatchedPatterns?: UnmatchedPattern[];
}

/** A positive pattern of `rules` or `runbooks` that yields no file. */
export interface UnmatchedPattern {
  key: 'rules' | 'runbooks';
  /** Its place in the config's list (0 for a single string). */
  index: number;
  pattern: string;
  /** It matched files, but the `!` patterns excluded every one of them. */
  allExcluded: boolean;
}

/** Where a runbook's alert names come from. */
type ClaimSource = 'frontmatter' | 'filename' | 'heading';

/** With match: heading, each heading of the configured level whose text fits the pattern starts that alert's section. */
function headingClaims(runbook: Runbook, match: HeadingMatch): AlertClaim[] {
  const claims: AlertClaim[] = [];
  runbook.headings.forEach((heading, index) => {
    if (heading.depth !== match.level) return;
    const name = match.regex.exec(heading.text)?.[1]?.trim();
    if (!name) return;
    claims.push({ name, at: { file: runbook.file, line: heading.line, column: heading.column },
      section: { heading: index, depth: heading.depth, anchor: heading.slug, line: heading.line, endLine: heading.sectionEndLine } });
  });
  return claims;
}

function frontmatterClaims(runbook: Runbook): AlertClaim[] {
  const fm = runbook.frontmatter;
  if (!fm || typeof fm.data !== 'object' || fm.data === null) return [];
  const data = fm.data as Record<string, unknown>;
  const at = (pointer: string): Location => ({ file: runbook.file, ...(fm.pointers[pointer]?.value ?? fm.at) });
  const claims: AlertClaim[] = [];
  if (typeof data.alert === 'string' && data.alert !== '') claims.push({ name: data.alert, at: at('/alert') });
  if (Array.isArray(data.alerts)) {
    data.alerts.forEach((name, i) => {
      if (typeof name === 'string' && name !== '') claims.push({ name, at: at(`/alerts/${i}`) });
    });
  }
  return claims;
}

function filenameClaims(runbook: Runbook): AlertClaim[] {
  const name = path.posix.basename(runbook.file).replace(/\.[^.]+$/, '');
  return [{ name, at: { file: runbook.file, line: 1, column: 1 } }];
}

/** Builds the project model from what was read. Pure: no I/O, so tests can feed it directly. */
export function buildProject(config: Config, ruleFiles: RuleFile[], runbooks: Runbook[]): Project {
  const sortedRunbooks = [...runbooks].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const byName = new Map<string, AlertRule[]>();
  for (const ruleFile of ruleFiles) {
    for (const rule of ruleFile.rules) {
      const list = byName.get(rule.name);
      if (list) list.push(rule);
      else byName.set(rule.name, [rule]);
    }
  }
  const alerts: Alert[] = [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, rules]) => ({ name, rules }));
  const alertIndex = new Map(alerts.map((a) => [a.name, a]));

  const claimsByRunbook = new Map<Runbook, AlertClaim[]>();
  const sources = new Map<Runbook, ClaimSource>();
  const claimsByName = new Map<string, Claim[]>();
  for (const runbook of sortedRunbooks) {
    let source: ClaimSource = config.match === 'filename' ? 'filename' : 'frontmatter';
    let claims: AlertClaim[] | undefined;
    if (config.match === 'heading' && config.heading) {
      claims = headingClaims(runbook, config.heading);
      // A file without alert sections names its alert the other way the config allows, so both kinds of runbook can live side by side.
      if (claims.length > 0) source = 'heading';
      else source = config.heading.otherwise;
    }
    if (source === 'filename') {
      // A runbook whose frontmatter names its alerts claims those: an alert whose name cannot be a
      // file name (`A/B`, `X(<7d)`) has a slugged file that says whose it is.
      const named = frontmatterClaims(runbook);
      if (named.length > 0) source = 'frontmatter';
      claims = named.length > 0 ? named : filenameClaims(runbook);
    } else if (source === 'frontmatter') claims = frontmatterClaims(runbook);
    claims ??= [];
    claimsByRunbook.set(runbook, claims);
    sources.set(runbook, source);
    for (const claim of claims) {
      const list = claimsByName.get(claim.name);
      const entry = { ...claim, runbook };
      if (list) list.push(entry);
      else claimsByName.set(claim.name, [entry]);
    }
  }

  return {
    config,
    ruleFiles,
    runbooks: sortedRunbooks,
    alerts,
    inputDiagnostics: [...ruleFiles.flatMap((f) => f.diagnostics), ...sortedRunbooks.flatMap((r) => r.diagnostics)],
    alert: (name) => alertIndex.get(name),
    claimsOf: (runbook) => claimsByRunbook.get(runbook) ?? [],
    claimSource: (runbook) => sources.get(runbook) ?? 'frontmatter',
    claimsFor: (name) => claimsByName.get(name) ?? [],
    runbookFor: (name) => claimsByName.get(name)?.[0]?.runbook,
    runbookUrlFor(name) {
      const claim = claimsByName.get(name)?.[0];
      if (!claim || !config.runbookUrl) return undefined;
      return expandRunbookUrl(config.runbookUrl, { alert: name, runbookFile: claim.runbook.file, runbooksDir: config.runbooksDir, anchor: claim.section?.anchor });
    },
    ignoredAlert(name, today) {
      return config.ignoreAlerts.find((entry) =>
        (entry.regex ? entry.regex.test(name) : entry.alert === name) && (entry.until === undefined || entry.until >= today));
    },
  };
}

/** Folder-looking matches (a folder named `x.md`) are kept so that they are reported, not skipped. */
const LOOKS_LIKE_FILE = /\.[A-Za-z0-9]+\/$/;

/**
 * Symbolic links whose target is gone, in the folders the globs start at or matched files in. The
 * globber drops them silently; reading them yields the io-error that says a runbook vanished.
 */
async function brokenSymlinks(found: string[], positive: string[], root: string): Promise<string[]> {
  const toPosix = (p: string): string => p.split(path.sep).join('/');
  const dirs = new Set([...positive.map((p) => path.resolve(root, globBase(p))), ...found.map((f) => path.dirname(path.resolve(root, f)))]);
  const matches = picomatch(positive, { dot: false });
  const broken: string[] = [];
  for (const dir of dirs) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // a glob base that does not exist matches nothing
    }
    for (const entry of entries) {
      // A FIFO, socket or device the globber skips is reported (reading it is refused), not ignored.
      const special = !entry.isSymbolicLink() && !entry.isFile() && !entry.isDirectory();
      if (!entry.isSymbolicLink() && !special) continue;
      const absolute = path.join(dir, entry.name);
      const relative = toPosix(path.relative(root, absolute));
      if (!matches(relative) && !matches(toPosix(absolute))) continue;
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
async function throughSymlinks(found: string[], positive: string[], root: string, notes: Diagnostic[]): Promise<string[]> {
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
  const kept: string[] = [];
  for (const entry of found) {
    const parts = entry.replace(/\/$/, '').split('/');
    let drop = false;
    for (let i = 1; i < parts.length && !drop; i++) {
      const dir = parts.slice(0, i).join('/');
      const link = await linkOf(dir);
      if (!link || !(link.loop || (link.outside && !outsideOnPurpose))) continue;
      drop = true;
      if (reported.has(dir)) continue;
      reported.add(dir);
      notes.push({ file: dir, line: 1, column: 1, ruleId: IO_ERROR, severity: 'warning',
        message: link.loop ? 'This symbolic link leads back to a folder that contains it (a loop); it was not followed'
          : 'This symbolic link leads outside the project; it was not followed',
        hint: link.loop ? 'Remove the link, or exclude it in the config (a leading ! excludes).'
          : 'Move the files into the project, or name them with a pattern of their own (e.g. ../shared/**/*.md).' });
    }
    if (!drop) kept.push(entry);
  }
  return kept;
}

/**
 * Expands config globs to sorted paths relative to `root`; folders named like files end in `/`.
 * Negations (`!**\/_index.md`) also apply to files outside `root`, which the globber would not see.
 * Also says which positive patterns found no file (by index in `patterns`). Symbolic-link loops and exits go to `notes`.
 */
export async function expandGlobsDetailed(patterns: string[], root: string, notes: Diagnostic[] = []): Promise<{ files: string[]; unmatched: { index: number; pattern: string; allExcluded: boolean }[] }> {
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const walked = await glob(positive, { cwd: root, onlyFiles: false, dot: false, ignore: ['**/node_modules/**', '**/.git/**'], expandDirectories: false });
  const globbed = await throughSymlinks(walked, positive, root, notes);
  const found = [...globbed, ...(await brokenSymlinks(globbed, positive, root))];
  const excluded = picomatch(negative, { dot: true });
  const anywhere = picomatch(negative.filter((p) => p.startsWith('**/')).map((p) => p.slice(3)), { dot: true });
  const suffixes = (file: string): string[] => file.split('/').map((_, i, all) => all.slice(i).join('/'));
  const candidates = found.filter((entry) => !entry.endsWith('/') || LOOKS_LIKE_FILE.test(entry));
  const files = candidates
    .filter((entry) => {
      if (negative.length === 0) return true;
      const plain = entry.replace(/\/$/, '');
      const absolute = path.resolve(root, plain).split(path.sep).join('/');
      return !(excluded(plain) || excluded(absolute) || suffixes(plain).some((suffix) => anywhere(suffix)));
    })
    .sort();
  const unmatched: { index: number; pattern: string; allExcluded: boolean }[] = [];
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
  const test = picomatch(pattern.replace(/^\.\//, ''), { dot: false });
  const hits = candidates.filter((entry) => test(entry.replace(/\/$/, '')));
  if (hits.length > 0) return hits;
  const alone = await glob([pattern], { cwd: root, onlyFiles: false, dot: false, ignore: ['**/node_modules/**', '**/.git/**'], expandDirectories: false });
  const set = new Set(alone);
  return candidates.filter((entry) => set.has(entry));
}
