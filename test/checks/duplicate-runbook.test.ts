import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnOf, expectFixture, findingAt, findingAtText, FIXTURES } from '../harness.ts';

const root = path.join(FIXTURES, 'duplicate-runbook/basic');

describe('duplicate-runbook', () => {
  it('reports every claim after the first, at the claim', async () => {
    const found = await expectFixture('duplicate-runbook', 'basic');
    const d = findingAtText(found, root, 'runbooks/api.md', 3, 'ApiDown');
    expect(d.message).toBe('Alert "ApiDown" already has a runbook: runbooks/api-down.md');
    expect(d.hint).toMatch(/Merge/);
  });

  it('gives the first runbook as the related position', async () => {
    const found = await expectFixture('duplicate-runbook', 'basic');
    const first = {
      file: 'runbooks/api-down.md',
      line: 2,
      column: columnOf(root, 'runbooks/api-down.md', 2, 'ApiDown'),
      message: 'The first runbook for this alert',
    };
    expect(findingAt(found, 'runbooks/api.md', 3).related).toEqual([first]);
    expect(findingAt(found, 'runbooks/team/api-down-again.md', 2).related).toEqual([first]);
  });

  it('reports a runbook that names an alert twice once, and never against itself', async () => {
    const found = await expectFixture('duplicate-runbook', 'basic');
    const twice = found.filter((d) => d.file === 'runbooks/twice.md');
    expect(twice.map((d) => d.message)).toEqual([
      'Alert "DbDown" already has a runbook: runbooks/db.md',
      'Alert "ApiSlow" already has a runbook: runbooks/api.md',
    ]);
    expect(found.every((d) => d.related?.every((r) => r.file !== d.file))).toBe(true);
  });
});
