/**
 * A runbook's frontmatter (markdown/frontmatter.ts): a byte order mark inside it is a warning, not
 * part of a key, and aliases that would leave the site are rejected by lint before the build.
 */
import { describe, expect, it } from 'vitest';
import type { Runbook } from '../src/lib/project/model.ts';
import { parseJob } from '../src/lib/perf/workers/jobs.ts';
import { runbookText } from './harness.ts';
import { brief, lintAt, rulesFor as rules, smallProjects } from './support/small-project.ts';

const { project } = smallProjects('runbooks-frontmatter-');

describe('the frontmatter', () => {
  it('warns of a BOM inside the frontmatter and reads the key without it', () => {
    const parsed = parseJob({ kind: 'runbook', file: 'runbooks/x.md', text: '---\n\uFEFFtitle: T\nalert: A\n---\n# T\n' }) as Runbook;
    expect(parsed.frontmatter?.data).toEqual({ title: 'T', alert: 'A' });
    expect(parsed.diagnostics.map((d) => [d.line, d.column, d.severity])).toEqual([[2, 1, 'warning']]);
  });

  it.each(['/../x', '/\\evil.example/y', '//evil.example/', '/a/%2e%2e/b'])(
    'rejects the alias %s in lint, so the site build cannot fail on it',
    async (alias) => {
      const root = project({
        'rules/a.yaml': rules('Api'),
        'runbooks/Api.md': runbookText('Api', { frontmatter: `aliases: [${JSON.stringify(alias)}]\n` }),
      });
      expect((await lintAt(root)).map(brief)).toEqual(['runbooks/Api.md:8:11 frontmatter-schema']);
    },
  );
});
