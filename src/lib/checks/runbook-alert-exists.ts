import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';
import { nearest } from '../text/nearest.ts';

export default defineCheck({
  id: 'runbook-alert-exists',
  severity: 'error',
  description: 'Every alert a runbook names is defined in a rule file.',
  docs: {
    rationale:
      'A runbook for an alert that no longer exists (renamed or deleted) is dead weight, and the renamed alert is likely left without its runbook.',
    findingsIn: 'frontmatter',
    examples: {
      failing: {
        note: 'The runbook names ApiDwon, a typo: no rule defines it.',
        files: exampleProject({ 'runbooks/ApiDown.md': exampleRunbook({ frontmatter: { alert: 'ApiDwon' } }) }),
      },
      passing: { note: 'The runbook names ApiDown, which rules/api.yaml defines.', files: exampleProject() },
    },
  },
  check({ project }, report) {
    let names: string[] | undefined;
    for (const runbook of project.runbooks) {
      for (const claim of project.claimsOf(runbook)) {
        if (project.alert(claim.name)) continue;
        const suggestion = nearest(claim.name, (names ??= project.alerts.map((a) => a.name)));
        report({
          at: claim.at,
          key: claim.name,
          message: `Runbook names alert "${claim.name}", which no rule file defines`,
          hint: suggestion
            ? `Did you mean "${suggestion}"? Otherwise delete the runbook, or add the rule files that define the alert to \`rules\` in the config.`
            : 'Delete the runbook if the alert is gone, or add the rule files that define it to `rules` in the config.',
        });
      }
    }
  },
});
