import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectFixture, findingAt, findingAtText, FIXTURES } from '../harness.ts';

const root = path.join(FIXTURES, 'unsafe-html/basic');

describe('unsafe-html', () => {
  it("reports what GitHub's sanitizer removes from raw HTML, and nothing for safe HTML, code, or JSX", async () => {
    const found = await expectFixture('unsafe-html', 'basic');
    expect(found.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('names the attributes or the element, at the tag', async () => {
    const found = await expectFixture('unsafe-html', 'basic');
    expect(findingAtText(found, root, 'runbooks/a.md', 18, '<summary')).toMatchObject({
      message: 'Attribute onclick of <summary> is removed from the page',
    });
    expect(findingAt(found, 'runbooks/a.md', 26).message).toBe('Attributes style, onerror of <img> are removed from the page');
    const line27 = found.filter((d) => d.line === 27).map((d) => d.message);
    expect(line27).toEqual(['Attribute class of <span> is removed from the page', 'Attribute href of <a> is removed from the page']);
    expect(findingAt(found, 'runbooks/a.md', 29).message).toBe('HTML element <iframe> is removed from the page');
    expect(findingAt(found, 'runbooks/a.md', 29).hint).toContain('Link to the page instead');
    expect(findingAt(found, 'runbooks/a.md', 36)).toMatchObject({ column: 1, message: 'Attribute style of <td> is removed from the page' });
    expect(findingAt(found, 'runbooks/a.md', 49).message).toBe('HTML element <script> is removed from the page, with its content');
  });
});
