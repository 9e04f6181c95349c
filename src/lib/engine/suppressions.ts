import { CONFIG_ERROR, INTERNAL_ERROR, IO_ERROR, PARSE_ERROR, PARSE_TIMEOUT, type Diagnostic, type Position } from './diagnostic.ts';
import { nearest } from '../text/nearest.ts';
import type { AlertRule, Comment } from '../project/model.ts';
import type { Project } from '../project/build-project.ts';

/** Rule id of problems with a suppression comment itself: no reason, an unknown check, or unused. */
export const SUPPRESSION = 'suppression';

/** Findings that no comment can excuse: input that could not be read, problems with suppressions, and the tool's own failures. */
export const UNSUPPRESSIBLE: ReadonlySet<string> = new Set([
  PARSE_ERROR,
  IO_ERROR,
  CONFIG_ERROR,
  SUPPRESSION,
  INTERNAL_ERROR,
  PARSE_TIMEOUT,
]);

/** A suppression comment as written: which form, which checks, and why. */
export interface Directive {
  /** `file`: `runbooks-disable`, the whole file; `next-line`: `runbooks-disable-next-line`. */
  kind: 'file' | 'next-line';
  /** The name as written, for messages. */
  name: string;
  ids: string[];
  /** The text after ` -- `, trimmed; undefined when there is none. */
  reason: string | undefined;
}

const DIRECTIVE = /^runbooks-(disable|enable)[\w-]*/;
const FORMS: Record<string, Directive['kind']> = { 'runbooks-disable': 'file', 'runbooks-disable-next-line': 'next-line' };

/**
 * Reads a comment's text (without `<!-- -->` or `#`). Undefined when the comment is no directive;
 * `unknown` for a `runbooks-disable…`/`runbooks-enable…` word that is not one of the two forms.
 */
export function parseDirective(text: string): Directive | { unknown: string } | undefined {
  // Most comments are prose: the prefix every directive starts with rules them out without the pattern.
  if (!text.startsWith('runbooks-')) return undefined;
  const match = DIRECTIVE.exec(text);
  if (!match) return undefined;
  const name = match[0];
  const kind = FORMS[name];
  if (!kind) return { unknown: name };
  const rest = text.slice(name.length);
  // The reason follows two or more dashes, as in ESLint's `-- description`.
  const split = /(?:^|\s)-{2,}(?:\s|$)/.exec(rest);
  const idsText = split ? rest.slice(0, split.index) : rest;
  const reason = split ? rest.slice(split.index + split[0].length).trim() : undefined;
  return { kind, name, ids: idsText.split(/[\s,]+/).filter((id) => id !== ''), reason: reason || undefined };
}

/** Which checks exist and which of them ran, so suppressions can be judged. */
export interface SuppressionContext {
  known: ReadonlySet<string>;
  enabled: ReadonlySet<string>;
}

/** A finding that a comment excused, with the comment's reason (SARIF can carry it as a suppression). */
interface Suppressed {
  diagnostic: Diagnostic;
  reason: string;
  at: Position & { file: string };
}

/** The findings that remain after suppressions, problems with the suppressions themselves, and what was excused. */
export interface SuppressionResult {
  diagnostics: Diagnostic[];
  suppressed: Suppressed[];
}

interface Active {
  file: string;
  comment: Comment;
  directive: Directive;
  /** Undefined for the whole file. */
  covers: ((d: Diagnostic) => boolean) | undefined;
  /** What the comment covers, for the unused message. */
  scope: string;
  ids: string[];
  used: Set<string>;
}

function before(line: number, column: number, end: Position): boolean {
  const endLine = end.endLine ?? end.line;
  return line < endLine || (line === endLine && column < (end.endColumn ?? Number.POSITIVE_INFINITY));
}

/** The region a next-line comment covers: the whole rule when one starts on the next line, else that line. */
function nextLineRegion(comment: Comment, rules: readonly AlertRule[]): { covers: (d: Diagnostic) => boolean; scope: string } {
  const target = (comment.endLine ?? comment.line) + 1;
  const rule = rules.find((r) => r.span?.line === target);
  if (rule?.span) {
    const span = rule.span;
    return {
      covers: (d) => d.line >= target && before(d.line, d.column, span),
      scope: `in the rule of alert "${rule.name}" (lines ${target}–${span.endColumn === 1 ? (span.endLine ?? target) - 1 : (span.endLine ?? target)})`,
    };
  }
  return { covers: (d) => d.line === target, scope: `on line ${target}` };
}

function example(yaml: boolean, kind: Directive['kind'], ids: string): string {
  const body = `runbooks-disable${kind === 'next-line' ? '-next-line' : ''} ${ids} -- <why this is fine>`;
  return yaml ? `# ${body}` : `<!-- ${body} -->`;
}

/**
 * Applies the suppression comments of every runbook and rule file to the findings: removes what
 * they excuse and reports suppressions that give no reason, name an unknown check, or excuse nothing.
 * A suppression without a reason excuses nothing; the known checks of one naming an unknown one still apply.
 */
export function applySuppressions(project: Project, diagnostics: readonly Diagnostic[], context: SuppressionContext): SuppressionResult {
  const problems: Diagnostic[] = [];
  const active = new Map<string, Active[]>();
  const knownList = [...context.known].sort();
  const read = (file: string, comments: readonly Comment[], rules: readonly AlertRule[], yaml: boolean): void => {
    for (const comment of comments) {
      const parsed = parseDirective(comment.value);
      if (!parsed) continue;
      const at = { file, line: comment.line, column: comment.column, endLine: comment.endLine, endColumn: comment.endColumn };
      const problem = (severity: Diagnostic['severity'], message: string, hint: string): void => {
        problems.push({ ...at, ruleId: SUPPRESSION, severity, message, hint });
      };
      if ('unknown' in parsed) {
        problem(
          'error',
          `Unknown directive "${parsed.unknown}"`,
          `Use ${example(yaml, 'next-line', 'check-id')} for the next line, or ${example(yaml, 'file', 'check-id')} for the whole file.`,
        );
        continue;
      }
      const { kind, ids, reason, name } = parsed;
      const shownIds = ids.length > 0 ? ids.join(', ') : 'check-id';
      if (ids.length === 0) {
        problem(
          'error',
          `${name} names no check`,
          `Name the checks it excuses: ${example(yaml, kind, 'check-id')}; a comment cannot turn every check off (the config can).`,
        );
        continue;
      }
      if (!reason) {
        problem(
          'error',
          `${name} ${ids.join(', ')} gives no reason, so it suppresses nothing`,
          `Say why after two dashes: ${example(yaml, kind, shownIds)}`,
        );
        continue;
      }
      const valid: string[] = [];
      for (const id of ids) {
        if (UNSUPPRESSIBLE.has(id)) {
          problem(
            'error',
            `"${id}" findings cannot be suppressed`,
            id === SUPPRESSION
              ? 'Fix or remove the suppression comment that is reported.'
              : 'Fix the input: a file that cannot be read or parsed is never excused.',
          );
        } else if (!context.known.has(id)) {
          const guess = nearest(id, knownList);
          problem(
            'error',
            `${name} names unknown check "${id}"`,
            `${guess ? `Did you mean "${guess}"? ` : ''}Known checks: ${knownList.join(', ')}.`,
          );
        } else if (!valid.includes(id)) valid.push(id);
      }
      if (valid.length === 0) continue;
      const region = kind === 'file' ? { covers: undefined, scope: 'in this file' } : nextLineRegion(comment, rules);
      const entry: Active = { file, comment, directive: parsed, covers: region.covers, scope: region.scope, ids: valid, used: new Set() };
      const list = active.get(file);
      if (list) list.push(entry);
      else active.set(file, [entry]);
    }
  };
  for (const runbook of project.runbooks) if (runbook.comments.length > 0) read(runbook.file, runbook.comments, [], false);
  for (const ruleFile of project.ruleFiles) if (ruleFile.comments) read(ruleFile.file, ruleFile.comments, ruleFile.rules, true);

  const kept: Diagnostic[] = [];
  const suppressed: Suppressed[] = [];
  for (const d of diagnostics) {
    const candidates = UNSUPPRESSIBLE.has(d.ruleId) ? [] : (active.get(d.file) ?? []);
    // Every comment that covers a finding counts as used, so a redundant pair is not reported as unused.
    const covering = candidates.filter((s) => s.ids.includes(d.ruleId) && (!s.covers || s.covers(d)));
    for (const s of covering) s.used.add(d.ruleId);
    const first = covering[0];
    if (first) {
      suppressed.push({
        diagnostic: d,
        reason: first.directive.reason ?? '',
        at: { file: first.file, line: first.comment.line, column: first.comment.column },
      });
    } else kept.push(d);
  }

  for (const list of active.values()) {
    for (const s of list) {
      // A check the config turns off found nothing to excuse; whether the comment is needed cannot be told.
      const unused = s.ids.filter((id) => context.enabled.has(id) && !s.used.has(id));
      if (unused.length === 0) continue;
      const names = unused.map((id) => `"${id}"`).join(', ');
      problems.push({
        file: s.file,
        line: s.comment.line,
        column: s.comment.column,
        endLine: s.comment.endLine,
        endColumn: s.comment.endColumn,
        ruleId: SUPPRESSION,
        severity: 'warning',
        message: `Unused suppression: no ${names} finding ${s.scope}`,
        hint:
          s.directive.kind === 'next-line'
            ? 'Remove the id from the comment, or the comment, if the problem is fixed; a next-line comment covers only the line right after it (for a rule: the whole rule starting there).'
            : 'Remove the id from the comment, or the comment, if the problem is fixed.',
      });
    }
  }
  return { diagnostics: [...kept, ...problems], suppressed };
}
