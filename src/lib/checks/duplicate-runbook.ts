import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';

export default defineCheck({
  id: 'duplicate-runbook',
  severity: 'error',
  description: 'No two runbooks claim the same alert.',
  docs: {
    rationale: 'An alert links to one runbook; a second one drifts out of date unseen, and responders cannot tell which is true.',
    findingsIn: 'frontmatter',
    examples: {
      failing: {
        note: 'Two runbooks both say `alert: ApiDown`.',
        files: exampleProject({ 'runbooks/ApiDown-old.md': exampleRunbook({ frontmatter: { title: 'API down (old)' } }) }),
      },
      passing: { note: 'One runbook per alert.', files: exampleProject() },
    },
  },
  check({ project }, report) {
    const seen = new Set<string>();
    for (const runbook of project.runbooks) {
      for (const claim of project.claimsOf(runbook)) {
        if (seen.has(claim.name)) continue;
        const all = project.claimsFor(claim.name);
        // Most alerts have one runbook; taking the list apart is for those that have more.
        if (all.length < 2) continue;
        const [first, ...others] = all;
        if (!first) continue;
        seen.add(claim.name);
        // One finding per other runbook: the same name twice in one `alerts` list is the schema's uniqueItems finding.
        const reported = new Set([first.runbook]);
        for (const other of others) {
          // Two sections of one file for the same alert (match: heading) are two runbooks too.
          if (reported.has(other.runbook) && !other.section) continue;
          reported.add(other.runbook);
          report({
            at: other.at,
            key: claim.name,
            message: `Alert "${claim.name}" already has a runbook: ${first.runbook.file}`,
            hint: 'Merge the two runbooks into one, or remove the alert from this one.',
            related: [{ file: first.at.file, line: first.at.line, column: first.at.column, message: 'The first runbook for this alert' }],
          });
        }
      }
    }
  },
});
