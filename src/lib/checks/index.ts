import alertHasRunbook from './alert-has-runbook.ts';
import alertTypeBalance from './alert-type-balance.ts';
import brokenLink from './broken-link.ts';
import type { Check } from './define.ts';
import duplicateRunbook from './duplicate-runbook.ts';
import foreignSyntax from './foreign-syntax.ts';
import frontmatterSchema from './frontmatter-schema.ts';
import incidentEntry from './incident-entry.ts';
import placeholderContent from './placeholder-content.ts';
import requiredSections from './required-sections.ts';
import runbookAlertExists from './runbook-alert-exists.ts';
import ruleValid from './rule-valid.ts';
import runbookUrl from './runbook-url.ts';
import severityMatch from './severity-match.ts';
import staleReview from './stale-review.ts';
import unsafeHtml from './unsafe-html.ts';

/** Every check, in the order its docs pages are listed. Adding one: its file, this line, its test, its docs. */
export const checks: readonly Check[] = [
  alertHasRunbook,
  runbookAlertExists,
  duplicateRunbook,
  frontmatterSchema,
  runbookUrl,
  severityMatch,
  requiredSections,
  placeholderContent,
  staleReview,
  brokenLink,
  incidentEntry,
  alertTypeBalance,
  unsafeHtml,
  foreignSyntax,
  ruleValid,
];
