import { execFile } from 'node:child_process';
import type { Diagnostic } from '../engine/diagnostic.ts';

/** The files changed since a git ref, relative to the config root, or why they cannot be known. */
export type ChangedFiles = { files: Set<string>; error?: undefined } | { files?: undefined; error: string };

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function git(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      // ENOENT: git itself is not installed; say so instead of "not a repository".
      if (error && error.code === 'ENOENT') resolve({ code: -1, stdout: '', stderr: 'git is not installed (or not on PATH)' });
      else resolve({ code, stdout, stderr });
    });
  });
}

function firstLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')[0]
      ?.replace(/^(fatal|error): /, '') ?? ''
  );
}

/**
 * Files under `root` that differ from `ref`: committed since it, staged, modified or untracked
 * (but not ignored), as POSIX paths relative to `root`. `root` may be a folder inside the repository.
 */
export async function changedFiles(root: string, ref: string): Promise<ChangedFiles> {
  if (ref === '' || ref.startsWith('-')) return { error: `"${ref}" is not a git ref` };
  const top = await git(root, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) {
    const why = firstLine(top.stderr);
    // Other failures (git missing, "dubious ownership") need git's own words to be fixed.
    return {
      error: /not a git repository/i.test(why)
        ? `${root} is not inside a git repository`
        : `git cannot read the repository at ${root}: ${why}`,
    };
  }
  const verify = await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (verify.code !== 0) return { error: `unknown git ref "${ref}": no commit, branch or tag has that name` };
  // --relative limits the diff to `root` and makes paths relative to it; -z keeps unusual names unquoted.
  const [diff, untracked] = await Promise.all([
    git(root, ['diff', '--name-only', '-z', '--relative', '--no-renames', verify.stdout.trim(), '--']),
    git(root, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.']),
  ]);
  const failed = [diff, untracked].find((r) => r.code !== 0);
  if (failed) return { error: `git could not list the changes since "${ref}": ${firstLine(failed.stderr)}` };
  const files = new Set<string>();
  for (const name of `${diff.stdout}${untracked.stdout}`.split('\0')) if (name !== '') files.add(name);
  return { files };
}

/** Keeps the findings located in `files`; the others stay hidden, as --since asks. */
export function onlyInFiles(diagnostics: readonly Diagnostic[], files: ReadonlySet<string>): Diagnostic[] {
  return diagnostics.filter((d) => files.has(d.file));
}
