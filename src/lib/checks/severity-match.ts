import { frontmatterPointers } from '../markdown/frontmatter.ts';
import type { Alert, AlertClaim } from '../project/model.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';

function namedBefore(claims: readonly AlertClaim[], name: string, index: number): boolean {
  for (let i = 0; i < index; i++) if ((claims[i] as AlertClaim).name === name) return true;
  return false;
}

/** Whether some rule of the alert has the label and none has it at `severity`: the finding, without building its words. */
function differs(alert: Alert, label: string, severity: string): boolean {
  let labelled = false;
  for (const rule of alert.rules) {
    const value = rule.labels[label];
    if (value === severity) return false;
    if (value !== undefined) labelled = true;
  }
  return labelled;
}

export default defineCheck({
  id: 'severity-match',
  severity: 'error',
  description: "A runbook's severity is the severity label of the alert it covers.",
  docs: {
    rationale:
      'Responders triage by the badge on the runbook; if it says warning while the alert pages as critical, the runbook is out of date or about a different alert.',
    findingsIn: 'frontmatter',
    options: { label: 'The alert label that holds the severity; `runbooks new` and the site read the same one. Default: `severity`.' },
    examples: {
      failing: {
        note: 'The runbook says warning; the alert pages as critical.',
        files: exampleProject({ 'runbooks/ApiDown.md': exampleRunbook({ frontmatter: { severity: 'warning' } }) }),
      },
      passing: { note: 'Both say critical.', files: exampleProject() },
    },
  },
  defaultOptions: { label: 'severity' },
  optionsSchema: { label: { type: 'string', minLength: 1 } },
  check({ project, options }, report) {
    const label = String(options.label);
    for (const runbook of project.runbooks) {
      const fm = runbook.frontmatter;
      const data = fm?.data as Record<string, unknown> | undefined;
      const severity = data?.severity;
      if (!fm || typeof severity !== 'string') continue;
      // By name: a name listed twice would otherwise give two findings at the same severity key.
      const claims = project.claimsOf(runbook);
      for (let i = 0; i < claims.length; i++) {
        const name = (claims[i] as AlertClaim).name;
        if (namedBefore(claims, name, i)) continue;
        const alert = project.alert(name);
        if (!alert || !differs(alert, label, severity)) continue;
        const labels = [...new Set(alert.rules.map((r) => r.labels[label]).filter((v): v is string => v !== undefined))];
        if (labels.length === 0 || labels.includes(severity)) continue;
        const first = alert.rules.find((r) => r.labels[label] !== undefined);
        report({
          at: { file: runbook.file, ...(frontmatterPointers(runbook)['/severity']?.value ?? fm.at) },
          key: alert.name,
          message:
            labels.length === 1
              ? `Runbook severity "${severity}" differs from alert "${alert.name}", whose ${label} label is "${labels[0]}"`
              : `Runbook severity "${severity}" is none of alert "${alert.name}"'s ${label} labels (${labels.join(', ')})`,
          hint: `Set \`severity: ${labels[0]}\` in the frontmatter, or change the alert's label if the runbook is right.`,
          related: first
            ? [
                {
                  file: first.at.file,
                  line: (first.labelsAt[label] ?? first.at).line,
                  column: (first.labelsAt[label] ?? first.at).column,
                  message: `The alert's ${label} label`,
                },
              ]
            : undefined,
        });
      }
    }
  },
});
