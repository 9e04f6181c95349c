import { builtinRule } from '../engine/builtin-rules.ts';
import type { Diagnostic, Severity } from '../engine/diagnostic.ts';
import type { ReportInput } from './types.ts';

/** What a machine-readable report says about one rule id: a check, a built-in rule, or an id it does not know. */
export interface RuleInfo {
  id: string;
  severity: Severity;
  description: string;
  rationale?: string;
  /** The documentation page, absolute or a path on the site; undefined for ids without a page. */
  docsUrl?: string;
}

/**
 * Every rule a report should describe: all checks (findings or not, so SARIF viewers know them),
 * then the engine's own ids and any other id that occurs (a suppression problem), in first-seen order.
 */
export function ruleCatalog(input: ReportInput): RuleInfo[] {
  const rules: RuleInfo[] = input.checks.map((c) => ({
    id: c.id,
    severity: c.severity,
    description: c.description,
    rationale: c.docs.rationale,
    docsUrl: input.docsUrlFor?.(c.id),
  }));
  const known = new Set(rules.map((r) => r.id));
  for (const d of input.diagnostics) {
    if (known.has(d.ruleId)) continue;
    known.add(d.ruleId);
    const builtin = builtinRule(d.ruleId);
    rules.push(
      builtin
        ? {
            id: builtin.id,
            severity: builtin.severity,
            description: builtin.description,
            rationale: builtin.rationale,
            docsUrl: d.docsUrl ?? input.docsUrlFor?.(builtin.id),
          }
        : { id: d.ruleId, severity: d.severity, description: `Findings of ${d.ruleId}.`, docsUrl: d.docsUrl },
    );
  }
  return rules;
}

/** The documentation link of one finding: its own, or its rule's page. */
export function docsLink(d: Diagnostic, input: ReportInput): string | undefined {
  if (d.docsUrl) return d.docsUrl;
  return builtinRule(d.ruleId) ? input.docsUrlFor?.(d.ruleId) : undefined;
}

/** True for an absolute http(s) URL, which a CI system can turn into a link. */
export function isAbsoluteUrl(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\//i.test(url);
}
