/**
 * What only a browser can prove, against the bundled example built once and served by
 * `astro preview`: label filling and copying, search, the no-JS table filters, phone width,
 * label values that try to be markup, redirects that keep the query, and accessibility.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { axeViolations, launchChromium, startSite, type SiteServer } from './site-server.ts';

// A browser step can take seconds while the whole suite shares two cores.
vi.setConfig({ testTimeout: 60_000 });

let site: SiteServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [site, browser] = await Promise.all([startSite(), launchChromium()]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

async function open(path: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(new URL(path, site.url).href);
  return page;
}

const FS_LABELS = '?instance=web-1%3A9100&mountpoint=%2Fvar&device=%2Fdev%2Fsda1';

describe('labels from the alert link', () => {
  it('fills the commands with the label values, and the copy button copies the filled text', async () => {
    const page = await open(`alerts/HostFilesystemAlmostFull/${FS_LABELS}`);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
    const block = page.locator('.prose .code', { hasText: 'du -xh' });
    await expect.poll(() => block.locator('code').textContent()).toContain('df -h "/var"');
    const shown = await block.locator('code').textContent();
    expect(shown).toContain('INSTANCE="web-1:9100"');
    expect(shown).not.toContain('{{');
    expect(shown).not.toContain('<mountpoint>');
    await block.getByRole('button', { name: /copy/i }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(shown);
    // The labels panel shows what the link carried.
    expect(await page.locator('#label-list').innerText()).toMatch(/instance\s+web-1:9100/);
  });

  it('shows a readable token where the link gives no value', async () => {
    const page = await open('alerts/HostFilesystemAlmostFull/?instance=web-1%3A9100');
    const code = page.locator('.prose .code', { hasText: 'du -xh' }).locator('code');
    await expect.poll(() => code.textContent()).toContain('INSTANCE="web-1:9100"');
    expect(await code.textContent()).toContain('df -h "<mountpoint>"');
  });

  it('treats label values as text: a script or an attribute break-out in a label does nothing', async () => {
    const script = '<script>window.__pwned = "script"</script>';
    const breakout = '"><img src=x onerror="window.__pwned = \'img\'">';
    const query = new URLSearchParams({ instance: script, mountpoint: breakout, device: '<b>bold</b>' });
    const page = await open(`alerts/HostFilesystemAlmostFull/?${query}`);
    const slot = page.locator('.prose .slot[data-label="instance"]').first();
    await expect.poll(() => slot.textContent()).toBe(script);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('main b').count()).toBe(0);
    expect(await page.locator('.slot script').count()).toBe(0);
    expect(await page.locator('.prose .slot[data-label="mountpoint"]').first().textContent()).toBe(breakout);
  });

  it('is readable with JavaScript off: the body, the rules and tokens in the commands', async () => {
    const page = await open(`alerts/HostFilesystemAlmostFull/${FS_LABELS}`, { javaScriptEnabled: false });
    expect(await page.locator('h1').textContent()).toBe('Filesystem is filling up');
    expect(await page.locator('#diagnosis').isVisible()).toBe(true);
    expect(await page.locator('.prose .code', { hasText: 'du -xh' }).locator('code').textContent()).toContain('df -h "<mountpoint>"');
    expect(await page.locator('button.copy').first().isVisible()).toBe(false);
    expect(await page.locator('.rule').count()).toBe(2);
  });

  it('keeps the query string and the fragment through an alias redirect', async () => {
    const page = await open('alerts/NodeDown/?instance=web-2%3A9100#diagnosis');
    await page.waitForURL(/\/alerts\/HostDown\//);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/alerts/HostDown/');
    expect(url.search).toBe('?instance=web-2%3A9100');
    expect(url.hash).toBe('#diagnosis');
    await expect.poll(() => page.locator('.slot.filled').first().textContent()).toBe('web-2:9100');
  });

  it('serves the page without a trailing slash too', async () => {
    const page = await open('alerts/HostDown?instance=web-3%3A9100');
    expect(await page.locator('h1').textContent()).toBe('Host is down');
    await expect.poll(() => page.locator('.slot.filled').first().textContent()).toBe('web-3:9100');
  });
});

describe('the runbook page', () => {
  it('has the header, contents, anchors, rules with highlighted PromQL and Prometheus links, dashboards and edit link', async () => {
    const page = await open('alerts/HostDown/');
    expect(await page.locator('.alert-names').innerText()).toContain('HostDown');
    expect(await page.locator('.badge.sev-critical').first().textContent()).toBe('critical');
    expect(await page.locator('.facts').innerText()).toMatch(/Owner\s+platform/i);
    expect(await page.locator('time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('.toc a').allTextContents()).toEqual(
      expect.arrayContaining(['Meaning', 'Diagnosis', 'Mitigation', 'Alerting rule']),
    );
    expect(await page.locator('#diagnosis a.anchor').getAttribute('href')).toBe('#diagnosis');
    expect(await page.locator('.rule .hl-metric').first().textContent()).toBe('up');
    expect(await page.locator('.rule-facts').innerText()).toMatch(/for\s+2m/);
    expect(await page.locator('.rule-facts').innerText()).toContain('rules/node.yaml:');
    expect(await page.locator('a.graph').getAttribute('href')).toContain('http://localhost:9090/graph?g0.expr=');
    expect(await page.locator('#dashboards + ul a').count()).toBeGreaterThan(0);
    // The runbook has its own Escalation section, so the frontmatter's escalation gets the next free anchor.
    expect(await page.locator('#escalation-1 + p').textContent()).toContain('platform-oncall');
    expect(await page.locator('[id]').evaluateAll((els) => els.length - new Set(els.map((e) => e.id)).size)).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit this runbook' }).getAttribute('href')).toBe(
      'https://git.example.com/ops/runbooks/-/edit/main/runbooks/HostDown.md',
    );
  });

  it('does not load the search index or its code', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(new URL('alerts/HostDown/', site.url).href, { waitUntil: 'networkidle' });
    expect(requested.filter((url) => url.includes('/pagefind/'))).toEqual([]);
  });

  it('follows the dark colour scheme and hides controls when printed', async () => {
    const page = await open('alerts/HostDown/', { colorScheme: 'dark' });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(13, 17, 23)');
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
    expect(await page.locator('.site-header nav').isVisible()).toBe(false);
    expect(await page.locator('button.copy').first().isVisible()).toBe(false);
  });
});

describe('finding a runbook', () => {
  it('search finds a runbook by a word from its Diagnosis section, from /?q=term', async () => {
    // "coredump" appears in one runbook only, in a command of its Diagnosis section.
    const page = await open('?q=coredump');
    expect(await page.locator('#search-q').inputValue()).toBe('coredump');
    const first = page.locator('#search-results li').first();
    await first.waitFor();
    expect(await first.locator('a').getAttribute('href')).toBe('/alerts/HostFilesystemFillingUp/');
    expect(await first.locator('a').textContent()).toBe('HostFilesystemFillingUp, HostFilesystemAlmostFull');
    expect(await first.locator('.result-summary').textContent()).toBe(
      'A filesystem on a host is nearly full or will run out of space within hours.',
    );
    expect(await page.locator('#search-results li').count()).toBe(1);
  });

  it('search narrows by severity and owner', async () => {
    const page = await open('?q=prometheus');
    await page.locator('#search-results li').first().waitFor();
    const all = await page.locator('#search-results li').count();
    await page.locator('#search-severity').selectOption('critical');
    await expect.poll(async () => (await page.locator('#search-status').textContent()) ?? '').toMatch(/runbooks? for/);
    await expect.poll(() => page.locator('#search-results li').count()).toBeLessThan(all);
    const hrefs = await page.locator('#search-results a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    const critical = await Promise.all(
      hrefs.map(async (href) => {
        const html = await (await fetch(new URL(href ?? '', site.origin))).text();
        return /data-pagefind-filter="severity"[^>]*>critical</.test(html);
      }),
    );
    expect(critical.every(Boolean)).toBe(true);
    // Filters alone, without words, list every runbook they match.
    await page.locator('#search-q').fill('');
    await page.locator('#search-severity').selectOption('');
    await page.locator('#search-owner').selectOption('checkout');
    await expect.poll(async () => (await page.locator('#search-status').textContent()) ?? '').toBe('3 runbooks matching the filters.');
    expect(await page.locator('#search-results li').count()).toBe(3);
  });

  it('the table filter narrows the rows with JavaScript off', async () => {
    const page = await open('', { javaScriptEnabled: false });
    const rows = page.locator('.alerts-table tbody tr');
    const total = await rows.count();
    const visible = async (): Promise<string[]> =>
      rows.evaluateAll((trs) => trs.filter((tr) => (tr as HTMLElement).offsetParent !== null).map((tr) => tr.textContent ?? ''));
    expect(await visible()).toHaveLength(total);
    await page.locator('fieldset', { hasText: 'Severity' }).getByLabel('warning').check();
    const warnings = await visible();
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThan(total);
    expect(warnings.every((row) => row.includes('warning'))).toBe(true);
    await page.locator('fieldset', { hasText: 'Owner' }).getByLabel('observability').check();
    const both = await visible();
    expect(both.length).toBeLessThan(warnings.length);
    expect(both.every((row) => row.includes('warning') && row.includes('observability'))).toBe(true);
  });

  it('answers an unknown alert address with a 404 page that points to search', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const response = await page.goto(new URL('alerts/NoSuchAlert/?instance=x', site.url).href);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('No runbook at this address');
    expect(await page.getByRole('link', { name: 'Search the runbooks' }).getAttribute('href')).toBe('/#search');
  });

  it('the coverage page counts runbooks by owner', async () => {
    const page = await open('coverage/');
    expect(await page.locator('h1').textContent()).toBe('Coverage');
    expect(await page.locator('.owners-table').innerText()).toMatch(/platform\s+\d+/);
    expect(await page.locator('#ignored + ul').innerText()).toContain('Watchdog');
  });
});

describe('phone width and accessibility', () => {
  for (const path of [
    '',
    `alerts/HostFilesystemAlmostFull/${FS_LABELS}`,
    'alerts/CheckoutApiErrorBudgetBurnFast/',
    'coverage/',
    '?q=disk',
  ]) {
    it(`does not scroll sideways at 360 px: /${path}`, async () => {
      const page = await open(path, { viewport: { width: 360, height: 740 } });
      if (path.includes('?q=')) await page.locator('#search-results li').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    });
  }

  it('scrolls a wide Markdown table inside its own box at 360 px, and shows the callout and the details block', async () => {
    const page = await open(`alerts/HostFilesystemAlmostFull/${FS_LABELS}`, { viewport: { width: 360, height: 740 } });
    const box = page.locator('.prose .table-scroll').first();
    const { inner, outer } = await box.evaluate((el) => ({ inner: el.scrollWidth, outer: el.clientWidth }));
    expect(inner).toBeGreaterThan(outer);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await page.locator('.callout-caution .callout-title').textContent()).toBe('Caution');
    expect(await page.locator('details summary kbd').textContent()).toBe('rm');
  });

  const pages = [
    ['home', '', 1024],
    ['runbook', `alerts/HostFilesystemAlmostFull/${FS_LABELS}`, 1024],
    ['runbook (wide, side column)', `alerts/HostDown/?instance=x`, 1400],
    ['search', '?q=disk', 1024],
  ] as const;
  for (const [name, path, width] of pages) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`axe finds no violations on the ${name} page (${colorScheme})`, async () => {
        const page = await open(path, { colorScheme, viewport: { width, height: 900 } });
        if (name === 'search') await page.locator('#search-results li').first().waitFor();
        const violations = await axeViolations(page);
        expect(violations).toEqual([]);
      });
    }
  }
});

describe('without site.alertmanager', () => {
  it('a runbook page requests nothing but its own files, and weighs under 40 KB gzipped', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const requested: string[] = [];
    const bodies: Promise<Buffer>[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('response', (response) => bodies.push(response.body().catch(() => Buffer.alloc(0))));
    // The richest runbook page of the example: symptoms, causes, incidents, several rules.
    await page.goto(new URL('alerts/CheckoutApiErrorBudgetBurnFast/', site.url).href, { waitUntil: 'networkidle' });
    expect(await page.locator('.causes li').count()).toBeGreaterThan(0);
    expect(requested.filter((url) => new URL(url).origin !== site.origin)).toEqual([]);
    expect(requested.filter((url) => /situation\.json|api\/v2/.test(url))).toEqual([]);
    expect(await page.locator('#live').count()).toBe(0);
    const gzipped = (await Promise.all(bodies)).reduce((sum, body) => sum + gzipSync(body).length, 0);
    expect(gzipped).toBeGreaterThan(1_000);
    expect(gzipped).toBeLessThan(40 * 1024);
  });
});
