/**
 * The runbook site as a responder meets it: from a real alert's link, on a phone at 3 a.m., with
 * hostile label values. Two sites are built once and reused by every test here: the bundled
 * example and the kube-prometheus pair of the shared corpus (kube-prometheus' rules against the
 * prometheus-operator runbooks), each checked at 360×740 and 1280×800, light and dark.
 */
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CORPUS } from '../support/shared.ts';
import { kubePrometheusConfig } from './corpus-site.ts';
import { axeViolations, launchChromium, startSite, type SiteServer } from './site-server.ts';

vi.setConfig({ testTimeout: 90_000 });

let bundled: SiteServer;
let kube: SiteServer | undefined;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // One build after the other: two astro builds in one project folder can race on its generated files.
  const sites = (async () => [await startSite(), CORPUS ? await startSite(kubePrometheusConfig()) : undefined] as const)();
  [[bundled, kube], browser] = await Promise.all([sites, launchChromium()]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([bundled?.stop(), kube?.stop()]);
});

const SIZES = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
] as const;
const SCHEMES = ['light', 'dark'] as const;
/** The labels a real alert's link carries: nine of them, most used by no placeholder. */
const NINE = new URLSearchParams({
  alertname: 'X',
  severity: 'critical',
  instance: 'web-1:9100',
  job: 'node',
  namespace: 'shop',
  pod: 'api-7f9c',
  container: 'api',
  mountpoint: '/var',
  device: '/dev/sda1',
}).toString();

async function context(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const created = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  contexts.push(created);
  return created;
}

async function open(site: SiteServer, path: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const page = await (await context(options)).newPage();
  await page.goto(new URL(path, site.url).href);
  return page;
}

/** Every runbook page the home table links to. */
async function runbookPaths(site: SiteServer): Promise<string[]> {
  const html = await (await fetch(site.url)).text();
  return [...new Set([...html.matchAll(/<th scope="row"><a href="([^"]+)"/g)].map((m) => m[1] as string))];
}

/** What is on the first screen, measured in the page without scrolling. */
async function firstScreen(page: Page) {
  return page.evaluate(() => {
    const height = window.innerHeight;
    const inView = (el: Element | null): boolean => {
      if (!el) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.top >= 0 && r.bottom <= height;
    };
    const pre = [...document.querySelectorAll('.prose pre')];
    const hidden = pre.flatMap((block) =>
      [...block.querySelectorAll('.slot.filled, .slot.flagged')]
        .filter((slot) => {
          const b = block.getBoundingClientRect();
          return [...slot.getClientRects()].some((r) => r.left < b.left - 1 || r.right > b.right + 1);
        })
        .map((slot) => slot.textContent),
    );
    return {
      scrollY: window.scrollY,
      scrollWidth: document.documentElement.scrollWidth,
      alert: document.querySelector('.alert-names [data-pagefind-meta="alert"]')?.textContent,
      alertInView: inView(document.querySelector('.alert-names')),
      severityInView: inView(document.querySelector('.first-facts .sev')),
      summaryInView: inView(document.querySelector('.runbook-head .summary')),
      jumps: [...document.querySelectorAll('.jumps a')].map((a) => ({ text: a.textContent, inView: inView(a) })),
      otherAlertsOpen: (document.querySelector('.other-alerts') as HTMLDetailsElement | null)?.open ?? false,
      labelRows: [...document.querySelectorAll('#label-list [data-label-row]')].map((row) => row.getAttribute('data-label-row')),
      extraFolded: !(document.getElementById('label-extra') as HTMLDetailsElement | null)?.open,
      extraCount: document.querySelectorAll('#label-extra-list > div').length,
      hiddenSlots: hidden,
    };
  });
}

const sites = (): [string, () => SiteServer | undefined][] => [
  ['the bundled example', () => bundled],
  ['the kube-prometheus pair', () => kube],
];

describe.each(sites())('the first screen on %s, opened with a 9-label link', (_name, site) => {
  for (const size of SIZES) {
    it(`shows the fired alert, severity, summary and jumps at ${size.width}×${size.height}, light and dark`, async (ctx) => {
      const server = site();
      if (!server) return ctx.skip();
      const all = await runbookPaths(server);
      // Every bundled page; of the 108 real pages every twelfth, across the folders.
      const paths = server === bundled ? all : all.filter((_p, i) => i % 12 === 0);
      expect(paths.length).toBeGreaterThan(server === bundled ? 20 : 8);
      const page = await (await context({ viewport: size })).newPage();
      const problems: string[] = [];
      // The colour scheme changes colours, not layout: every page in light, the first few in dark too.
      const runs = [...paths.map((path) => [path, 'light'] as const), ...paths.slice(0, 3).map((path) => [path, 'dark'] as const)];
      for (const [path, colorScheme] of runs) {
        await page.emulateMedia({ colorScheme });
        await page.goto(new URL(`${path}?${NINE}`, server.origin).href);
        await page.locator('#labels-status').filter({ hasText: /link/ }).waitFor();
        const s = await firstScreen(page);
        const alert = decodeURIComponent(path.replace(/\/$/, '').split('/').at(-1) ?? '');
        const say = (what: string): void => void problems.push(`${path} (${colorScheme}): ${what}`);
        if (s.scrollY !== 0) say('scrolled');
        if (s.scrollWidth > size.width) say(`scrolls sideways (${s.scrollWidth} px)`);
        if (s.alert?.toLowerCase() !== alert.toLowerCase()) say(`shows alert ${s.alert}`);
        if (!s.alertInView || !s.severityInView || !s.summaryInView)
          say(`alert ${s.alertInView}, severity ${s.severityInView}, summary ${s.summaryInView} in view`);
        if (s.jumps.some((j) => !j.inView)) say(`jump links off screen: ${JSON.stringify(s.jumps)}`);
        if (s.otherAlertsOpen) say('other alerts unfolded');
        // Labels the runbook uses are shown; the link's others are folded, not listed.
        const unused = [...new URLSearchParams(NINE).keys()].filter((name) => !s.labelRows.includes(name)).length;
        if (!s.extraFolded || s.extraCount !== unused) say(`labels ${s.labelRows} with ${s.extraCount} folded`);
        if (s.hiddenSlots.length > 0) say(`filled values outside their code block: ${s.hiddenSlots.join(', ')}`);
        if (colorScheme === 'dark' && (await page.evaluate(() => getComputedStyle(document.body).backgroundColor)) !== 'rgb(13, 17, 23)')
          say('not dark');
      }
      expect(problems).toEqual([]);
      // The jump links lead to the runbook's own sections.
      await page.goto(new URL(`${paths[0]}?${NINE}`, server.origin).href);
      const hrefs = await page.locator('.jumps a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.length).toBe(2);
      for (const href of hrefs) expect(await page.locator(`[id="${href.slice(1)}"]`).count()).toBe(1);
    });
  }
});

describe('a runbook covering several alerts', () => {
  it('names only the alert that fired; the others are one tap away', async () => {
    const page = await open(bundled, `alerts/HostFilesystemAlmostFull/?${NINE}`, { viewport: SIZES[0] });
    expect(await page.locator('.alert-names [data-pagefind-meta="alert"]').innerText()).toBe('HostFilesystemAlmostFull');
    await page.locator('.other-alerts summary').click();
    await page.locator('.other-alerts').getByRole('link', { name: 'HostFilesystemFillingUp' }).click();
    await page.waitForURL(/HostFilesystemFillingUp/);
  });
});

/** Copies the code block that contains `text` and returns what landed on the clipboard. */
async function copied(page: Page, site: SiteServer, text: string): Promise<string> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
  const block = page.locator('.prose .code', { hasText: text }).first();
  await block.getByRole('button', { name: /copy/i }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain(text);
  return page.evaluate(() => navigator.clipboard.readText());
}

describe('hostile label values', () => {
  for (const colorScheme of SCHEMES) {
    it(`shows a right-to-left override escaped and flagged, and copies it escaped (${colorScheme})`, async () => {
      const query = new URLSearchParams({ instance: 'web-1', mountpoint: '/var/\u202Esuoiverp--' });
      const page = await open(bundled, `alerts/HostFilesystemAlmostFull/?${query}`, { viewport: SIZES[0], colorScheme });
      const slot = page.locator('.prose .code .slot[data-label="mountpoint"]').first();
      await expect.poll(() => slot.textContent()).toContain('\\u202E');
      expect(await page.evaluate(() => document.body.innerText.includes('\u202E'))).toBe(false);
      expect(await slot.getAttribute('class')).toContain('flagged');
      expect(await page.locator('#label-list').innerText()).toMatch(/mountpoint[\s\S]*\\u202Esuoiverp--[\s\S]*invisible or bidirectional/);
      const clip = await copied(page, bundled, 'du -xh');
      expect(clip).not.toContain('\u202E');
      expect(clip).toContain('df -h ""\'/var/\\u202Esuoiverp--\'""');
    });
  }

  it('fills shell metacharacters quoted, so the copied command runs with the value as one word, and flags them', async () => {
    const hostile = '${IFS}$(touch /tmp/pwned-by-label)`id`;"\'';
    const page = await open(bundled, `alerts/HostFilesystemAlmostFull/?${new URLSearchParams({ instance: hostile, mountpoint: '/var' })}`, {
      viewport: SIZES[0],
    });
    const clip = await copied(page, bundled, 'du -xh');
    const line = clip.split('\n').find((l) => l.startsWith('INSTANCE='));
    // The copied assignment, run by a real POSIX shell, sets the value verbatim and runs nothing else.
    const out = execFileSync('/bin/sh', ['-c', `${line}\nprintf %s "$INSTANCE"`], { encoding: 'utf8' });
    expect(out).toBe(hostile);
    expect(clip).toContain('df -h "/var"');
    const panel = page.locator('#label-list [data-label-row="instance"]');
    expect(await panel.innerText()).toContain('shell metacharacters');
    expect(await page.locator('.prose .code .slot[data-shell][data-label="instance"]').first().getAttribute('class')).toContain('flagged');
    expect(await page.locator('.prose .code .slot.filled[data-label="mountpoint"]').count()).toBeGreaterThan(0);
  });

  it('cuts a 10 KB value in the labels panel, with a button that shows it whole', async () => {
    const long = 'x'.repeat(10_000);
    const page = await open(bundled, `alerts/HostDown/?instance=${long}`, { viewport: SIZES[0] });
    const row = page.locator('#label-list [data-label-row="instance"]');
    const button = row.getByRole('button', { name: 'Show all 10000 characters' });
    await button.waitFor();
    expect((await page.locator('.labels').boundingBox())?.height).toBeLessThan(400);
    await button.click();
    expect((await row.locator('.slot').textContent())?.length).toBe(10_000);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // The commands hold the whole value, and so does the clipboard.
    expect(await copied(page, bundled, 'HOST="${INSTANCE%:*}"')).toContain(`INSTANCE="${long}"`);
  });

  it('on the kube-prometheus pair too: the link labels are listed escaped and flagged', async (ctx) => {
    if (!kube) return ctx.skip();
    const page = await open(
      kube,
      `runbooks/kubernetes/kubepodcrashlooping?${new URLSearchParams({ pod: 'api-\u202E1', namespace: '$(reboot)' })}`,
      { viewport: SIZES[0] },
    );
    // The rule's annotations use both labels, so they are the runbook's own and listed unfolded.
    const list = page.locator('#label-list');
    await expect.poll(() => list.innerText(), { timeout: 10_000 }).toContain('api-\\u202E1');
    expect(await list.innerText()).toContain('api-\\u202E1');
    expect(await list.innerText()).toMatch(/\$\(reboot\)[\s\S]*shell metacharacters/);
    expect(await page.evaluate(() => document.body.innerText.includes('\u202E'))).toBe(false);
  });
});

describe('placeholders in links', () => {
  it('fills a link written with spaces in the braces, its title and a dashboard URL, values percent-encoded', async () => {
    const page = await open(bundled, `alerts/HostDown/?${new URLSearchParams({ instance: 'web-1:9100&x=1', job: 'node' })}`);
    const link = page.getByRole('link', { name: "this host's logs" });
    await expect
      .poll(() => link.getAttribute('href'))
      .toBe('https://grafana.example.com/explore?var-instance=web-1%3A9100%26x%3D1&var-job=node');
    expect(await link.getAttribute('title')).toBe('Logs of web-1:9100&x=1');
    expect(await page.locator('#dashboards + ul a').first().getAttribute('href')).toBe(
      'https://grafana.example.com/d/node-exporter-full/node-exporter-full?var-instance=web-1%3A9100%26x%3D1',
    );
  });

  it('shows tokens without the script', async () => {
    const page = await open(bundled, 'alerts/HostDown/?instance=web-1', { javaScriptEnabled: false });
    expect(await page.getByRole('link', { name: "this host's logs" }).getAttribute('href')).toBe(
      'https://grafana.example.com/explore?var-instance=%3Cinstance%3E&var-job=%3Cjob%3E',
    );
  });
});

describe('search a responder can trust', () => {
  async function search(site: SiteServer, term: string, size: (typeof SIZES)[number] = SIZES[0]): Promise<Page> {
    const page = await open(site, `?q=${encodeURIComponent(term)}`, { viewport: size });
    await expect.poll(async () => (await page.locator('#search-status').textContent()) ?? '', { timeout: 20_000 }).toMatch(/runbook/);
    return page;
  }

  it('keeps the spaces around highlights and shows severity', async () => {
    const page = await search(bundled, 'disk');
    const first = page.locator('#search-results li').first();
    await first.waitFor();
    const gluedWords = await page
      .locator('#search-results .result-excerpt mark')
      .evaluateAll((marks) =>
        marks
          .filter(
            (m) => /^[A-Za-z0-9]/.test(m.nextSibling?.textContent ?? ' ') || /[A-Za-z0-9]$/.test(m.previousSibling?.textContent ?? ' '),
          )
          .map((m) => `${m.previousSibling?.textContent?.slice(-10)}[${m.textContent}]${m.nextSibling?.textContent?.slice(0, 10)}`),
      );
    expect(gluedWords).toEqual([]);
    expect(await first.locator('.result-severity').textContent()).toMatch(/^(critical|warning|info)$/);
  });

  it('indexes severity, owner and service as filters, not as words', async () => {
    // Pagefind's own record of each page: the facts are filters and metadata, and not in the indexed text
    // (they used to be, run together: "Servicelinux-hosts").
    const home = await open(bundled, '');
    const base = new URL(bundled.url).pathname;
    // A string, so that vitest's transform leaves the browser's own import() alone.
    const records = (await home.evaluate(`(async () => {
      const pagefind = await import('${base}pagefind/pagefind.js');
      await pagefind.options({ baseUrl: '${base}' });
      const found = await pagefind.search(null, { filters: { service: 'linux-hosts' } });
      return Promise.all(found.results.map((r) => r.data()));
    })()`)) as { content: string; meta: Record<string, string>; filters: Record<string, string[]> }[];
    expect(records.length).toBeGreaterThan(3);
    for (const record of records) {
      expect(record.filters.service).toEqual(['linux-hosts']);
      expect(record.filters.severity?.length, record.meta.url).toBe(1);
      expect(record.meta.severity, record.meta.url).toMatch(/^(critical|warning|info)$/);
      expect(record.meta.owner, record.meta.url).toBe('platform');
      expect(record.content, record.meta.url).not.toMatch(/linux-hosts|Owner ?platform|Severity ?(critical|warning)/);
      expect(record.content, record.meta.url).not.toContain(`${record.meta.alert}${record.meta.alert}`);
    }
    const page = await open(bundled, '');
    await page.locator('#search-service').selectOption('linux-hosts');
    await expect
      .poll(async () => (await page.locator('#search-status').textContent()) ?? '', { timeout: 20_000 })
      .toMatch(/matching the filters/);
    await expect.poll(() => page.locator('#search-results li').count(), { timeout: 10_000 }).toBe(records.length);
    const hrefs = await page
      .locator('#search-results a.result-alerts')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    for (const href of hrefs)
      expect(await (await fetch(new URL(href, bundled.origin))).text()).toContain(
        'data-pagefind-filter="service" data-pagefind-meta="service">linux-hosts<',
      );
  });

  it('ranks an alert name first and offers "did you mean" on the bundled example too', async () => {
    for (const term of ['hostdown', 'HostOutOf']) {
      const page = await search(bundled, term, SIZES[1]);
      expect(await page.locator('#search-alerts li a, #search-results li a').first().getAttribute('href'), term).toBe(
        term === 'hostdown' ? '/alerts/HostDown/' : '/alerts/HostOutOfMemory/',
      );
    }
    const page = await search(bundled, 'HostOutOfMemroy', SIZES[1]);
    await expect.poll(() => page.locator('#search-suggest').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.locator('#search-suggest a').first().textContent()).toBe('HostOutOfMemory');
  });

  for (const size of SIZES) {
    it(`ranks an alert typed exactly or as a prefix first, and offers "did you mean" for a typo (${size.width} px)`, async (ctx) => {
      if (!kube) return ctx.skip();
      for (const term of ['KubePodCrashLooping', 'kubepodcrash']) {
        const page = await search(kube, term, size);
        expect(await page.locator('#search-alerts li a, #search-results li a').first().getAttribute('href'), term).toBe(
          '/runbooks/kubernetes/kubepodcrashlooping',
        );
      }
      const page = await search(kube, 'KubePodCrashLoping', size);
      const suggest = page.locator('#search-suggest');
      await expect.poll(() => suggest.isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await suggest.getByRole('link').first().textContent()).toBe('KubePodCrashLooping');
      expect(await suggest.getByRole('link').first().getAttribute('href')).toBe('/runbooks/kubernetes/kubepodcrashlooping');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    });
  }
});

describe('a 404 that helps', () => {
  it('sends a wrongly-cased alert address to its page, keeping the query and the fragment', async () => {
    const page = await open(bundled, 'alerts/hostdown/?instance=web-9%3A9100#diagnosis');
    await page.waitForURL(/\/alerts\/HostDown\//);
    const url = new URL(page.url());
    expect([url.pathname, url.search, url.hash]).toEqual(['/alerts/HostDown/', '?instance=web-9%3A9100', '#diagnosis']);
    await expect.poll(() => page.locator('.slot.filled').first().textContent()).toBe('web-9:9100');
  });

  it('shows the address asked for and the nearest alert names', async () => {
    const page = await (await context({ viewport: SIZES[0] })).newPage();
    const response = await page.goto(new URL('alerts/HostDwn/?instance=x', bundled.url).href);
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.locator('#asked').textContent()).toBe('/alerts/HostDwn/?instance=x');
    expect(await page.locator('#nearest a').first().textContent()).toBe('HostDown');
    expect(await page.locator('#nearest a').first().getAttribute('href')).toBe('/alerts/HostDown/?instance=x');
  });

  it('on the kube-prometheus pair: TargetDown finds targetdown', async (ctx) => {
    if (!kube) return ctx.skip();
    const page = await open(kube, 'runbooks/general/TargetDown?job=x');
    await page.waitForURL(/targetdown/);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/runbooks/general/targetdown?job=x');
  });
});

describe('coverage, check pages and landmarks on real data', () => {
  it('adds up on the bundled example: covered + missing = alerts, by owner too', async () => {
    const page = await open(bundled, 'coverage/', { viewport: SIZES[0], colorScheme: 'dark' });
    const [, covered, alerts, missing] =
      /(\d+) of (\d+) alerts \(\d+%\) have a runbook and (\d+) have none/.exec((await page.locator('.totals').textContent()) ?? '') ?? [];
    expect(Number(covered) + Number(missing)).toBe(Number(alerts));
    const rows = await page
      .locator('.owners-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
    for (const [all, yes, no] of rows) expect((yes ?? 0) + (no ?? 0)).toBe(all);
    expect(rows.reduce((n, r) => n + (r[0] ?? 0), 0)).toBe(Number(alerts));
    expect(await page.locator('#orphans + p').textContent()).toMatch(/^None/);
  });

  it('adds up on the kube-prometheus pair: covered + missing = alerts, by owner too; lists orphans and unfinished runbooks', async (ctx) => {
    if (!kube) return ctx.skip();
    const page = await open(kube, 'coverage/', { viewport: SIZES[0] });
    expect(await page.locator('.totals').textContent()).toMatch(/99 of 125 alerts \(79%\) have a runbook and 26 have none/);
    const rows = await page
      .locator('.owners-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
    for (const [alerts, covered, missing] of rows) expect((covered ?? 0) + (missing ?? 0)).toBe(alerts);
    expect(rows.reduce((n, r) => n + (r[1] ?? 0), 0)).toBe(99);
    expect(await page.locator('#orphans + ul li').count()).toBe(9);
    expect(await page.locator('#unfinished + ul li').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('fits every check documentation page at 360 px', async () => {
    const index = await open(bundled, 'checks/', { viewport: SIZES[0] });
    const paths = await index.locator('main table a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(paths.length).toBeGreaterThan(10);
    const wide: string[] = [];
    for (const path of ['/checks/', ...paths]) {
      await index.goto(new URL(path, bundled.origin).href);
      const width = await index.evaluate(() => document.documentElement.scrollWidth);
      if (width > 360) wide.push(`${path}: ${width}`);
    }
    expect(wide).toEqual([]);
  });

  it('renders Go-template expressions of annotations as tokens, and facts from the rule as such', async (ctx) => {
    if (!kube) return ctx.skip();
    const page = await open(kube, 'runbooks/kubernetes/kubepodcrashlooping');
    const annotations = await page.locator('.annotations').innerText();
    expect(annotations).not.toContain('{{');
    expect(annotations).toContain('<namespace>');
    // The runbook has no frontmatter: severity and summary come from the rule, and say so.
    expect(await page.locator('.first-facts .sev').innerText()).toMatch(/warning\s*from the rule/);
    expect(await page.locator('.runbook-head .summary').innerText()).toBe('Pod is crash looping.');
    expect(await page.locator('.from-rule-note').isVisible()).toBe(true);
  });

  const axePages: [string, () => SiteServer | undefined, string][] = [
    ['bundled runbook', () => bundled, `alerts/HostFilesystemAlmostFull/?${NINE}`],
    ['kube-prometheus runbook with two rules of one alert', () => kube, `runbooks/kubernetes/kubeapierrorbudgetburn?${NINE}`],
    ['kube-prometheus coverage', () => kube, 'coverage/'],
    ['kube-prometheus 404', () => kube, 'runbooks/nope/NoSuchAlert'],
    ['kube-prometheus search', () => kube, '?q=KubePodCrashLoping'],
  ];
  // Runbook pages at every size and scheme; the other pages at one phone (dark) and one desktop (light) view.
  const combos = (name: string) =>
    name.includes('runbook')
      ? SIZES.flatMap((size) => SCHEMES.map((colorScheme) => [size, colorScheme] as const))
      : [[SIZES[0], 'dark'] as const, [SIZES[1], 'light'] as const];
  for (const [name, site, path] of axePages) {
    for (const [size, colorScheme] of combos(name)) {
      it(`axe finds no violations: ${name} at ${size.width} px (${colorScheme})`, async (ctx) => {
        const server = site();
        if (!server) return ctx.skip();
        const page = await (await context({ viewport: size, colorScheme })).newPage();
        await page.goto(new URL(path, server.url).href);
        if (path.includes('?q=')) await page.locator('#search-suggest a').first().waitFor();
        const violations = await axeViolations(page);
        expect(violations).toEqual([]);
      });
    }
  }
});

describe('weight', () => {
  it('keeps a runbook page under 40 KB gzipped with its CSS and JS', async () => {
    for (const path of ['alerts/HostFilesystemAlmostFull/', 'alerts/HostDown/']) {
      const html = await (await fetch(new URL(path, bundled.url))).text();
      const assets = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="stylesheet"[^>]+href)="([^"]+)"/g)].map((m) => m[1] as string);
      let total = gzipSync(html).length;
      const seen = new Set<string>();
      // Each asset, and the chunks a script imports, counted once.
      while (assets.length > 0) {
        const url = new URL(assets.pop() ?? '', bundled.origin).href;
        if (seen.has(url)) continue;
        seen.add(url);
        const text = await (await fetch(url)).text();
        total += gzipSync(text).length;
        if (url.endsWith('.js'))
          for (const m of text.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g)) assets.push(new URL(m[1] as string, url).href);
      }
      expect(total, path).toBeLessThan(40 * 1024);
    }
  });
});
