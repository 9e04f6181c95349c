import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveRelative, startsWithSchemeOrSlash } from '../src/lib/text/repo-paths.ts';

const expected = (file: string, target: string): string => posix.join(posix.dirname(file), target);

describe('resolveRelative', () => {
  it('answers as posix.join(dirname(file), target) on the links runbooks hold', () => {
    const cases: [string, string][] = [
      ['runbooks/gateway/A.md', '../ledger/B.md'],
      ['runbooks/gateway/A.md', 'B.md'],
      ['runbooks/gateway/A.md', './B.md'],
      ['runbooks/gateway/A.md', '../../README.md'],
      ['runbooks/gateway/A.md', '../../../outside.md'],
      ['runbooks/gateway/A.md', '../../../../outside.md'],
      ['A.md', 'B.md'],
      ['A.md', '../B.md'],
      ['A.md', './../B.md'],
      ['runbooks/A.md', 'img/x.png'],
      ['runbooks/A.md', 'img/'],
      ['runbooks/A.md', 'img//x.png'],
      ['runbooks/A.md', 'img/./x.png'],
      ['runbooks/A.md', 'img/../x.png'],
      ['runbooks/A.md', '..'],
      ['runbooks/A.md', '.'],
      ['runbooks/A.md', './'],
      ['runbooks/A.md', '.hidden/x'],
      ['runbooks/A.md', '...'],
      ['runbooks/A.md', '..x/y'],
      ['runbooks/sub dir/A.md', '../a b.md'],
      ['./runbooks/A.md', 'B.md'],
      ['runbooks//A.md', 'B.md'],
      ['runbooks/../A.md', 'B.md'],
      ['/abs/A.md', 'B.md'],
      ['runbooks/A.md', '/B.md'],
    ];
    for (const [file, target] of cases) expect(resolveRelative(file, target), `${file} + ${target}`).toBe(expected(file, target));
  });

  it('answers as posix.join(dirname(file), target) on generated paths', () => {
    const segment = fc.constantFrom('a', 'b.md', '.', '..', '', '...', '.x', 'x.', ' ', '\\');
    const pathOf = fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(pathOf, pathOf, (file, target) => {
        expect(resolveRelative(file, target)).toBe(expected(file, target));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('startsWithSchemeOrSlash', () => {
  const pattern = /^(?:[a-z][a-z0-9+.-]*:|\/)/i;

  it('answers as its pattern on links and near misses', () => {
    const cases = [
      'https://x',
      'HTTPS://x',
      'mailto:a@b',
      'a+b.c-d:x',
      '/abs',
      '//host/x',
      'x.md',
      '../x.md',
      '#a',
      '',
      ':x',
      '1http:x',
      'ht_tp:x',
      'h:',
      'K\u212a:x',
      'é:x',
      '@:x',
      '[:x',
      'a b:x',
    ];
    for (const url of cases) expect(startsWithSchemeOrSlash(url), url).toBe(pattern.test(url));
  });

  it('answers as its pattern on generated strings', () => {
    const char = fc.constantFrom(
      'a',
      'Z',
      'k',
      '0',
      '9',
      '+',
      '.',
      '-',
      ':',
      '/',
      '#',
      ' ',
      '@',
      '[',
      '`',
      '{',
      '_',
      '\u212a',
      '\u017f',
      'é',
      '\u0000',
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 8 }), (chars) => {
        const url = chars.join('');
        expect(startsWithSchemeOrSlash(url)).toBe(pattern.test(url));
      }),
      { numRuns: 20_000 },
    );
  });
});
