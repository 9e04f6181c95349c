import path from 'node:path';
import type { Config, HeadingMatch, IgnoredAlert } from '../config/config.ts';
import type { Diagnostic, Location, Position } from '../engine/diagnostic.ts';
import type { Alert, AlertClaim, AlertRule, Frontmatter, RuleFile, Runbook } from './model.ts';
import { claimPointersOf } from '../markdown/frontmatter.ts';
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
    claims.push({
      name,
      at: { file: runbook.file, line: heading.line, column: heading.column },
      section: { heading: index, depth: heading.depth, anchor: heading.slug, line: heading.line, endLine: heading.sectionEndLine },
    });
  });
  return claims;
}

/**
 * The place of a claim in a frontmatter the fast reader read without positions: located with the
 * exact reader the first time a finding (or the site) reads it. Most claims are never read.
 */
function locatedWhenRead(runbook: Runbook, pointer: string): Location {
  let position: Position | undefined;
  const get = (): Position => (position ??= claimPointersOf(runbook)[pointer]?.value ?? (runbook.frontmatter as Frontmatter).at);
  return {
    file: runbook.file,
    get line() {
      return get().line;
    },
    get column() {
      return get().column;
    },
    get endLine() {
      return get().endLine;
    },
    get endColumn() {
      return get().endColumn;
    },
  };
}

/**
 * A claim in a frontmatter the fast reader read without positions. Its place is looked up (and the
 * object that holds it made) only when something reads `at`: most claims are never read, and a
 * location that looks itself up costs more to make than the rest of the claim (own accessors cost
 * as much). `at` is a getter of the class, so a spread copy of the claim does not carry it: read it.
 */
class UnlocatedClaim implements Claim {
  readonly name: string;
  readonly runbook: Runbook;
  readonly #pointer: string;
  #at: Location | undefined;

  constructor(name: string, runbook: Runbook, pointer: string) {
    this.name = name;
    this.runbook = runbook;
    this.#pointer = pointer;
  }

  get at(): Location {
    this.#at ??= locatedWhenRead(this.runbook, this.#pointer);
    return this.#at;
  }
}

function frontmatterClaims(runbook: Runbook): AlertClaim[] {
  const fm = runbook.frontmatter;
  if (!fm || typeof fm.data !== 'object' || fm.data === null) return [];
  const data = fm.data as Record<string, unknown>;
  const claims: AlertClaim[] = [];
  if (typeof data.alert === 'string' && data.alert !== '') claims.push(frontmatterClaim(runbook, fm, data.alert, '/alert'));
  if (Array.isArray(data.alerts)) {
    data.alerts.forEach((name, i) => {
      if (typeof name === 'string' && name !== '') claims.push(frontmatterClaim(runbook, fm, name, `/alerts/${i}`));
    });
  }
  return claims;
}

function frontmatterClaim(runbook: Runbook, fm: Frontmatter, name: string, pointer: string): AlertClaim {
  return fm.unlocated
    ? new UnlocatedClaim(name, runbook, pointer)
    : { name, at: { file: runbook.file, ...(fm.pointers[pointer]?.value ?? fm.at) } };
}

function filenameClaims(runbook: Runbook): AlertClaim[] {
  const name = path.posix.basename(runbook.file).replace(/\.[^.]+$/, '');
  return [{ name, at: { file: runbook.file, line: 1, column: 1 } }];
}

/** Builds the project model from what was read. Pure: no I/O, so tests can feed it directly. */
export function buildProject(config: Config, ruleFiles: RuleFile[], runbooks: Runbook[]): Project {
  const byFile = (a: Runbook, b: Runbook): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  // The globber gives files in order: one pass tells, where a sort would compare n log n times.
  const sortedRunbooks = runbooks.every((r, i) => i === 0 || byFile(runbooks[i - 1] as Runbook, r) <= 0)
    ? [...runbooks]
    : [...runbooks].sort(byFile);
  const byName = new Map<string, AlertRule[]>();
  for (const ruleFile of ruleFiles) {
    for (const rule of ruleFile.rules) {
      const list = byName.get(rule.name);
      if (list) list.push(rule);
      else byName.set(rule.name, [rule]);
    }
  }
  // The default sort orders by UTF-16 code units, as `<` does, without calling back for each comparison.
  const alerts: Alert[] = [...byName.keys()].sort().map((name) => ({ name, rules: byName.get(name) as AlertRule[] }));
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
      // An unlocated claim already holds its runbook; a copy would not carry the place it looks up when read.
      const entry = claim instanceof UnlocatedClaim ? claim : { ...claim, runbook };
      if (list) list.push(entry);
      else claimsByName.set(claim.name, [entry]);
    }
  }

  const inputDiagnostics: Diagnostic[] = [];
  for (const file of ruleFiles) for (const diagnostic of file.diagnostics) inputDiagnostics.push(diagnostic);
  for (const runbook of sortedRunbooks) for (const diagnostic of runbook.diagnostics) inputDiagnostics.push(diagnostic);

  return {
    config,
    ruleFiles,
    runbooks: sortedRunbooks,
    alerts,
    inputDiagnostics,
    alert: (name) => alertIndex.get(name),
    claimsOf: (runbook) => claimsByRunbook.get(runbook) ?? [],
    claimSource: (runbook) => sources.get(runbook) ?? 'frontmatter',
    claimsFor: (name) => claimsByName.get(name) ?? [],
    runbookFor: (name) => claimsByName.get(name)?.[0]?.runbook,
    runbookUrlFor(name) {
      const claim = claimsByName.get(name)?.[0];
      if (!claim || !config.runbookUrl) return undefined;
      return expandRunbookUrl(config.runbookUrl, {
        alert: name,
        runbookFile: claim.runbook.file,
        runbooksDir: config.runbooksDir,
        anchor: claim.section?.anchor,
      });
    },
    ignoredAlert(name, today) {
      return config.ignoreAlerts.find(
        (entry) => (entry.regex ? entry.regex.test(name) : entry.alert === name) && (entry.until === undefined || entry.until >= today),
      );
    },
  };
}
