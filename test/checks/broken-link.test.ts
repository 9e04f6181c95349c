import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnOf, expectFixture, findingAt, FIXTURES, lintProject } from '../harness.ts';

const root = path.join(FIXTURES, 'broken-link/basic');

describe('broken-link', () => {
  it('reports relative links to missing files and anchors, and nothing for links that work or are not files', async () => {
    const found = await expectFixture('broken-link', 'basic');
    expect(found.every((d) => d.severity === 'error')).toBe(true);
  });

  it('names a missing file, at the link', async () => {
    const found = await expectFixture('broken-link', 'basic');
    const d = findingAt(found, 'runbooks/a.md', 17);
    expect(d).toMatchObject({ column: columnOf(root, 'runbooks/a.md', 17, '[missing'), message: 'Link target missing.md does not exist' });
    expect(d.hint).toContain('relative to runbooks/');
    expect(findingAt(found, 'runbooks/a.md', 24).message).toBe('Link target img/missing.png does not exist');
    expect(findingAt(found, 'runbooks/a.md', 42).message).toBe('Link target gone.md does not exist');
  });

  it('reports a missing heading anchor in another runbook or this one, suggesting the nearest', async () => {
    const found = await expectFixture('broken-link', 'basic');
    const other = findingAt(found, 'runbooks/a.md', 15);
    expect(other.message).toBe('Link to #no-such-heading: runbooks/b.md has no heading with that anchor');
    expect(other.hint).toBe('Link to one of its headings: #b, #meaning, #impact, #diagnosis, #mitigation.');
    expect(findingAt(found, 'runbooks/a.md', 16).hint).toBe('Did you mean #diagnosis?');
    expect(findingAt(found, 'runbooks/a.md', 22).message).toBe('Link to #nowhere: this runbook has no heading with that anchor');
    expect(findingAt(found, 'runbooks/sub dir/c.md', 14).message).toContain('runbooks/a.md has no heading');
  });

  it('reports a GFM footnote reference without a definition, suggesting the nearest label', async () => {
    const found = await expectFixture('broken-link', 'footnotes');
    const notes = path.join(FIXTURES, 'broken-link/footnotes');
    const gone = findingAt(found, 'runbooks/a.md', 15);
    expect(gone).toMatchObject({ column: columnOf(notes, 'runbooks/a.md', 15, '[^gone]'), message: 'Footnote [^gone] has no definition' });
    expect(gone.hint).toContain('[^gone]: ');
    expect(findingAt(found, 'runbooks/a.md', 16).hint).toContain('Did you mean [^queue]?');
  });

  it('resolves paths up, across and through `.` and `..` segments, ends a fragment at a second `#`, and reports each link to a missing file', async () => {
    const found = await expectFixture('broken-link', 'paths');
    const paths = path.join(FIXTURES, 'broken-link/paths');
    expect(findingAt(found, 'runbooks/team/a.md', 16).message).toBe(
      'Link to #nowhere: runbooks/other/b.md has no heading with that anchor',
    );
    expect(findingAt(found, 'runbooks/team/a.md', 17).message).toBe('Link target ../../runbooks/other/c.md does not exist');
    expect(findingAt(found, 'runbooks/team/a.md', 18).hint).toBe('Fix the path (relative to runbooks/team/), or remove the link.');
    expect(findingAt(found, 'runbooks/team/a.md', 25).column).toBe(columnOf(paths, 'runbooks/team/a.md', 25, '![gone]'));
    expect(findingAt(found, 'runbooks/team/a.md', 26).message).toBe('Link target ../img/gone.png does not exist');
  });

  it("resolves links against the file system, also for runbooks outside the config's folder", async () => {
    const result = await lintProject(path.join(FIXTURES, 'broken-link/outside/config'));
    expect(result.diagnostics.filter((d) => d.ruleId === 'broken-link').map((d) => [d.file, d.line, d.message])).toEqual([
      ['../runbooks/DiskFull.md', 13, 'Link target helpers/nothing.md does not exist'],
    ]);
  });
});
