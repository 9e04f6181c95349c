import { frontmatterPointers } from '../markdown/frontmatter.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';

const INCIDENT = (date: string, url?: string): string =>
  `\n  - title: "INC-42: API down after the certificate expired"${url ? `\n    url: ${url}` : ''}\n    date: ${date}`;

export default defineCheck({
  id: 'incident-entry',
  severity: 'warning',
  description: 'Every past incident a runbook lists links to its write-up and did not happen in the future.',
  docs: {
    rationale:
      'A responder opens "Seen in" to read what was done last time: an entry without a link leads nowhere, and a date in the future is a typo that sorts it above every real one.',
    findingsIn: 'frontmatter',
    examples: {
      failing: {
        note: 'One incident has no url; the other is dated after the day the example is checked on.',
        files: exampleProject({
          'runbooks/ApiDown.md': exampleRunbook({
            frontmatter: { incidents: `${INCIDENT('2026-03-02')}${INCIDENT('2027-01-05', 'https://incidents.example.com/INC-43')}` },
          }),
        }),
      },
      passing: {
        note: 'The incident links to its write-up and is in the past.',
        files: exampleProject({
          'runbooks/ApiDown.md': exampleRunbook({
            frontmatter: { incidents: INCIDENT('2026-03-02', 'https://incidents.example.com/INC-42') },
          }),
        }),
      },
    },
  },
  check({ project, today }, report) {
    for (const runbook of project.runbooks) {
      const fm = runbook.frontmatter;
      const incidents = (fm?.data as Record<string, unknown> | undefined)?.incidents;
      if (!fm || !Array.isArray(incidents)) continue;
      for (let i = 0; i < incidents.length; i++) {
        const entry: unknown = incidents[i];
        if (typeof entry !== 'object' || entry === null) continue;
        const { title, url, date } = entry as Record<string, unknown>;
        const noUrl = typeof url !== 'string' || url.trim() === '';
        const future = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) && date > today;
        if (!noUrl && !future) continue;
        const name = typeof title === 'string' ? `"${title}"` : `number ${i + 1}`;
        // Locating a key re-parses the frontmatter: only an entry with a finding pays for it.
        const at = (pointer: string) => {
          const pointers = frontmatterPointers(runbook);
          return { file: runbook.file, ...(pointers[pointer]?.value ?? pointers[`/incidents/${i}`]?.value ?? fm.at) };
        };
        if (noUrl) {
          report({
            at: at(`/incidents/${i}`),
            key: `${typeof title === 'string' ? title : i}/url`,
            message: `Incident ${name} has no url`,
            hint: 'Add `url:` with the link to its write-up (postmortem, ticket or timeline), so a responder can read what was done.',
          });
        }
        if (future) {
          report({
            at: at(`/incidents/${i}/date`),
            key: `${typeof title === 'string' ? title : i}/date`,
            message: `Incident ${name} is dated ${date}, in the future`,
            hint: `Set \`date:\` to the day the incident started, at the latest ${today}.`,
          });
        }
      }
    }
  },
});
