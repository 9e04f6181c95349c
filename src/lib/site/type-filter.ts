/**
 * The home table's alert-type filter (symptom / cause), without JavaScript as the severity and owner
 * filters are (filters.ts): one radio button per type and CSS that hides the rows it excludes.
 */
import { ALERT_TYPES, type AlertType } from './situation.ts';

/** The row attribute value of a type: its index in ALERT_TYPES, or '' for an alert without one. */
export function typeIndex(type: AlertType | undefined): string {
  return type === undefined ? '' : String(ALERT_TYPES.indexOf(type));
}

/** CSS for the type buttons (#f-t<i>) over rows with data-t. */
export function typeFilterCss(): string {
  return `${ALERT_TYPES.map((_, i) => `.filterable:has(#f-t${i}:checked) tbody tr:not([data-t="${i}"])`).join(',\n')} { display: none; }`;
}
