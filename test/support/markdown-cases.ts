/**
 * Markdown inputs that test/readers.test.ts gives every reader: edge cases of CommonMark and GFM
 * that decide a heading's text, a link's destination or a comment, and pieces that a simple fuzz
 * strings together.
 */
import { random } from './random.ts';

/** Edge cases, by what they try. */
export const EDGE_CASES: Record<string, string> = {
  'emphasis, code, escapes and references in headings': '# *Mean*ing `x` \\* &amp; &#65; &#x42; &copy;\n\n## __Impact__ of **it**\n',
  'setext headings over several lines': 'Diagnosis\nsteps\n=========\n\nMitigation  \nnow\n---\n\ntext\n',
  'hard breaks in a setext heading': 'one\\\ntwo\n===\n',
  'links and images in headings': '## [Runbook](./x.md#a) and ![alt *x*](i.png) <span>html</span> <https://e.com> <a@b.co>\n',
  'references, resolved and not':
    '[a]: ./a.md\n\n## [a] and [b] and [a][] and [text][a]\n\n[c](<./with space.md> "t") [d](./x.md#h&amp;j) [e](\\(x\\))\n',
  'nested images and links': '[![badge](b.svg)](./linked.md) ![outer ![inner](in.png) [l](l.md) <!-- c -->](out.png)\n',
  'html comments everywhere':
    '<!-- top -->\n\n## H <!-- in heading -->\n\ntext <!-- inline\nover lines --> more\n\n> <!-- quoted -->\n> <!-- two -->\n\n- <!-- in list -->\n\n<div>\n<!-- in block -->\n</div>\n',
  'sections with only comments, nested lists and quotes':
    '# T\n\n## Meaning\n\n<!-- write here -->\n\n## Impact\n\n- a\n  - b\n\n> q\n\n### Sub\n\ntext\n\n## Diagnosis\n',
  'headings in code and containers': '```\n## not a heading\n```\n\n    ## indented code\n\n> ## quoted\n\n- ## in a list\n',
  'frontmatter with CRLF': '---\r\nalert: A\r\n\r\ntitle: t\r\n---\r\n\r\n## Meaning\r\n\r\nx\r\n',
  'empty frontmatter': '---\n---\n\n# x\n',
  'unclosed frontmatter': '---\nalert: A\n\n# x\n',
  'tabs and entities in destinations': '[a](\tx.md)\t[b](y.md\t"t")\n\n[r]: <./r&#46;md> "x"\n',
  'duplicate headings get numbered slugs': '## Diagnosis\n\n## Diagnosis\n\n## Diagnosis-1\n',
  'autolinks and emails': '<http://a.b/c> <mailto:x@y.z> <x@y.z>\n',
  'empty link destinations': '[a]() [b](<>) ![c]()\n',
  "links and comments on a paragraph's later lines":
    'first line\nsecond [l](x.md) line\n\n- item\n  more <!-- c --> text\n\n> quote\n> [q](q.md)\n\nplain `[not](a link)` text\n',
  'heading of only markup': '## ![x](y.png)\n\n## <b></b>\n\n#\n',
  // GitHub Flavored Markdown: the linter and the site both read it.
  "gfm tables with links, and a table as a section's content":
    '## Meaning\n\n| a | b |\n|---|:-:|\n| [l](x.md) | `c|d` |\n| <!-- c --> | ![i](i.png) |\n\n## Impact\n',
  'gfm task lists and strikethrough in headings': '## ~~Old~~ New ~one~\n\n- [ ] open\n- [x] done [l](t.md)\n',
  'gfm autolink literals':
    'see www.example.com/a, https://x.y/z?q=1. and ops@example.com\n\n## Call www.pager.example or a@b.co\n\nmailto:x@y.z and xmpp:u@h.org and (http://p.q/r)\n',
  'gfm footnotes, defined and not':
    'A claim[^1] and another[^gone] and \\[^escaped].\n\n## Heading[^1]\n\n[^1]: The source, see [s](s.md).\n    More text[^2].\n\n[^2]: Second.\n',
  'gfm alerts and tag filter': '> [!NOTE]\n> Read this [^x].\n\n> [!WARNING]\n> <script>x</script>\n',
  'raw html kept, comments not':
    '<details>\n<summary>More</summary>\n\ntext <kbd>Ctrl</kbd>+<kbd>C</kbd><br>\n\n</details>\n\n<img src="a.png" onerror="x()"> <!-- c -->\n',
  'an HTML block in a blockquote, its lines without the prefixes': '> <div class="x">\n> <Tabs a="b">\n> <!-- c\n> d -->\n> </div>\n',
  'a construct over two lines of a quote, a list item and an indented paragraph':
    '> {% if a\n> %}\n\n- {{< ref\n  "x.md" >}}\n\n{# one\n   two #}\n',
  'a construct over a line that ends in a space': '{% if a \n%}\n\n> x [{% b][r] | \n{% c %}\n',
  'autolinks hold no footnote or shortcode, text after an unclosed bracket does':
    '<https://x.y/[^1]> www.example.com/a[^2]b https://e.com/{%x%}\n\n[^3] [https://x.y/z. alpha][r]\n',
  'foreign syntax in text and html':
    'See {{< ref "x.md" >}} and {{% notice note %}}hi{{% /notice %}}.\n\n{% if prod %}\nrun it\n{% endif %} {# note #}\n\nimport Tabs from \'@theme/Tabs\'\n\n<Tabs items={[1]}>\n<Tab.Item>x</Tab.Item>\n</Tabs>\n\n## {{< param name >}}\n\n`{{< not me >}}` and [a {% b %}](c.md) ![{% alt %}](i.png)\n\n```sh {% info %}\n{{< code >}}\n```\n\n> quoted {{< q >}}\n> over {% two %}\n',
};

/** Pieces of GFM, HTML and foreign syntax that the fuzz test strings together. */
const PIECES = [
  '# Title',
  '## Meaning',
  '### Sub `code`',
  'Setext\n---',
  'text',
  'more text\nover lines',
  '> quote',
  '> [!NOTE]\n> callout',
  '- item',
  '- [ ] task',
  '1. one',
  '| a | b |\n| - | - |\n| [l](x.md) | c |',
  'a | b\n--|--\n1 | 2',
  '> a | b\n> -|-',
  '- a | b\n  -|-\n  [t](t.md) | x',
  '| a |\n:-:',
  'a\n|-',
  'a | b\r\n-|-\r\n',
  '~~gone~~',
  '*em* **strong**',
  '[link](a.md#h)',
  '![img](i.png)',
  '[ref][r]',
  '[r]: ./r.md',
  'www.example.com',
  'https://x.y/z.',
  'a@b.co',
  'mailto:x@y.z',
  '[^1]',
  '[^none]',
  '[^1]: note',
  '\\[^esc]',
  '<kbd>K</kbd>',
  '<details>\n<summary>S</summary>',
  '</details>',
  '<img src="x" onerror="y">',
  '<!-- c -->',
  '<Tabs a="b">',
  '{{< ref "x.md" >}}',
  '{{% notice %}}',
  '{% if x %}',
  '{# c #}',
  "import X from 'y'",
  '```sh\n{{< not >}}\n```',
  '    indented {% no %}',
  '`{% code %}`',
  '&amp; &#65;',
  'line  \nbreak',
  '{{ $labels.x }}',
];

/** `count` documents strung together from PIECES, joined inline (same paragraph), on the next line, or as a new block. */
export function piecesDocuments(seed: number, count: number): string[] {
  const next = random(seed);
  const documents: string[] = [];
  for (let n = 0; n < count; n++) {
    const parts: string[] = [];
    for (let i = 0, pieces = 2 + Math.floor(next() * 8); i < pieces; i++) {
      parts.push(PIECES[Math.floor(next() * PIECES.length)] as string, next() < 0.3 ? ' ' : next() < 0.5 ? '\n' : '\n\n');
    }
    documents.push(parts.join(''));
  }
  return documents;
}
