/** expandRunbookUrl names a runbook's folder and file as posix.relative would, whatever the paths. */
import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandRunbookUrl } from '../src/lib/config/runbook-url-pattern.ts';

/** Fixed so that CI is repeatable; FUZZ_SEED replays or varies it. */
const SEED = Number(process.env.FUZZ_SEED ?? 14);

const segment = fc.constantFrom('a', 'runbooks', 'team x', '.', '..', '', 'X.md', '.hidden', '..x', 'x..', 'é');
const relativePath = fc
  .tuple(fc.array(segment, { maxLength: 4 }), fc.boolean())
  .map(([parts, slash]) => parts.join('/') + (slash ? '/' : ''));

describe('expandRunbookUrl', () => {
  it('fills {folder} and {file} from the path relative to the runbooks folder, as posix.relative gives it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant('.'), relativePath), relativePath, fc.boolean(), (dir, tail, below) => {
        const file = below && dir !== '.' ? `${dir}/${tail}` : tail;
        const relative = posix.relative(dir === '.' ? '' : dir, file);
        const folder = posix.dirname(relative) === '.' ? '' : posix.dirname(relative);
        const name = posix.basename(relative).replace(/\.[^.]+$/, '');
        const url = expandRunbookUrl('https://rb.example.com/{folder}/{file}', { alert: 'A', runbookFile: file, runbooksDir: dir });
        const encoded = (value: string) => value.split('/').map(encodeURIComponent).join('/');
        expect(url).toBe(`https://rb.example.com/${encoded(folder)}/${encoded(name)}`.replace(/([^:/])\/{2,}/g, '$1/'));
      }),
      { numRuns: 3000, seed: SEED },
    );
  });
});
