/**
 * Syntax of other tools that runbooks migrated from a static-site generator or a docs framework
 * carry along, and that GitHub and the site show as literal text: Hugo shortcodes, Jinja/Liquid
 * blocks, MDX imports and JSX components. The token reader (runbook-reader.ts) runs these on text and
 * HTML outside code; the foreign-syntax check reports what they find.
 */
import type { ForeignSyntax } from '../project/model.ts';

/** One find, at an index of the string searched. */
export interface ForeignFind {
  construct: ForeignSyntax['construct'];
  text: string;
  name?: string;
  /** The text of the Markdown link the construct is the destination of: `[text]({{< ref "x.md" >}})`. */
  linkText?: string;
  index: number;
}

// `{{< ref "x.md" >}}`, `{{% notice %}}`, `{{</* escaped */>}}` and closing `{{< /tab >}}`.
const SHORTCODE = /\{\{([<%])\s*(\/?)\s*([\w.-]*)[\s\S]*?\1?[>%]\}\}/g;
// `{% if x %}`, `{%- endfor -%}`, `{# comment #}`. Not `{{ x }}`: that is an alert template's placeholder.
const JINJA = /(?<!\{)\{%-?\s*([\w]*)[\s\S]*?-?%\}|(?<!\{)\{#[\s\S]*?#\}/g;
// MDX's ES module lines: `import X from '../x'`, `export const meta = …`.
const MDX_MODULE =
  /^[ \t]*(?:import\s+(?:[\w*{][^\n]*?\s+from\s+)?['"]([^'"\n]+)['"]|export\s+(?:const|let|var|function|default)\b[^\n]*)/gm;
// A capitalised tag, `<Tabs>` or `<Docs.Note />`: a JSX component (HTML's tag names are case-insensitive, so known ones are not).
const JSX_TAG = /<([A-Z][\w]*(?:\.[\w]+)*)(?=[\s/>])/g;

/** HTML element names, so that `<DIV>` or `<Details>` is HTML, not a component. */
const HTML_TAGS = new Set(
  (
    'a abbr address area article aside audio b bdi bdo blockquote body br button canvas caption cite code col colgroup ' +
    'data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html ' +
    'i iframe img input ins kbd label legend li link main map mark meta meter nav noscript object ol optgroup option output p picture pre ' +
    'progress q rp rt ruby s samp script section select small source span strike strong style sub summary sup table tbody td template ' +
    'textarea tfoot th thead time title tr track tt u ul var video wbr center font'
  ).split(' '),
);

const short = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);

/** Hugo shortcodes, Jinja blocks and MDX module lines in a run of Markdown text (no code in it). */
export function findInText(text: string): ForeignFind[] {
  if (!text.includes('{') && !/(?:^|\n)[ \t]*(?:import|export)\s/.test(text)) return [];
  const found: ForeignFind[] = [];
  for (const m of text.matchAll(SHORTCODE)) {
    if (m[2] === '/') continue; // a closing shortcode belongs to the opening one, reported already
    // A shortcode as a link's destination leaves the link unparsed: `[text](` is still in the text before it.
    const linkText = /\[([^\][]*)\]\($/.exec(text.slice(0, m.index))?.[1];
    found.push({
      construct: 'hugo-shortcode',
      text: short(m[0]),
      name: m[3] || undefined,
      ...(linkText === undefined ? {} : { linkText }),
      index: m.index,
    });
  }
  for (const m of text.matchAll(JINJA)) {
    if (/^end/.test(m[1] ?? '')) continue; // `{% endif %}` closes a block reported at its start
    found.push({ construct: 'jinja', text: short(m[0]), name: m[0].startsWith('{#') ? 'comment' : m[1] || undefined, index: m.index });
  }
  for (const m of text.matchAll(MDX_MODULE)) {
    const lead = /^[ \t]*/.exec(m[0])?.[0].length ?? 0;
    found.push({ construct: 'mdx-import', text: short(m[0].trim()), name: m[1], index: m.index + lead });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** JSX components in raw HTML. */
export function findInHtml(html: string): ForeignFind[] {
  const found: ForeignFind[] = [];
  for (const m of html.matchAll(JSX_TAG)) {
    const name = m[1] as string;
    if (HTML_TAGS.has(name.toLowerCase())) continue;
    const end = html.indexOf('>', m.index);
    found.push({ construct: 'jsx', text: short(html.slice(m.index, end === -1 ? undefined : end + 1)), name, index: m.index });
  }
  return found;
}

/** Undefined footnote references (`[^x]` that GFM left as text) in a run of Markdown text, by index and label. */
export function findMissingFootnotes(text: string): { label: string; index: number; length: number }[] {
  if (!text.includes('[^')) return [];
  return [...text.matchAll(/(?<!\\)\[\^([^\]\s[]+)\](?!:)/g)].map((m) => ({ label: m[1] as string, index: m.index, length: m[0].length }));
}
