import { posix } from 'node:path';

const DOT = 46;

/**
 * Whether `text` from `start` on is one or more segments joined by single slashes, none of them
 * empty, `.` or `..`: a path that posix.normalize leaves as it is.
 */
function plainFrom(text: string, start: number): boolean {
  let segment = start;
  for (;;) {
    const slash = text.indexOf('/', segment);
    const end = slash === -1 ? text.length : slash;
    const length = end - segment;
    if (length === 0) return false;
    if (text.charCodeAt(segment) === DOT && (length === 1 || (length === 2 && text.charCodeAt(segment + 1) === DOT))) return false;
    if (slash === -1) return true;
    segment = slash + 1;
  }
}

/**
 * posix.join(posix.dirname(file), target): where a relative link in `file` points. A plain file
 * and a target of plain segments after any leading `./` and `../` (what links almost always are)
 * are resolved by cutting and concatenating, without normalizing the whole joined string; anything
 * else takes posix.join itself, so the answer is the same for every input.
 */
export function resolveRelative(file: string, target: string): string {
  let start = 0;
  let up = 0;
  for (;;) {
    if (target.startsWith('./', start)) start += 2;
    else if (target.startsWith('../', start)) {
      start += 3;
      up++;
    } else break;
  }
  if (!plainFrom(file, 0) || !plainFrom(target, start)) return posix.join(posix.dirname(file), target);
  let base = file;
  // The file's own name, then one folder for each `../`.
  for (let i = 0; i <= up; i++) {
    const cut = base.lastIndexOf('/');
    if (cut === -1) {
      // Above the top folder: posix.join keeps the leading `..` segments.
      if (i < up) return posix.join(posix.dirname(file), target);
      base = '';
    } else base = base.slice(0, cut);
  }
  const rest = start === 0 ? target : target.slice(start);
  return base === '' ? rest : `${base}/${rest}`;
}

/**
 * Whether a link starts with a URL scheme (`https:`, `mailto:`) or a slash: /^(?:[a-z][a-z0-9+.-]*:|\/)/i,
 * read a character at a time, which is cheaper for the many links a project has.
 */
export function startsWithSchemeOrSlash(url: string): boolean {
  const first = url.charCodeAt(0);
  if (first === 0x2f) return true;
  // `| 0x20` lower-cases an ASCII letter and maps nothing else into a-z.
  if ((first | 0x20) < 0x61 || (first | 0x20) > 0x7a) return false;
  for (let i = 1; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code === 0x3a) return true;
    const lower = code | 0x20;
    if (!((lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2e || code === 0x2d))
      return false;
  }
  return false;
}
