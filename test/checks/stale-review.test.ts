import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { daysSinceReview } from '../../src/lib/checks/stale-review.ts';
import { columnOf, expectFixture, findingAt, FIXTURES, lintProject } from '../harness.ts';

describe('stale-review', () => {
  it('warns when last_reviewed is over 180 days old (by default) or in the future, at the date', async () => {
    const found = await expectFixture('stale-review', 'default');
    const root = path.join(FIXTURES, 'stale-review/default');
    const d = findingAt(found, 'runbooks/old.md', 7);
    expect(d).toMatchObject({
      severity: 'warning',
      column: columnOf(root, 'runbooks/old.md', 7, '2025-01-01'),
      message: 'Runbook last reviewed 2025-01-01, 669 days ago (limit 180)',
    });
    expect(d.hint).toContain('last_reviewed: 2026-11-01');
    expect(findingAt(found, 'runbooks/one-day-over.md', 7).message).toContain('181 days ago');
    expect(findingAt(found, 'runbooks/future.md', 7).message).toBe('last_reviewed 2026-12-01 is in the future');
  });

  it('takes maxAgeDays and the severity from the config', async () => {
    const found = await expectFixture('stale-review', 'configured');
    expect(findingAt(found, 'runbooks/month.md', 7)).toMatchObject({
      severity: 'error',
      message: 'Runbook last reviewed 2026-10-01, 31 days ago (limit 30)',
    });
  });

  it('counts from the day it is given', async () => {
    const later = await lintProject(path.join(FIXTURES, 'stale-review/default'), '2027-04-01');
    const stale = later.diagnostics.filter((d) => d.ruleId === 'stale-review').map((d) => d.file);
    expect(stale).toEqual(['runbooks/limit.md', 'runbooks/old.md', 'runbooks/one-day-over.md', 'runbooks/recent.md']);
  });

  it('counts the days to whichever today it is asked with, one call after another', () => {
    expect(daysSinceReview('2026-01-01', '2026-01-11')).toBe(10);
    expect(daysSinceReview('2026-01-01', '2026-02-01')).toBe(31);
    expect(daysSinceReview('2026-01-01', '2026-01-11')).toBe(10);
    expect(daysSinceReview('2026-03-01', '2026-02-28')).toBe(-1);
    expect(daysSinceReview('2026-01-01', 'not a day')).toBeUndefined();
    expect(daysSinceReview('2026-13-01', '2026-01-11')).toBeUndefined();
  });
});
