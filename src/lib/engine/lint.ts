import { checks as registry } from '../checks/index.ts';
import type { Check, Fix, Report } from '../checks/define.ts';
import { checkEachRunbook, type EnabledCheck, type FindingsStore } from './each-runbook.ts';
import { CONFIG_ERROR, type Config } from '../config/config.ts';
import { compareDiagnostics, countDiagnostics, internalError, type Counts, type Diagnostic, type Severity } from './diagnostic.ts';
import { loadProjectAndCache, saveCache, type LoadOptions } from '../project/load-project.ts';
import { escapePointer } from '../text/positions.ts';
import type { Project } from '../project/build-project.ts';
import { nearest } from '../text/nearest.ts';
import { checkOptions, checkSeverity, validateCheckOptions } from '../checks/options.ts';
import { applySuppressions, type SuppressionContext } from './suppressions.ts';
import { applyBaseline, type Baseline, type StaleEntry } from './baseline.ts';

/** What one lint run found. */
export interface LintResult {
  project: Project;
  /** Sorted by file, line and column; without the findings the baseline accepts. */
  diagnostics: Diagnostic[];
  counts: Counts;
  /** Findings the baseline accepts (not in `diagnostics` or `counts`); empty without a baseline. */
  baselined: Diagnostic[];
  /** Baseline entries that matched no finding: fixed since, and to be pruned with `--baseline-update`. */
  staleBaseline: StaleEntry[];
}

/** Options of a lint run. */
export interface LintOptions extends LoadOptions {
  /** Today as YYYY-MM-DD; defaults to the current UTC date. */
  today?: string;
  /** Accepted findings (engine/baseline.ts), applied after suppressions. */
  baseline?: Baseline;
  /** Findings of earlier runs to say again for unchanged runbooks; lint() passes its cache. */
  findings?: FindingsStore;
}

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * The site page that documents a check, when the config says where the site is (`site.url`);
 * undefined otherwise. It is not guessed from runbookUrl, which may point anywhere (a Git host).
 */
export function docsUrlFor(config: Config, id: string): string | undefined {
  return config.site.configuredUrl ? `${config.site.configuredUrl}${config.site.base}checks/${id}/` : undefined;
}

/** Config problems the registry can see: settings for checks that do not exist, and options that are not the check's. */
export function validateCheckSettings(config: Config, checks: readonly Check[] = registry): Diagnostic[] {
  const known = new Set(checks.map((c) => c.id));
  const unknownChecks = Object.keys(config.checks)
    .filter((id) => !known.has(id))
    .map((id) => {
      const at = config.keyPositions?.[`/checks/${escapePointer(id)}`] ?? { line: 1, column: 1 };
      const suggestion = nearest(id, [...known]);
      return {
        file: config.configShown ?? (config.configFile ? 'runbooks.config.yaml' : '(defaults)'),
        line: at.line,
        column: at.column,
        ruleId: CONFIG_ERROR,
        severity: 'error' as const,
        message: `Config: unknown check "${id}"`,
        hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Known checks: ${[...known].sort().join(', ')}.`,
      };
    });
  return [...unknownChecks, ...validateCheckOptions(config, checks)].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** What the enabled checks found, before suppressions, and the edits they offered with it. */
interface CheckRun {
  diagnostics: Diagnostic[];
  fixes: Map<Diagnostic, Fix>;
  context: SuppressionContext;
}

function run(project: Project, options: LintOptions, checks: readonly Check[]): CheckRun {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const diagnostics: Diagnostic[] = [...project.inputDiagnostics];
  const fixes = new Map<Diagnostic, Fix>();
  const enabled = new Set<string>();
  const eachRunbook: EnabledCheck[] = [];
  for (const check of checks) {
    const configured = checkSeverity(project.config, check);
    if (configured === 'off') continue;
    enabled.add(check.id);
    const docsUrl = docsUrlFor(project.config, check.id);
    const report = (found: Report): void => {
      // A report may ask for less than the check's severity (its lesser form), never for more.
      const severity = found.severity && rank[found.severity] > rank[configured] ? found.severity : configured;
      const { at, severity: _ignored, fix, ...rest } = found;
      const diagnostic: Diagnostic = { ...at, ...rest, ruleId: check.id, severity, ...(docsUrl ? { docsUrl } : {}) };
      diagnostics.push(diagnostic);
      if (fix) fixes.set(diagnostic, fix);
    };
    // Commands validate the config when it loads; a caller of lint() that did not still never hands a check a wrong option.
    const wrongOptions = validateCheckOptions(project.config, [check]);
    if (wrongOptions.length > 0) {
      diagnostics.push(...wrongOptions);
      continue;
    }
    const options = checkOptions(project.config, check);
    try {
      if (check.eachRunbook) eachRunbook.push({ check: check as EnabledCheck['check'], options, report });
      else check.check({ project, options, today }, report);
    } catch (error) {
      // The last line of defence: a check that fails is one finding, and every other check still runs.
      diagnostics.push(
        internalError(
          project.config.configShown ?? project.runbooks[0]?.file ?? project.ruleFiles[0]?.file ?? 'runbooks.config.yaml',
          `check ${check.id}`,
          error,
        ),
      );
    }
  }
  if (eachRunbook.length > 0) checkEachRunbook(project, eachRunbook, options.findings, diagnostics);
  const known = new Set([...registry, ...checks].map((c) => c.id));
  return { diagnostics, fixes, context: { known, enabled } };
}

/** Runs every enabled check over the project and returns its findings, sorted. */
export function runChecks(project: Project, options: LintOptions = {}): Diagnostic[] {
  const { diagnostics, context } = run(project, options, registry);
  // Suppressions apply after every check ran, so a check never needs to know about them.
  return applySuppressions(project, diagnostics, context).diagnostics.sort(compareDiagnostics);
}

/** A finding and the edit its check offers for it. */
export interface OfferedFix {
  finding: Diagnostic;
  fix: Fix;
}

/**
 * The edits that the enabled checks offer with their findings, for `runbooks fix`, in file order:
 * only for findings that lint reports, so a finding a suppression comment excuses is left as its
 * author chose. The checks are those whose docs say they are fixable, unless others are given.
 */
export function offeredFixes(
  project: Project,
  checks: readonly Check[] = registry.filter((c) => c.docs.fixable !== undefined),
  options: LintOptions = {},
): OfferedFix[] {
  const { diagnostics, fixes, context } = run(project, options, checks);
  const offered: OfferedFix[] = [];
  for (const finding of applySuppressions(project, diagnostics, context).diagnostics) {
    const fix = fixes.get(finding);
    if (fix) offered.push({ finding, fix });
  }
  const place = ({ fix: { within } }: OfferedFix): string => within.file;
  return offered.sort(
    (a, b) =>
      (place(a) < place(b) ? -1 : place(a) > place(b) ? 1 : 0) ||
      a.fix.within.line - b.fix.within.line ||
      a.fix.within.column - b.fix.within.column,
  );
}

/** Loads the project the config describes and runs the checks on it. */
export async function lint(config: Config, options: LintOptions = {}): Promise<LintResult> {
  const { project, cache } = await loadProjectAndCache(config, options);
  let all: Diagnostic[];
  try {
    all = runChecks(project, { ...options, findings: cache });
  } catch (error) {
    cache?.discard();
    throw error;
  }
  saveCache(cache);
  const { diagnostics, baselined, stale } = options.baseline
    ? applyBaseline(all, options.baseline)
    : { diagnostics: all, baselined: [], stale: [] };
  return { project, diagnostics, counts: countDiagnostics(diagnostics), baselined, staleBaseline: stale };
}
