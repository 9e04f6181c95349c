import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedFiles } from '../src/lib/project/changed-files.ts';
import { runbookText, runCliSync, tempDir } from './harness.ts';

const cli = (cwd: string, args: string[]) => runCliSync(['lint', '--no-cache', ...args], cwd);

// The config root is a subfolder of the repository, as in a monorepo: paths must be relative to it.
describe('lint --since', () => {
  let repo = '';
  let root = '';
  let remove = (): void => {};
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: repo,
      encoding: 'utf8',
    });

  beforeAll(() => {
    ({ dir: repo, remove } = tempDir('runbooks-since-'));
    root = path.join(repo, 'ops');
    mkdirSync(path.join(root, 'rules'), { recursive: true });
    mkdirSync(path.join(root, 'runbooks'));
    writeFileSync(
      path.join(root, 'runbooks.config.yaml'),
      'rules: [rules/*.yaml]\nrunbooks: [runbooks/*.md]\nchecks:\n  stale-review: off\n',
    );
    writeFileSync(
      path.join(root, 'rules/a.yaml'),
      `groups:
  - name: g
    rules:
      - alert: OldBroken
        expr: vector(1)
      - alert: Edited
        expr: vector(1)
      - alert: Added
        expr: vector(1)
      - alert: Orphaned
        expr: vector(1)
`,
    );
    // Old debt: a placeholder nobody touches in this change.
    writeFileSync(
      path.join(root, 'runbooks/OldBroken.md'),
      runbookText('OldBroken', { body: '## Meaning\n\nTODO\n\n## Impact\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nx\n' }),
    );
    writeFileSync(path.join(root, 'runbooks/Edited.md'), runbookText('Edited'));
    writeFileSync(path.join(root, 'runbooks/Orphaned.md'), runbookText('Orphaned'));
    // A file outside the config root, changed too: it must not leak into the set.
    writeFileSync(path.join(repo, 'README.md'), 'hello\n');
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    git('tag', 'base');
    // The change: edit one runbook (staged), add one (untracked), delete one, touch a file outside the root.
    writeFileSync(path.join(root, 'runbooks/Edited.md'), runbookText('Edited', { severity: 'FIXME' }));
    git('add', 'ops/runbooks/Edited.md');
    writeFileSync(path.join(root, 'runbooks/Added.md'), runbookText('Added', { body: '## Meaning\n\nTBD\n' }));
    rmSync(path.join(root, 'runbooks/Orphaned.md'));
    writeFileSync(path.join(repo, 'README.md'), 'changed\n');
  });
  afterAll(() => remove());

  it('lists the files changed since the ref, relative to the config root', async () => {
    const changed = await changedFiles(root, 'base');
    expect([...(changed.files ?? [])].sort()).toEqual(['runbooks/Added.md', 'runbooks/Edited.md', 'runbooks/Orphaned.md']);
    expect((await changedFiles(root, 'HEAD')).files?.has('runbooks/Added.md')).toBe(true);
  });

  it('reports only findings in changed files, while the cross-checks still see every file', () => {
    const all = cli(root, []);
    expect(all.stdout).toContain('runbooks/OldBroken.md');
    expect(all.stdout).toContain('rules/a.yaml'); // Orphaned has no runbook any more
    const since = cli(root, ['--since', 'base', '--format', 'json']);
    expect(since.code, since.stderr).toBe(1);
    const list = (JSON.parse(since.stdout) as { diagnostics: { file: string; ruleId: string }[] }).diagnostics;
    const files = [...new Set(list.map((d) => d.file))].sort();
    expect(files).toEqual(['runbooks/Added.md', 'runbooks/Edited.md']);
    // Added.md's alert exists only in an unchanged rule file: no runbook-alert-exists finding, the whole project was read.
    expect(list.some((d) => d.ruleId === 'runbook-alert-exists')).toBe(false);
    expect(list.some((d) => d.ruleId === 'frontmatter-schema' && d.file === 'runbooks/Edited.md')).toBe(true);
  });

  it('exits 0 when the changed files are clean, whatever the rest holds', () => {
    const clean = cli(root, ['--since', 'HEAD', '--quiet']);
    // HEAD still differs by the same working-tree changes; a fresh commit makes the set empty.
    expect(clean.code).toBe(1);
    git('add', '-A');
    git('commit', '-q', '-m', 'change');
    const none = cli(root, ['--since', 'HEAD']);
    expect(none.code, none.stdout + none.stderr).toBe(0);
    expect(none.stdout).not.toContain('OldBroken');
  });

  it('is a usage error for an unknown ref or outside a git repository', () => {
    const bad = cli(root, ['--since', 'no-such-branch']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown git ref "no-such-branch"');
    const { dir, remove: removeBare } = tempDir('runbooks-nogit-');
    try {
      writeFileSync(path.join(dir, 'runbooks.config.yaml'), 'rules: [rules/*.yaml]\n');
      const outside = cli(dir, ['--since', 'HEAD']);
      expect(outside.code).toBe(2);
      expect(outside.stderr).toContain('is not inside a git repository');
    } finally {
      removeBare();
    }
  });
});
