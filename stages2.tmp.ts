import { readFileSync, readdirSync } from 'node:fs';
import { parse, postprocess, preprocess } from 'micromark';
import { frontmatter } from 'micromark-extension-frontmatter';
const root = '/tmp/syn1k';
const texts = readdirSync(root + '/runbooks', { recursive: true }).map(String).filter((f) => f.endsWith('.md')).map((f) => readFileSync(root + '/runbooks/' + f, 'utf8'));
const ext = [frontmatter(['yaml'])];
const blanked = texts.map((t) => { const end = t.indexOf('\n---', 4) + 4; return t.slice(0, end).replace(/[^\n]/g, '') + t.slice(end); });
const time = (label: string, list: string[], fn: (t: string) => unknown) => { const t0 = performance.now(); for (const t of list) fn(t); console.log(label.padEnd(12), ((performance.now() - t0) / list.length * 1000).toFixed(0), 'us/file'); };
const lean = [...ext, { disable: { null: ['attention', 'characterReference', 'hardBreakEscape', 'autolink', 'labelStartImage'] } }];
for (let pass = 0; pass < 4; pass++) {
  time('events', texts, (t) => postprocess(parse({ extensions: ext }).document().write(preprocess()(t, undefined, true))));
  time('blankedfm', blanked, (t) => postprocess(parse({ extensions: ext }).document().write(preprocess()(t, undefined, true))));
  time('lean', texts, (t) => postprocess(parse({ extensions: lean }).document().write(preprocess()(t, undefined, true))));
  time('nopost', texts, (t) => parse({ extensions: ext }).document().write(preprocess()(t, undefined, true)));
}
