import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { runExample } from '../src/lib/site/check-docs.ts';
import { checks } from '../src/lib/checks/index.ts';
import { exampleProject, exampleRules, exampleRunbook } from '../src/lib/checks/examples.ts';
import { countDiagnostics, type Diagnostic } from '../src/lib/engine/diagnostic.ts';
import { escapeData, escapeProperty, github } from '../src/lib/reporters/github.ts';
import { junit } from '../src/lib/reporters/junit.ts';
import { sarif } from '../src/lib/reporters/sarif.ts';
import type { ReportInput } from '../src/lib/reporters/types.ts';
import { haveSarifSchema, sarifValidator } from './support/shared.ts';

const SITE = 'https://runbooks.example.com';

function input(diagnostics: Diagnostic[], docsUrlFor: (id: string) => string = (id) => `${SITE}/checks/${id}/`): ReportInput {
  return { diagnostics, counts: countDiagnostics(diagnostics), checks, fileCount: 3, toolVersion: '0.1.0', color: false, docsUrlFor };
}

/** A broken project linted for real: findings of several checks, in rule files and runbooks, with related places. */
async function brokenProject(): Promise<Diagnostic[]> {
  return runExample({
    files: exampleProject({
      'rules/api.yaml': exampleRules([{ name: 'ApiDown' }, { name: 'ApiSlow', severity: 'warning', runbookUrl: null }]),
      'runbooks/ApiDown.md': exampleRunbook({
        frontmatter: { severity: 'warning', last_reviewed: '2025-01-15' },
        sections: { Mitigation: 'TODO' },
      }),
      'runbooks/ApiDown-copy.md': exampleRunbook(),
      'runbooks/Broken.md': '---\nalert: [unclosed\n---\n# Broken\n',
    }),
  });
}

/** Hand-made findings for the corners: odd characters, a file name with a space, an info, an unknown rule id, no end position. */
const corners: Diagnostic[] = [
  {
    file: 'runbooks/with space,comma:colon%.md',
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 9,
    ruleId: 'broken-link',
    severity: 'error',
    message: 'Link "a<b>" & \'c\' 100% broken\r\nsecond line\u0001\u0008 end',
    hint: 'Fix <it> & "quote" it',
    docsUrl: `${SITE}/checks/broken-link/`,
  },
  { file: 'rules/x.yaml', line: 7, column: 1, ruleId: 'runbook-url', severity: 'info', message: 'An info' },
  {
    file: 'runbooks/a.md',
    line: 2,
    column: 1,
    endLine: 4,
    endColumn: 3,
    ruleId: 'made-up-id',
    severity: 'warning',
    message: 'From a check the reporter does not know',
  },
  {
    file: 'runbooks/b.md',
    line: 1,
    column: 1,
    ruleId: 'duplicate-runbook',
    severity: 'error',
    message: 'Alert "X" already has a runbook: runbooks/a.md',
    related: [{ file: 'runbooks/a.md', line: 2, column: 8, message: 'The first runbook for this alert' }],
  },
];

describe('sarif', () => {
  const withSchema = haveSarifSchema();
  const validate = withSchema ? sarifValidator() : undefined!;

  it.runIf(withSchema)('validates against the official SARIF 2.1.0 schema, for a real run and for the corner cases', async () => {
    for (const diagnostics of [await brokenProject(), corners, []]) {
      const log = JSON.parse(sarif(input(diagnostics)));
      expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    }
  });

  it.runIf(withSchema)('the validator rejects a broken log, so the test above can fail', () => {
    const log = JSON.parse(sarif(input(corners)));
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
    const noUri = JSON.parse(sarif(input(corners)));
    noUri.runs[0].tool.driver.rules[0].helpUri = 'not a uri';
    expect(validate(noUri)).toBe(false);
  });

  it('describes every check and every other rule id that occurs, and points each result at its rule', async () => {
    const diagnostics = [...(await brokenProject()), ...corners];
    const log = JSON.parse(sarif(input(diagnostics)));
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('runbooks');
    expect(run.tool.driver.version).toBe('0.1.0');
    expect(run.tool.driver.informationUri).toBe(`${SITE}/checks/`);
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids.slice(0, checks.length)).toEqual(checks.map((c) => c.id));
    expect(ids).toEqual(expect.arrayContaining(['parse-error', 'made-up-id']));
    expect(new Set(ids).size).toBe(ids.length);
    const parseRule = run.tool.driver.rules[ids.indexOf('parse-error')];
    expect(parseRule.helpUri).toBe(`${SITE}/checks/parse-error/`);
    expect(parseRule.shortDescription.text).toMatch(/YAML/);
    for (const check of checks) {
      const rule = run.tool.driver.rules[ids.indexOf(check.id)];
      expect(rule.helpUri).toBe(`${SITE}/checks/${check.id}/`);
      expect(rule.shortDescription.text).toBe(check.description);
      expect(rule.fullDescription.text).toBe(check.docs.rationale);
      expect(rule.defaultConfiguration.level).toBe(check.severity === 'info' ? 'note' : check.severity);
    }
    expect(run.results).toHaveLength(diagnostics.length);
    run.results.forEach((r: { ruleId: string; ruleIndex: number }, i: number) => {
      expect(r.ruleId).toBe(diagnostics[i]?.ruleId);
      expect(ids[r.ruleIndex]).toBe(r.ruleId);
    });
  });

  it('maps levels, locations and related locations', () => {
    const run = JSON.parse(sarif(input(corners))).runs[0];
    const [first, info, unknown, duplicate] = run.results;
    expect(first.level).toBe('error');
    expect(info.level).toBe('note');
    expect(unknown.level).toBe('warning');
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'runbooks/with%20space%2Ccomma%3Acolon%25.md', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 9 },
    });
    expect(first.message.text).toContain('Hint: Fix <it>');
    expect(unknown.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 1, endLine: 4, endColumn: 3 });
    expect(info.locations[0].physicalLocation.region).toEqual({ startLine: 7, startColumn: 1 });
    expect(duplicate.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'runbooks/a.md', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 8 } },
        message: { text: 'The first runbook for this alert' },
      },
    ]);
  });

  it('without a known site address, keeps the docs path in the text and leaves out helpUri (which must be absolute)', () => {
    const log = JSON.parse(sarif(input(corners, (id) => `/checks/${id}/`)));
    if (withSchema) expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const rule = log.runs[0].tool.driver.rules[0];
    expect(rule.helpUri).toBeUndefined();
    expect(rule.help.text).toContain('/checks/alert-has-runbook/');
    expect(log.runs[0].tool.driver.informationUri).toBeUndefined();
  });
});

describe('github', () => {
  it('escapes as @actions/core does', () => {
    expect(escapeData('100%\r\nnext')).toBe('100%25%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('writes one workflow command per finding, with position, title, hint and docs link', async () => {
    const diagnostics = await brokenProject();
    const lines = github(input(diagnostics)).trimEnd().split('\n');
    expect(lines).toHaveLength(diagnostics.length + 1);
    const stale = diagnostics.find((d) => d.ruleId === 'stale-review') as Diagnostic;
    const line = lines[diagnostics.indexOf(stale)] as string;
    expect(line).toBe(
      `::warning file=runbooks/ApiDown.md,line=${stale.line},col=${stale.column},endColumn=${stale.endColumn},title=runbooks%3A stale-review::${escapeData(`${stale.message}\nHint: ${stale.hint}\nDocs: ${SITE}/checks/stale-review/`)}`,
    );
    for (const [i, d] of diagnostics.entries()) {
      expect(lines[i]).toMatch(
        new RegExp(`^::${d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice'} file=`),
      );
      expect(lines[i]).toContain('Docs: ');
    }
    expect(lines.at(-1)).toMatch(/^runbooks: \d+ errors, \d+ warnings, 0 infos in 3 files checked$/);
  });

  it('escapes the corners: no raw line break, colon or comma ends a property or the command early', () => {
    const lines = github(input(corners)).trimEnd().split('\n');
    expect(lines).toHaveLength(corners.length + 1);
    expect(lines[0]).toBe(
      `::error file=runbooks/with space%2Ccomma%3Acolon%25.md,line=3,col=5,endColumn=9,title=runbooks%3A broken-link::Link "a<b>" & 'c' 100%25 broken%0D%0Asecond line\u0001\u0008 end%0AHint: Fix <it> & "quote" it%0ADocs: ${SITE}/checks/broken-link/`,
    );
    expect(lines[1]).toMatch(/^::notice file=rules\/x.yaml,line=7,col=1,title=/);
    // Across lines GitHub ignores a column range, so the range is left out, the end line kept.
    expect(lines[2]).toMatch(/^::warning file=runbooks\/a.md,line=2,endLine=4,col=1,title=runbooks%3A made-up-id::/);
    expect(lines[3]).toContain('%0ASee runbooks/a.md:2:8: The first runbook for this alert');
  });
});

describe('junit', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testsuite', 'testcase'].includes(name),
  });
  type Case = {
    name: string;
    classname: string;
    file?: string;
    line?: string;
    failure?: { message: string; type: string; '#text': string };
    'system-out'?: string;
  };
  type Suite = { name: string; tests: string; failures: string; testcase: Case[] };
  const parse = (xml: string) => parser.parse(xml) as { testsuites: { tests: string; failures: string; testsuite: Suite[] } };

  it('is well-formed XML with a suite per check, a failing case per error or warning, and the right counts', async () => {
    const diagnostics = await brokenProject();
    const xml = junit(input(diagnostics));
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parse(xml).testsuites;
    const failing = diagnostics.filter((d) => d.severity !== 'info').length;
    expect(Number(doc.failures)).toBe(failing);
    const suites = doc.testsuite;
    const cases = suites.flatMap((s) => s.testcase);
    expect(Number(doc.tests)).toBe(cases.length);
    expect(cases.filter((c) => c.failure)).toHaveLength(failing);
    for (const check of checks) {
      const suite = suites.find((s) => s.name === check.id) as Suite;
      const found = diagnostics.filter((d) => d.ruleId === check.id);
      expect(Number(suite.failures), check.id).toBe(found.filter((d) => d.severity !== 'info').length);
      expect(suite.testcase.length, check.id).toBe(Math.max(1, found.length));
      expect(Number(suite.tests)).toBe(suite.testcase.length);
    }
    const stale = suites.find((s) => s.name === 'stale-review')?.testcase[0] as Case;
    expect(stale.file).toBe('runbooks/ApiDown.md');
    expect(stale.classname).toBe('runbooks.stale-review');
    expect(stale.failure?.type).toBe('warning');
    expect(stale.failure?.['#text']).toContain(`Docs: ${SITE}/checks/stale-review/`);
    expect(suites.some((s) => s.name === 'parse-error')).toBe(true);
  });

  it('a clean run still has a passing testcase per check', () => {
    const xml = junit(input([]));
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parse(xml).testsuites;
    expect(doc.failures).toBe('0');
    expect(doc.testsuite.map((s) => s.name)).toEqual(checks.map((c) => c.id));
    expect(doc.testsuite.every((s) => s.testcase.length === 1 && !s.testcase[0]?.failure)).toBe(true);
  });

  it('escapes quotes, <, & and line breaks, and drops characters XML cannot hold', () => {
    const xml = junit(input(corners));
    expect(XMLValidator.validate(xml)).toBe(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test's input holds these control characters
    expect(xml).not.toMatch(/[\u0001\u0008]/);
    const doc = parse(xml).testsuites;
    const broken = doc.testsuite.find((s) => s.name === 'broken-link')?.testcase[0] as Case;
    const decode = (s: string) =>
      s
        .replaceAll('&#10;', '\n')
        .replaceAll('&#13;', '\r')
        .replaceAll('&quot;', '"')
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&amp;', '&');
    // fast-xml-parser leaves entities in attributes undecoded unless asked; decode to compare with the original.
    expect(decode(broken.failure?.message as string)).toBe('Link "a<b>" & \'c\' 100% broken\r\nsecond line\uFFFD\uFFFD end');
    expect(broken.file).toBe('runbooks/with space,comma:colon%.md');
    expect(broken.line).toBe('3');
    const info = doc.testsuite.find((s) => s.name === 'runbook-url')?.testcase[0] as Case;
    expect(info.failure).toBeUndefined();
    expect(info['system-out']).toContain('An info');
    expect(doc.testsuite.some((s) => s.name === 'made-up-id')).toBe(true);
  });
});
