/**
 * The parse cache writes only what is its own and believes nothing it did not write: a
 * --cache-location that names something else is refused, a doctored entry is a miss, and over the
 * whole corpus uncached, cold and warm runs agree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseCache, contentHash, toolKey } from '../src/lib/perf/cache.ts';
import { loadConfig } from '../src/lib/config/config.ts';
import { lint } from '../src/lib/engine/lint.ts';
import type { Runbook } from '../src/lib/project/model.ts';
import { runbookText, runCli, TODAY } from './harness.ts';
import { CORPUS, describeCorpus } from './support/shared.ts';
import { brief, lintAt, rulesFor as rules, smallProjects } from './support/small-project.ts';

const { project } = smallProjects('runbooks-cache-safety-');

describe('the cache writes only what is its own and believes nothing it did not write', () => {
  it.each([
    ['the config file', 'runbooks.config.yaml', /not a runbooks cache/],
    ['a FIFO', 'fifo', /special file/],
    ['/dev/full', '/dev/full', /special file/],
  ])('--cache-location naming %s is refused, and nothing is written or blocks', async (_name, location, message) => {
    const root = project({ 'rules/a.yaml': rules('Api') });
    if (location === 'fifo') execFileSync('mkfifo', [path.join(root, 'fifo')]);
    const before = readFileSync(path.join(root, 'runbooks.config.yaml'));
    const run = await runCli(['lint', '--cache-location', location], root);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(message)]);
    expect(readFileSync(path.join(root, 'runbooks.config.yaml')).equals(before)).toBe(true);
  });

  it('takes an entry of the wrong shape, or altered but still valid JSON, as a miss', async () => {
    const body = runbookText('Api', { body: '## Meaning\n\nx\n\n## Impact\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nTODO\n' });
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': body });
    const cacheLocation = path.join(root, '.cache/runbooks/lint-cache');
    const cold = (await lintAt(root)).map(brief);
    expect(cold).toContain('runbooks/Api.md:26:1 placeholder-content');
    expect((await lintAt(root, { cacheLocation })).map(brief)).toEqual(cold);
    const key = toolKey();
    const lines = readFileSync(cacheLocation, 'utf8').split('\n');
    const findingsStart = lines.findIndex((line) => line.startsWith('findings\t'));
    const doctor = (file: string, change: (json: string) => string): string[] =>
      lines.map((line, i) => {
        if (i >= findingsStart || !line.startsWith(`${JSON.stringify(file)}\t`)) return line;
        const fields = line.split('\t');
        return [...fields.slice(0, 4), change(fields[4] as string)].join('\t');
      });
    // The findings kept for a runbook: altered (no placeholder), or of the wrong shape, they are not believed.
    const doctorFindings = (change: (json: string) => string): string[] =>
      lines.map((line, i) => {
        if (i <= findingsStart || !line.startsWith(`${JSON.stringify('runbooks/Api.md')}\t`)) return line;
        const fields = line.split('\t');
        return [...fields.slice(0, 3), change(fields[3] as string)].join('\t');
      });
    expect(lines.filter((line) => line.startsWith('findings\t'))).toHaveLength(1);
    // A heading at line 24 must not move to line 1024; rules that are not a list must not crash a check.
    for (const damaged of [
      doctorFindings(() => '{}'),
      doctorFindings(() => '{"placeholder-content":[{"message":1}]}'),
      doctor('runbooks/Api.md', (json) => json.replaceAll('"line":24', '"line":1024')),
      doctor('rules/a.yaml', (json) => json.replace(/"rules":\[.*?\],"recordingRules"/, '"rules":{},"recordingRules"')),
    ]) {
      expect(damaged[0]).toBe(`runbooks-lint-cache/4\t${key}`);
      expect(damaged).not.toEqual(lines);
      writeFileSync(cacheLocation, damaged.join('\n'));
      expect((await lintAt(root, { cacheLocation })).map(brief)).toEqual(cold);
    }
    // Even with the checksum recomputed, a position past the end of the file is not believed.
    const cache = ParseCache.open(cacheLocation);
    const hash = contentHash(body);
    const parsed = cache.get('runbooks/Api.md', hash, undefined, body) as Runbook;
    expect(parsed.lines).toBe(27);
    const other = path.join(root, 'other-cache/lint-cache');
    const rewrite = ParseCache.open(other);
    rewrite.set('runbooks/Api.md', hash, {
      json: JSON.stringify({ ...parsed, headings: parsed.headings.map((h) => ({ ...h, line: h.line + 1000 })) }),
    });
    expect(rewrite.save()).toBe(true);
    expect(ParseCache.open(other).size).toBe(1);
    expect(ParseCache.open(other).get('runbooks/Api.md', hash, undefined, body)).toBeUndefined();
  });
});

describeCorpus('the cache over the whole corpus', () => {
  it('gives uncached, cold-cached and warm-cached runs the same findings and the same project', async () => {
    const root = project(
      { 'schema.json': '{"type":"object"}' },
      `rules: ["${CORPUS}/**/*.{yml,yaml}"]
runbooks: ["${CORPUS}/**/*.md"]
schema: schema.json
runbookUrl: https://rb.example.com/alerts/{alert}/
`,
    );
    const config = loadConfig(root).config!;
    const cacheLocation = path.join(root, '.cache/runbooks/lint-cache');
    const plain = await lint(config, { today: TODAY });
    expect(plain.project.ruleFiles.length + plain.project.runbooks.length).toBeGreaterThan(150);
    const cold = await lint(config, { today: TODAY, cacheLocation });
    const warm = await lint(config, { today: TODAY, cacheLocation });
    expect(cold.diagnostics).toEqual(plain.diagnostics);
    expect(warm.diagnostics).toEqual(plain.diagnostics);
    expect(warm.project.ruleFiles).toEqual(plain.project.ruleFiles);
    expect(warm.project.runbooks).toEqual(plain.project.runbooks);
    // The warm run read the cache: every file has an entry.
    expect(ParseCache.open(cacheLocation).size).toBe(plain.project.ruleFiles.length + plain.project.runbooks.length);
  });
});
