/**
 * A second project, built once: kube-prometheus-style {folder}/{alert|lower} URLs without a
 * trailing slash, served under the sub-path /runbooks/, with one alert still uncovered (its check
 * downgraded) and one stale runbook. Also: a project with an error does not get built at all.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildSite, launchChromium, startSite, type SiteServer } from './site-server.ts';

// A browser step can take seconds while the whole suite shares two cores.
vi.setConfig({ testTimeout: 60_000 });

const fixture = path.join(import.meta.dirname, 'fixtures/subpath');
let site: SiteServer;
let browser: Browser;

beforeAll(async () => {
  [site, browser] = await Promise.all([startSite(path.join(fixture, 'runbooks.config.yaml'), '/runbooks/'), launchChromium()]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

async function open(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 800, height: 800 } });
  const page = await context.newPage();
  await page.goto(new URL(url, site.origin).href);
  return page;
}

describe('a site under a sub-path with kube-prometheus URLs', () => {
  it('serves the runbook at the exact runbook_url, without a trailing slash, with labels filled', async () => {
    const page = await open('/runbooks/kubernetes/kubepodcrashlooping?namespace=prod&pod=api-7f9c');
    expect(await page.locator('h1').textContent()).toBe('Pod is crash looping');
    const code = page.locator('.prose .code code').first();
    await expect.poll(() => code.textContent()).toBe('kubectl -n prod logs api-7f9c --previous --tail=100');
    expect(await page.locator('.stale').textContent()).toContain('320 days ago');
    // A link template gets the values URI-encoded.
    expect(await page.getByRole('link', { name: "the pod's logs" }).getAttribute('href')).toBe(
      'https://grafana.example.com/explore?pod=api-7f9c&namespace=prod',
    );
    // A relative link to another runbook lands on that runbook's page, under the base.
    expect(await page.getByRole('link', { name: 'filesystem trouble' }).getAttribute('href')).toBe(
      '/runbooks/node/nodefilesystemspacefillingup#diagnosis',
    );
  });

  it('encodes a label value into a link, so it cannot add parameters or change the address', async () => {
    const page = await open(
      `/runbooks/kubernetes/kubepodcrashlooping?${new URLSearchParams({ pod: 'a&admin=1#x', namespace: 'javascript:alert(1)' })}`,
    );
    const link = page.getByRole('link', { name: "the pod's logs" });
    await expect
      .poll(() => link.getAttribute('href'))
      .toBe('https://grafana.example.com/explore?pod=a%26admin%3D1%23x&namespace=javascript%3Aalert(1)');
  });

  it('keeps query and fragment through an alias under the base', async () => {
    const page = await open('/runbooks/old/crashloop/?pod=api-1&namespace=shop#diagnosis');
    await page.waitForURL(/kubepodcrashlooping/);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/runbooks/kubernetes/kubepodcrashlooping');
    expect(url.search).toBe('?pod=api-1&namespace=shop');
    expect(url.hash).toBe('#diagnosis');
  });

  it('searches under the base', async () => {
    // "quokka" stands only in the Diagnosis section of KubePodCrashLooping.
    const page = await open('/runbooks/?q=quokka');
    const result = page.locator('#search-results li a').first();
    await result.waitFor();
    expect(await result.getAttribute('href')).toBe('/runbooks/kubernetes/kubepodcrashlooping');
    expect(await page.locator('#search-results li').count()).toBe(1);
  });

  it('lists the alert without a runbook and the stale runbook on the coverage page', async () => {
    const page = await open('/runbooks/coverage/');
    expect(await page.locator('#missing + .table-wrap').innerText()).toContain('KubeJobFailed');
    expect(await page.locator('#stale + .table-wrap').innerText()).toMatch(/Pod is crash looping[\s\S]*2026-01-05[\s\S]*320/);
    expect(await page.locator('main > p').first().textContent()).toContain('3 of 4 alerts (75%)');
  });

  it('marks the uncovered alert in the home table', async () => {
    const page = await open('/runbooks/');
    const row = page.locator('.alerts-table tr', { hasText: 'KubeJobFailed' });
    expect(await row.innerText()).toContain('No runbook yet');
    expect(await row.innerText()).toContain('Job <namespace>/<job_name> failed to complete.');
    expect(await row.locator('a').count()).toBe(0);
  });
});

describe('a project the linter rejects', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'site-rejected-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is not built, and the build prints the linter report', async () => {
    cpSync(fixture, dir, { recursive: true });
    const config = path.join(dir, 'runbooks.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('alert-has-runbook: warning', 'alert-has-runbook: error'));
    const build = await buildSite(config);
    try {
      expect(build.ok).toBe(false);
      expect(build.output).toMatch(/12:16\s+error\s+Alert "KubeJobFailed" has no runbook\s+alert-has-runbook/);
      expect(build.output).toContain('1 error, 1 warning');
      expect(existsSync(path.join(build.outDir, 'index.html'))).toBe(false);
    } finally {
      rmSync(path.dirname(build.outDir), { recursive: true, force: true });
    }
  }, 120_000);
});
