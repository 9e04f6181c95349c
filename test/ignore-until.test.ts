import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lib/config/config.ts';
import { configOf, tempDir } from './harness.ts';
import { lint } from '../src/lib/engine/lint.ts';

// ignoreAlerts `until`: the alert needs no runbook through that day, and needs one again the day after.
describe('ignoreAlerts until', () => {
  let dir = '';
  let remove = (): void => {};
  beforeAll(() => {
    ({ dir, remove } = tempDir());
    mkdirSync(path.join(dir, 'rules'));
    writeFileSync(
      path.join(dir, 'rules/r.yaml'),
      `groups:
  - name: g
    rules:
      - alert: BatchJobLate
        expr: vector(1)
      - alert: BatchJobFailed
        expr: vector(1)
`,
    );
    writeFileSync(
      path.join(dir, 'runbooks.config.yaml'),
      `rules: [rules/*.yaml]
ignoreAlerts:
  - pattern: "BatchJob.*"
    reason: The batch platform team writes these runbooks this quarter.
    until: 2026-12-31
`,
    );
  });
  afterAll(() => remove());

  const missing = async (today: string): Promise<string[]> =>
    (await lint(configOf(dir), { today })).diagnostics.filter((d) => d.ruleId === 'alert-has-runbook').map((d) => d.message);

  it('excuses matching alerts up to and including the date', async () => {
    expect(await missing('2026-06-01')).toEqual([]);
    expect(await missing('2026-12-31')).toEqual([]);
  });

  it('reports them again after the date, saying the snooze expired', async () => {
    expect(await missing('2027-01-01')).toEqual([
      'Alert "BatchJobLate" has no runbook (its ignoreAlerts entry expired on 2026-12-31)',
      'Alert "BatchJobFailed" has no runbook (its ignoreAlerts entry expired on 2026-12-31)',
    ]);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    writeFileSync(path.join(dir, 'bad.yaml'), 'ignoreAlerts:\n  - alert: X\n    reason: r\n    until: 31/12/2026\n');
    const loaded = loadConfig(dir, 'bad.yaml');
    expect(loaded.config).toBeUndefined();
    expect(loaded.diagnostics[0]?.line).toBe(4);
    expect(loaded.diagnostics[0]?.message).toContain('date');
  });
});
