/**
 * Where pages live on the site. A runbook URL from the config's `runbookUrl` pattern is absolute
 * (https://runbooks.example.com/runbooks/alerts/HostDown/); the site builds pages by their path
 * below `site.base` (alerts/HostDown/), so the two must agree or the links in alerts 404.
 */

/** A page path below the site base, or the reason a URL cannot be served by this site. */
export type PagePath = { path: string; error?: undefined } | { path?: undefined; error: string };

/** Normalizes a base path to a leading and a trailing slash: `runbooks` → `/runbooks/`. */
export function normalizeBase(base: string): string {
  const trimmed = base.trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape is served by its literal name, as a static file server would look it up.
    return segment;
  }
}

/**
 * The path below `base` that serves `url`, decoded as a static file server maps it to a file:
 * `https://x.example/runbooks/alerts/Host%20Down/` with base `/runbooks/` → `alerts/Host Down/`.
 * Keeps a trailing slash if the URL has one. Relative URLs and paths outside `base` are errors.
 */
export function pagePathFor(url: string, base: string): PagePath {
  const root = normalizeBase(base);
  let pathname: string;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    try {
      pathname = new URL(url).pathname;
    } catch {
      return { error: `${url} is not a valid URL` };
    }
  } else if (url.startsWith('/') && !url.startsWith('//')) {
    pathname = url.replace(/[?#].*$/s, '');
  } else {
    return { error: `${url} is neither an absolute URL nor a path starting with /` };
  }
  if (!pathname.startsWith(root)) {
    return { error: `${pathname} is outside the site's base path ${root}` };
  }
  const rest = pathname.slice(root.length);
  const decoded = rest.split('/').map(decodeSegment).join('/');
  if (decoded.replace(/\/+$/, '') === '') return { error: `${pathname} is the site's home page, not a runbook page` };
  return { path: decoded };
}

/**
 * The key two page paths share when a static server would serve them from the same file:
 * `alerts/HostDown` and `alerts/HostDown/` both map to alerts/HostDown/index.html.
 */
export function routeKey(path: string): string {
  return path.replace(/\/+$/, '');
}

/** The first segment of every path the site itself uses; a runbook there would hide a site page. */
const RESERVED_SEGMENTS = ['_astro', 'pagefind', 'coverage', 'checks', 'services', 'teams', 'situation.json', '404.html', 'favicon.svg'];

/** Why `path` cannot be a runbook page, or undefined when it can. */
export function reservedPathProblem(path: string): string | undefined {
  const first = path.split('/')[0] ?? '';
  return RESERVED_SEGMENTS.includes(first) ? `/${first}/ is used by the site itself` : undefined;
}

/** The href of a page path on the site: `alerts/HostDown/` under base `/runbooks/` → `/runbooks/alerts/HostDown/`. */
export function hrefFor(path: string, base: string): string {
  return `${normalizeBase(base)}${path.split('/').map(encodeURIComponent).join('/')}`;
}
