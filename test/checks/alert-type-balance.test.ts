import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnOf, expectFixture, findingAt, findingAtText, FIXTURES } from '../harness.ts';

describe('alert-type-balance', () => {
  it('is off unless the config names it', async () => {
    expect(await expectFixture('alert-type-balance', 'default')).toEqual([]);
  });

  it('reports a service with only cause or only symptom alerts, at the first alert_type, from frontmatter or rule labels', async () => {
    const found = await expectFixture('alert-type-balance', 'enabled');
    const root = path.join(FIXTURES, 'alert-type-balance/enabled');
    // Service db: one symptom from a runbook's frontmatter, no cause.
    expect(findingAtText(found, root, 'runbooks/DbSlowQueries.md', 9, 'symptom')).toMatchObject({
      severity: 'warning',
      message: 'Service "db" has symptom alerts but no cause alert',
    });
    // Service queue: two causes from the rules' labels, no symptom; reported once, at the first.
    const queue = findingAt(found, 'rules/rules.yaml', 18);
    expect(queue.message).toBe('Service "queue" has cause alerts but no symptom alert');
    expect(queue.hint).toContain('alert_type: symptom');
    expect(queue.column).toBe(columnOf(root, 'rules/rules.yaml', 18, 'cause'));
  });
});
