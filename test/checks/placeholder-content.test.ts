import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnOf, expectFixture, findingAt, findingAtText, FIXTURES } from '../harness.ts';

const root = path.join(FIXTURES, 'placeholder-content/basic');

describe('placeholder-content', () => {
  it('reports empty required sections; a comment alone is not content, a sub-section is', async () => {
    const found = await expectFixture('placeholder-content', 'basic');
    const d = findingAt(found, 'runbooks/empty.md', 13);
    expect(d).toMatchObject({ column: 1, severity: 'error', message: 'Section "Impact" is empty' });
    expect(findingAt(found, 'runbooks/empty.md', 15).message).toBe('Section "Diagnosis" is empty');
  });

  it('reports TODO, TBD and FIXME in text, inline code and code blocks, at their column', async () => {
    const found = await expectFixture('placeholder-content', 'basic');
    const file = 'runbooks/markers.md';
    expect(findingAtText(found, root, file, 14, 'TODO')).toMatchObject({ message: 'Placeholder "TODO" left in the runbook' });
    expect(findingAtText(found, root, file, 18, 'TBD')).toMatchObject({ message: 'Placeholder "TBD" left in the runbook' });
    expect(findingAtText(found, root, file, 26, 'FIXME')).toMatchObject({ message: 'Placeholder "FIXME" left in the runbook' });
    // On the second line of a paragraph.
    const second = found.filter((x) => x.file === file && x.line === 32).map((x) => x.column);
    expect(second).toEqual([columnOf(root, file, 32, 'TBD'), columnOf(root, file, 32, 'TODO')]);
  });

  it('takes its words from the config, including ones that are not plain words', async () => {
    const found = await expectFixture('placeholder-content', 'custom-words');
    expect(found.map((d) => d.message)).toEqual(['Placeholder "XXX" left in the runbook', 'Placeholder "[fill in]" left in the runbook']);
  });
});
