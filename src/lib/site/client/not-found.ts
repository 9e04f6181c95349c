/// <reference lib="dom" />
/**
 * The 404 page's script: says which address was asked for, sends a case-insensitive match of an
 * alert's address on to its page with the query string (the labels) and fragment kept, and
 * otherwise offers the nearest alert names. The address only ever becomes text.
 */
import { caseInsensitiveMatch, nearestPages, type AlertPage } from '../not-found.ts';

/** Runs the 404 page against `loc`. */
export function startNotFound(doc: Document, loc: Location): void {
  const pages = JSON.parse(doc.getElementById('alert-pages')?.textContent ?? '[]') as AlertPage[];
  const asked = doc.getElementById('asked');
  if (asked) asked.textContent = decodeURI(loc.pathname) + loc.search + loc.hash;
  const match = caseInsensitiveMatch(loc.pathname, pages);
  if (match) {
    loc.replace(match.href + loc.search + loc.hash);
    return;
  }
  const near = nearestPages(loc.pathname, pages);
  const list = doc.getElementById('nearest');
  const section = doc.getElementById('nearest-section');
  if (!list || !section || near.length === 0) return;
  list.replaceChildren(
    ...near.map((page) => {
      const li = doc.createElement('li');
      const link = doc.createElement('a');
      // The labels in the query string still fit the nearest alert's placeholders.
      link.href = page.href + loc.search + loc.hash;
      link.textContent = page.alert;
      li.append(link);
      return li;
    }),
  );
  section.hidden = false;
}
