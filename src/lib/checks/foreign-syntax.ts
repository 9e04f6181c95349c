import type { ForeignSyntax } from '../project/model.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';

/** How to write a Hugo shortcode in plain Markdown, by its name. */
function shortcodeHint(found: ForeignSyntax): string {
  const target = /["']([^"']+)["']/.exec(found.text)?.[1];
  switch (found.name) {
    case 'ref':
    case 'relref':
      return `Write a relative link to the file: \`[${found.linkText ?? 'text'}](${target ?? 'other-runbook.md'})\`; the linter checks it and the site turns it into the page's address.`;
    case 'figure':
      return `Write an image: \`![what it shows](${target ?? 'image.png'})\`.`;
    case 'highlight':
      return 'Write a fenced code block: ```` ```shell ```` on the line before the code and ```` ``` ```` after it.';
    case 'notice':
    case 'hint':
    case 'alert':
    case 'callout':
    case 'warning':
    case 'note':
    case 'tip':
      return 'Write a GitHub alert: a blockquote whose first line is `> [!NOTE]` (or `[!TIP]`, `[!WARNING]`, `[!CAUTION]`, `[!IMPORTANT]`).';
    case 'details':
    case 'expand':
      return 'Write `<details><summary>Title</summary>` … `</details>`: GitHub and the site render it.';
    case 'tabs':
    case 'tab':
      return 'Write each tab as its own `###` sub-section.';
    case 'param':
      return 'Write the value itself: Markdown has no site parameters.';
    default:
      return 'Markdown shows shortcodes as literal text: write what it produced in plain Markdown (a link, an image, a code block or a `> [!NOTE]` alert).';
  }
}

const CONSTRUCT: Record<ForeignSyntax['construct'], string> = {
  'hugo-shortcode': 'Hugo shortcode',
  jinja: 'Jinja template tag',
  'mdx-import': 'MDX import/export',
  jsx: 'JSX component',
};

function hint(found: ForeignSyntax): string {
  switch (found.construct) {
    case 'hugo-shortcode':
      return shortcodeHint(found);
    case 'jinja':
      return found.name === 'comment'
        ? 'Write a Markdown comment instead: `<!-- … -->`.'
        : 'Markdown has no template logic: write out the text for every case (one sub-section per environment, say), or generate the runbooks before linting.';
    case 'mdx-import':
      return 'Markdown imports nothing: remove the line, and write what the imported component showed in plain Markdown.';
    case 'jsx':
      return `If it is a placeholder, put it in backticks (\`<${found.name ?? 'Name'}>\`) or escape it (\`\\<${found.name ?? 'Name'}>\`). If it is a component, Markdown has none: write what it shows in plain Markdown (sub-sections for tabs, a \`> [!NOTE]\` alert for a callout, \`<details>\` for a collapsible block).`;
  }
}

export default defineCheck({
  id: 'foreign-syntax',
  severity: 'warning',
  description:
    'No Hugo shortcodes, Jinja blocks, MDX imports or JSX components: syntax of other tools that Markdown shows as literal text.',
  docs: {
    rationale:
      'Runbooks migrated from a Hugo, Docusaurus or MkDocs site keep their shortcodes and components; GitHub and this site show them as literal text (or drop them), so a link or a warning the responder needed turns into `{{< ref "x.md" >}}`.',
    findingsIn: 'line',
    examples: {
      failing: {
        note: 'A Hugo `ref` shortcode where a relative link belongs.',
        files: exampleProject({
          'runbooks/ApiDown.md': exampleRunbook({ sections: { Diagnosis: 'See [the database runbook]({{< ref "DatabaseDown.md" >}}).' } }),
        }),
      },
      passing: {
        note: 'A relative link, which the linter checks and the site resolves; `{{ $labels.x }}` placeholders are not foreign syntax.',
        files: exampleProject({
          'runbooks/ApiDown.md': exampleRunbook({
            sections: { Diagnosis: 'Look at the logs of `{{ $labels.pod }}`, then see [Mitigation](#mitigation).' },
          }),
        }),
      },
    },
  },
  eachRunbook() {
    return (runbook, report) => {
      for (const found of runbook.foreign) {
        report({
          at: { file: runbook.file, line: found.line, column: found.column },
          key: `${found.construct} ${found.text}`,
          message:
            found.construct === 'jsx'
              ? `Tag ${found.text} is not HTML (a JSX component?): the page drops the tag and keeps only its text`
              : `${CONSTRUCT[found.construct]} ${found.text} is shown as literal text`,
          hint: hint(found),
        });
      }
    };
  },
});
