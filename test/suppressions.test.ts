import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checks } from '../src/lib/checks/index.ts';
import { lint } from '../src/lib/engine/lint.ts';
import { parseDirective, SUPPRESSION } from '../src/lib/engine/suppressions.ts';
import { yamlComments } from '../src/lib/text/yaml-comments.ts';
import { parseYaml } from '../src/lib/text/yaml.ts';
import { configOf, expectWellFormed, findingAt, FIXTURES, lintProject, markedFindings, tempDir, TODAY } from './harness.ts';

const root = path.join(FIXTURES, 'suppressions/basic');
const keys = (ds: readonly { file: string; line: number; ruleId: string }[]): string[] =>
  ds.map((d) => `${d.file}:${d.line} ${d.ruleId}`).sort();

describe('parseDirective', () => {
  it('reads the form, the ids and the reason', () => {
    expect(parseDirective('runbooks-disable a, b -- why not')).toEqual({
      kind: 'file',
      name: 'runbooks-disable',
      ids: ['a', 'b'],
      reason: 'why not',
    });
    expect(parseDirective('runbooks-disable-next-line a b --- why -- really')).toEqual({
      kind: 'next-line',
      name: 'runbooks-disable-next-line',
      ids: ['a', 'b'],
      reason: 'why -- really',
    });
    expect(parseDirective('runbooks-disable-next-line a --')).toMatchObject({ ids: ['a'], reason: undefined });
    expect(parseDirective('runbooks-disable-next-line a')).toMatchObject({ ids: ['a'], reason: undefined });
    expect(parseDirective('runbooks-disable -- only a reason')).toMatchObject({ ids: [], reason: 'only a reason' });
    // Dashes inside an id are part of it.
    expect(parseDirective('runbooks-disable broken-link--x -- r')).toMatchObject({ ids: ['broken-link--x'], reason: 'r' });
  });

  it('tells directives it does not know from plain comments', () => {
    expect(parseDirective('runbooks-disable-line a -- r')).toEqual({ unknown: 'runbooks-disable-line' });
    expect(parseDirective('runbooks-enable a')).toEqual({ unknown: 'runbooks-enable' });
    expect(parseDirective('expect: placeholder-content')).toBeUndefined();
    expect(parseDirective('note: runbooks-disable a -- r')).toBeUndefined();
  });
});

describe('yamlComments', () => {
  it('finds directive comments with their positions, and no # inside a scalar', () => {
    const text = [
      'groups:',
      '  - name: g # runbooks-disable a -- trailing',
      '    rules:',
      '      #   runbooks-disable-next-line b -- indented',
      '      - alert: "X # runbooks-disable c -- quoted, not a comment"',
      '        expr: |',
      '          up # runbooks-disable d -- PromQL inside a block scalar',
      "        annotations: { summary: 's #runbooks-disable e' }",
      '# runbooks-other',
      '',
    ].join('\n');
    const docs = parseYaml(text, 'f.yaml').documents.map((d) => d.doc);
    expect(yamlComments(text, 'runbooks-', docs)).toEqual([
      { value: 'runbooks-disable a -- trailing', line: 2, column: 13, endLine: 2, endColumn: 45 },
      { value: 'runbooks-disable-next-line b -- indented', line: 4, column: 7, endLine: 4, endColumn: 51 },
      { value: 'runbooks-other', line: 9, column: 1, endLine: 9, endColumn: 17 },
    ]);
    expect(yamlComments('groups: []\n', 'runbooks-', [])).toEqual([]);
  });
});

describe('suppressions', () => {
  const temps: (() => void)[] = [];
  afterAll(() => temps.forEach((remove) => remove()));

  it('leaves exactly the marked findings: excused ones gone, bad and unused suppressions reported', async () => {
    const result = await lintProject(root);
    expect(keys(result.diagnostics), 'left: found, right: marked').toEqual(markedFindings(root));
    for (const d of result.diagnostics) expectWellFormed(d);
  });

  it('excuses findings that are there without the comments', async () => {
    // Without the directives, the findings they excuse must appear: the fixture is not simply clean.
    const { dir, remove } = tempDir();
    temps.push(remove);
    cpSync(root, dir, { recursive: true });
    for (const sub of ['rules', 'runbooks']) {
      for (const name of readdirSync(path.join(dir, sub))) {
        const file = path.join(dir, sub, name);
        writeFileSync(file, readFileSync(file, 'utf8').replaceAll('runbooks-disable', 'not-a-directive'));
      }
    }
    const bare = keys((await lintProject(dir)).diagnostics);
    const suppressed = keys((await lintProject(root)).diagnostics);
    const excused = bare.filter((k) => !suppressed.includes(k));
    expect(excused).toEqual(
      expect.arrayContaining([
        'rules/app.yaml:6 alert-has-runbook', // next-line above a rule: the alert: line
        'rules/app.yaml:25 runbook-url', // next-line above a rule: its annotation, lines below
        'rules/legacy.yaml:5 alert-has-runbook', // whole file, in YAML
        'rules/legacy.yaml:7 alert-has-runbook',
        'runbooks/stub.md:4 severity-match', // whole file covers the frontmatter
        'runbooks/stub.md:16 placeholder-content',
        'runbooks/next-line.md:31 placeholder-content',
        'runbooks/next-line.md:43 placeholder-content', // after a comment over several lines
        'runbooks/problems.md:37 placeholder-content', // the known id of a comment that also names an unknown one
      ]),
    );
    // Nothing is excused that the fixture does not mean to excuse.
    expect(excused).toHaveLength(12);
  });

  it('explains each problem at the comment, with the form to use', async () => {
    const { diagnostics } = await lintProject(root);
    const noReason = findingAt(diagnostics, 'runbooks/problems.md', 30, SUPPRESSION);
    expect(noReason.severity).toBe('error');
    expect(noReason.column).toBe(1);
    expect(noReason.message).toBe('runbooks-disable-next-line placeholder-content gives no reason, so it suppresses nothing');
    expect(noReason.hint).toContain('<!-- runbooks-disable-next-line placeholder-content -- <why this is fine> -->');
    const yamlNoReason = findingAt(diagnostics, 'rules/app.yaml', 14, SUPPRESSION);
    expect(yamlNoReason.column).toBe(7);
    expect(yamlNoReason.hint).toContain('# runbooks-disable-next-line alert-has-runbook -- <why this is fine>');
    const typo = findingAt(diagnostics, 'runbooks/problems.md', 33, SUPPRESSION);
    expect(typo.message).toContain('unknown check "placeholder-contnet"');
    expect(typo.hint).toContain('Did you mean "placeholder-content"?');
    expect(findingAt(diagnostics, 'runbooks/problems.md', 39, SUPPRESSION).message).toBe('"parse-error" findings cannot be suppressed');
    expect(findingAt(diagnostics, 'runbooks/problems.md', 41, SUPPRESSION).message).toBe('Unknown directive "runbooks-disable-line"');
    const unused = findingAt(diagnostics, 'runbooks/next-line.md', 35, SUPPRESSION);
    expect(unused.severity).toBe('warning');
    expect(unused.message).toBe('Unused suppression: no "placeholder-content" finding on line 36');
    const unusedRule = findingAt(diagnostics, 'rules/app.yaml', 26, SUPPRESSION);
    expect(unusedRule.severity).toBe('warning');
    expect(unusedRule.message).toBe('Unused suppression: no "runbook-url" finding in the rule of alert "Tidy" (lines 27–32)');
  });

  it('does not call a suppression unused when its check did not run', async () => {
    const config = configOf(root);
    for (const check of checks) if (check.id !== 'placeholder-content') config.checks[check.id] = { severity: 'off', options: {} };
    const result = await lint(config, { today: TODAY });
    const unused = result.diagnostics.filter((d) => d.ruleId === SUPPRESSION && d.severity === 'warning');
    // Only the placeholder-content one; broken-link, runbook-url and the rest did not run.
    expect(keys(unused)).toEqual(['runbooks/next-line.md:35 suppression']);
  });

  it('never excuses input that could not be read', async () => {
    const { dir, remove } = tempDir();
    temps.push(remove);
    cpSync(root, dir, { recursive: true });
    writeFileSync(path.join(dir, 'rules/broken.yaml'), '# runbooks-disable parse-error -- trying to hide it\ngroups: [\n');
    const { diagnostics } = await lintProject(dir);
    expect(diagnostics.some((d) => d.file === 'rules/broken.yaml' && d.ruleId === 'parse-error')).toBe(true);
    expect(findingAt(diagnostics, 'rules/broken.yaml', 1, SUPPRESSION).message).toBe('"parse-error" findings cannot be suppressed');
  });
});
