import path from 'node:path';
import type { Diagnostic } from './diagnostic.ts';

/** A path relative to the config's folder (as the project stores it), made relative to the working directory. */
export function fromCwd(file: string, root: string, cwd: string): string {
  // A served rule's finding names its server by URL, which is no path.
  if (/^https?:\/\//.test(file)) return file;
  const relative = path.relative(cwd, path.resolve(root, file)).split(path.sep).join('/');
  return relative || '.';
}

/**
 * The findings as a terminal and an editor open them: paths relative to the working directory,
 * as ESLint prints them. The project, its suppressions and the baseline keep config-relative
 * paths; only what is printed changes, and only when the two folders differ.
 */
export function relativeToCwd(diagnostics: readonly Diagnostic[], root: string, cwd: string): Diagnostic[] {
  if (path.resolve(root) === path.resolve(cwd)) return [...diagnostics];
  return diagnostics.map((d) => ({
    ...d,
    file: fromCwd(d.file, root, cwd),
    ...(d.related ? { related: d.related.map((r) => ({ ...r, file: fromCwd(r.file, root, cwd) })) } : {}),
  }));
}
