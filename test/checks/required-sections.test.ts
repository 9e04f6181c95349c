import { afterAll, describe, expect, it } from 'vitest';
import { expectFixture, findingAt, lintProject, runbookText, tempDir, writeFiles } from '../harness.ts';

const temp = tempDir('runbooks-required-sections-');
afterAll(temp.remove);

describe('required-sections', () => {
  it('reports each missing H2 section at the title, and accepts any letter case', async () => {
    const found = await expectFixture('required-sections', 'basic');
    const d = findingAt(found, 'runbooks/missing-impact.md', 10);
    expect(d).toMatchObject({ column: 1, severity: 'error', message: 'Missing required section "## Impact"' });
    expect(d.hint).toContain('`## Impact`');
    expect(found.filter((x) => x.file === 'runbooks/any-case.md')).toEqual([]);
  });

  it('does not count a heading inside a code block', async () => {
    const found = await expectFixture('required-sections', 'basic');
    expect(findingAt(found, 'runbooks/code-block.md', 10).message).toBe('Missing required section "## Impact"');
  });

  it('says when the section is there at the wrong level', async () => {
    const found = await expectFixture('required-sections', 'basic');
    const d = findingAt(found, 'runbooks/level-three.md', 24);
    expect(d.message).toBe('Section "Mitigation" is a level-3 heading; it must be "## Mitigation"');
    expect(d.hint).toContain('`## Mitigation`');
  });

  it('points at the end of the frontmatter when the runbook has no heading', async () => {
    const found = await expectFixture('required-sections', 'basic');
    expect(
      found
        .filter((x) => x.file === 'runbooks/no-headings.md')
        .map((x) => x.message)
        .sort(),
    ).toEqual(['Diagnosis', 'Impact', 'Meaning', 'Mitigation'].map((s) => `Missing required section "## ${s}"`));
  });

  it('uses the sections the config requires', async () => {
    const [d] = await expectFixture('required-sections', 'custom');
    expect(d?.message).toBe('Missing required section "## Steps"');
  });

  it('takes a section named twice, or in another case, in the config as one section present, and reports each naming when it is missing', async () => {
    const sections = (names: string[]): string => names.map((n) => `## ${n}\n\nText.\n`).join('\n');
    const root = writeFiles(temp.dir, {
      'runbooks.config.yaml':
        'rules: [rules/*.yaml]\nrunbooks: [runbooks/*.md]\n' + 'requiredSections: [Meaning, meaning, IMPACT, Mitigation]\n',
      'rules/r.yaml':
        'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: vector(1)\n      - alert: B\n        expr: vector(1)\n',
      'runbooks/A.md': runbookText('A', { body: sections(['MEANING', 'impact', 'Mitigation']) }),
      'runbooks/B.md': runbookText('B', { body: sections(['Impact', 'Mitigation']) }),
    });
    const found = (await lintProject(root)).diagnostics.filter((d) => d.ruleId === 'required-sections');
    expect(found.map((d) => [d.file, d.message])).toEqual([
      ['runbooks/B.md', 'Missing required section "## Meaning"'],
      ['runbooks/B.md', 'Missing required section "## meaning"'],
    ]);
  });
});
