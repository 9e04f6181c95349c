/**
 * Reading a file costs time linear in its size, and no input ends the run: past the readers'
 * bounds (markers, blocks, nesting, anchors) a file gets one finding instead of a hang or a stack
 * overflow, and a bug in a reader is one internal-error finding for that file.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/lib/engine/diagnostic.ts';
import type { Runbook } from '../src/lib/project/model.ts';
import { parseJob } from '../src/lib/perf/workers/jobs.ts';

describe('no input ends the run', () => {
  it('turns a throw in a reader into one internal-error finding for that file', () => {
    // A getter that throws stands in for any bug in a reader: the job must still return.
    const text = { toString: () => 'x' } as unknown as string;
    const parsed = parseJob({ kind: 'runbook', file: 'runbooks/x.md', text });
    expect(parsed.diagnostics.map((d) => d.ruleId)).toEqual(['internal-error']);
    expect(parsed.diagnostics[0]?.message).toMatch(/bug of the tool/);
    expect(parsed.diagnostics[0]?.hint).toMatch(/report it/);
  });
});

describe('bounded cost: every step linear in the file', () => {
  /** Parses a runbook and returns its diagnostics and the time it took. */
  const timed = (
    text: string,
    kind: 'runbook' | 'rules' = 'runbook',
  ): { ms: number; diagnostics: Diagnostic[]; parsed: ReturnType<typeof parseJob> } => {
    const start = performance.now();
    const parsed = parseJob({ kind, file: kind === 'runbook' ? 'runbooks/x.md' : 'rules/x.yaml', text });
    return { ms: performance.now() - start, diagnostics: parsed.diagnostics, parsed };
  };

  it('reads 20,000 headings in time linear in their number (the section loop)', () => {
    const doc = (n: number): string => Array.from({ length: n }, (_, i) => `## H${i}\n\ntext\n`).join('\n');
    timed(doc(500));
    const small = timed(doc(2_500)).ms;
    const large = timed(doc(20_000));
    // 8x the headings: a quadratic loop takes ~64x; allow noise up to 20x.
    expect(large.ms).toBeLessThan(Math.max(small, 20) * 20);
    expect((large.parsed as Runbook).headings.at(-2)?.blocks).toBe(1);
  });

  it.each([
    ['`[a](` x 64,000 (one 256 KB line)', '[a]('.repeat(64_000)],
    ['`*a[` x 20,000 in one paragraph', '*a['.repeat(20_000)],
    ['a heading of 30,000 `[a](`', `# ${'[a]('.repeat(30_000)}\n`],
  ])('keeps %s raw, with one warning, in well under a second', (_name, text) => {
    const { ms, diagnostics } = timed(text);
    // Before the bound: 21 s for the first; a shared CI machine gets ample slack.
    expect(ms).toBeLessThan(5000);
    expect(diagnostics.map((d) => [d.line, d.ruleId, d.severity])).toEqual([[1, 'parse-error', 'warning']]);
    expect(diagnostics[0]?.message).toMatch(/more than 4000 link, emphasis or HTML markers/);
  });

  it('refuses 800 nested list levels with one finding at the line that goes too deep', () => {
    const { ms, diagnostics } = timed(Array.from({ length: 800 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n'));
    expect(ms).toBeLessThan(3000);
    expect(diagnostics.map((d) => [d.line, d.ruleId, d.message])).toEqual([
      [101, 'parse-error', expect.stringMatching(/nest 101 levels deep/)],
    ]);
  });

  it('bounds a runbook of 100,000 links (800 KB): read up to the marker budget, or refused past 10,000 blocks', () => {
    const paragraphs = Array.from({ length: 100_000 }, (_, i) => `[a](${i % 10})`).join('\n\n');
    expect(paragraphs.length).toBeLessThan(1024 * 1024);
    const refused = timed(paragraphs);
    expect(refused.ms).toBeLessThan(1000);
    expect(refused.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([
      [100_001, 'error', expect.stringMatching(/more than 50000 paragraphs, list items and headings/)],
    ]);
    // 10 links in each of 3,000 paragraphs: the first 20,000 markers are read, then one warning.
    const read = timed(Array.from({ length: 3_000 }, () => '[a](b) '.repeat(10)).join('\n\n'));
    expect(read.ms).toBeLessThan(10_000);
    expect((read.parsed as Runbook).links).toHaveLength(5_000);
    expect(read.diagnostics.map((d) => [d.line, d.severity])).toEqual([[1001, 'warning']]);
  });

  it.each([
    ['4,000 nested `- ` in a rule file', `${'- '.repeat(4000)}x`, 'rules', /nests more than 100 levels/],
    ['4,000 nested flow sequences in a frontmatter', `---\na: ${'['.repeat(4000)}\n---\n`, 'runbook', /nests more than 100 levels/],
    [
      '20,000 anchors and aliases',
      Array.from({ length: 20_000 }, (_, i) => `a${i}: &x${i} v\nb${i}: *x${i}`).join('\n'),
      'rules',
      /more than 1000 anchors/,
    ],
  ] as const)('%s: one finding, no stack overflow, bounded time', (_name, text, kind, message) => {
    const { ms, diagnostics } = timed(text, kind);
    expect(ms).toBeLessThan(3000);
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(message)]);
    expect(diagnostics[0]?.severity).toBe('error');
  });
});
