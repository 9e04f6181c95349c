import { frontmatterPointers } from '../markdown/frontmatter.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';

const DAY = 86_400_000;

// A run asks with one `today` for every runbook.
let lastDay = '';
let lastMidnight = Number.NaN;

function midnightOf(day: string): number {
  if (day !== lastDay) {
    lastMidnight = Date.parse(`${day}T00:00:00Z`);
    lastDay = day;
  }
  return lastMidnight;
}

/** Days from `reviewed` (a YYYY-MM-DD `last_reviewed`) to `today`, negative for a future date; undefined when it is no such date. */
export function daysSinceReview(reviewed: unknown, today: string): number | undefined {
  if (typeof reviewed !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(reviewed)) return undefined;
  const days = Math.round((midnightOf(today) - Date.parse(`${reviewed}T00:00:00Z`)) / DAY);
  return Number.isNaN(days) ? undefined : days;
}

export default defineCheck({
  id: 'stale-review',
  severity: 'warning',
  description: 'Every runbook was reviewed within the last maxAgeDays days (default 180).',
  docs: {
    rationale: 'Systems change under runbooks: commands get renamed, dashboards move. A dated review keeps someone looking.',
    findingsIn: 'frontmatter',
    options: { maxAgeDays: 'How old `last_reviewed` may be, in days. Default: 180.' },
    examples: {
      failing: {
        note: 'Reviewed in January 2025: more than 180 days before the day the example is checked on.',
        files: exampleProject({ 'runbooks/ApiDown.md': exampleRunbook({ frontmatter: { last_reviewed: '2025-01-15' } }) }),
      },
      passing: { note: 'Reviewed a month before the day the example is checked on.', files: exampleProject() },
    },
  },
  defaultOptions: { maxAgeDays: 180 },
  optionsSchema: { maxAgeDays: { type: 'integer', minimum: 0 } },
  check({ project, options, today }, report) {
    const maxAgeDays = Number(options.maxAgeDays);
    for (const runbook of project.runbooks) {
      const fm = runbook.frontmatter;
      const reviewed = (fm?.data as Record<string, unknown> | undefined)?.last_reviewed;
      const age = daysSinceReview(reviewed, today);
      if (!fm || age === undefined || (age >= 0 && age <= maxAgeDays)) continue;
      const at = { file: runbook.file, ...(frontmatterPointers(runbook)['/last_reviewed']?.value ?? fm.at) };
      if (age < 0) {
        report({
          at,
          key: 'last_reviewed',
          message: `last_reviewed ${reviewed} is in the future`,
          hint: `Set it to the day of the review, at the latest ${today}.`,
        });
      } else {
        // The age grows every day; the key must not.
        report({
          at,
          key: 'last_reviewed',
          message: `Runbook last reviewed ${reviewed}, ${age} days ago (limit ${maxAgeDays})`,
          hint: `Walk through it against the system as it is now, then set \`last_reviewed: ${today}\`.`,
        });
      }
    }
  },
});
