/**
 * sanitizerRemovals answers without parsing when every tag is a bare element the sanitizer keeps
 * anywhere; these hold that shortcut to what parsing and sanitizing say, on generated HTML.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEPT_BARE, onlyKeptTags, parsedRemovals, sanitizerRemovals } from '../src/lib/markdown/html-sanitizer.ts';

/** Fixed so that CI is repeatable; FUZZ_SEED replays or varies it. */
const SEED = Number(process.env.FUZZ_SEED ?? 14);

/** Text between tags, with what could pass for a tag but is not one. */
const text = fc.constantFrom(
  '',
  'Why not restart at once?',
  ' ',
  '\n',
  '\n\n',
  'a < b',
  'x<1',
  '&lt;b&gt;',
  '&amp;',
  '< b>',
  '>',
  '"',
  "'",
  '`',
);

/** A bare tag of a kept element, in the spellings the shortcut accepts. */
const keptTag = fc
  .tuple(fc.constantFrom(...KEPT_BARE), fc.boolean(), fc.constantFrom('', ' ', '\n', '/', ' /'))
  .map(([tag, close, tail]) => (close ? `</${tag}${tail.replace('/', '')}>` : `<${tag}${tail}>`));

/** Tags and constructs the shortcut must leave to the parser: attributes, other elements, raw text, case, comments. */
const otherTag = fc.constantFrom(
  '<script>x</script>',
  '<style>',
  '<table>',
  '<tr>',
  '<td>',
  '</td>',
  '<tbody>',
  '<B>',
  '<Details>',
  '<img src="x.png">',
  '<img>',
  '<span class="x">',
  '<details open>',
  '<a href="javascript:x">',
  '<a>',
  '<input>',
  '<input type="checkbox" disabled>',
  '<select>',
  '<option>',
  '<form>',
  '<textarea>',
  '<xmp>',
  '<plaintext>',
  '<iframe>',
  '<noscript>',
  '<title>',
  '<b\u00a0>',
  '<b-x>',
  '<custom-element>',
  '<Tabs>',
  '<!-- <script> -->',
  '<!---->',
  '</ b>',
  '<svg>',
  '<math>',
  '<picture>',
  '<source>',
  '<frameset>',
  '<html>',
  '<body>',
  '<head>',
);

const html = (tag: fc.Arbitrary<string>) => fc.array(fc.oneof(tag, text), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));

describe('the sanitizer shortcut', () => {
  it('takes the HTML its patterns describe, read a character at a time', () => {
    const tagStart = /<\/?[A-Za-z]/g;
    const bareTag = /<\/?([a-z][a-z0-9]*)[\t\n\f\r ]*\/?>/y;
    const byPattern = (text: string): boolean => {
      for (const start of text.matchAll(tagStart)) {
        bareTag.lastIndex = start.index;
        const tag = bareTag.exec(text)?.[1];
        if (tag === undefined || !KEPT_BARE.has(tag)) return false;
      }
      return true;
    };
    const piece = fc.constantFrom(
      '<',
      '</',
      '>',
      '/>',
      '/',
      'b',
      'B',
      'r',
      'kbd',
      'details',
      'h1',
      '1',
      'x',
      '-',
      ' ',
      '\t',
      '\n',
      '\f',
      '\r',
      '\u00a0',
      '\v',
      '=',
      '"',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(onlyKeptTags(text)).toBe(byPattern(text));
      }),
      { numRuns: 20_000, seed: SEED },
    );
  });

  it('takes only HTML that parsing and sanitizing leave whole', () => {
    fc.assert(
      fc.property(fc.array(html(keptTag), { minLength: 1, maxLength: 4 }), (pieces) => {
        expect(sanitizerRemovals(pieces)).toEqual([]);
        expect(parsedRemovals(pieces)).toEqual([]);
      }),
      { numRuns: 1500, seed: SEED },
    );
  });

  it('answers as parsing does on any mix of kept and other tags', () => {
    fc.assert(
      fc.property(fc.array(html(fc.oneof(keptTag, otherTag)), { minLength: 1, maxLength: 4 }), (pieces) => {
        expect(sanitizerRemovals(pieces)).toEqual(parsedRemovals(pieces));
      }),
      { numRuns: 1500, seed: SEED },
    );
  });

  it('still parses HTML with a tag outside the kept set', () => {
    expect(sanitizerRemovals(['<details>', '<summary onclick="x()">Logs</summary>', '</details>'])).toEqual([
      { piece: 1, index: 0, tag: 'summary', attributes: ['onclick'] },
    ]);
    expect(sanitizerRemovals(['<kbd>', '</kbd>', '<script>'])).toMatchObject([{ piece: 2, tag: 'script', element: { withContent: true } }]);
  });
});
