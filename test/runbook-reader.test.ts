/**
 * The frontmatter's alert-name pointers, kept while parsing, against the full index of pointers.
 * The readers' facts are held equal in test/readers.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimPointers } from '../src/lib/markdown/frontmatter.ts';
import { indexPointers } from '../src/lib/text/positions.ts';
import { markdownFacts } from '../src/lib/markdown/runbook-reader.ts';
import { parseYaml } from '../src/lib/text/yaml.ts';
import { CORPUS, markdownFiles } from './support/shared.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('the alert-name pointers parsing keeps', () => {
  const CLAIM = /^\/alerts?(?:\/\d+)?$/;
  const fromFullIndex = (yaml: string) => {
    const document = parseYaml(yaml, 'x.md', 1).documents[0];
    if (!document) return undefined;
    const index = indexPointers(document.doc, document.positions);
    return {
      kept: claimPointers(document.doc, document.positions),
      expected: Object.fromEntries(Object.entries(index).filter(([p]) => CLAIM.test(p))),
    };
  };

  it.each([
    ['one alert', 'alert: A\ntitle: t\n'],
    ['a list of alerts', 'alerts:\n  - A\n  - "B"\n  -\n  - {name: C}\n'],
    ['a flow list and a quoted key', '"alerts": [A, B]\nalert: C\n'],
    ['an empty alert', 'alert:\ntitle: t\n'],
    ['alerts nested deeper are not claims', 'alerts:\n  - name: A\n    alerts: [B]\n'],
    ['no mapping at all', '- A\n- B\n'],
  ])('%s', (_name, yaml) => {
    const result = fromFullIndex(yaml);
    expect(result?.kept).toEqual(result?.expected);
  });

  it('on every frontmatter of the corpus and the bundled runbooks', () => {
    let compared = 0;
    for (const file of [...(CORPUS ? markdownFiles(CORPUS) : []), ...markdownFiles(path.join(ROOT, 'runbooks'))]) {
      const yaml = markdownFacts(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')).yaml;
      const result = yaml && fromFullIndex(yaml.value);
      if (!result) continue;
      expect(result.kept, path.relative(ROOT, file)).toEqual(result.expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });
});
