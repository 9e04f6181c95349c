/** The one reader of rule files and runbooks: what it gives for each kind of file lint, the site and fix may meet. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTextFile, statTextFile } from '../src/lib/text/read-file.ts';
import { tempDir } from './harness.ts';

const temp = tempDir('runbooks-read-');
afterAll(temp.remove);

function file(name: string, content: string | Buffer): string {
  const absolute = path.join(temp.dir, name);
  writeFileSync(absolute, content);
  return absolute;
}

const LIMIT = { maxBytes: 1024 };

describe('readTextFile', () => {
  it('reads UTF-8 text and sets a byte order mark apart', () => {
    expect(readTextFile(file('plain.md', 'a\r\nb'), 'plain.md', LIMIT)).toMatchObject({ text: 'a\r\nb', bom: false });
    const withBom = readTextFile(file('bom.md', '\uFEFF# Title\n'), 'bom.md', LIMIT);
    expect(withBom).toMatchObject({ text: '# Title\n', bom: true });
    expect(withBom.stat?.size).toBe(11);
    expect(withBom.warning).toBeUndefined();
  });

  it('reads a file that is not UTF-8 with U+FFFD and warns at the first bad byte, or refuses it for a caller that writes it back', () => {
    const absolute = file('latin1.yaml', Buffer.concat([Buffer.from('ok\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const read = readTextFile(absolute, 'latin1.yaml', LIMIT);
    expect(read.text).toBe('ok\ncaf\uFFFD\n');
    expect(read.warning).toMatchObject({
      file: 'latin1.yaml',
      line: 2,
      column: 4,
      ruleId: 'parse-error',
      severity: 'warning',
      message: expect.stringMatching(/byte 0xE9 at offset 6\. It is read with U\+FFFD/),
    });
    const refused = readTextFile(absolute, 'latin1.yaml', {
      ...LIMIT,
      refuseNotUtf8: { ruleId: 'fix-error', consequence: 'It was not fixed.' },
    });
    expect(refused.text).toBeUndefined();
    expect(refused.diagnostic).toMatchObject({
      line: 2,
      column: 4,
      ruleId: 'fix-error',
      severity: 'error',
      message: expect.stringMatching(/byte 0xE9 at offset 6\. It was not fixed\.$/),
    });
  });

  it('refuses, as a diagnostic at line 1, a binary file, a folder, a file over the limit and a missing one', () => {
    const brief = (absolute: string, name: string): [string, string] | undefined => {
      const d = readTextFile(absolute, name, LIMIT).diagnostic;
      return d && [d.ruleId, `${d.line}:${d.column} ${d.message}`];
    };
    expect(brief(file('image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])), 'image.md')).toEqual([
      'parse-error',
      '1:1 This is a binary file, not text',
    ]);
    mkdirSync(path.join(temp.dir, 'folder.md'));
    expect(brief(path.join(temp.dir, 'folder.md'), 'folder.md')).toEqual(['io-error', '1:1 This is a folder, not a file']);
    expect(brief(file('big.md', 'x'.repeat(3000)), 'big.md')).toEqual(['io-error', '1:1 File is 3 KB, over the 1 KB limit']);
    expect(brief(path.join(temp.dir, 'gone.md'), 'gone.md')).toEqual(['io-error', '1:1 Cannot read the file (ENOENT)']);
  });

  it('refuses a FIFO without opening it (a read would wait for a writer forever)', () => {
    const fifo = path.join(temp.dir, 'pipe.md');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(statTextFile(fifo, 'pipe.md', 1024).diagnostic?.message).toBe('This is not a regular file');
    expect(readTextFile(fifo, 'pipe.md', LIMIT).diagnostic?.message).toBe('This is not a regular file');
  });

  it('uses a stat the caller took, and does not take another', () => {
    const absolute = file('stat.md', 'text');
    const checked = statTextFile(absolute, 'stat.md', 1024);
    expect(checked.stat?.isFile()).toBe(true);
    const read = readTextFile(absolute, 'stat.md', { ...LIMIT, stat: checked.stat });
    expect(read.stat).toBe(checked.stat);
    expect(read.text).toBe('text');
  });

  it('says what each kind of path is, by its stat', () => {
    mkdirSync(path.join(temp.dir, 'many-folder.md'), { recursive: true });
    const fifo = path.join(temp.dir, 'many-pipe.md');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const names = ['many-a.md', 'many-big.md', 'many-folder.md', 'many-gone.md', 'many-pipe.md', 'many-b.md'];
    file('many-a.md', 'a');
    file('many-b.md', 'bb');
    file('many-big.md', 'x'.repeat(3000));
    const inputs = names.map((name) => ({ absolute: path.join(temp.dir, name), file: name, maxBytes: 1024 }));
    const verdict = (result: ReturnType<typeof statTextFile>): string => result.diagnostic?.message ?? `size ${result.stat?.size}`;
    const one = inputs.map((input) => verdict(statTextFile(input.absolute, input.file, input.maxBytes)));
    expect(one).toEqual([
      'size 1',
      'File is 3 KB, over the 1 KB limit',
      'This is a folder, not a file',
      'Cannot read the file (ENOENT)',
      'This is not a regular file',
      'size 2',
    ]);
  });
});
