import { afterAll, describe, expect, it } from 'vitest';
import { parseRunbook } from '../src/lib/markdown/runbook-reader.ts';
import { buildProject } from '../src/lib/project/build-project.ts';
import type { Runbook } from '../src/lib/project/model.ts';
import { configOf, tempDir, writeFiles } from './harness.ts';

const temp = tempDir('runbooks-build-project-');
afterAll(temp.remove);

const files: Record<string, string> = {
  'runbooks/a.md': '---\nalert: A\ntitle: A\n---\n\n# A\n',
  'runbooks/b.md': '---\ntitle: B and C\nalerts: [B,   C]\n---\n\n# B\n',
  'runbooks/d.md': '---\ntitle: D\nalerts:\n  - D\n  -   B\n---\n\n# D\n',
  'runbooks/e.md': '# No frontmatter\n',
};

function project(fast: boolean) {
  const config = configOf(writeFiles(temp.dir, { 'runbooks.config.yaml': 'runbooks: [runbooks/*.md]\n' }));
  const runbooks: Runbook[] = Object.entries(files).map(([file, text]) => parseRunbook(text, file, { fast }));
  return buildProject(config, [], runbooks);
}

const place = (at: { file: string; line: number; column: number; endLine?: number; endColumn?: number }) => [
  at.file,
  at.line,
  at.column,
  at.endLine,
  at.endColumn,
];

describe('buildProject', () => {
  it('gives each claim of a frontmatter read without positions the place of its own name, as the exact reader does', () => {
    const fast = project(true);
    const exact = project(false);
    expect(fast.runbooks.some((r) => r.frontmatter?.unlocated)).toBe(true);
    for (const [i, runbook] of fast.runbooks.entries()) {
      const other = exact.runbooks[i] as Runbook;
      expect(fast.claimsOf(runbook).map((c) => [c.name, ...place(c.at)])).toEqual(
        exact.claimsOf(other).map((c) => [c.name, ...place(c.at)]),
      );
      expect(fast.claimSource(runbook)).toBe(exact.claimSource(other));
    }
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      expect(fast.claimsFor(name).map((c) => [c.name, c.runbook.file, ...place(c.at)])).toEqual(
        exact.claimsFor(name).map((c) => [c.name, c.runbook.file, ...place(c.at)]),
      );
    }
    expect(fast.claimsFor('B').map((c) => [c.runbook.file, c.at.line, c.at.column])).toEqual([
      ['runbooks/b.md', 3, 10],
      ['runbooks/d.md', 5, 7],
    ]);
    expect(fast.runbookFor('B')?.file).toBe('runbooks/b.md');
  });

  it('hands the same place to a finding that copies a claim position, whichever list it came from', () => {
    const fast = project(true);
    const d = fast.runbooks.find((r) => r.file === 'runbooks/d.md') as Runbook;
    const viaRunbook = fast.claimsOf(d).find((c) => c.name === 'B');
    const viaName = fast.claimsFor('B')[1];
    expect({ ...viaRunbook?.at }).toEqual({ ...viaName?.at });
    expect({ ...viaName?.at }).toMatchObject({ file: 'runbooks/d.md', line: 5, column: 7 });
  });

  it('sorts alerts by name as `<` orders strings', () => {
    const config = configOf(temp.dir);
    const rule = (name: string) => ({ name }) as never;
    const names = ['b', 'B', 'a', 'Z', 'é', 'a2', 'a10', '\u{1F600}', '\uFF5E'];
    const built = buildProject(config, [{ file: 'r.yaml', rules: names.map(rule), recordingRules: 0, diagnostics: [] }], []);
    expect(built.alerts.map((a) => a.name)).toEqual([...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
  });
});
