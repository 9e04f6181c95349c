/** A place in a file: 1-based line and column, as editors count them. */
export interface Position {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** A place in a named file (repo-relative POSIX path). */
export interface Location extends Position {
  file: string;
}

/** How much a finding matters; `off` exists only in configuration. */
export type Severity = 'error' | 'warning' | 'info';

/** Another place that explains a finding, e.g. the other runbook that claims the same alert. */
export interface Related {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** One finding, as every reporter and the site see it. */
export interface Diagnostic extends Location {
  ruleId: string;
  severity: Severity;
  message: string;
  hint?: string;
  related?: Related[];
  docsUrl?: string;
  /** The check's stable name for what the finding is about (see Report.key); the baseline matches on file, ruleId and key. */
  key?: string;
}

/** Rule id of problems in the configuration itself; they end the run with exit code 2. */
export const CONFIG_ERROR = 'config-error';

/** Rule id for input that could not be read at all (missing, unreadable, a directory, too large). */
export const IO_ERROR = 'io-error';
/** Rule id for input that was read but is not valid YAML, Markdown frontmatter or JSON. */
export const PARSE_ERROR = 'parse-error';

/** Rule id for a file whose reading took longer than the parse time limit (see workers/jobs.ts): it was not checked. */
export const PARSE_TIMEOUT = 'parse-timeout';

/** Rule id of a failure of this tool itself (a bug), met on one file or in one check; the rest of the run goes on. */
export const INTERNAL_ERROR = 'internal-error';

/**
 * What a throw inside a reader or a check becomes: one finding that says it is this tool's bug,
 * not the user's, and how to report it. `where` says what failed ("the runbook reader", "check x").
 */
export function internalError(
  file: string,
  where: string,
  error: unknown,
  at: { line: number; column: number } = { line: 1, column: 1 },
): Diagnostic {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (process.env.RUNBOOKS_DEBUG)
    process.stderr.write(`runbooks: internal error in ${where} on ${file}:\n${(error as Error).stack ?? message}\n`);
  return {
    file,
    line: at.line,
    column: at.column,
    ruleId: INTERNAL_ERROR,
    severity: 'error',
    message: `Internal error of runbooks in ${where} (a bug of the tool, not of this file): ${message.split('\n')[0]?.slice(0, 300)}`,
    hint: 'Please report it on the issue tracker of runbooks, with this file (or a copy that still fails) and the output of the run with RUNBOOKS_DEBUG=1 (it prints the stack); every other file was checked.',
  };
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Orders diagnostics by file, then position, then severity and rule id, so output never depends on timing. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    severityRank[a.severity] - severityRank[b.severity] ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Counts of diagnostics by severity. */
export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

/** Counts diagnostics by severity. */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.severity === 'error') counts.errors++;
    else if (d.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}
