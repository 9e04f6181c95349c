/**
 * What the search adds to Pagefind for a responder: an alert name typed exactly or as a prefix
 * puts its runbook first, and a misspelt one gets "did you mean" the nearest alert names, by the
 * same string distance the linter's hints use. Pure, so it is unit-tested without a browser.
 */
import { nearestAll } from '../text/nearest.ts';

/** An alert the home page lists, with its page. */
export interface AlertEntry {
  alert: string;
  href: string;
  severity: string;
  summary: string;
}

/** Alerts whose name is `term` (first) or starts with it, case-insensitively; empty for a term of several words. */
export function alertMatches(term: string, alerts: readonly AlertEntry[]): AlertEntry[] {
  const t = term.trim().toLowerCase();
  if (t.length < 3 || /\s/.test(t)) return [];
  const exact = alerts.filter((a) => a.alert.toLowerCase() === t);
  const prefix = alerts
    .filter((a) => a.alert.toLowerCase() !== t && a.alert.toLowerCase().startsWith(t))
    .sort((a, b) => a.alert.length - b.alert.length || (a.alert < b.alert ? -1 : 1));
  return [...exact, ...prefix];
}

/** Nearest alert names to a one-word term that names no alert, for "did you mean". */
export function didYouMean(term: string, names: readonly string[], count = 3): string[] {
  const t = term.trim();
  if (t.length < 4 || /\s/.test(t) || names.some((n) => n.toLowerCase().startsWith(t.toLowerCase()))) return [];
  return nearestAll(t, names, count);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * Decodes the character references of Pagefind's escaped excerpt text. Done by hand, not by an
 * HTML parser, which drops the leading space of a fragment ("a disk" + "on a host" ran together).
 */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));/gi,
    (match, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
      if (dec !== undefined || hex !== undefined) {
        const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? '', 16);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
      }
      return ENTITIES[(name ?? '').toLowerCase()] ?? match;
    },
  );
}
