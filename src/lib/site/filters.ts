/**
 * The home table's filters without JavaScript: one radio button per severity and owner, and CSS
 * that hides the rows a checked button excludes. Rows and buttons refer to values by index, so
 * no owner name ever has to be escaped into a selector.
 */

/** CSS for `severities` severity buttons (#f-s<i>) and `owners` owner buttons (#f-o<i>) over rows with data-s / data-o. */
export function filterCss(severities: number, owners: number): string {
  const rules: string[] = [];
  for (let i = 0; i < severities; i++) rules.push(`.filterable:has(#f-s${i}:checked) tbody tr:not([data-s="${i}"])`);
  for (let i = 0; i < owners; i++) rules.push(`.filterable:has(#f-o${i}:checked) tbody tr:not([data-o="${i}"])`);
  return rules.length === 0 ? '' : `${rules.join(',\n')} { display: none; }`;
}
