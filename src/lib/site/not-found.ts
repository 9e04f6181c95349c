/**
 * The 404 page's help: an alert address typed or templated in the wrong case (`/alerts/hostdown/`)
 * finds its page, and any other address gets the nearest alert names. Pure; the page script runs it.
 */
import { nearestAll } from '../text/nearest.ts';

/** An alert and the address of its page. */
export interface AlertPage {
  alert: string;
  href: string;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A path as compared: decoded, lower-case, without a trailing slash. */
function key(path: string): string {
  return decode(path).replace(/\/+$/, '').toLowerCase();
}

/** The page whose address equals `pathname` but for letter case and a trailing slash. */
export function caseInsensitiveMatch(pathname: string, pages: readonly AlertPage[]): AlertPage | undefined {
  const wanted = key(pathname);
  const found = pages.filter((p) => key(p.href) === wanted);
  // Two pages that differ only in case: the address cannot tell which one was meant.
  return found.length === 1 ? found[0] : undefined;
}

/** The last segment of an address, decoded: the alert name a runbook URL usually ends with. */
function lastSegment(pathname: string): string {
  const segments = pathname.split('/').filter((s) => s !== '');
  return decode(segments.at(-1) ?? '');
}

/** The alerts whose names are nearest to the address's last segment, closest first. */
export function nearestPages(pathname: string, pages: readonly AlertPage[], count = 5): AlertPage[] {
  const name = lastSegment(pathname);
  if (name === '') return [];
  return nearestAll(
    name,
    pages.map((p) => p.alert),
    count,
  ).flatMap((alert) => pages.filter((p) => p.alert === alert).slice(0, 1));
}
