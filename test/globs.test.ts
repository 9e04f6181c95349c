import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunbooks } from '../src/lib/commands/scaffold.ts';
import { watchPlan } from '../src/lib/commands/watch.ts';
import { compileGlobs, expandGlobsDetailed } from '../src/lib/project/globs.ts';
import { loadProject } from '../src/lib/project/load-project.ts';
import { configOf, REPO, runbookText, tempDir, writeFiles } from './harness.ts';

const temp = tempDir('runbooks-globs-');
afterAll(temp.remove);
let counter = 0;

const RULES = `groups:
  - name: node
    rules:
      - alert: HostDown
        expr: up == 0
        labels: { severity: critical }
`;

describe('compileGlobs', () => {
  const root = '/repo/ops';
  it('reads a ! pattern relative to the config folder, as a positive one: no match by base name', () => {
    const globs = compileGlobs(['runbooks/*.md', '!_template.md'], root);
    expect(globs.matches('runbooks/_template.md')).toBe(true);
    expect(globs.matches('_template.md')).toBe(false);
    expect(compileGlobs(['runbooks/*.md', '!runbooks/_template.md'], root).matches('runbooks/_template.md')).toBe(false);
  });

  it('excludes at every depth with **/, also below a folder reached with ../', () => {
    const globs = compileGlobs(['runbooks/**/*.md', '../shared/**/*.md', '!**/_index.md'], root);
    expect(globs.matches('runbooks/a/b/_index.md')).toBe(false);
    expect(globs.matches('../shared/x/_index.md')).toBe(false);
    expect(globs.matches('../shared/x/HostDown.md')).toBe(true);
    expect(globs.matches('/repo/shared/x/_index.md')).toBe(false);
  });

  it('takes paths relative to the root or absolute, and patterns with ./', () => {
    const globs = compileGlobs(['./runbooks/*.md', '!./runbooks/draft.md'], root);
    expect(globs.matches('runbooks/HostDown.md')).toBe(true);
    expect(globs.matches('/repo/ops/runbooks/HostDown.md')).toBe(true);
    expect(globs.matches('./runbooks/HostDown.md')).toBe(true);
    expect(globs.matches('/repo/ops/runbooks/draft.md')).toBe(false);
    expect(globs.matches('/repo/other/runbooks/HostDown.md')).toBe(false);
  });

  it('tries an absolute ! pattern on the resolved path, whether or not the relative one is normal', () => {
    const globs = compileGlobs(['runbooks/**/*.md', '!/repo/ops/runbooks/draft.md'], root);
    for (const file of ['runbooks/draft.md', 'runbooks/./draft.md', 'runbooks//draft.md', 'runbooks/x/../draft.md'])
      expect(globs.matches(file), file).toBe(false);
    expect(globs.matches('runbooks/HostDown.md')).toBe(true);
  });

  it('excludes by a plain name only the files that name, whatever else their path ends with', () => {
    const globs = compileGlobs(['runbooks/**/*.md', '../shared/**/*.md', '!**/_template.md', '!runbooks/c++.md'], root);
    for (const file of ['runbooks/_template.md', 'runbooks/a/_template.md', '../shared/x/_template.md', 'runbooks/c++.md'])
      expect(globs.matches(file), file).toBe(false);
    for (const file of ['runbooks/x_template.md', 'runbooks/a/b_template.md', 'runbooks/HostDown.md', 'runbooks/a/c++.md'])
      expect(globs.matches(file), file).toBe(true);
    // With a pattern in the last segment, every file is matched in full.
    const mixed = compileGlobs(['runbooks/**/*.md', '!**/_template.md', '!**/*.draft.md'], root);
    expect(mixed.matches('runbooks/a/x.draft.md')).toBe(false);
    expect(mixed.matches('runbooks/a/x.md')).toBe(true);
  });

  it('excludes wherever the ! stands in the list', () => {
    expect(compileGlobs(['!runbooks/old/**', 'runbooks/**/*.md'], root).matches('runbooks/old/a.md')).toBe(false);
    expect(compileGlobs(['runbooks/**/*.md', '!runbooks/old/**', 'runbooks/old/*.md'], root).matches('runbooks/old/a.md')).toBe(false);
  });

  it('finds hidden files only where a pattern spells the dot, excludes them always, and never looks in node_modules or .git', () => {
    expect(compileGlobs(['runbooks/**/*.md'], root).matches('runbooks/.drafts/a.md')).toBe(false);
    expect(compileGlobs(['runbooks/.drafts/*.md'], root).matches('runbooks/.drafts/a.md')).toBe(true);
    expect(compileGlobs(['runbooks/.drafts/*.md', '!runbooks/**'], root).matches('runbooks/.drafts/a.md')).toBe(false);
    expect(compileGlobs(['**/*.md'], root).matches('node_modules/pkg/README.md')).toBe(false);
    expect(compileGlobs(['**/*.md'], root).matches('docs/.git/x.md')).toBe(false);
  });

  it('matches nothing with no positive pattern', () => {
    expect(compileGlobs(['!x.md'], root).matches('y.md')).toBe(false);
    expect(compileGlobs([], root).matches('y.md')).toBe(false);
  });
});

/**
 * Lint (the files it reads), `runbooks new` (whether it warns that lint will not see the file it
 * created) and watch (whether a change to the file matters) give one answer for each pattern list.
 */
describe('every command reads the patterns alike', () => {
  const cases: { runbooks: string[]; seen: boolean }[] = [
    { runbooks: ['runbooks/*.md', '!HostDown.md'], seen: true },
    { runbooks: ['runbooks/*.md', '!**/HostDown.md'], seen: false },
    { runbooks: ['runbooks/*.md', '!runbooks/HostDown.md'], seen: false },
    { runbooks: ['./runbooks/*.md', '!./runbooks/Host*.md'], seen: false },
    { runbooks: ['runbooks/*.md', '!runbooks/sub/*.md'], seen: true },
  ];
  for (const { runbooks, seen } of cases) {
    it(`${JSON.stringify(runbooks)}: the created runbook is ${seen ? '' : 'not '}read`, async () => {
      const root = writeFiles(path.join(temp.dir, `p${++counter}`), {
        'runbooks.config.yaml': `rules: [rules/*.yaml]\nrunbooks: ${JSON.stringify(runbooks)}\nschema: ${JSON.stringify(path.join(REPO, 'schema/runbook.schema.json'))}\n`,
        'rules/node.yaml': RULES,
        'runbooks/Other.md': runbookText('Other'),
      });
      const config = configOf(root);
      const [result] = await createRunbooks(await loadProject(config), ['HostDown'], runbookText('{{alert}}'), { today: '2026-11-01' });
      expect(result).toMatchObject({ created: true, file: 'runbooks/HostDown.md' });
      const warned = (result?.warnings ?? []).some((w) => /not matched by the `runbooks` globs/.test(w));
      expect(warned).toBe(!seen);
      expect((await expandGlobsDetailed(config.runbooks, root)).files.includes('runbooks/HostDown.md')).toBe(seen);
      expect(watchPlan(config, path.join(root, 'runbooks.config.yaml')).relevant(path.join(root, 'runbooks/HostDown.md'))).toBe(seen);
      expect(compileGlobs(config.runbooks, root).matches('runbooks/HostDown.md')).toBe(seen);
    });
  }

  it('with ["runbooks/*.md", "!_template.md"], lint reads the template and scaffolding says so', async () => {
    const root = writeFiles(path.join(temp.dir, `p${++counter}`), {
      'runbooks.config.yaml': `rules: [rules/*.yaml]\nrunbooks: ["runbooks/*.md", "!_template.md"]\nschema: ${JSON.stringify(path.join(REPO, 'schema/runbook.schema.json'))}\n`,
      'rules/node.yaml': RULES,
      'runbooks/_template.md': runbookText('{{alert}}'),
    });
    const config = configOf(root);
    const project = await loadProject(config);
    expect(project.runbooks.map((r) => r.file)).toEqual(['runbooks/_template.md']);
    expect(compileGlobs(config.runbooks, root).matches('runbooks/_template.md')).toBe(true);
    expect(watchPlan(config, path.join(root, 'runbooks.config.yaml')).relevant(path.join(root, 'runbooks/_template.md'))).toBe(true);
  });

  it("keeps each list's ! patterns to that list in watch, as lint does", async () => {
    const root = path.join(temp.dir, `p${++counter}`);
    mkdirSync(path.join(root, 'shared'), { recursive: true });
    writeFileSync(path.join(root, 'runbooks.config.yaml'), 'rules: ["shared/*.yaml"]\nrunbooks: ["shared/*.md", "!shared/*.yaml"]\n');
    const config = configOf(root);
    expect(watchPlan(config, path.join(root, 'runbooks.config.yaml')).relevant(path.join(root, 'shared/node.yaml'))).toBe(true);
  });
});
