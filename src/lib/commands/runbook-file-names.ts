import type { Config } from '../config/config.ts';

/** Characters no file name may hold on Windows, macOS or Linux (with the control characters). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const NOT_PORTABLE = /[/\\:*?"<>|\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const NOT_PORTABLE_RUNS = /[/\\:*?"<>|\u0000-\u001f\u007f]+/g;
/** Names Windows keeps for devices, with or without an extension. */
const RESERVED = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** The longest file name (without `.md`) a runbook gets: 255 bytes less a temporary name's additions and a number. */
const MAX_NAME_BYTES = 200;

/** The longest start of `text` that fits in `bytes` bytes of UTF-8, never cutting a character. */
function truncateBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let out = '';
  for (const character of text) {
    if (Buffer.byteLength(out + character) > bytes) break;
    out += character;
  }
  return out;
}

/** Whether an alert name can be a file name everywhere a repository is checked out. */
function isPortableFileName(name: string): boolean {
  return (
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !NOT_PORTABLE.test(name) &&
    !/[. ]$/.test(name) &&
    !RESERVED.test(name) &&
    Buffer.byteLength(name) <= MAX_NAME_BYTES
  );
}

/** An alert name as a portable file name: each run of characters a file name cannot hold becomes a dash; too long, it is cut. */
function portableSlug(name: string): string {
  const slug = truncateBytes(name.replace(NOT_PORTABLE_RUNS, '-'), MAX_NAME_BYTES)
    .replace(/[. ]+$/, '')
    .replace(/^-+|-+$/g, '');
  if (slug === '' || slug === '.' || slug === '..') return 'alert';
  return RESERVED.test(slug) ? `${slug}-alert` : slug;
}

/** An alert name as a file name in frontmatter mode: letters, digits, dot, dash and underscore; anything else becomes a dash. */
export function safeFileName(name: string): string {
  // File names stop at 255 bytes; the temporary name beside it and a `-2` suffix need room too.
  const slug = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, MAX_NAME_BYTES)
    .replace(/^[-.]+|[-.]+$/g, '');
  return slug === '' ? 'alert' : slug;
}

/**
 * The runbook file `runbooks new` writes for an alert (before a number is added for a file that
 * exists), whether its frontmatter must name the alert, and the match mode the new file follows:
 * always named in frontmatter mode; in filename mode only when the name cannot be the file name, so
 * the file gets a slug and says whose it is. Under `match: heading` a new runbook is a file of its
 * own, named the way files without alert sections are (`heading.otherwise`).
 */
export function runbookFileFor(
  config: Pick<Config, 'match' | 'runbooksDir' | 'heading'>,
  name: string,
): { file: string; namesAlert: boolean; match: 'frontmatter' | 'filename' } {
  const dir = config.runbooksDir === '.' ? '' : `${config.runbooksDir}/`;
  const match = config.match === 'heading' ? (config.heading?.otherwise ?? 'frontmatter') : config.match;
  if (match === 'filename') {
    return isPortableFileName(name)
      ? { file: `${dir}${name}.md`, namesAlert: false, match }
      : { file: `${dir}${portableSlug(name)}.md`, namesAlert: true, match };
  }
  return { file: `${dir}${safeFileName(name)}.md`, namesAlert: true, match };
}

/** An alert name as one shell word, for a command a hint shows. */
export function shellWord(name: string): string {
  return /^[\w@%+=:,./-]+$/.test(name) ? name : `'${name.replaceAll("'", "'\\''")}'`;
}

/** The first of `file`, `<base>-2.md`, `<base>-3.md`… that `taken` does not refuse: how `runbooks new` numbers a slug. */
export function firstFree(file: string, taken: (candidate: string) => boolean): string {
  const base = file.replace(/\.md$/, '');
  let candidate = file;
  for (let n = 2; taken(candidate); n++) candidate = `${base}-${n}.md`;
  return candidate;
}
