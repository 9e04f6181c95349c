/**
 * The fast readers (markdown-it for the Markdown, js-yaml for frontmatter data) must give exactly
 * the facts of the exact readers (micromark's token reader, `yaml`), positions included, or decline
 * the file so the exact reader reads it. Held here on every Markdown file of the shared corpus, the
 * bundled example and the fixtures, on the bench's generated runbooks, on the boundaries of the
 * subset the fast readers take, and on fuzzed Markdown and YAML. A disagreement is a failure.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateProject } from '../bench/generate.ts';
import { FAST_MAX_CHARS } from '../src/lib/markdown/fast-reader.ts';
import { readRuleFile } from '../src/lib/sources/index.ts';
import { fastYamlDocuments } from '../src/lib/text/fast-yaml-nodes.ts';
import { factsByReader } from './support/reader-facts.ts';
import { CORPUS, markdownFiles } from './support/shared.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

const read = (file: string): string => readFileSync(file, 'utf8').replace(/^\uFEFF/, '');

/** Texts at the edges of what the fast Markdown reader takes: each must be read alike, or declined. */
const EDGES: Record<string, string> = {
  'an indented HTML block keeps its indentation': ' <!-- c --># \n',
  'an unclosed HTML comment runs to the end': '<!--```\n',
  'a code span over two lines in a setext heading': '#```\n]```\n===',
  'an unclosed frontmatter before a quote': '---\n> # ',
  'an unclosed comment after a bracket': '[<!-- c --><!--',
  'inline HTML over lines, indented': ' "title"<!--```\n  -->',
  'a heading line over a delimiter row': '# |\n---\n',
  'emphasis beside an emoji in a heading': '# *[a](b)*\u{1F600}',
  'a no-break space after an HTML tag': '<span>\u00a0',
  'a placeholder with spaces in a destination':
    '---\nalert: A\n---\n# A\n\n## Diagnosis\n\n[dash](https://g.example/d?var={{ $labels.job }}) and {{ $value }}\n',
  'tables with links and comments': '# T\n\n| a | b |\n|---|:-:|\n| [l](x.md) | <!-- c --> |\n| ![i](i.png) | `c|d` |\n\n## Impact\n',
  'a table in a list item, with escaped pipes in code':
    '1. Check:\n\n   | a | b |\n   | --- | --- |\n   | `x \\| y` | [l](l.md) |\n   | <!-- c --> | `/a/*.1` |\n\n   ```sh\n   x\n   ```\n',
  'a table in a quote': '> | a |\n> |---|\n> | [l](x.md) |\n',
  'a table right after a paragraph': 'text\n| a |\n|---|\n| [l](x.md) |\n',
  'links in lists and quotes, over lines':
    "- item [a](a.md)\n  more [b](b.md 't')\n\n> quote\n> [q](<q q.md>) <x@y.zz>\n>\n> > [n](n.md)\n",
  'lazy lines of a quote and a list':
    "> > <b>:[a](b (t))<div>\n   <span>\n\n* [a](b 't')`<div>\n<br>\n  ===\n\n> > word(|:-:|--|\n    - 1. <http://a.b>| [l](x.md) |\n",
  'a code span beside unclosed backticks': '-->[*`[a](b)`# ```\n',
  'a table row with more cells than its header': '| a | b |\n|---|---|\n|| x |---&><!--<!-- c -->---\n',
  'an empty list item over a thematic break': '    +++<div>\n* \n---\n    - <mailto:x@y.z>## ',
  'reference definitions and the links that use them':
    '# T\n\nSee [the rule][rules], [dash] and ![img][i].\n\n| a |\n|---|\n| [x][dash] |\n\n<https://x.y/z>\n\n[rules]: https://g.example/r.yaml "rules"\n[dash]: <./d b.md>\n   [i]: ./i&amp;.png \'t\'\n',
  'a definition the fast reader declines (a setext heading after it, trailing blanks, in a quote)':
    '[a]: <x y.md> "t"\n[t](<a b.md> "t")\n===\n\n[r]: r.md   \n\n> [q]: q.md\n',
  'strikethrough in a heading and outside': '## ~~Old~~ New\n\nrate{code=~"5.."} [l](l.md)\n',
  'frontmatter forms':
    '---\nalert: A\nalerts: [B, "C"]\ntitle: "T: x"\nowner: team-a # who\nsummary: >\n  folded\n  text\nlabels:\n  severity: critical\n---\n# A\n',
  'frontmatter the fast reader declines': '---\nalert: &a A\nalias: *a\nn: 1_000\nd: 2026-04-24\n---\n# A\n',
  'invalid frontmatter': '---\nalert: A\nalert: B\n---\n# A\n',
};

describe("the fast readers give the exact readers' facts", () => {
  it.each(Object.entries(EDGES))('%s', (_name, text) => {
    const { exact, fast } = factsByReader(text, 'runbooks/x.md');
    expect(fast).toEqual(exact);
  });

  it('leaves a runbook longer than any real one to the reader whose bounds are measured', () => {
    const section = '## Step\n\nRun [the check](check.md) and read <!-- note --> the output.\n\n';
    const long = `# T\n\n${section.repeat(Math.ceil(FAST_MAX_CHARS / section.length) + 1)}`;
    const facts = factsByReader(long, 'runbooks/long.md');
    expect(facts.fastMarkdown).toBe(false);
    expect(facts.fast).toEqual(facts.exact);
    expect(factsByReader(section.repeat(10), 'runbooks/short.md').fastMarkdown).toBe(true);
  });

  it('on every Markdown file of the corpus, the bundled runbooks and the fixtures, and reads most of them fast', () => {
    const files = [
      ...(CORPUS ? markdownFiles(CORPUS) : []),
      ...markdownFiles(path.join(ROOT, 'runbooks')),
      ...markdownFiles(path.join(ROOT, 'test/fixtures')),
    ];
    expect(files.length).toBeGreaterThan(CORPUS ? 150 : 50);
    let fastMarkdown = 0;
    let fastYaml = 0;
    let withFrontmatter = 0;
    for (const file of files) {
      const text = read(file);
      const facts = factsByReader(text, path.relative(ROOT, file));
      expect(facts.fast, path.relative(ROOT, file)).toEqual(facts.exact);
      if (facts.fastMarkdown) fastMarkdown++;
      if (facts.fastYaml) fastYaml++;
      if (text.startsWith('---\n')) withFrontmatter++;
    }
    // A fast path that most real files fall back from would not be one.
    expect(fastMarkdown / files.length).toBeGreaterThan(0.8);
    expect(fastYaml / withFrontmatter).toBeGreaterThan(0.8);
  });

  it("on the bench's generated runbooks, all of which it reads fast", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'runbooks-readers-'));
    try {
      const project = generateProject(root, 40, new Date('2026-04-24T00:00:00Z'));
      for (const name of project.runbookFiles) {
        const facts = factsByReader(read(path.join(root, name)), name);
        expect(facts.fast, name).toEqual(facts.exact);
        expect([name, facts.fastMarkdown, facts.fastYaml]).toEqual([name, true, true]);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** Pieces of Markdown, many at the edges of the subset: fuzzed documents are strings of them. */
const PIECES = [
  '# ',
  '## ',
  '### ',
  'Title',
  ' ',
  '  ',
  '    ',
  '\n',
  '\n\n',
  '- ',
  '* ',
  '1. ',
  '> ',
  '[',
  ']',
  '(',
  ')',
  '[a](b.md)',
  '![i](x.png)',
  '<http://a.b>',
  '<a@b.co>',
  '<!-- c -->',
  '<!--',
  '-->',
  '<div>',
  '</div>',
  '<span>',
  '`',
  '``',
  '*',
  '_',
  '**',
  'text',
  '\\',
  '&amp;',
  '&#65;',
  '"t"',
  '<',
  '>',
  '===',
  '---',
  '|',
  '| a | b |\n|---|---|\n',
  '```\n',
  '~~~',
  '~',
  'x.md#h',
  ' "title"',
  '<b>',
  '&',
  '#',
  'word',
  ':',
  '+++',
  '| [l](x.md) | <!-- c --> |\n',
  '|:-:|--|\n',
  '   ',
  '  - ',
  '    - ',
  '> > ',
  '<a b.md>',
  '[t](<a b.md> "t")',
  '[e](\\(x\\))',
  '[x](y.md#a&amp;b)',
  '*[a](b)*',
  '__x__',
  '\n===\n',
  '\n---\n',
  '[a]',
  '[a][]',
  '[![b](b.svg)](l.md)',
  '<mailto:x@y.z>',
  '<div>\n',
  '<?php x ?>',
  '<!DOCTYPE html>',
  '<![CDATA[ x ]]>',
  '<script>',
  '</script>',
  ' ##',
  '#5',
  '<details>\n<summary>S</summary>\n',
  '\n</details>\n',
  '<br>',
  '<img src="a.png">',
  '&copy;',
  '&#x42;',
  '\\*',
  '`[a](b)`',
  '```sh\n',
  '[a](b "t")',
  "[a](b 't')",
  '[a](b (t))',
  '<a href="x">',
  '</a>',
  '\u00e9',
  '\u{1F600}',
  '\u00a0',
  '---\nalert: A\n---\n',
  '{{ $labels.job }}',
  '\n\n   | a | b |\n   | --- | --- |\n   | [l](x.md) | `c \\| d` |\n',
  'www.x.y',
  'https://x.y/z',
  '[^1]',
  '[r]: r.md',
  '{{< ref >}}',
  '\t',
  '1. ',
  '| x |',
  '\\|',
  '\n[a]: <x y.md> "t"\n',
  '[a]: a.md\n',
  '[A]',
  '[t][a]',
  "   [r]: ./r&amp;.md 'q'\n",
  '> [q]: q.md\n',
  '[x]:\n',
  ']:',
  '<https://x.y>',
];

const SCALARS = [
  '',
  'x',
  'Foo Bar',
  '1',
  '-5',
  '1_000',
  '0x1F',
  '0o17',
  '0b1',
  '.5',
  '1e3',
  '1.',
  '.inf',
  '-.Inf',
  '.nan',
  'NaN',
  '~',
  'null',
  'Null',
  'true',
  'yes',
  'on',
  '2026-04-24',
  '"a"',
  "'b'",
  "'it''s'",
  '"x\\ny"',
  '[A, B]',
  '[]',
  '["a", b]',
  '[a, [b]]',
  '{a: b}',
  'a #c',
  'a#b',
  'http://x.y/z',
  '&a x',
  '*a',
  '!!str 1',
  '? x',
  '@x',
  '`x`',
  '%x',
  'a, b',
  'x:',
  'x:y',
  '-',
  '\u00e9',
  '0',
  '00',
  '+1',
  '012',
  '1.0',
  '1.50',
  '-0',
  'a: b',
  '"q" x',
];
const KEYS = ['alert', 'alerts', 'title', 'owner', 'a', 'b', 'null', 'True', 'x.y', 'k-1', '1', '<<', '"q"', '__proto__', 'a b'];

/** YAML mappings as frontmatter holds them: nested maps, sequences, block scalars and comments, mostly well indented. */
function yamlMapping(indent: number, depth: number): fc.Arbitrary<string> {
  const pad = ' '.repeat(indent);
  const entry: fc.Arbitrary<string> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...SCALARS)).map(([k, v]) => `${pad}${k}:${v === '' ? '' : ` ${v}`}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...KEYS), fc.array(fc.constantFrom(...SCALARS), { minLength: 1, maxLength: 3 }), fc.constantFrom(0, 2))
        .map(([k, items, extra]) => `${pad}${k}:\n${items.map((v) => `${pad}${' '.repeat(extra)}- ${v}`).join('\n')}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...KEYS),
          fc.constantFrom('|', '>', '|-', '>-', '>+'),
          fc.array(fc.constantFrom('line', 'two words', '', '  more', ' '), { maxLength: 3 }),
        )
        .map(([k, style, lines]) => `${pad}${k}: ${style}\n${lines.map((l) => (l === '' ? '' : `${pad}  ${l}`)).join('\n')}`),
    },
    { weight: 1, arbitrary: fc.constantFrom('# a comment', '', `${pad}# indented`, ' stray: 1', '\tk: v') },
    ...(depth > 0
      ? [
          {
            weight: 1,
            arbitrary: fc.tuple(fc.constantFrom(...KEYS), yamlMapping(indent + 2, depth - 1)).map(([k, body]) => `${pad}${k}:\n${body}`),
          },
        ]
      : []),
  );
  return fc.array(entry, { minLength: 1, maxLength: 6 }).map((lines) => lines.join('\n'));
}

/** Fixed so that CI is repeatable; FUZZ_SEED replays or varies it (as in test/readers.test.ts). */
const SEED = Number(process.env.FUZZ_SEED ?? 14);

describe(`fuzzed input (seed ${SEED})`, () => {
  it("Markdown: the fast reader agrees with micromark's reader or declines", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((a) => a.join('')),
        (text) => {
          const { exact, fast } = factsByReader(text, 'runbooks/f.md');
          expect(fast).toEqual(exact);
        },
      ),
      { numRuns: 1500, seed: SEED },
    );
  });

  it("YAML: js-yaml's data agrees with yaml's or the text is declined", () => {
    let taken = 0;
    fc.assert(
      fc.property(yamlMapping(0, 2), (text) => {
        const facts = factsByReader(text, 'f.yaml');
        if (facts.fastYaml) taken++;
        expect(facts.fast).toEqual(facts.exact);
      }),
      { numRuns: 1500, seed: SEED },
    );
    // The generator must reach the fast reader often enough for the property to mean something.
    expect(taken).toBeGreaterThan(100);
  });

  it('frontmatter in runbooks: data and claim positions alike', () => {
    fc.assert(
      fc.property(yamlMapping(0, 1), fc.constantFrom('# T\n', '## Meaning\n\n[l](l.md)\n', ''), (yaml, body) => {
        const { exact, fast } = factsByReader(`---\n${yaml}\n---\n${body}`, 'runbooks/f.md');
        expect(fast).toEqual(exact);
      }),
      { numRuns: 800, seed: SEED },
    );
  });
});

/** A rule file as the exact reader (`yaml`) and the fast one (the line scanner's nodes where it takes the text) read it. */
function ruleFileByReader(text: string, file: string): { exact: unknown; fast: unknown; taken: boolean } {
  const source = text.replace(/^\uFEFF/, '').replace(/\r(?!\n)/g, '\n');
  return {
    exact: JSON.parse(JSON.stringify(readRuleFile(text, file))),
    fast: JSON.parse(JSON.stringify(readRuleFile(text, file, { fast: true }))),
    taken: fastYamlDocuments(source) !== undefined,
  };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Rule files at the edges of the subset the line scanner takes: each must be read alike, or declined. */
const RULE_EDGES: Record<string, string> = {
  'comment lines between rules, at the dashes': `# head\ngroups:\n  - name: g\n    rules:\n\n      # one\n      - alert: A\n        expr: up == 0\n        labels:\n          severity: page\n      # two\n      # three\n\n      - alert: B\n        expr: up\n`,
  'a comment line at the keys of the rule before it': `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels:\n      a: b\n    # here\n  - alert: B\n    expr: up\n`,
  'a comment line that ends a sequence at its key': `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n  # after the rules\n  interval: 1m\n`,
  'a comment line deeper than the next key': `groups:\n- name: g\n  rules:\n  - alert: A\n    labels:\n      a: b\n      # deep\n    expr: up\n`,
  'a trailing comment line': `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n# end\n`,
  'core-schema scalars that are not strings': `groups:\n- name: 007\n  interval: 0x10\n  rules:\n  - alert: A\n    expr: 1e3\n    for: 0\n    keep_firing_for: ~\n    labels:\n      a: true\n      b: null\n      c: -0\n      d: .inf\n      e: +12\n    annotations:\n      x: False\n`,
  'quoted scalars, escapes and comments': `groups:\n- name: "g # not a comment"\n  rules:\n  - alert: 'It''s'\n    expr: "up{job=\\"a\\"} == 0" # a comment\n    annotations:\n      d: "line\\nnext\\ttab \\/ \\\\ \\" \\_"\n      e: 'a # b'\n      g: a#b\n`,
  'escapes the fast reader leaves to yaml': `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n      d: "\\u00e9 \\x41"\n      f: "\\q"\n`,
  'block scalars of every header': `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: |\n      sum(rate(x[5m]))\n        > 1\n\n    annotations:\n      a: >\n        folded\n        text\n      b: |-\n        kept\n\n        blank inside\n      c: >-\n        one\n          more indented\n      d: |+\n        keep\n\n      e: |2\n          indicator\n      f: > # c\n        x\n  - alert: B\n    expr: >-\n      up\n      == 0\n`,
  'a block scalar that ends the file without a newline': `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: |\n      up`,
  'problems that rule-valid reports, with their positions inside scalars': `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: |\n      sum(rate(x[5m])\n    for: 5 minutes\n    labels:\n      bad-name: x\n    annotations:\n      summary: "{{ $labels.x"\n    colour: red\n  - record: a-b\n    expr: up\n    for: 1m\n  - alert: A\n  - expr: x\n- name: g\n  rules: x\n`,
  'several documents and a List': `---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: x\n  labels:\n    app.kubernetes.io/name: x\nspec:\n  groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: up\n---\nkind: ConfigMap\ndata:\n  a: b\n---\nkind: List\nitems:\n- kind: VMRule\n  spec:\n    groups:\n    - name: v\n      rules:\n      - alert: V\n        expr: up\n`,
  'an empty document and a document end marker': `groups: []\n---\n...\n`,
  'duplicate keys': `groups:\n- name: g\n  name: h\n  rules:\n  - alert: A\n    expr: up\n`,
  'anchors, aliases and merge keys': `groups:\n- name: g\n  rules:\n  - &base\n    alert: A\n    expr: up\n    labels: &l\n      a: b\n  - <<: *base\n    alert: B\n    labels: *l\n`,
  'suppression comments': `groups:\n- name: g\n  rules:\n  # runbooks-disable-next-line alert-has-runbook\n  - alert: A\n    expr: up # runbooks-ignore\n    annotations:\n      d: "# runbooks-disable"\n`,
  'a template line': `groups:\n{{- range .Values.groups }}\n- name: {{ .name }}\n{{- end }}\n`,
  'not a rule file': `name: x\nvalues:\n  a: 1\n`,
  'a Grafana provisioning file': `apiVersion: 1\ngroups:\n  - orgId: 1\n    name: g\n    folder: f\n    interval: 1m\n    rules:\n      - uid: u1\n        title: High\n        condition: C\n        annotations:\n          runbook_url: https://x\n`,
  'spaces YAML does not count as white space (no-break, line separator)': `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels:\n      a: \u00a0x\n      b: x\u00a0\n      c: a\u2028b\n`,
  'a line indented with a no-break space': `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels:\n\u00a0     a: x\n`,
  'mis-indented keys': `groups:\n- name: g\n  rules:\n  - alert: A\n     expr: up\n`,
  'a tab and a lone CR': `groups:\n- name: g\n  rules:\n  - alert: A\r    expr:\tup\n`,
};

describe("the fast rule-file reader gives the exact reader's facts", () => {
  it.each(Object.entries(RULE_EDGES))('%s', (_name, text) => {
    const { exact, fast } = ruleFileByReader(text, 'rules/x.yaml');
    expect(fast).toEqual(exact);
  });

  it('takes the texts of the subset, and declines what is outside it', () => {
    const taken = Object.entries(RULE_EDGES)
      .filter(([, text]) => ruleFileByReader(text, 'rules/x.yaml').taken)
      .map(([name]) => name);
    expect(taken).toEqual([
      'comment lines between rules, at the dashes',
      'a comment line that ends a sequence at its key',
      'quoted scalars, escapes and comments',
      'problems that rule-valid reports, with their positions inside scalars',
      'several documents and a List',
      'suppression comments',
      'not a rule file',
      'a Grafana provisioning file',
      'spaces YAML does not count as white space (no-break, line separator)',
    ]);
  });

  it('on every rule file of the corpus, the bundled example and the fixtures, and reads most real ones fast', () => {
    const real = [...(CORPUS ? yamlFiles(CORPUS) : []), ...yamlFiles(path.join(ROOT, 'rules'))];
    const files = [...real, ...yamlFiles(path.join(ROOT, 'test/fixtures'))];
    let taken = 0;
    for (const file of files) {
      const facts = ruleFileByReader(read(file), path.relative(ROOT, file));
      expect(facts.fast, path.relative(ROOT, file)).toEqual(facts.exact);
      if (real.includes(file) && facts.taken) taken++;
    }
    expect(taken / real.length).toBeGreaterThan(0.8);
  });

  it("on the bench's generated rule files, all of which it reads fast", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'runbooks-readers-'));
    try {
      const project = generateProject(root, 250, new Date('2026-04-24T00:00:00Z'));
      for (const name of project.ruleFiles) {
        const facts = ruleFileByReader(readFileSync(path.join(root, name), 'utf8'), name);
        expect(facts.fast, name).toEqual(facts.exact);
        expect([name, facts.taken]).toEqual([name, true]);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** Scalars of the subset: plain, quoted, core-schema non-strings the fast reader resolves, templates, PromQL right and wrong. */
const IN_SCALARS = [
  'x',
  'up == 0',
  'sum(rate(x[5m])',
  '007',
  'true',
  '~',
  'null',
  "'a''b'",
  '"x\\ny"',
  '"a # b"',
  'a #b',
  'a#b',
  'a {{ $value }}',
  '"{{ .Bad"',
  'up == 0 # c',
  '5m',
  '1h30m',
  '-1',
  'é ü',
  '\u00a0x',
  'x\u00a0',
  'a\u2028b',
  'a ] b, c}',
];
/** Scalars at its edges, most of which it declines. */
const EDGE_SCALARS = [
  '1e3',
  '0x1F',
  '"\\x41"',
  'x: y',
  'x:',
  '-x',
  '{{ $labels.x }}',
  "'unclosed",
  'trailing   ',
  '*alias',
  '&a x',
  '!tag x',
  '[a, b]',
  '{}',
  '.nan',
];
const RULE_SCALAR = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...IN_SCALARS) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_SCALARS) },
);
const BLOCKS = ['|', '|-', '>', '>-', '|', '|-', '>', '>-', '|+', '>2'];
const BLOCK_LINES = ['up', 'sum(rate(x[5m]))', '  > 1', '', '{{ $value', 'a # b'];

/** A rule file of the subset's shapes (indented or indentless lists, blank and comment lines between lines), its scalars from the pools above. */
const ruleFileText: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.tuple(
        RULE_SCALAR,
        fc.oneof(
          {
            weight: 9,
            arbitrary: fc.shuffledSubarray(['record', 'expr', 'for', 'labels', 'annotations', 'colour'], { minLength: 1, maxLength: 5 }),
          },
          { weight: 1, arbitrary: fc.constant(['expr', 'alert']) },
        ),
        fc.array(RULE_SCALAR, { minLength: 5, maxLength: 5 }),
        fc.constantFrom(...BLOCKS),
        fc.array(fc.constantFrom(...BLOCK_LINES), { maxLength: 3 }).map((lines) => ['up', ...lines]),
        fc.constantFrom('', '', '\n', 'DASH# c\n', '\nDASH# c\n\n', '# c\n', 'KEY# c\n'),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.constantFrom('', '# head\n', '---\n', '# head\n---\n'),
    fc.constantFrom('', '\n', '# tail\n', '---\nkind: ConfigMap\n'),
  )
  .map(([indentless, rules, head, tail]) => {
    const dash = indentless ? '  ' : '    ';
    const key = `${dash}  `;
    const body = rules
      .map(([name, keys, values, header, lines, between], r) => {
        const fields = keys.map((k, i) => {
          const value = values[i] as string;
          if (k === 'labels' || k === 'annotations') return `${key}${k}:\n${key}  a: ${value}\n${key}  b_${r}: x`;
          if (k === 'expr' && i % 2 === 1) return `${key}${k}: ${header}\n${lines.map((l) => (l === '' ? '' : `${key}  ${l}`)).join('\n')}`;
          return `${key}${k}: ${value}`;
        });
        const first = `${dash}- alert: ${name}`;
        const spacer = between.replace('DASH', dash).replace('KEY', key);
        return `${spacer}${[first, ...fields].join('\n')}\n`;
      })
      .join('');
    return `${head}groups:\n${indentless ? '' : '  '}- name: g\n${indentless ? '  ' : '    '}rules:\n${body}${tail}`;
  });

describe(`fuzzed rule files (seed ${SEED})`, () => {
  it('the fast rule-file reader agrees with the exact one or declines, and takes many', () => {
    let taken = 0;
    fc.assert(
      fc.property(ruleFileText, (text) => {
        const facts = ruleFileByReader(text, 'rules/f.yaml');
        if (facts.taken) taken++;
        expect(facts.fast).toEqual(facts.exact);
      }),
      { numRuns: 1500, seed: SEED },
    );
    // The generator must reach the fast path often enough for the property to mean something.
    expect(taken).toBeGreaterThan(80);
  });
});
