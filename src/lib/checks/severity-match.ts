import { frontmatterPointers } from '../markdown/frontmatter.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';

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
      for (const name of new Set(project.claimsOf(runbook).map((claim) => claim.name))) {
        const alert = project.alert(name);
        if (!alert) continue;
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
