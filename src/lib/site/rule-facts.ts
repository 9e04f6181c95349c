/**
 * Facts a runbook page needs that its runbook may not state: a runbook matched by file name (the
 * kube-prometheus convention) has no frontmatter, but its alerting rule carries the severity, the
 * owning team and a summary. The page shows them marked as coming from the rule.
 */
import type { AlertRule } from '../project/model.ts';
import { templateText } from './labels.ts';

/** A fact the page shows, and whether it came from the rule rather than the runbook. */
export interface Fact {
  value: string;
  fromRule: boolean;
}

function first(rules: readonly AlertRule[], pick: (rule: AlertRule) => string | undefined): string | undefined {
  for (const rule of rules) {
    const value = pick(rule)?.trim();
    if (value) return value;
  }
  return undefined;
}

/** The rule's severity: its label named `label` (severity-match's option, see checks/severity-label.ts). */
export function ruleSeverity(rules: readonly AlertRule[], label: string): string | undefined {
  return first(rules, (r) => r.labels[label]);
}

/** The rule's owner: its `owner` label, else its `team` label. */
export function ruleOwner(rules: readonly AlertRule[]): string | undefined {
  return first(rules, (r) => r.labels.owner) ?? first(rules, (r) => r.labels.team);
}

/** The rule's summary annotation (kube-prometheus also writes `message` or only `description`), as its template text. */
export function ruleSummary(rules: readonly AlertRule[]): string | undefined {
  return (
    first(rules, (r) => r.annotations.summary) ??
    first(rules, (r) => r.annotations.message) ??
    first(rules, (r) => r.annotations.description)
  );
}

/** The runbook's own value when it has one, else the rule's, marked so. */
export function fact(own: string | undefined, fromRules: string | undefined): Fact {
  if (own !== undefined && own.trim() !== '') return { value: own, fromRule: false };
  return fromRules === undefined ? { value: '', fromRule: false } : { value: fromRules, fromRule: true };
}

/** A summary as plain text: placeholders and other template expressions as `<word>` tokens. */
export function plainSummary(summary: string): string {
  return templateText(summary);
}
