import { ruleOrigin, ruleRelated } from './about-rule.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { firstFree, runbookFileFor, shellWord } from '../commands/runbook-file-names.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRules } from './examples.ts';

export default defineCheck({
  id: 'alert-has-runbook',
  severity: 'error',
  description: 'Every alerting rule has a runbook.',
  docs: {
    rationale: 'A page without a runbook leaves the responder to work out, at 3 a.m., what the alert means and what to do.',
    findingsIn: 'rule',
    snooze: {
      text: 'An alert listed under `ignoreAlerts` needs no runbook; with `until`, only until that date, after which this check reports it again and says the entry expired.',
      config: 'ignoreAlerts:\n  - alert: ApiDown\n    reason: New alert; its runbook is being written in OPS-123.\n    until: 2026-12-31',
    },
    examples: {
      failing: { note: 'The rule file defines ApiDown, and no runbook covers it.', files: { 'rules/api.yaml': exampleRules() } },
      passing: { note: 'runbooks/ApiDown.md covers the alert.', files: exampleProject() },
    },
  },
  check({ project, today }, report) {
    for (const alert of project.alerts) {
      if (project.runbookFor(alert.name) || project.ignoredAlert(alert.name, today)) continue;
      const expired = project.config.ignoreAlerts.find(
        (e) => e.until !== undefined && (e.regex ? e.regex.test(alert.name) : e.alert === alert.name),
      );
      const [first, ...others] = alert.rules;
      if (!first) continue;
      const planned = runbookFileFor(project.config, alert.name);
      const { namesAlert } = planned;
      // The file `runbooks new` would write: a slug is numbered past files that exist and names of other alerts.
      const file = namesAlert
        ? firstFree(
            planned.file,
            (candidate) =>
              existsSync(path.join(project.config.root, candidate)) ||
              (project.config.match === 'filename' && project.alert(path.posix.basename(candidate, '.md')) !== undefined),
          )
        : planned.file;
      report({
        at: first.at,
        key: alert.name,
        message: `Alert "${alert.name}"${ruleOrigin(first)} has no runbook${expired ? ` (its ignoreAlerts entry expired on ${expired.until})` : ''}`,
        hint:
          project.config.match === 'heading' && project.config.heading
            ? `Add a section \`${'#'.repeat(project.config.heading.level)} ${project.config.heading.pattern.replace('{alert}', alert.name)}\` to a runbook, or list the alert under ignoreAlerts with a reason.`
            : project.config.match === 'filename' && !namesAlert
              ? `Create ${file}, or run \`runbooks new ${shellWord(alert.name)}\`.`
              : `Run \`runbooks new ${shellWord(alert.name)}\`: it writes ${file} with \`alert: ${JSON.stringify(alert.name)}\` in its frontmatter${project.config.match === 'filename' ? ` (the name cannot be a file name)` : ''}. Or list the alert under ignoreAlerts with a reason.`,
        related: [
          ...(ruleRelated(first) ?? []),
          ...others.flatMap((rule) =>
            rule.format === 'served'
              ? (ruleRelated(rule) ?? [])
              : [{ file: rule.at.file, line: rule.at.line, column: rule.at.column, message: 'Another rule of the same alert' }],
          ),
        ],
      });
    }
  },
});
