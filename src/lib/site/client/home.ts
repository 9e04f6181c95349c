/// <reference lib="dom" />
/**
 * The home page's script: table filters kept in the address (?severity=&owner=), and search.
 * Pagefind (its index and its JavaScript) is fetched only when someone searches, so the home
 * page and the runbook pages never pay for it. Results become DOM text, never HTML, except the
 * <mark> of Pagefind's excerpt, rebuilt element by element.
 */

/** The parts of Pagefind's JavaScript API that the page uses. */
interface Pagefind {
  options(options: { baseUrl: string }): Promise<void>;
  search(term: string, options?: { filters?: Record<string, string> }): Promise<{ results: { data(): Promise<PagefindResult> }[] }>;
}

interface PagefindResult {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
}

import { alertMatches, decodeEntities, didYouMean, type AlertEntry } from '../search-rank.ts';

const PAGE_SIZE = 20;
const FILTERS = ['severity', 'owner', 'service'];

/** Text of an HTML fragment with only <mark> kept, as DOM nodes (Pagefind's excerpt is escaped text plus <mark>). */
function excerptNodes(doc: Document, excerpt: string): Node[] {
  const decode = decodeEntities;
  return excerpt
    .split(/(<mark>[\s\S]*?<\/mark>)/)
    .filter((part) => part !== '')
    .map((part) => {
      const marked = /^<mark>([\s\S]*)<\/mark>$/.exec(part);
      if (!marked) return doc.createTextNode(decode(part));
      const mark = doc.createElement('mark');
      mark.textContent = decode(marked[1] ?? '');
      return mark;
    });
}

function severityBadge(doc: Document, severity: string | undefined): HTMLElement {
  const badge = doc.createElement('span');
  if (!severity) {
    badge.className = 'muted result-severity';
    badge.textContent = 'no severity';
    return badge;
  }
  badge.className = `badge result-severity sev-${['critical', 'warning', 'info'].includes(severity) ? severity : 'other'}`;
  badge.textContent = severity;
  return badge;
}

/** A result for an alert whose name the term is or starts with, from the alerts table. */
function alertItem(doc: Document, entry: AlertEntry): HTMLLIElement {
  const li = doc.createElement('li');
  li.className = 'pinned';
  const link = doc.createElement('a');
  link.href = entry.href;
  link.className = 'result-alerts';
  link.textContent = entry.alert;
  const summary = doc.createElement('p');
  summary.className = 'result-summary';
  summary.textContent = entry.summary;
  li.append(link, ' ', severityBadge(doc, entry.severity), summary);
  return li;
}

/** The alerts the home table lists with a page: what alert names are matched against. */
function tableAlerts(doc: Document): AlertEntry[] {
  return [...doc.querySelectorAll<HTMLTableRowElement>('.alerts-table tbody tr')].flatMap((row) => {
    const link = row.querySelector<HTMLAnchorElement>('th a');
    if (!link) return [];
    const cells = row.querySelectorAll('td');
    return [
      {
        alert: link.textContent ?? '',
        href: link.getAttribute('href') ?? '',
        severity: cells[0]?.querySelector('.badge')?.textContent ?? '',
        summary: cells[2]?.firstChild?.textContent?.trim() ?? '',
      },
    ];
  });
}

/** One search result: the alert names as the link, its severity, then the title, the summary and Pagefind's excerpt. */
function resultItem(doc: Document, result: PagefindResult): HTMLLIElement {
  const li = doc.createElement('li');
  const link = doc.createElement('a');
  // The page's own address: Pagefind's is the folder (with a slash), which a runbookUrl may not have.
  link.href = result.meta.url ?? result.url;
  link.className = 'result-alerts';
  link.textContent = result.meta.alerts ?? result.meta.title ?? result.url;
  const title = doc.createElement('p');
  title.className = 'result-title';
  title.textContent = result.meta.title ?? '';
  const summary = doc.createElement('p');
  summary.className = 'result-summary';
  summary.textContent = result.meta.summary ?? '';
  const excerpt = doc.createElement('p');
  excerpt.className = 'result-excerpt';
  excerpt.append(...excerptNodes(doc, result.excerpt));
  li.append(link, ' ', severityBadge(doc, result.meta.severity), title, summary, excerpt);
  return li;
}

function syncFilters(doc: Document, params: URLSearchParams): void {
  // The table's radio filters: the search's, and the alert type (symptom or cause).
  for (const group of [...FILTERS, 'type']) {
    const value = params.get(group) ?? '';
    const radios = [...doc.querySelectorAll<HTMLInputElement>(`.filters input[name="${group}"]`)];
    const match = radios.find((radio) => radio.value === value);
    if (match) match.checked = true;
    const select = doc.querySelector<HTMLSelectElement>(`#search-${group}`);
    if (select && [...select.options].some((o) => o.value === value)) select.value = value;
  }
}

function remember(loc: Location, changes: Record<string, string>): void {
  const params = new URLSearchParams(loc.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === '') params.delete(name);
    else params.set(name, value);
  }
  const query = params.toString();
  history.replaceState(null, '', `${loc.pathname}${query ? `?${query}` : ''}${loc.hash}`);
}

function startSearch(doc: Document, loc: Location): void {
  const form = doc.getElementById('search-form') as HTMLFormElement | null;
  const input = doc.getElementById('search-q') as HTMLInputElement | null;
  const results = doc.getElementById('search-results');
  const status = doc.getElementById('search-status');
  if (!form || !input || !results || !status) return;
  const base = form.dataset.base ?? '/';
  let pagefind: Promise<Pagefind> | undefined;
  const load = (): Promise<Pagefind> => {
    pagefind ??= import(/* @vite-ignore */ `${base}pagefind/pagefind.js`).then(async (module: Pagefind) => {
      await module.options({ baseUrl: base });
      return module;
    });
    return pagefind;
  };
  const more = doc.getElementById('search-more') as HTMLButtonElement | null;
  const pinned = doc.getElementById('search-alerts');
  const suggest = doc.getElementById('search-suggest');
  const alerts = tableAlerts(doc);
  let showMore: (() => Promise<void>) | undefined;
  more?.addEventListener('click', () => void showMore?.());
  let generation = 0;
  const run = async (): Promise<void> => {
    const term = input.value.trim();
    const current = ++generation;
    const filters: Record<string, string> = {};
    for (const name of FILTERS) {
      const value = (doc.getElementById(`search-${name}`) as HTMLSelectElement | null)?.value ?? '';
      if (value !== '') filters[name] = value;
    }
    if (term === '' && Object.keys(filters).length === 0) {
      results.replaceChildren();
      pinned?.replaceChildren();
      if (suggest) suggest.hidden = true;
      status.textContent = '';
      if (more) more.hidden = true;
      return;
    }
    status.textContent = 'Searching…';
    let handles: { data(): Promise<PagefindResult> }[];
    try {
      const api = await load();
      handles = (await api.search(term === '' ? (null as unknown as string) : term, { filters })).results;
    } catch {
      if (current === generation) status.textContent = 'Search is not available: the search index was not built (run npm run build).';
      return;
    }
    if (current !== generation) return;
    results.replaceChildren();
    const matches = alertMatches(term, alerts)
      .filter((a) => !filters.severity || a.severity === filters.severity)
      .slice(0, 5);
    pinned?.replaceChildren(...matches.map((entry) => alertItem(doc, entry)));
    const nearest =
      matches.length === 0
        ? didYouMean(
            term,
            alerts.map((a) => a.alert),
          )
        : [];
    if (suggest) {
      suggest.hidden = nearest.length === 0;
      suggest.replaceChildren(
        ...(nearest.length === 0
          ? []
          : [
              'Did you mean ',
              ...nearest.flatMap((name, i) => {
                const link = doc.createElement('a');
                link.href = alerts.find((a) => a.alert === name)?.href ?? '';
                link.textContent = name;
                return i === 0 ? [link] : [i === nearest.length - 1 ? ' or ' : ', ', link];
              }),
              '?',
            ]),
      );
    }
    const shown = term === '' ? 'matching the filters' : `for “${term}”`;
    status.textContent =
      handles.length === 0 ? `No runbooks ${shown}.` : `${handles.length} runbook${handles.length === 1 ? '' : 's'} ${shown}.`;
    // Pagefind fetches each result's data on request, so only the shown page of results costs a fetch.
    showMore = async (): Promise<void> => {
      const next = handles.slice(results.children.length, results.children.length + PAGE_SIZE);
      const found = await Promise.all(next.map((handle) => handle.data()));
      if (current !== generation) return;
      results.append(...found.map((result) => resultItem(doc, result)));
      if (more) more.hidden = results.children.length >= handles.length;
    };
    await showMore();
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), 200);
  });
  input.addEventListener('focus', () => void load().catch(() => undefined), { once: true });
  for (const name of FILTERS) {
    doc.getElementById(`search-${name}`)?.addEventListener('change', () => void run());
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    remember(loc, { q: input.value.trim() });
    void run();
  });
  const q = new URLSearchParams(loc.search).get('q');
  if (q) {
    input.value = q;
    void run();
  }
}

/** Runs the home page: filters from and into the address, search on demand. */
export function startHome(doc: Document, loc: Location): void {
  syncFilters(doc, new URLSearchParams(loc.search));
  for (const radio of doc.querySelectorAll<HTMLInputElement>('.filters input[type="radio"]')) {
    radio.addEventListener('change', () => remember(loc, { [radio.name]: radio.value }));
  }
  startSearch(doc, loc);
}
