/**
 * The parse cache writes only what is its own and believes nothing it did not write: a
 * --cache-location that names something else is refused, a doctored entry is a miss, and over the
 * whole corpus uncached, cold and warm runs agree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseCache } from '../src/lib/perf/cache.ts';
import { contentHash, toolKey } from '../src/lib/perf/cache-keys.ts';
import { CacheDamaged } from '../src/lib/perf/lazy-rest.ts';
import { send } from '../src/lib/perf/workers/encoding.ts';
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
    // The file: a header that says where the index starts and its CRC, the entries' rests, then the index.
    const bytes = readFileSync(cacheLocation);
    const header = bytes.subarray(0, bytes.indexOf(10) + 1).toString();
    expect(header).toMatch(new RegExp(`^runbooks-lint-cache/5\t${key}\t\\d{15}\t[0-9a-f]{8}\n$`));
    const indexAt = Number(header.split('\t')[2]);
    const lines = bytes.subarray(indexAt).toString().split('\n');
    // As an editor would leave it (the CRC no longer matches), or as made by hand (the CRC made to match).
    const withIndex = (changed: string[], crafted: boolean): Buffer => {
      const index = Buffer.from(changed.join('\n'));
      const sum = crafted ? crc32(index).toString(16).padStart(8, '0') : header.slice(-9, -1);
      return Buffer.concat([Buffer.from(`${header.slice(0, -9)}${sum}\n`), bytes.subarray(header.length, indexAt), index]);
    };
    // An entry line: path, hash, metadata, where its rest is, its core; after `findings\t<key>`, a runbook's findings: path, findings.
    const findingsAt = lines.findIndex((line) => line.startsWith('findings\t'));
    const doctor = (file: string, part: 'core' | 'findings', change: (json: string) => string, crafted = true): Buffer =>
      withIndex(
        lines.map((line, i) => {
          if ((part === 'core') !== i < findingsAt || !line.startsWith(`${JSON.stringify(file)}\t`)) return line;
          const fields = line.split('\t');
          const field = part === 'core' ? 4 : 1;
          fields[field] = change(fields[field] as string);
          return fields.join('\t');
        }),
        crafted,
      );
    expect(findingsAt).toBeGreaterThan(0);
    expect(withIndex(lines, false).equals(bytes)).toBe(true);
    for (const damaged of [
      // Any change an editor or a disk makes is caught by the CRC: no entry of the file is believed.
      doctor('runbooks/Api.md', 'core', (core) => core.replace('"lines":27', '"lines":28'), false),
      // Findings of the wrong shape, a frontmatter that ends past the end of the file, rules that
      // are not a list: not believed, however well the CRC matches.
      doctor('runbooks/Api.md', 'findings', () => '{"found":{"placeholder-content":[{"message":1}]},"uses":[]}'),
      doctor('runbooks/Api.md', 'core', (core) => core.replace('"endLine":8,', '"endLine":1008,')),
      doctor('rules/a.yaml', 'core', (core) => core.replace(/"rules":\[.*?\],"recordingRules"/, '"rules":{},"recordingRules"')),
    ]) {
      expect(damaged.equals(bytes)).toBe(false);
      writeFileSync(cacheLocation, damaged);
      expect((await lintAt(root, { cacheLocation })).map(brief)).toEqual(cold);
    }
    // Even with the checksum recomputed, a position past the end of the file is not believed: in
    // the core (read by every run), the entry is a miss; in the rest, reading it says the cache is damaged.
    const cache = ParseCache.open(cacheLocation);
    const hash = contentHash(body);
    const parsed = cache.get('runbooks/Api.md', hash, undefined, body) as Runbook;
    expect(parsed.lines).toBe(27);
    const other = path.join(root, 'other-cache/lint-cache');
    const rewrite = ParseCache.open(other);
    rewrite.set('runbooks/Api.md', hash, send({ ...parsed, comments: [{ value: 'x', line: 1000, column: 1 }] }));
    rewrite.set(
      'runbooks/B.md',
      hash,
      send({ ...parsed, file: 'runbooks/B.md', headings: parsed.headings.map((h) => ({ ...h, line: h.line + 1000 })) }),
    );
    expect(rewrite.save()).toBe(true);
    expect(ParseCache.open(other).size).toBe(2);
    expect(ParseCache.open(other).get('runbooks/Api.md', hash, undefined, body)).toBeUndefined();
    const late = ParseCache.open(other).get('runbooks/B.md', hash, undefined, body) as Runbook;
    expect(late.lines).toBe(27);
    expect(() => late.headings).toThrow(CacheDamaged);
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
