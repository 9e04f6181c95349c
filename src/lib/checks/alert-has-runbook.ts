import { defineCheck } from './define.ts';
import { exampleProject, exampleRules } from './examples.ts';

export default defineCheck({
  id: 'alert-has-runbook',
  severity: 'error',
  description: 'Every alerting rule has a runbook.',
  docs: {
    rationale: 'A page without a runbook leaves the responder to work out, at 3 a.m., what the alert means and what to do.',
    examples: {
      failing: { note: 'The rule file defines ApiDown, and no runbook covers it.', files: { 'rules/api.yaml': exampleRules() } },
      passing: { note: 'runbooks/ApiDown.md covers the alert.', files: exampleProject() },
    },
  },
  check({ project, today }, report) {
    for (const alert of project.alerts) {
      if (project.runbookFor(alert.name) || project.ignoredAlert(alert.name, today)) continue;
      const expired = project.config.ignoreAlerts.find((e) => e.until !== undefined && (e.regex ? e.regex.test(alert.name) : e.alert === alert.name));
      const [first, ...others] = alert.rules;
      if (!first) continue;
      const dir = project.config.runbooksDir === '.' ? '' : `${project.config.runbooksDir}/`;
      report({
        at: first.at,
        key: alert.name,
        message: `Alert "${alert.name}" has no runbook${expired ? ` (its ignoreAlerts entry expired on ${expired.until})` : ''}`,
        hint: project.config.match === 'heading' && project.config.heading
          ? `Add a section \`${'#'.repeat(project.config.heading.level)} ${project.config.heading.pattern.replace('{alert}', alert.name)}\` to a runbook, or list the alert under ignoreAlerts with a reason.`
          : project.config.match === 'filename'
          ? `Create ${dir}${alert.name}.md, or run \`runbooks new ${alert.name}\`.`
          : `Create a runbook with \`alert: ${alert.name}\` in its frontmatter (\`runbooks new ${alert.name}\`), or list it under ignoreAlerts with a reason.`,
        related: others.map((rule) => ({ file: rule.at.file, line: rule.at.line, column: rule.at.column, message: 'Another rule of the same alert' })),
      });
    }
  },
});
