import type { Heading } from '../project/model.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';
import { scopesOf } from './sections.ts';
import { LineIndex } from '../text/positions.ts';

function wordPattern(words: readonly string[]): RegExp {
  // Not \b: a configured marker may start or end with a non-word character, e.g. "[fill in]".
  return new RegExp(
    `(?<![\\p{L}\\p{N}_])(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\p{L}\\p{N}_])`,
    'gu',
  );
}

function hasEmptyHeading(headings: readonly Heading[]): boolean {
  for (const heading of headings) if (heading.blocks === 0) return true;
  return false;
}

function containsAny(text: string, words: readonly string[]): boolean {
  for (const word of words) if (text.includes(word)) return true;
  return false;
}

export default defineCheck({
  id: 'placeholder-content',
  severity: 'error',
  description: 'Required sections are not empty, and no TODO, TBD or FIXME is left in a runbook.',
  docs: {
    rationale:
      'A heading with nothing under it, or a "TODO: write the fix", looks complete in review and fails the responder who needs it.',
    findingsIn: 'line',
    options: { words: 'The words that mark unfinished text. Default: `["TODO", "TBD", "FIXME"]`.' },
    examples: {
      failing: {
        note: 'Mitigation still says TODO.',
        files: exampleProject({ 'runbooks/ApiDown.md': exampleRunbook({ sections: { Mitigation: 'TODO: write the rollback steps.' } }) }),
      },
      passing: { note: 'Every section is written.', files: exampleProject() },
    },
  },
  defaultOptions: { words: ['TODO', 'TBD', 'FIXME'] },
  optionsSchema: { words: { type: 'array', items: { type: 'string' } } },
  eachRunbook({ project, options }) {
    const required = new Set(project.config.requiredSections.map((s) => s.toLowerCase()));
    const words = (options.words as string[]).filter((w) => w.length > 0);
    const pattern = words.length > 0 ? wordPattern(words) : undefined;
    return (runbook, report) => {
      // Only an empty heading can be an empty section: most runbooks have none, and need no scopes.
      if (required.size > 0 && hasEmptyHeading(runbook.headings)) {
        for (const scope of scopesOf(project, runbook)) {
          for (const heading of scope.headings) {
            if (heading.depth !== scope.level || heading.blocks > 0 || !required.has(heading.text.toLowerCase())) continue;
            report({
              at: { file: runbook.file, line: heading.line, column: heading.column },
              key: `empty:${scope.alert ? `${scope.alert}/` : ''}${heading.text}`,
              message: `Section "${heading.text}" is empty${scope.alert ? ` in the section of alert "${scope.alert}"` : ''}`,
              hint: `Write the ${heading.text} section, or remove the heading if the config does not require it.`,
            });
          }
        }
      }
      if (!pattern) return;
      // A plain substring test first: most runbooks hold none of the words.
      if (!containsAny(runbook.source, words)) return;
      const lines = new LineIndex(runbook.source);
      // Text inside HTML comments is not shown to a responder (and suppression reasons live there).
      const hidden = runbook.comments.map(
        (c) =>
          [
            lines.offsetOf(c),
            c.endLine !== undefined && c.endColumn !== undefined ? lines.offsetOf({ line: c.endLine, column: c.endColumn }) : Infinity,
          ] as const,
      );
      for (const match of runbook.source.matchAll(pattern)) {
        if (hidden.some(([from, to]) => match.index >= from && match.index < to)) continue;
        report({
          at: { file: runbook.file, ...lines.at(match.index) },
          key: `word:${match[1]}`,
          message: `Placeholder "${match[1]}" left in the runbook`,
          hint: 'Write the missing content, then remove the marker.',
        });
      }
    };
  },
});
