/**
 * Label values are untrusted: anyone can craft an alert link. What the page shows must be what a
 * responder copies and runs, so a value is shown with its invisible characters escaped, quoted
 * for the shell where it lands in a shell command, and cut short in the labels panel.
 */

/** Control, bidirectional and other invisible format characters (Unicode Cc, Cf, line and paragraph separators). */
const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** Code block languages whose text is a shell command. */
export const SHELL_LANGS = new Set(['sh', 'shell', 'bash', 'zsh', 'ksh', 'dash', 'console', 'shell-session', 'shellsession', 'terminal']);

/** Whether a value holds characters that do not show, or that reorder the text around them (U+202E). */
export function hasHiddenChars(value: string): boolean {
  return new RegExp(HIDDEN.source, 'u').test(value);
}

/** The value as shown (and copied): each invisible character as a visible `\u202E` escape. */
export function displayValue(value: string): string {
  return value.replace(HIDDEN, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Characters that need no quoting anywhere in a POSIX shell word (as Python's shlex.quote). */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Whether the shell would read more than one literal word from `value` ($, `, ;, |, spaces, quotes…). */
export function hasShellMeta(value: string): boolean {
  return !SHELL_SAFE.test(value);
}

/** Where a placeholder stands in a shell command: unquoted, inside '…' or inside "…". */
export type ShellContext = 'none' | 'single' | 'double';

/**
 * The value as it is filled into a shell command at `context`, so that the shell reads it as one
 * literal word: unquoted it is POSIX single-quoted; inside "…" the double quotes are closed around
 * a single-quoted part; inside '…' only its own single quotes need escaping. Safe values stay as they are.
 */
export function shellFill(value: string, context: ShellContext): string {
  if (!hasShellMeta(value)) return value;
  const escaped = value.replaceAll("'", "'\\''");
  if (context === 'single') return escaped;
  return context === 'double' ? `"'${escaped}'"` : `'${escaped}'`;
}

/**
 * The quoting context at each offset of `positions` (ascending) in a shell command: a small scanner
 * for POSIX quotes, backslash escapes and comments. Heredocs and `$'…'` read as unquoted.
 */
export function shellContexts(code: string, positions: readonly number[]): ShellContext[] {
  const out: ShellContext[] = [];
  let state: ShellContext = 'none';
  let next = 0;
  let comment = false;
  for (let i = 0; i <= code.length && next < positions.length; i++) {
    while (next < positions.length && (positions[next] as number) <= i) {
      out.push(comment ? 'none' : state);
      next++;
    }
    const c = code[i];
    if (c === undefined) break;
    if (comment) {
      if (c === '\n') comment = false;
      continue;
    }
    if (state === 'single') {
      if (c === "'") state = 'none';
    } else if (state === 'double') {
      if (c === '\\') i++;
      else if (c === '"') state = 'none';
    } else if (c === '\\') i++;
    else if (c === "'") state = 'single';
    else if (c === '"') state = 'double';
    else if (c === '#' && (i === 0 || /\s/.test(code[i - 1] ?? ''))) comment = true;
  }
  while (out.length < positions.length) out.push(state);
  return out;
}

/** How long a value may be before the labels panel cuts it. */
const SHOWN_LENGTH = 80;

/** The start of a long value, cut at {@link SHOWN_LENGTH} characters (by code point). */
export function cutValue(value: string, length = SHOWN_LENGTH): { text: string; cut: boolean } {
  const chars = [...value];
  return chars.length <= length ? { text: value, cut: false } : { text: `${chars.slice(0, length).join('')}…`, cut: true };
}
