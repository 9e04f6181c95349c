import type { Diagnostic } from '../engine/diagnostic.ts';
import { docsLink, ruleCatalog } from './rules.ts';
import type { Reporter, ReportInput } from './types.ts';

/** Characters XML 1.0 cannot hold at all, not even as a character reference: they become U+FFFD. */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for an XML element's content. */
function xmlText(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Escapes text for a double-quoted XML attribute; tabs and line breaks survive attribute normalisation as references. */
function xmlAttr(value: string): string {
  return xmlText(value).replaceAll('"', '&quot;').replaceAll('\t', '&#9;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;');
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

function details(d: Diagnostic, input: ReportInput): string {
  const docs = docsLink(d, input);
  return [
    `${d.file}:${d.line}:${d.column}: ${d.message}`,
    ...(d.hint ? [`Hint: ${d.hint}`] : []),
    ...(d.related ?? []).map((r) => `See ${r.file}:${r.line}:${r.column}: ${r.message}`),
    ...(docs ? [`Docs: ${docs}`] : []),
  ].join('\n');
}

/**
 * JUnit XML as GitLab and Jenkins read it: one testsuite per check, one testcase per finding
 * (errors and warnings fail, infos pass with their text as output), and one passing testcase for
 * each check without findings, so a clean run still shows every check that ran.
 */
export const junit: Reporter = (input) => {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const rule of ruleCatalog(input)) {
    const found = input.diagnostics.filter((d) => d.ruleId === rule.id);
    const classname = `runbooks.${rule.id}`;
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const d of found) {
      const head = `<testcase${attrs({ name: `${d.file}:${d.line}:${d.column} ${d.message}`, classname, file: d.file, line: d.line })}>`;
      if (d.severity === 'info') {
        cases.push(`    ${head}<system-out>${xmlText(details(d, input))}</system-out></testcase>`);
        continue;
      }
      suiteFailures++;
      cases.push(
        `    ${head}<failure${attrs({ message: d.message, type: d.severity })}>${xmlText(details(d, input))}</failure></testcase>`,
      );
    }
    if (found.length === 0) {
      const docs = rule.docsUrl ? ` (${rule.docsUrl})` : '';
      cases.push(
        `    <testcase${attrs({ name: `${rule.id}: no problems`, classname })}><system-out>${xmlText(`${rule.description}${docs}`)}</system-out></testcase>`,
      );
    }
    tests += cases.length;
    failures += suiteFailures;
    suites.push(
      `  <testsuite${attrs({ name: rule.id, tests: cases.length, failures: suiteFailures, errors: 0, skipped: 0 })}>\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: 'runbooks lint', tests, failures, errors: 0 })}>\n${suites.join('\n')}\n</testsuites>\n`;
};
