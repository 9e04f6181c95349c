/**
 * fast-check arbitraries of Markdown documents, built from the grammar (CommonMark and GFM) rather
 * than from random characters, so that nearly every case holds the constructs whose reading decides
 * a fact: headings (ATX and setext), links of every kind (inline, reference full, collapsed and
 * shortcut, autolinks, GFM literals, images, definitions), lists and block quotes nested in each
 * other, code fences and indented code, tables, HTML blocks, inline HTML and comments, emphasis,
 * footnotes, label placeholders, entities and escapes; with LF or CRLF line endings. The pieces are
 * joined in ways that make them interact (inline in one paragraph, on the next line, as blocks).
 */
import fc from 'fast-check';

const words = fc.constantFrom(
  'alpha',
  'Meaning',
  'Impact',
  'Diagnosis',
  'run',
  'kubectl get pods',
  'a_b_c',
  'foo*bar',
  'x',
  'é',
  '1.',
  '2)',
  '#',
  '-',
  '+',
  '|',
  '\\',
  '!',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '*',
  '_',
  '`',
  '~',
  '&',
  'www',
  'https:',
  '@',
  'a@b',
  '=',
  ':',
  '"',
  "'",
  '{{',
  '}}',
  '{%',
  '%}',
  'Ünïcode',
);

const destinations = fc.constantFrom(
  './x.md',
  '../svc/Y.md#impact',
  '#meaning',
  'x.md#h&amp;j',
  '<./with space.md>',
  '<>',
  '',
  'https://e.com/a?b=c&d',
  'mailto:a@b.co',
  '\\(x\\)',
  'a(b)c',
  '%20x.md',
  '/abs/path',
  'x.md?y=1',
  './{{ $labels.job }}.md',
  'https://g.example/d?var-i={{ $labels.instance }}',
);
const titles = fc.constantFrom('', ' "t"', " 't'", ' (t)', ' "a \\" b"');
const labels = fc.constantFrom('r', 'Ref', 'two words', 'a&amp;b', 'x\\]', 'dashboard', '1');
const placeholders = fc.constantFrom(
  '{{ $labels.instance }}',
  '{{ $labels.job }}',
  '{{$labels.x}}',
  '{{ .Labels.pod }}',
  '{{ $value }}',
  '{{- $labels.a -}}',
);

/** One inline construct. */
const inline: fc.Arbitrary<string> = fc.letrec<{ inline: string; inlines: string }>((tie) => ({
  inline: fc.oneof(
    { depthSize: 'xsmall', withCrossShrink: true },
    words,
    words,
    placeholders,
    fc.constantFrom('&amp;', '&#65;', '&#x42;', '&copy;', '&bogus;', '\\*', '\\[', '\\<', '  \n', '\\\n', '\n'),
    fc.constantFrom(
      '<https://a.b/c>',
      '<mailto:x@y.z>',
      '<x@y.z>',
      'www.example.com/a',
      'https://x.y/z.',
      'ops@example.com',
      'xmpp:u@h.org',
      '<http://a b>',
    ),
    fc.constantFrom(
      '<kbd>K</kbd>',
      '<span class="x">',
      '</span>',
      '<img src="i.png">',
      '<br>',
      '<!-- c -->',
      '<!--\nc\n-->',
      '<a href="x.md">',
      '<Tabs a="b">',
      '<?p ?>',
      '<!X>',
    ),
    fc.constantFrom('[^1]', '[^gone]', '[^a b]', '\\[^esc]'),
    fc.tuple(fc.constantFrom('`', '``'), words).map(([fence, w]) => `${fence}${w}${fence}`),
    fc.tuple(fc.constantFrom('*', '_', '**', '__', '~', '~~'), tie('inlines')).map(([m, inner]) => `${m}${inner}${m}`),
    fc.tuple(tie('inlines'), destinations, titles).map(([text, dest, title]) => `[${text}](${dest}${title})`),
    fc.tuple(tie('inlines'), destinations, titles).map(([text, dest, title]) => `![${text}](${dest}${title})`),
    fc.tuple(tie('inlines'), labels).map(([text, label]) => `[${text}][${label}]`),
    fc.tuple(labels, fc.constantFrom('[]', '', '!')).map(([label, form]) => (form === '!' ? `![${label}]` : `[${label}]${form}`)),
    fc.constantFrom('[unclosed', '[a](', '](x)', '[a] (b)', '[a]\n(b)', '[]()', '[a](<b)', '![](x)'),
  ),
  inlines: fc.array(fc.tuple(tie('inline'), fc.constantFrom(' ', ' ', '', '\n')), { minLength: 1, maxLength: 3 }).map((parts) =>
    parts
      .map(([piece, gap]) => piece + gap)
      .join('')
      .trimEnd(),
  ),
})).inline;

/** Several inline constructs, as one line or a few (a paragraph's content). */
const inlines = fc.array(fc.tuple(inline, fc.constantFrom(' ', ' ', '', '\n')), { minLength: 1, maxLength: 5 }).map(
  (parts) =>
    parts
      .map(([piece, gap]) => piece + gap)
      .join('')
      .trim() || 'text',
);

const heading = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 7 }), inlines, fc.constantFrom('', ' #', ' ##', '#'))
    .map(([depth, text, close]) => `${'#'.repeat(depth)} ${text.replace(/\n/g, ' ')}${close}`),
  fc.tuple(inlines, fc.constantFrom('===', '---', '=', '-')).map(([text, line]) => `${text}\n${line}`),
  fc.constantFrom(
    '#',
    '#hashtag',
    '\\# not',
    ' ## indented',
    '## Meaning',
    '## Impact',
    '## Diagnosis',
    '## Diagnosis',
    '## Mitigation',
    '### Sub `code`',
  ),
);

const code = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('```', '~~~', '````'),
      fc.constantFrom('', 'sh', 'promql', 'shell {% x %}', 'a`b'),
      fc.array(fc.oneof(words, placeholders, fc.constantFrom('## not a heading', '[l](x.md)', '<!-- c -->', '```')), { maxLength: 3 }),
      fc.boolean(),
    )
    .map(([fence, info, lines, closed]) => `${fence}${info}\n${lines.join('\n')}${closed ? `\n${fence}` : ''}`),
  fc
    .array(fc.oneof(words, fc.constantFrom('## indented', '[l](x.md)')), { minLength: 1, maxLength: 3 })
    .map((lines) => lines.map((l) => `    ${l}`).join('\n')),
);

const table = fc
  .tuple(
    fc.integer({ min: 1, max: 3 }),
    fc.array(fc.array(inlines, { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
    fc.boolean(),
    fc.constantFrom('---', ':-', '-:', ':-:'),
  )
  .map(([columns, rows, outer, delimiter]) => {
    const row = (cells: string[]): string => {
      const line = Array.from({ length: columns }, (_, i) => (cells[i] ?? '').replace(/\n/g, ' ').replace(/\|/g, '\\|')).join(' | ');
      return outer ? `| ${line} |` : line;
    };
    return [
      row(Array.from({ length: columns }, (_, i) => `h${i}`)),
      row(Array.from({ length: columns }, () => delimiter)),
      ...rows.map(row),
    ].join('\n');
  });

const htmlBlock = fc.oneof(
  fc.constantFrom(
    '<!-- a comment -->',
    '<!--\nover lines\n-->',
    '<!-- one --> <!-- two -->',
    '<div>\n<!-- in block -->\n</div>',
    '<details>\n<summary>More</summary>',
    '</details>',
    '<script>x()</script>',
    '<pre>\n## no\n</pre>',
    '<Tabs items={[1]}>\n<Tab.Item>x</Tab.Item>\n</Tabs>',
    '<?php x ?>',
    '<!DOCTYPE html>',
    '<![CDATA[ x ]]>',
    '<table><tr><td>x</td></tr></table>',
  ),
  inlines.map((text) => `<div>\n${text}\n</div>`),
);

const definition = fc.oneof(
  fc.tuple(labels, destinations, titles).map(([label, dest, title]) => `[${label}]: ${dest || '<>'}${title}`),
  fc.tuple(fc.constantFrom('1', 'gone', 'a b', 'x'), inlines).map(([label, text]) => `[^${label}]: ${text}`),
  fc.constantFrom('[r]:\n./next-line.md', '[r]: ./x.md\n"title on next line"', '[bad]: <a b'),
);

const leaf = fc.oneof(
  inlines,
  inlines,
  heading,
  code,
  table,
  htmlBlock,
  definition,
  fc.constantFrom('***', '---', '- - -', '', '{{< ref "x.md" >}}', "import X from 'y'", '{% if x %}\nrun\n{% endif %}'),
);

/** Prefixes every line of `text`: `first` on the first, `rest` on the others (list items, quotes). */
function prefixLines(text: string, first: string, rest: string, lazy: boolean): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? first : lazy && i % 2 === 1 ? '' : line === '' ? rest.trimEnd() : rest) + line)
    .join('\n');
}

const block: fc.Arbitrary<string> = fc.letrec<{ block: string; blocks: string }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'xsmall', withCrossShrink: true },
    leaf,
    fc
      .tuple(tie('blocks'), fc.boolean(), fc.constantFrom('> ', '>', ' > '))
      .map(([inner, lazy, mark]) => prefixLines(inner, mark, mark, lazy && !inner.includes('```'))),
    fc
      .tuple(
        fc.array(fc.tuple(tie('blocks'), fc.constantFrom('', '[ ] ', '[x] ')), { minLength: 1, maxLength: 2 }),
        fc.constantFrom('-', '*', '+', '1.', '2)'),
        fc.boolean(),
      )
      .map(([items, marker, loose]) =>
        items
          .map(([inner, task], n) => {
            const mark = /\d/.test(marker) ? `${Number.parseInt(marker, 10) + n}${marker.slice(-1)} ` : `${marker} `;
            return prefixLines(task + inner, mark, ' '.repeat(mark.length), false);
          })
          .join(loose ? '\n\n' : '\n'),
      ),
  ),
  blocks: fc.array(tie('block'), { minLength: 1, maxLength: 2 }).map((blocks) => blocks.join('\n\n')),
})).block;

const frontmatter = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '---\nalert: A\ntitle: t\n---\n',
    '---\n---\n',
    '---\nalert: A\n\ntitle: "x: y"\n---\n\n',
    '---\nalerts: [A, B]\n...\n',
    '---\nunclosed: yes\n',
  ),
);

/** A whole document: optional frontmatter, blocks joined inline, by a line break or as blocks, and LF or CRLF. */
export const markdownDocument: fc.Arbitrary<string> = fc
  .tuple(
    frontmatter,
    fc.array(fc.tuple(block, fc.constantFrom('\n\n', '\n\n', '\n', ' ', '\n\n\n')), { minLength: 1, maxLength: 6 }),
    fc.constantFrom('\n', '\n', '\r\n', 'mixed'),
    fc.boolean(),
  )
  .map(([front, blocks, ending, finalNewline]) => {
    let text =
      front +
      blocks
        .map(([b, gap]) => b + gap)
        .join('')
        .trimEnd() +
      (finalNewline ? '\n' : '');
    if (ending === '\r\n') text = text.replace(/\n/g, '\r\n');
    else if (ending === 'mixed') text = text.replace(/\n/g, (_, offset: number) => (offset % 3 === 0 ? '\r\n' : '\n'));
    return text;
  });
