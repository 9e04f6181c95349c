import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveRelative } from '../src/lib/text/repo-paths.ts';

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
