import path from 'node:path';
import type { Runbook } from '../project/model.ts';
import { hasTemplate } from '../markdown/placeholders.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';
import { nearest } from '../text/nearest.ts';
import { resolveRelative, startsWithSchemeOrSlash } from '../text/repo-paths.ts';

function hasSlug(runbook: Runbook, anchor: string): boolean {
  for (const heading of runbook.headings) if (heading.slug === anchor) return true;
  return false;
}

function decode(value: string): string {
  // Most links have no escapes, and decodeURIComponent is slow to find that out.
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export default defineCheck({
  id: 'broken-link',
  severity: 'error',
  description: 'Relative links point to files and heading anchors that exist, and footnote references to footnotes that do.',
  docs: {
    rationale:
      'Runbooks link to each other ("see HostDown, Diagnosis"); a renamed file or heading leaves a dead end in the middle of an incident.',
    findingsIn: 'line',
    examples: {
      failing: {
        note: 'One link names a file that does not exist, the other a heading the runbook does not have.',
        files: exampleProject({
          'runbooks/ApiDown.md': exampleRunbook({
            sections: { Diagnosis: 'See [the database runbook](DatabaseDown.md) and [the steps below](#rollback).' },
          }),
        }),
      },
      passing: {
        note: 'The link points at a heading that exists.',
        files: exampleProject({
          'runbooks/ApiDown.md': exampleRunbook({
            sections: { Diagnosis: 'If the pods crash-loop, go straight to [Mitigation](#mitigation).' },
          }),
        }),
      },
    },
  },
  // One runbook at a time: the files its links name are read through the context, which keeps
  // them with the findings (an edited target, a deleted image, checks the runbook again).
  eachRunbook({ project }) {
    return (runbook, report) => {
      for (const link of runbook.links) {
        const url = link.url.trim();
        // Scheme links (https:, mailto:), protocol-relative and site-absolute links are not files in the repository.
        if (url === '' || startsWithSchemeOrSlash(url) || (url.includes('{{') && hasTemplate(url))) continue;
        // As url.split('#', 2): the fragment ends at a second `#`.
        const hash = url.indexOf('#');
        const pathAndQuery = hash === -1 ? url : url.slice(0, hash);
        const second = hash === -1 ? -1 : url.indexOf('#', hash + 1);
        const fragment = hash === -1 ? undefined : url.slice(hash + 1, second === -1 ? undefined : second);
        const target = decode(pathAndQuery.includes('?') ? pathAndQuery.replace(/\?.*$/, '') : pathAndQuery);
        const file = target === '' ? runbook.file : resolveRelative(runbook.file, target);
        const linked = project.runbookAt(file);
        // Any file counts, not only runbooks: a link to a helper page or an image that exists works.
        if (!linked && !project.exists(file)) {
          report({
            at: { file: runbook.file, line: link.line, column: link.column, endLine: link.endLine, endColumn: link.endColumn },
            key: target,
            message: `Link target ${target} does not exist`,
            hint: `Fix the path (relative to ${path.posix.dirname(runbook.file)}/), or remove the link.`,
          });
          continue;
        }
        if (fragment === undefined || fragment === '' || !linked) continue;
        const anchor = decode(fragment);
        if (hasSlug(linked, anchor)) continue;
        const slugs = linked.headings.map((h) => h.slug);
        const suggestion = nearest(anchor, slugs);
        report({
          at: { file: runbook.file, line: link.line, column: link.column, endLine: link.endLine, endColumn: link.endColumn },
          key: `${linked.file}#${anchor}`,
          message: `Link to #${anchor}: ${linked === runbook ? 'this runbook' : linked.file} has no heading with that anchor`,
          hint: suggestion
            ? `Did you mean #${suggestion}?`
            : `Link to one of its headings: ${slugs.map((s) => `#${s}`).join(', ') || '(it has none)'}.`,
        });
      }
      if (runbook.footnotes.length === 0) return;
      // GFM shows a reference to a footnote that is not defined as the literal text `[^label]`.
      const defined = runbook.footnotes.filter((f) => f.kind === 'definition').map((f) => f.label);
      for (const note of runbook.footnotes) {
        if (note.kind !== 'missing') continue;
        const suggestion = nearest(note.label, defined);
        report({
          at: { file: runbook.file, line: note.line, column: note.column, endLine: note.endLine, endColumn: note.endColumn },
          key: `[^${note.label}]`,
          message: `Footnote [^${note.label}] has no definition`,
          hint: suggestion
            ? `Did you mean [^${suggestion}]? Otherwise add a line \`[^${note.label}]: …\` with the note.`
            : `Add a line \`[^${note.label}]: …\` with the note, or remove the reference.`,
        });
      }
    };
  },
});
