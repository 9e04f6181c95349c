/**
 * Bad input, table-driven: each row adds odd files to a small good project, built in a temp dir at
 * test time (binary bytes, 5 MB, symlinks are not committed). Each must yield diagnostics with a
 * position and a hint, nothing may crash, and the good files must still be checked.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lib/config/config.ts';
import type { Diagnostic } from '../src/lib/engine/diagnostic.ts';
import { loadProject } from '../src/lib/project/load-project.ts';
import { expectWellFormed, lintProject, runbookText, tempDir, writeFiles } from './harness.ts';
import { brief, lintAt, rulesFor as rules, SMALL_CONFIG as CONFIG, smallProjects } from './support/small-project.ts';

type Content = string | Buffer | { symlinkTo: string } | { folder: true };

interface Expected {
  file: string;
  ruleId: string;
  line: number;
  column?: number;
  message: RegExp;
  hint?: RegExp;
}

interface Row {
  name: string;
  files: Record<string, Content>;
  expected: Expected[];
  /** Files that must have exactly the expected diagnostics and no other. */
  only?: string[];
}

const GOOD_RULES = `groups:
  - name: good
    rules:
      - alert: Good
        expr: vector(1)
      - alert: GoodUncovered
        expr: vector(1)
`;

const GOOD_RUNBOOK = `---
alert: Good
title: Good
severity: critical
owner: platform
summary: A good runbook.
last_reviewed: 2026-10-01
---

# Good

## Meaning

Text.

## Impact

Text.

## Diagnosis

Text.

## Mitigation

TODO: write it.
`;

/** Findings in the good files that every row must still produce. */
const STILL_CHECKED = [
  { file: 'rules/good.yaml', line: 6, column: 16, ruleId: 'alert-has-runbook' },
  { file: 'runbooks/good.md', line: 26, column: 1, ruleId: 'placeholder-content' },
];

const frontmatter = (lines: string[], eol = '\n'): string => ['---', ...lines, '---', '', '# T', ''].join(eol);

const BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
];

const HELM = `{{- if .Values.alerts.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ include "chart.fullname" . }}
  labels:
    {{- include "chart.labels" . | nindent 4 }}
spec:
  groups:
    - name: app
      rules:
        - alert: AppDown
          expr: up{job="{{ .Release.Name }}"} == 0
          labels:
            {{- toYaml .Values.alerts.labels | nindent 12 }}
{{- end }}
`;

const rows: Row[] = [
  {
    name: 'malformed YAML in frontmatter',
    files: { 'runbooks/bad.md': frontmatter(['alert: Good2', 'title: Fine', 'severity: critical: extra', 'owner: a']) },
    expected: [{ file: 'runbooks/bad.md', ruleId: 'parse-error', line: 4, column: 11, message: /^Invalid YAML: Nested mappings/ }],
  },
  {
    name: 'malformed YAML in a rule file',
    files: {
      'rules/nested.yaml':
        'groups:\n  - name: bad\n    rules:\n      - alert: X\n        expr: up == 0\n        labels:\n          severity: critical: extra\n',
      'rules/indent.yaml':
        'groups:\n  - name: bad\n    rules:\n      - alert: Y\n        expr: up == 0\n       labels:\n          severity: critical\n',
    },
    expected: [
      { file: 'rules/nested.yaml', ruleId: 'parse-error', line: 7, column: 21, message: /^Invalid YAML: Nested mappings/ },
      { file: 'rules/indent.yaml', ruleId: 'parse-error', line: 6, column: 1, message: /^Invalid YAML/, hint: /Indent this line/ },
    ],
    only: ['rules/nested.yaml', 'rules/indent.yaml'],
  },
  {
    name: 'no frontmatter',
    files: { 'runbooks/plain.md': '# Plain\n\nNo frontmatter here.\n' },
    expected: [{ file: 'runbooks/plain.md', ruleId: 'frontmatter-schema', line: 1, column: 1, message: /no frontmatter/ }],
  },
  {
    name: 'unclosed frontmatter',
    files: { 'runbooks/unclosed.md': '---\nalert: Good2\ntitle: No closing fence\n\n# T\n' },
    expected: [{ file: 'runbooks/unclosed.md', ruleId: 'frontmatter-schema', line: 1, column: 1, message: /not closed/ }],
  },
  {
    name: 'a byte order mark',
    files: {
      'runbooks/bom.md': `\uFEFF${frontmatter(['alert: Good2', 'title: t', 'severity: urgent'])}`,
      'rules/bom.yaml': `\uFEFF${GOOD_RULES.replace('Good\n', 'BomAlert\n').replace('GoodUncovered', 'BomUncovered')}`,
    },
    expected: [
      { file: 'runbooks/bom.md', ruleId: 'frontmatter-schema', line: 4, column: 11, message: /"severity" must be one of/ },
      { file: 'rules/bom.yaml', ruleId: 'alert-has-runbook', line: 4, column: 16, message: /"BomAlert"/ },
    ],
  },
  {
    name: 'CRLF line endings',
    files: {
      'runbooks/crlf.md': `${frontmatter(['alert: Good2', 'title: t', 'severity: urgent', 'owner: o'], '\r\n')}\r\n## Meaning\r\n\r\nStill TODO.\r\n`,
      'rules/crlf.yaml': GOOD_RULES.replace('Good\n', 'CrlfAlert\n').replace('GoodUncovered', 'CrlfUncovered').replaceAll('\n', '\r\n'),
    },
    expected: [
      { file: 'runbooks/crlf.md', ruleId: 'frontmatter-schema', line: 4, column: 11, message: /"severity" must be one of/ },
      { file: 'runbooks/crlf.md', ruleId: 'placeholder-content', line: 12, column: 7, message: /"TODO"/ },
      { file: 'rules/crlf.yaml', ruleId: 'alert-has-runbook', line: 6, column: 16, message: /"CrlfUncovered"/ },
    ],
  },
  {
    name: 'an empty file',
    files: { 'runbooks/empty.md': '', 'rules/empty.yaml': '' },
    expected: [{ file: 'runbooks/empty.md', ruleId: 'frontmatter-schema', line: 1, column: 1, message: /no frontmatter/ }],
    only: ['rules/empty.yaml'],
  },
  {
    name: 'a binary file named .md',
    files: { 'runbooks/image.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]) },
    expected: [{ file: 'runbooks/image.md', ruleId: 'parse-error', line: 1, column: 1, message: /binary/ }],
    only: ['runbooks/image.md'],
  },
  {
    name: 'an unreadable file (a dangling symlink)',
    files: { 'runbooks/gone.md': { symlinkTo: 'deleted.md' }, 'rules/gone.yaml': { symlinkTo: '../nowhere/rules.yaml' } },
    expected: [
      {
        file: 'runbooks/gone.md',
        ruleId: 'io-error',
        line: 1,
        column: 1,
        message: /Cannot read the file \(ENOENT\)/,
        hint: /broken symbolic link/,
      },
      { file: 'rules/gone.yaml', ruleId: 'io-error', line: 1, column: 1, message: /ENOENT/ },
    ],
    only: ['runbooks/gone.md', 'rules/gone.yaml'],
  },
  {
    name: 'an unreadable file (a symlink to itself)',
    files: { 'runbooks/loop.md': { symlinkTo: 'loop.md' } },
    expected: [{ file: 'runbooks/loop.md', ruleId: 'io-error', line: 1, column: 1, message: /ELOOP/ }],
    only: ['runbooks/loop.md'],
  },
  {
    name: 'a directory named x.md',
    files: { 'runbooks/x.md': { folder: true } },
    expected: [{ file: 'runbooks/x.md', ruleId: 'io-error', line: 1, column: 1, message: /folder/ }],
    only: ['runbooks/x.md'],
  },
  {
    name: 'a YAML alias bomb (billion laughs)',
    files: {
      'runbooks/bomb.md': frontmatter(['alert: Good2', ...BOMB]),
      'rules/bomb.yaml': `${BOMB.join('\n')}\ngroups: []\n`,
    },
    expected: [
      { file: 'runbooks/bomb.md', ruleId: 'parse-error', line: 2, message: /could not be expanded/ },
      { file: 'rules/bomb.yaml', ruleId: 'parse-error', line: 1, message: /could not be expanded/ },
    ],
    only: ['rules/bomb.yaml'],
  },
  {
    name: '__proto__ keys',
    files: {
      'runbooks/proto.md': frontmatter([
        'alert: Good2',
        '__proto__:',
        '  polluted: yes',
        'constructor:',
        '  prototype:',
        '    polluted: yes',
      ]),
      'rules/proto.yaml':
        'groups:\n  - name: proto\n    rules:\n      - alert: ProtoAlert\n        expr: vector(1)\n        labels:\n          __proto__:\n            polluted: yes\n        annotations:\n          __proto__: x\n',
    },
    expected: [
      { file: 'runbooks/proto.md', ruleId: 'frontmatter-schema', line: 3, column: 1, message: /Unknown key "__proto__"/ },
      { file: 'rules/proto.yaml', ruleId: 'alert-has-runbook', line: 4, column: 16, message: /"ProtoAlert"/ },
    ],
  },
  {
    name: 'a 5 MB file',
    files: { 'runbooks/huge.md': Buffer.alloc(5 * 1024 * 1024, 'a') },
    expected: [{ file: 'runbooks/huge.md', ruleId: 'io-error', line: 1, column: 1, message: /5 MB, over the 1 MB limit/ }],
    only: ['runbooks/huge.md'],
  },
  {
    name: 'a Helm-templated rule file',
    files: { 'rules/helm.yaml': HELM },
    expected: [{ file: 'rules/helm.yaml', ruleId: 'parse-error', line: 1, column: 1, message: /template/, hint: /helm template/ }],
    only: ['rules/helm.yaml'],
  },
];

const temp = tempDir('runbooks-bad-input-');
const { project, fresh } = smallProjects('runbooks-odd-files-');
afterAll(temp.remove);

function build(name: string, files: Record<string, Content>): string {
  const root = path.join(temp.dir, name.replace(/\W+/g, '-'));
  const all: Record<string, Content> = { 'rules/good.yaml': GOOD_RULES, 'runbooks/good.md': GOOD_RUNBOOK, ...files };
  mkdirSync(path.join(root, 'rules'), { recursive: true });
  mkdirSync(path.join(root, 'runbooks'), { recursive: true });
  writeFileSync(path.join(root, 'runbooks.config.yaml'), 'rules: [rules/*.yaml]\nrunbooks: [runbooks/**/*.md]\n');
  for (const [file, content] of Object.entries(all)) {
    const target = path.join(root, file);
    if (typeof content === 'string' || Buffer.isBuffer(content)) writeFileSync(target, content);
    else if ('symlinkTo' in content) symlinkSync(content.symlinkTo, target);
    else mkdirSync(target);
  }
  return root;
}

describe('bad input', () => {
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  it.each(rows)('$name', async ({ name, files, expected, only }) => {
    const result = await lintProject(build(name, files));
    const diagnostics: Diagnostic[] = result.diagnostics;
    for (const d of diagnostics) expectWellFormed(d);
    for (const e of expected) {
      const hit = diagnostics.find(
        (d) =>
          d.file === e.file &&
          d.ruleId === e.ruleId &&
          d.line === e.line &&
          (e.column === undefined || d.column === e.column) &&
          e.message.test(d.message) &&
          (!e.hint || e.hint.test(d.hint ?? '')),
      );
      expect(
        hit,
        `${e.file}:${e.line}:${e.column ?? '*'} ${e.ruleId} ${e.message}\nfound:\n${diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId} ${d.message}`).join('\n')}`,
      ).toBeDefined();
    }
    for (const file of only ?? []) {
      expect(diagnostics.filter((d) => d.file === file).length, `diagnostics of ${file}`).toBe(
        expected.filter((e) => e.file === file).length,
      );
    }
    // The good files are still checked.
    for (const good of STILL_CHECKED) expect(diagnostics).toContainEqual(expect.objectContaining(good));
  });

  it('leaves Object.prototype untouched', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  });
});

describe('files that are not what they seem', () => {
  it('follows no symbolic link loop, says so once, and leaves the project only on purpose', async () => {
    const outside = fresh('outside');
    writeFiles(outside, { 'Other.md': runbookText('Other') });
    const root = project(
      { 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api'), 'runbooks/sub/Sub.md': runbookText('Sub') },
      CONFIG.replace('runbooks/*.md', 'runbooks/**/*.md'),
    );
    symlinkSync('.', path.join(root, 'runbooks/loop'));
    symlinkSync('..', path.join(root, 'runbooks/sub/up'));
    symlinkSync(outside, path.join(root, 'runbooks/out'));
    const found = await lintAt(root);
    expect(found.map((d) => `${brief(d)} ${d.severity}`)).toEqual([
      'runbooks/loop:1:1 io-error warning',
      'runbooks/out:1:1 io-error warning',
      'runbooks/sub/Sub.md:2:8 runbook-alert-exists error',
      'runbooks/sub/up:1:1 io-error warning',
    ]);
    const config = loadConfig(root).config!;
    expect((await loadProject(config)).runbooks.map((r) => r.file)).toEqual(['runbooks/Api.md', 'runbooks/sub/Sub.md']);
    // A pattern that starts outside the project leaves it on purpose.
    const onPurpose = project(
      { 'rules/a.yaml': rules('Other') },
      `${CONFIG.replace('runbooks: ["runbooks/*.md"]', `runbooks: [${JSON.stringify(`${outside}/*.md`)}]`)}`,
    );
    expect((await lintAt(onPurpose)).map(brief)).toEqual([]);
  });

  it('refuses a glob that would walk the whole file system', () => {
    const loaded = loadConfig(project({}, CONFIG.replace('runbooks: ["runbooks/*.md"]', 'runbooks: ["/**/*.md"]')));
    expect(loaded.diagnostics.map((d) => [d.line, d.ruleId, d.message])).toEqual([
      [2, 'config-error', 'The runbooks glob "/**/*.md" would search the whole file system'],
    ]);
  });

  it('reports a FIFO named like a runbook, and a FIFO as the schema, without blocking', async () => {
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api') });
    execFileSync('mkfifo', [path.join(root, 'runbooks/x.md'), path.join(root, 'schema.json')]);
    expect((await lintAt(root)).map((d) => `${brief(d)} ${d.message}`)).toEqual(['runbooks/x.md:1:1 io-error This is not a regular file']);
    const loaded = loadConfig(project({}, CONFIG.replace(/schema: .*/, `schema: ${JSON.stringify(path.join(root, 'schema.json'))}`)));
    expect(loaded.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/cannot be used: .* is not a regular file/)]);
  });
});
