import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnOf, expectFixture, findingAt, findingAtText, FIXTURES, lintProject } from '../harness.ts';

const root = path.join(FIXTURES, 'alert-has-runbook/basic');

describe('alert-has-runbook', () => {
  it('reports every uncovered alert, once per name, and nothing else', async () => {
    const found = await expectFixture('alert-has-runbook', 'basic');
    expect(found.every((d) => d.severity === 'error')).toBe(true);
  });

  it('points at the value of the `alert:` key', async () => {
    const found = await expectFixture('alert-has-runbook', 'basic');
    const d = findingAtText(found, root, 'rules/app.yaml', 8, 'Uncovered');
    expect(d.message).toBe('Alert "Uncovered" has no runbook');
    expect(d.hint).toContain('alert: "Uncovered"');
    expect(d.hint).toContain('ignoreAlerts');
    findingAtText(found, root, 'rules/operator.yaml', 9, 'KubeThingDown');
  });

  it('keeps alert names that are any string', async () => {
    const found = await expectFixture('alert-has-runbook', 'basic');
    const names = found.map((d) => /"(.*)"/.exec(d.message)?.[1]);
    expect(names).toEqual(expect.arrayContaining(['PveVm/ctDown', 'SslCertificateExpiry(<7Days)', 'coordinator down']));
  });

  it('reports an alert with several rules once, the other rules as related positions', async () => {
    const found = await expectFixture('alert-has-runbook', 'basic');
    const d = findingAt(found, 'rules/app.yaml', 31);
    expect(d.message).toContain('"Flapping"');
    expect(d.related).toEqual([
      {
        file: 'rules/operator.yaml',
        line: 12,
        column: columnOf(root, 'rules/operator.yaml', 12, 'Flapping'),
        message: 'Another rule of the same alert',
      },
    ]);
  });

  it('honours ignoreAlerts until its `until` date, then says the entry expired', async () => {
    const found = await expectFixture('alert-has-runbook', 'basic');
    expect(findingAt(found, 'rules/app.yaml', 17).message).toBe(
      'Alert "MigratingAlert" has no runbook (its ignoreAlerts entry expired on 2026-10-01)',
    );
    // Before the date, the same entry still excuses the alert.
    const early = await lintProject(root, '2026-09-30');
    const names = early.diagnostics.filter((d) => d.ruleId === 'alert-has-runbook').map((d) => d.message);
    expect(names.some((m) => m.includes('MigratingAlert'))).toBe(false);
    expect(names.some((m) => m.includes('NotLegacy'))).toBe(true);
    // The day after SnoozedAlert's and DueTodayAlert's dates they need runbooks again.
    const late = await lintProject(root, '2027-01-01');
    const lateNames = late.diagnostics.filter((d) => d.ruleId === 'alert-has-runbook').map((d) => d.message);
    expect(lateNames.filter((m) => /SnoozedAlert|DueTodayAlert/.test(m))).toHaveLength(2);
  });

  it('suggests the runbook file name when runbooks are matched by file name', async () => {
    const [d] = await expectFixture('alert-has-runbook', 'filename');
    expect(d?.hint).toContain('Create runbooks/HostUnreachable.md');
  });
});
