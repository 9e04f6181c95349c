/**
 * The CLI refuses what it cannot use with exit code 2 and one line saying why, instead of a crash
 * or a wait: option values that look like others, and special files where a regular one belongs.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runbookText, runCli } from './harness.ts';
import { rulesFor as rules, smallProjects } from './support/small-project.ts';

const { project } = smallProjects('runbooks-cli-usage-');

describe('option values that are not what the option takes', () => {
  it.each(['__proto__', 'constructor', 'hasOwnProperty', 'toString'])('--format %s is a usage error, not a crash', async (format) => {
    const root = project({ 'rules/a.yaml': rules('Api') });
    const run = await runCli(['lint', '--format', format], root);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(new RegExp(`unknown format "${format}"`))]);
  });

  it.each(['', '0x10', '1e3', ' 5', '-1', '1.5'])('--max-warnings "%s" is refused', async (value) => {
    const run = await runCli(['lint', `--max-warnings=${value}`], project({}));
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/--max-warnings takes a whole number/)]);
  });
});

describe('special files given as options', () => {
  it('refuses a FIFO given as --baseline instead of waiting on it', async () => {
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api') });
    execFileSync('mkfifo', [path.join(root, 'baseline.json')]);
    const run = await runCli(['lint', '--baseline', 'baseline.json'], root);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/baseline baseline\.json: it is not a regular file/)]);
  });
});
