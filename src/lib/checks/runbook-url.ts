import { sameUrl, splitFragment } from '../config/runbook-url-pattern.ts';
import { ruleOrigin, ruleRelated } from './about-rule.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRules } from './examples.ts';

/**
 * The value an annotation should hold, or undefined when it is right: the check's verdict. Label
 * values ride in the query string (`?instance={{ $labels.instance }}`), so only the page must
 * match and the rest is kept, the author's; so is a fragment, unless the expected URL has its own
 * (the alert's section, runbookUrl with {anchor}): then that one must match exactly, as a browser
 * finds the heading, and replaces it once, so that the corrected value is right the next time.
 */
export function correctedUrl(current: string | undefined, expected: string): string | undefined {
  if (current === undefined || current.trim() === '') return expected;
  // What a rule that is right almost always holds, and what every comparison below accepts.
  if (current === expected) return undefined;
  const { page, fragment } = splitFragment(current);
  const wanted = splitFragment(expected);
  if (wanted.fragment === undefined) return sameUrl(page, wanted.page) ? undefined : expected + current.slice(page.length);
  if (sameUrl(page, wanted.page) && fragment === wanted.fragment) return undefined;
  const hash = current.indexOf('#');
  const query = current.slice(page.length, hash === -1 ? undefined : hash);
  return `${expected.slice(0, expected.indexOf('#'))}${query}${expected.slice(expected.indexOf('#'))}`;
}

export default defineCheck({
  id: 'runbook-url',
  severity: 'error',
  description: "Every alert's runbook_url annotation is the URL its runbook is served at.",
  docs: {
    rationale:
      'The link in a page or a Slack message is how a responder finds the runbook; a stale or missing runbook_url sends them to a 404 when it matters most.',
    findingsIn: 'rule',
    fixable:
      '`runbooks fix` writes the URL into the annotation, or adds the annotation where it is missing, and keeps a query string (label values) and the quoting style of the file. A rule that a suppression comment excuses keeps its link; a rule read from a server is left to the rule file the server loads.',
    options: {
      annotation:
        'The annotation that holds the link. Default: `runbook_url`. With `{anchor}` in runbookUrl (one section per alert, match: heading) the fragment must match exactly too.',
    },
    examples: {
      failing: {
        note: "The alert's runbook_url points at an old wiki page, not where the site serves its runbook.",
        files: exampleProject({ 'rules/api.yaml': exampleRules([{ name: 'ApiDown', runbookUrl: 'https://wiki.example.com/ApiDown' }]) }),
      },
      passing: { note: 'runbook_url is the runbookUrl pattern of the config, filled in for the alert.', files: exampleProject() },
    },
  },
  defaultOptions: { annotation: 'runbook_url' },
  optionsSchema: { annotation: { type: 'string', minLength: 1 } },
  check({ project, options }, report) {
    if (!project.config.runbookUrl) return;
    const annotation = String(options.annotation);
    for (const alert of project.alerts) {
      const expected = project.runbookUrlFor(alert.name);
      if (!expected) continue;
      for (const rule of alert.rules) {
        const actual = rule.annotations[annotation];
        const corrected = correctedUrl(actual, expected);
        if (corrected === undefined) continue;
        // A rule read from a server's API has no file here to edit: the rule file the server loads is where it is fixed.
        const fix = rule.format === 'served' ? undefined : { within: rule.at, path: ['annotations', annotation], value: corrected };
        if (actual === undefined || actual.trim() === '') {
          report({
            at: rule.annotationsBlockAt,
            severity: 'warning',
            key: `${alert.name} ${annotation}`,
            message: `Alert "${alert.name}"${ruleOrigin(rule)} has no ${annotation} annotation`,
            related: ruleRelated(rule),
            hint: `Add \`${annotation}: ${expected}\` to its annotations, or run \`runbooks fix\`.`,
            fix,
          });
          continue;
        }
        const { page, fragment } = splitFragment(actual);
        const wanted = splitFragment(expected);
        if (sameUrl(page, wanted.page)) {
          report({
            at: rule.annotationsAt[annotation] ?? rule.annotationsBlockAt,
            key: `${alert.name} ${annotation}`,
            message: `${annotation} of alert "${alert.name}" points to ${fragment === undefined ? 'the page without a fragment' : `#${fragment}`}, but its runbook is the section #${wanted.fragment} of ${wanted.page}`,
            hint: `Set it to ${expected} (\`runbooks fix\` does this); fragments are compared exactly, as a browser finds the heading.`,
            fix,
          });
          continue;
        }
        report({
          at: rule.annotationsAt[annotation] ?? rule.annotationsBlockAt,
          key: `${alert.name} ${annotation}`,
          message: `${annotation} of alert "${alert.name}"${ruleOrigin(rule)} points to ${page}, but its runbook is served at ${expected}`,
          related: ruleRelated(rule),
          hint:
            rule.format === 'served'
              ? `The server serves a rule that says otherwise than ${rule.at.file === rule.server ? 'the rule files' : 'this file'}: set it to ${expected} in the rule file the server loads${rule.servedFrom ? ` (${rule.servedFrom})` : ''}, and reload the server.`
              : `Set it to ${expected} (\`runbooks fix\` does this), or change runbookUrl in the config if the site lives elsewhere.`,
          fix,
        });
      }
    }
  },
});
