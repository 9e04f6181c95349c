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
