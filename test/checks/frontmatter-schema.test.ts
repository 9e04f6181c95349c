import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnOf, expectFixture, findingAt, FIXTURES } from '../harness.ts';

const root = path.join(FIXTURES, 'frontmatter-schema/basic');
const at = (file: string, line: number, needle: string) => ({ line, column: columnOf(root, `runbooks/${file}`, line, needle) });

describe('frontmatter-schema', () => {
  it('reports one finding per violation, and none for a valid runbook', async () => {
    const found = await expectFixture('frontmatter-schema', 'basic');
    expect(found.filter((d) => d.file === 'runbooks/good.md')).toEqual([]);
    expect(found.every((d) => d.severity === 'error')).toBe(true);
  });

  it('points at the offending value', async () => {
    const found = await expectFixture('frontmatter-schema', 'basic');
    const severity = findingAt(found, 'runbooks/bad-values.md', 4);
    expect(severity).toMatchObject({
      ...at('bad-values.md', 4, 'urgent'),
      message: '"severity" must be one of "critical", "warning", "info"',
    });
    expect(findingAt(found, 'runbooks/bad-values.md', 7)).toMatchObject({
      ...at('bad-values.md', 7, '2026-13-45'),
      message: expect.stringContaining('valid date'),
    });
    // Nested values: an item of a list inside a list item.
    expect(findingAt(found, 'runbooks/bad-values.md', 12)).toMatchObject({
      ...at('bad-values.md', 12, 'ftp://'),
      message: expect.stringContaining('"dashboards.0.url"'),
    });
    expect(findingAt(found, 'runbooks/alerts-not-strings.md', 4)).toMatchObject({
      ...at('alerts-not-strings.md', 4, '42'),
      message: '"alerts.1" must be a string',
    });
  });

  it('points at the key of an unknown key', async () => {
    const found = await expectFixture('frontmatter-schema', 'basic');
    expect(findingAt(found, 'runbooks/bad-values.md', 8)).toMatchObject({ line: 8, column: 1, message: 'Unknown key "colour"' });
  });

  it('points at the frontmatter block for a missing key', async () => {
    const found = await expectFixture('frontmatter-schema', 'basic');
    const d = findingAt(found, 'runbooks/missing-key.md', 1);
    expect(d).toMatchObject({ line: 1, column: 1, endLine: 8, message: 'Missing required key "owner"' });
    expect(d.hint).toContain('owner');
  });

  it('says which of alert/alerts is wrong', async () => {
    const found = await expectFixture('frontmatter-schema', 'basic');
    expect(findingAt(found, 'runbooks/neither.md', 1).message).toBe('Missing required key "alert" or "alerts"');
    expect(findingAt(found, 'runbooks/both.md', 1).message).toBe('Use only one of "alert" or "alerts", not both');
  });

  it('reports missing and unclosed frontmatter', async () => {
    const found = await expectFixture('frontmatter-schema', 'basic');
    expect(findingAt(found, 'runbooks/no-frontmatter.md', 1).message).toBe('Runbook has no frontmatter');
    const unclosed = findingAt(found, 'runbooks/unclosed.md', 1);
    expect(unclosed.message).toBe('Frontmatter is not closed');
    expect(unclosed.hint).toContain('---');
  });

  it('says once that frontmatter which is not a mapping must be one', async () => {
    const found = await expectFixture('frontmatter-schema', 'basic');
    expect(findingAt(found, 'runbooks/list.md', 1).message).toBe('The frontmatter must be an object');
    expect(findingAt(found, 'runbooks/empty-frontmatter.md', 1).message).toBe('The frontmatter must be an object');
  });

  it('leaves invalid YAML to one parse error at the bad line', async () => {
    const found = await expectFixture('frontmatter-schema', 'basic');
    expect(found.filter((d) => d.file === 'runbooks/duplicate-key.md')).toEqual([]);
  });

  it('under match: filename, accepts a runbook without frontmatter when the schema requires no key, and still validates the ones that have it', async () => {
    const found = await expectFixture('frontmatter-schema', 'optional');
    expect(found.map((d) => `${d.file}:${d.line}`)).toEqual(['runbooks/DiskSlow.md:3']);
  });

  it('under match: filename, reports the missing block when the schema requires keys, naming them', async () => {
    const found = await expectFixture('frontmatter-schema', 'filename-required');
    const d = findingAt(found, 'runbooks/DiskFull.md', 1);
    expect(d.message).toBe('Runbook has no frontmatter');
    expect(d.hint).toContain('(title, severity, owner, summary, last_reviewed)');
  });
});
