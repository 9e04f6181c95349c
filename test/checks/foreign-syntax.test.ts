import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnOf, expectFixture, findingAt, FIXTURES } from '../harness.ts';

const root = path.join(FIXTURES, 'foreign-syntax/basic');

describe('foreign-syntax', () => {
  it('reports Hugo shortcodes, Jinja tags, MDX imports and JSX components outside code, and not alert placeholders', async () => {
    const found = await expectFixture('foreign-syntax', 'basic');
    expect(found.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('names the construct and says how to write it in Markdown', async () => {
    const found = await expectFixture('foreign-syntax', 'basic');
    const ref = findingAt(found, 'runbooks/a.md', 14);
    expect(ref).toMatchObject({
      column: columnOf(root, 'runbooks/a.md', 14, '{{<'),
      message: 'Hugo shortcode {{< ref "./other.md" >}} is shown as literal text',
    });
    expect(ref.hint).toContain('`[the other runbook](./other.md)`');
    expect(findingAt(found, 'runbooks/a.md', 15).hint).toContain('> [!NOTE]');
    expect(findingAt(found, 'runbooks/a.md', 21).message).toBe('Jinja template tag {% if env == "prod" %} is shown as literal text');
    expect(findingAt(found, 'runbooks/a.md', 24).hint).toContain('<!-- … -->');
    expect(findingAt(found, 'runbooks/a.md', 28).message).toBe("MDX import/export import Tabs from '@theme/Tabs' is shown as literal text");
    const tabs = findingAt(found, 'runbooks/a.md', 30);
    expect(tabs.message).toBe('Tag <Tabs groupId="os"> is not HTML (a JSX component?): the page drops the tag and keeps only its text');
    expect(tabs.hint).toContain('sub-sections for tabs');
    expect(tabs.hint).toContain('put it in backticks (`<Tabs>`)');
  });
});
