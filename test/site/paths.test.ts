import { describe, expect, it } from 'vitest';
import { expandRunbookUrl } from '../../src/lib/config/runbook-url-pattern.ts';
import { hrefFor, normalizeBase, pagePathFor, reservedPathProblem, routeKey } from '../../src/lib/site/paths.ts';

describe('pagePathFor: the page a runbook URL names', () => {
  it('maps the bundled example pattern to /alerts/<Alert>/', () => {
    const url = expandRunbookUrl('https://runbooks.example.com/alerts/{alert}/', {
      alert: 'HostDown',
      runbookFile: 'runbooks/HostDown.md',
      runbooksDir: 'runbooks',
    });
    expect(pagePathFor(url, '/')).toEqual({ path: 'alerts/HostDown/' });
  });

  it("maps kube-prometheus' {folder}/{alert|lower} form, without a trailing slash", () => {
    const url = expandRunbookUrl('https://runbooks.prometheus-operator.dev/runbooks/{folder}/{alert|lower}', {
      alert: 'KubePodCrashLooping',
      runbookFile: 'content/runbooks/kubernetes/KubePodCrashLooping.md',
      runbooksDir: 'content/runbooks',
    });
    expect(url).toBe('https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping');
    expect(pagePathFor(url, '/')).toEqual({ path: 'runbooks/kubernetes/kubepodcrashlooping' });
    expect(pagePathFor(url, '/runbooks/')).toEqual({ path: 'kubernetes/kubepodcrashlooping' });
  });

  it('strips a sub-path base however it is written', () => {
    for (const base of ['/ops/runbooks', '/ops/runbooks/', 'ops/runbooks']) {
      expect(pagePathFor('https://x.example/ops/runbooks/alerts/A/', base)).toEqual({ path: 'alerts/A/' });
    }
  });

  it('refuses a URL outside the base, which this site could never serve', () => {
    expect(pagePathFor('https://x.example/alerts/A/', '/runbooks/').error).toMatch(/outside the site's base path \/runbooks\//);
    // A prefix that is not a whole segment is still outside.
    expect(pagePathFor('https://x.example/runbooks-old/A/', '/runbooks/').error).toBeDefined();
  });

  it('decodes percent-escapes as a static file server maps them to files', () => {
    expect(pagePathFor('https://x.example/alerts/Host%20Down%3Afoo/', '/')).toEqual({ path: 'alerts/Host Down:foo/' });
  });

  it('accepts a site-absolute path and ignores its query and fragment', () => {
    expect(pagePathFor('/alerts/A/?instance=x#diagnosis', '/')).toEqual({ path: 'alerts/A/' });
  });

  it('refuses relative URLs, protocol-relative URLs and the home page', () => {
    expect(pagePathFor('alerts/A/', '/').error).toMatch(/neither an absolute URL nor a path/);
    expect(pagePathFor('//x.example/alerts/A/', '/').error).toBeDefined();
    expect(pagePathFor('https://x.example/runbooks/', '/runbooks/').error).toMatch(/home page/);
  });
});

describe('site paths', () => {
  it('normalizes the base to leading and trailing slashes', () => {
    expect(normalizeBase('')).toBe('/');
    expect(normalizeBase('/')).toBe('/');
    expect(normalizeBase('docs//')).toBe('/docs/');
  });

  it('builds hrefs under the base, escaping what a URL cannot hold', () => {
    expect(hrefFor('alerts/HostDown/', '/runbooks')).toBe('/runbooks/alerts/HostDown/');
    expect(hrefFor('alerts/Host Down/', '/')).toBe('/alerts/Host%20Down/');
  });

  it('treats paths with and without a trailing slash as one route', () => {
    expect(routeKey('alerts/A/')).toBe(routeKey('alerts/A'));
  });

  it('keeps runbooks out of the folders the site itself uses', () => {
    expect(reservedPathProblem('pagefind/x/')).toMatch(/used by the site/);
    expect(reservedPathProblem('coverage/')).toMatch(/used by the site/);
    expect(reservedPathProblem('alerts/coverage/')).toBeUndefined();
  });
});
