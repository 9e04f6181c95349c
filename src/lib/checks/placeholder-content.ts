import type { TextSpan } from '../model.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';

function wordPattern(words: readonly string[]): RegExp {
  // Not \b: a configured marker may start or end with a non-word character, e.g. "[fill in]".
  return new RegExp(`(?<![\\p{L}\\p{N}_])(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
}

/** Where a match at `index` in a span's value stands in the file. */
function locate(span: TextSpan, index: number): { line: number; column: number } {
  const before = span.value.slice(0, index);
  const breaks = before.split('\n').length - 1;
  const start = span.starts?.[breaks];
  if (start) return { line: start.line, column: start.column + before.length - (before.lastIndexOf('\n') + 1) };
  // A fenced block's value starts on the line after its opening fence.
  const firstLine = span.line + (span.kind === 'code' ? 1 : 0);
  if (breaks === 0) return { line: firstLine, column: (span.kind === 'code' ? span.column : span.column + (span.kind === 'inlineCode' ? 1 : 0)) + before.length };
  return { line: firstLine + breaks, column: span.column + before.length - before.lastIndexOf('\n') - 1 };
}

export default defineCheck({
  id: 'placeholder-content',
  severity: 'error',
  description: 'Required sections are not empty, and no TODO, TBD or FIXME is left in a runbook.',
  docs: {
    rationale: 'A heading with nothing under it, or a "TODO: write the fix", looks complete in review and fails the responder who needs it.',
    options: { words: 'The words that mark unfinished text. Default: `["TODO", "TBD", "FIXME"]`.' },
    examples: {
      failing: { note: 'Mitigation still says TODO.', files: exampleProject({ 'runbooks/ApiDown.md': exampleRunbook({ sections: { Mitigation: 'TODO: write the rollback steps.' } }) }) },
      passing: { note: 'Every section is written.', files: exampleProject() },
    },
  },
  defaultOptions: { words: ['TODO', 'TBD', 'FIXME'] },
  check({ project, options }, report) {
    const required = new Set(project.config.requiredSections.map((s) => s.toLowerCase()));
    const words = (options.words as string[]).filter((w) => w.length > 0);
    const pattern = words.length > 0 ? wordPattern(words) : undefined;
    for (const runbook of project.runbooks) {
      for (const heading of runbook.headings) {
        if (heading.depth !== 2 || heading.blocks > 0 || !required.has(heading.text.toLowerCase())) continue;
        report({
          at: { file: runbook.file, line: heading.line, column: heading.column },
          message: `Section "${heading.text}" is empty`,
          hint: `Write the ${heading.text} section, or remove the heading if the config does not require it.`,
        });
      }
      if (!pattern) continue;
      for (const span of runbook.texts) {
        // A plain substring test first: the Unicode-aware pattern costs ~0.3 s over 10,000 runbooks' spans.
        if (!words.some((word) => span.value.includes(word))) continue;
        for (const match of span.value.matchAll(pattern)) {
          report({
            at: { file: runbook.file, ...locate(span, match.index) },
            message: `Placeholder "${match[1]}" left in the runbook`,
            hint: 'Write the missing content, then remove the marker.',
          });
        }
      }
    }
  },
});
