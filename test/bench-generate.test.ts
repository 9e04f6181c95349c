/**
 * The benchmark's generated projects (bench/generate.ts) must be what `npm run bench` assumes:
 * the same bytes for the same seed, runbooks of realistic size and content, and a project this tool
 * lints clean, so the bench measures reading and checking, not reporting. The naive pipeline
 * (bench/naive.ts) must find nothing on it either, and must find what is broken.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERTS_PER_RULE_FILE, generateProject } from '../bench/generate.ts';
import { lintProject, REPO, tempDir, TODAY } from './harness.ts';

const temp = tempDir('runbooks-bench-generate-');
afterAll(() => temp.remove());
const N = 101;
const today = new Date(`${TODAY}T12:00:00Z`);

function filesOf(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files[path.relative(root, path.join(entry.parentPath, entry.name))] = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

describe('the benchmark generator', () => {
  const first = generateProject(path.join(temp.dir, 'a'), N, today);

  it('writes the same bytes for the same seed, and other bytes for another', () => {
    generateProject(path.join(temp.dir, 'b'), N, today);
    expect(filesOf(path.join(temp.dir, 'b'))).toEqual(filesOf(first.root));
    generateProject(path.join(temp.dir, 'c'), N, today, 99);
    const other = filesOf(path.join(temp.dir, 'c'));
    expect(Object.keys(other).sort()).toEqual(Object.keys(filesOf(first.root)).sort());
    expect(other[first.runbookFiles[0] as string]).not.toBe(readFileSync(path.join(first.root, first.runbookFiles[0] as string), 'utf8'));
  });

  it('writes runbooks of 2.5-3.6 KB with lists, a table, reference and anchor links, code, comments and placeholders', () => {
    expect(first.runbookFiles).toHaveLength(N);
    expect(first.ruleFiles).toHaveLength(Math.ceil(N / ALERTS_PER_RULE_FILE));
    for (const file of first.runbookFiles) {
      const text = readFileSync(path.join(first.root, file), 'utf8');
      const size = statSync(path.join(first.root, file)).size;
      expect(size, file).toBeGreaterThanOrEqual(2.5 * 1024);
      expect(size, file).toBeLessThanOrEqual(3.6 * 1024);
      expect(text, file).toMatch(/^\| [^\n]+\|\n\| -+ \|/m);
      expect(text, file).toMatch(/\]\[dashboard\]/);
      expect(text, file).toMatch(/^\[dashboard\]: https:/m);
      expect(text, file).toMatch(/\]\(#meaning\)/);
      expect(text, file).toMatch(/\]\(\.\.?\/[^)]+\.md#impact\)/);
      expect(text, file).toMatch(/^ {3}```shell\n/m);
      expect(text, file).toMatch(/<!--/);
      expect(text, file).toMatch(/\{\{ \$labels\.instance \}\}/);
      expect(text, file).toMatch(/^ {3}- /m);
    }
  });

  it('writes a project this tool lints clean', async () => {
    const result = await lintProject(first.root, TODAY);
    expect(result.diagnostics).toEqual([]);
  });

  it('writes a project the naive pipeline reads clean, and the naive pipeline finds what is broken', () => {
    const root = path.join(temp.dir, 'broken');
    const broken = generateProject(root, N, today);
    const runbook = broken.runbookFiles[3] as string;
    writeFileSync(
      path.join(root, runbook),
      readFileSync(path.join(root, runbook), 'utf8')
        .replace('## Impact', '## Impacts')
        .replace(/^owner: .*\n/m, ''),
    );
    const run = spawnSync(path.join(REPO, 'node_modules/.bin/node'), [path.join(REPO, 'bench/naive.ts'), root], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const findings = run.stdout
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => line.replace(/:\d+:/, ':'));
    // The runbook before it links to its #impact.
    expect(findings.sort()).toEqual(
      [
        `${broken.runbookFiles[2]}: link to ${path.posix.relative(path.posix.dirname(broken.runbookFiles[2] as string), runbook).replace(/^(?!\.)/, './')}#impact: no such heading`,
        `${runbook}: frontmatter  must have required property 'owner'`,
        `${runbook}: no "## Impact" section`,
      ].sort(),
    );
    expect(run.status).toBe(1);
  });
});
