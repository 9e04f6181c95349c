import { pointIn } from '../text/positions.ts';
import { sanitizerRemovals, type Removal } from '../markdown/html-sanitizer.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';

/** What to write instead of an element the sanitizer drops. */
const INSTEAD: Record<string, string> = {
  script: 'Scripts never run on a runbook page: remove it, and put what it did into steps a responder can follow.',
  style: 'Styles from a runbook are not applied: remove it; the site styles the page.',
  iframe: 'Link to the page instead: `[Dashboard](https://…)`.',
  font: 'Use Markdown emphasis (`**bold**`, `*italic*`) instead.',
  center: 'Remove it: the site lays out the page.',
  form: 'Link to the tool instead of embedding a form.',
  button: 'Write the action as a step, or link to the tool that performs it.',
  input: 'Only the checkboxes of a task list (`- [ ] step`) are kept.',
};

function message(removal: Removal): string {
  if (removal.element)
    return `HTML element <${removal.tag}> is removed from the page${removal.element.withContent ? ', with its content' : ''}`;
  const list = removal.attributes.join(', ');
  return `${removal.attributes.length === 1 ? `Attribute ${list} of <${removal.tag}> is` : `Attributes ${list} of <${removal.tag}> are`} removed from the page`;
}

function hint(removal: Removal): string {
  if (removal.element)
    return (
      INSTEAD[removal.tag] ??
      `GitHub and the site keep only safe HTML (details, summary, kbd, sub, sup, br, img, tables…): write it in Markdown, or remove the <${removal.tag}> tags.`
    );
  return 'GitHub and the site keep only safe attributes (href, src, alt, title, width, height, align…), no event handlers, styles or classes: remove them, or use Markdown for the formatting.';
}

export default defineCheck({
  id: 'unsafe-html',
  severity: 'warning',
  description: "Raw HTML holds nothing that GitHub's sanitizer (and so the site) removes.",
  docs: {
    rationale:
      'The site renders raw HTML as GitHub does, through its sanitizer: an onclick, a style, an iframe or a script silently disappears from the page, and with it whatever the author meant the responder to see.',
    findingsIn: 'line',
    examples: {
      failing: {
        note: 'The image has an inline style and an event handler; the iframe goes entirely.',
        files: exampleProject({
          'runbooks/ApiDown.md': exampleRunbook({
            sections: {
              Diagnosis:
                '<img src="graph.png" alt="Error rate" style="width: 50%" onclick="zoom()">\n\n<iframe src="https://grafana.example.com/d/api"></iframe>',
            },
          }),
        }),
      },
      passing: {
        note: 'Safe HTML: a collapsible block with a keyboard shortcut.',
        files: exampleProject({
          'runbooks/ApiDown.md': exampleRunbook({
            sections: {
              Diagnosis:
                '<details>\n<summary>Logs</summary>\n\nPress <kbd>Ctrl</kbd>+<kbd>C</kbd> to stop following the logs.\n\n</details>',
            },
          }),
        }),
      },
    },
  },
  eachRunbook() {
    return (runbook, report) => {
      if (runbook.html.length === 0) return;
      for (const removal of sanitizerRemovals(runbook.html.map((h) => h.value))) {
        const piece = runbook.html[removal.piece];
        if (!piece) continue;
        report({
          at: { file: runbook.file, ...pointIn(piece.value, piece, removal.index) },
          key: `<${removal.tag}> ${removal.attributes.join(' ')}`.trim(),
          message: message(removal),
          hint: hint(removal),
        });
      }
    };
  },
});
