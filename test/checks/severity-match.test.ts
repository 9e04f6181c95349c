import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnOf, expectFixture, findingAt, findingAtText, FIXTURES } from '../harness.ts';

const root = path.join(FIXTURES, 'severity-match/basic');

describe('severity-match', () => {
  it("reports a runbook severity that is not the alert's severity label, at the value", async () => {
    const found = await expectFixture('severity-match', 'basic');
    const d = findingAtText(found, root, 'runbooks/api-down.md', 4, 'warning');
    expect(d.message).toBe('Runbook severity "warning" differs from alert "ApiDown", whose severity label is "critical"');
    expect(d.hint).toContain('severity: critical');
    expect(d.related).toEqual([
      {
        file: 'rules/rules.yaml',
        line: 7,
        column: columnOf(root, 'rules/rules.yaml', 7, 'critical'),
        message: "The alert's severity label",
      },
    ]);
  });

  it('accepts any one of the severities when several rules share the alert name', async () => {
    const found = await expectFixture('severity-match', 'basic');
    expect(found.filter((d) => d.file === 'runbooks/api-slow.md')).toEqual([]);
    expect(findingAt(found, 'runbooks/api-errors.md', 4).message).toBe(
      'Runbook severity "info" is none of alert "ApiErrors"\'s severity labels (warning, critical)',
    );
  });

  it('checks each alert of a runbook that covers several, and skips alerts without the label', async () => {
    const found = await expectFixture('severity-match', 'basic');
    expect(findingAt(found, 'runbooks/family.md', 4).message).toContain('"DbDown"');
    expect(found.filter((d) => d.file === 'runbooks/no-label.md')).toEqual([]);
  });
});
