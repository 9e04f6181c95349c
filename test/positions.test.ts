/**
 * Positions carried from the parsers to the diagnostics: line and column as an editor shows them,
 * wherever the text sits (frontmatter, code blocks, lists, quotes, flow and block YAML), and with
 * CRLF line endings and a byte order mark.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/lib/engine/diagnostic.ts';
import { LineIndex, pointIn } from '../src/lib/text/positions.ts';
import { positionOfByte } from '../src/lib/text/utf8.ts';
import { lintProject, tempDir } from './harness.ts';

const temp = tempDir('runbooks-positions-');
afterAll(temp.remove);

const MARKDOWN = `---
# A comment before the keys.
alert: A
title: A runbook
severity: critical
owner: platform
summary: |
  A block scalar
  over two lines.
last_reviewed: 2026-10-01
dashboards:
  - title: Board
    url: https://grafana.example.com/d/x
  - { title: Flow, url: "ftp://x" }
---

# A runbook

## Meaning

Text.

    TODO indented
    more TODO

- item

  \`\`\`sh
  echo TODO
  \`\`\`

> quote TODO
> second TODO line

## Impact

1. Step with \`TODO\` and \`\`double \`TODO\` \`\`
2. See [nowhere](missing.md) and ![img](
   gone.png).

## Diagnosis

Text.

## Mitigation

Text.
`;

const RULES = `groups:
  - name: a
    rules:
      - alert: A
        expr: |
          up == 0
        labels: {severity: critical}
        annotations:
          runbook_url: >-
            https://wrong.example.com/A
      - alert: B
        expr: up == 0
        annotations: { summary: s, runbook_url: "https://wrong.example.com/B" }
`;

const CRLF_BOM = `\uFEFF${[
  '---',
  'alert: B',
  'title: B',
  'severity: urgent',
  'owner: o',
  'summary: s',
  'last_reviewed: 2026-10-01',
  'colour: red',
  '---',
  '',
  '# B',
  '',
  '## Meaning',
  '',
  'Line one,',
  'then a TODO here.',
  '',
  '## Impact',
  '',
  'x',
  '',
  '## Diagnosis',
  '',
  'x',
  '',
  '## Mitigation',
  '',
  'x',
  '',
].join('\r\n')}`;

let diagnostics: Diagnostic[];
const at = (file: string, ruleId: string) =>
  diagnostics.filter((d) => d.file === file && d.ruleId === ruleId).map((d) => [d.line, d.column]);

beforeAll(async () => {
  const root = path.join(temp.dir, 'project');
  mkdirSync(path.join(root, 'rules'), { recursive: true });
  mkdirSync(path.join(root, 'runbooks'), { recursive: true });
  writeFileSync(
    path.join(root, 'runbooks.config.yaml'),
    'rules: [rules/*.yaml]\nrunbooks: [runbooks/*.md]\nrunbookUrl: https://runbooks.example.com/{alert}/\n',
  );
  writeFileSync(path.join(root, 'runbooks/a.md'), MARKDOWN);
  writeFileSync(path.join(root, 'runbooks/b.md'), CRLF_BOM);
  writeFileSync(path.join(root, 'rules/rules.yaml'), RULES);
  ({ diagnostics } = await lintProject(root));
});

describe('positions', () => {
  it('finds placeholders in indented and fenced code, list items, quotes and inline code', () => {
    expect(at('runbooks/a.md', 'placeholder-content')).toEqual([
      [23, 5],
      [24, 10],
      [29, 8],
      [32, 9],
      [33, 10],
      [37, 15],
      [37, 35],
    ]);
  });

  it('points frontmatter errors at the value, below comments and block scalars, in flow maps too', () => {
    expect(at('runbooks/a.md', 'frontmatter-schema')).toEqual([[14, 25]]);
  });

  it('points at links, including one whose destination is on the next line', () => {
    expect(at('runbooks/a.md', 'broken-link')).toEqual([
      [38, 8],
      [38, 34],
    ]);
  });

  it('points at YAML values in block scalars and flow maps of rule files', () => {
    // A block scalar's value starts at its indicator (`>-`); a quoted one at its quote.
    expect(at('rules/rules.yaml', 'runbook-url')).toEqual([
      [9, 24],
      [13, 49],
    ]);
  });

  it('counts CRLF lines and ignores a byte order mark', () => {
    expect(at('runbooks/b.md', 'frontmatter-schema')).toEqual([
      [4, 11],
      [8, 1],
    ]);
    expect(at('runbooks/b.md', 'placeholder-content')).toEqual([[16, 8]]);
  });
});

describe('LineIndex, the one line index', () => {
  it('gives 1-based lines and UTF-16 columns, the CR of a CRLF belonging to the break', () => {
    const lines = new LineIndex('ab\r\n😀x\nlast');
    expect(lines.at(0)).toEqual({ line: 1, column: 1 });
    expect(lines.at(2)).toEqual({ line: 1, column: 3 });
    expect(lines.at(3)).toEqual({ line: 1, column: 3 });
    expect(lines.at(4)).toEqual({ line: 2, column: 1 });
    expect(lines.at(6)).toEqual({ line: 2, column: 3 });
    expect(lines.at(8)).toEqual({ line: 3, column: 1 });
    expect(lines.at(99)).toEqual({ line: 3, column: 5 });
    expect(lines.at(-5)).toEqual({ line: 1, column: 1 });
  });

  it('turns positions back into offsets', () => {
    const text = 'one\ntwo\r\nthree';
    const lines = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) {
      if (text[offset - 1] === '\r') continue; // the LF after a CR shares the CR's position
      expect(lines.offsetOf(lines.at(offset))).toBe(offset);
    }
  });

  it('places a stretch of a file at its origin: the first line shifts by the column, the others by the line only', () => {
    const lines = new LineIndex('ab\ncd', { line: 7, column: 5 });
    expect(lines.at(1)).toEqual({ line: 7, column: 6 });
    expect(lines.at(4)).toEqual({ line: 8, column: 2 });
    expect(lines.offsetOf({ line: 7, column: 6 })).toBe(1);
    expect(lines.offsetOf({ line: 8, column: 2 })).toBe(4);
    expect(pointIn('ab\ncd', { line: 7, column: 5 }, 4)).toEqual({ line: 8, column: 2 });
  });

  it('counts a lone CR as a line break where bytes are read before the readers normalise them', () => {
    const bytes = Buffer.concat([Buffer.from('a\rb\r\nc\nxy'), Buffer.from([0xe9])]);
    expect(positionOfByte(bytes, bytes.length - 1)).toEqual({ line: 4, column: 3 });
  });
});
