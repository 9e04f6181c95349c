import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectFixture, findingAt, findingAtText, FIXTURES } from '../harness.ts';

describe('incident-entry', () => {
  it('warns at an incident without a url and at a date after today, and accepts today', async () => {
    const found = await expectFixture('incident-entry', 'default');
    const root = path.join(FIXTURES, 'incident-entry/default');
    expect(findingAtText(found, root, 'runbooks/a.md', 9, 'title')).toMatchObject({
      severity: 'warning',
      message: 'Incident "No link" has no url',
    });
    expect(findingAt(found, 'runbooks/a.md', 9).hint).toContain('url:');
    expect(findingAtText(found, root, 'runbooks/a.md', 13, '2062')).toMatchObject({
      message: 'Incident "Typo in the year" is dated 2062-03-02, in the future',
    });
    expect(findingAt(found, 'runbooks/a.md', 15).hint).toContain('at the latest 2026-11-01');
  });
});
