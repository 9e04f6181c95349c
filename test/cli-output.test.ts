import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, exampleProject, exampleRunbook } from '../src/lib/checks/examples.ts';
import { runCliSync, tempDir, writeFiles } from './harness.ts';

let temp: { dir: string; remove: () => void } | undefined;
afterEach(() => temp?.remove());

function project(files: Record<string, string>): string {
  temp = tempDir('runbooks-output-');
  return writeFiles(temp.dir, { 'runbooks.config.yaml': EXAMPLE_CONFIG, ...files });
}

function run(cwd: string, ...args: string[]) {
  return runCliSync(['lint', ...args], cwd, { FORCE_COLOR: '1' });
}

const broken = () =>
  exampleProject({ 'runbooks/ApiDown.md': exampleRunbook({ frontmatter: { severity: 'warning', last_reviewed: '2020-01-01' } }) });

describe('lint --output', () => {
  it('writes the chosen format to the file, prints the stylish summary, and keeps the exit code', () => {
    const dir = project(broken());
    const r = run(dir, '--format', 'json', '--output', 'reports/lint.json');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('severity-match');
    expect(r.stdout).toMatch(/✖ 2 problems \(1 error, 1 warning\)/);
    const report = JSON.parse(readFileSync(path.join(dir, 'reports/lint.json'), 'utf8'));
    expect(report.counts).toEqual({ errors: 1, warnings: 1, infos: 0 });
    expect(report.diagnostics.map((d: { docsUrl: string }) => d.docsUrl)).toEqual([
      'https://runbooks.example.com/checks/severity-match/',
      'https://runbooks.example.com/checks/stale-review/',
    ]);
    // Written through a temporary file and a rename: nothing else is left beside the report.
    expect(readdirSync(path.join(dir, 'reports'))).toEqual(['lint.json']);
  });

  it('exits 0 on a clean project and still writes the report; the file never gets terminal colours', () => {
    const dir = project(exampleProject());
    const r = run(dir, '--output', 'out.txt');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no problems/);
    expect(readFileSync(path.join(dir, 'out.txt'), 'utf8')).toMatch(/^\d+ files checked, no problems\n$/);
    const broke = project(broken());
    expect(run(broke, '--output', 'out.txt').code).toBe(1);
    expect(readFileSync(path.join(broke, 'out.txt'), 'utf8')).not.toContain('\u001b[');
  });

  it('exits 2 and says why when the file cannot be written', () => {
    const dir = project(exampleProject());
    mkdirSync(path.join(dir, 'taken'));
    const r = run(dir, '--format', 'sarif', '--output', 'taken');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write --output taken/);
  });

  it('with no site.url, leaves the docs link out rather than guess it from runbookUrl', () => {
    const dir = project({
      ...broken(),
      'runbooks.config.yaml':
        'rules: [rules/*.yaml]\nrunbooks: [runbooks/*.md]\nrunbookUrl: https://github.com/acme/runbooks/blob/main/{file}\n',
    });
    const r = run(dir, '--format', 'github');
    expect(r.stdout).toContain('severity-match');
    expect(r.stdout).not.toContain('Docs:');
    expect(r.stdout).not.toContain('github.com/checks');
  });
});
