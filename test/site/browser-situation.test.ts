/**
 * The situation pages and the live view in Debian's Chromium, on the bundled example built once
 * with `site.alertmanager` set: Debian's Prometheus evaluates always-firing copies of bundled
 * alerts (and one alert with no runbook) and sends them to Debian's Alertmanager, which silences
 * one and inhibits another. The site is served as the README's same-origin set-up: its files, and
 * Alertmanager proxied under /alertmanager/. The pages read the same Alertmanager twice: directly on
 * its own port (cross-origin, as Alertmanager allows with Access-Control-Allow-Origin: *) and
 * through the proxy path; a third configured Alertmanager is a port nothing listens on.
 */
import { cp, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { serveSameOrigin, type SameOriginServer } from '../support/same-origin.ts';
import { freePort, removeDir, startServer, tempDir, type RunningServer } from '../support/servers.ts';
import { axeViolations, buildSite, launchChromium } from './site-server.ts';

vi.setConfig({ testTimeout: 60_000 });

const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const root = resolve(import.meta.dirname, '../..');
// Measured here: alerts reach Alertmanager about 6 s after Prometheus starts (5 s of it discovery).
const FIRING_TIMEOUT_MS = 40_000;

function withLabels(labels: Record<string, string>): string {
  return Object.entries(labels).reduce(
    (expr, [name, value]) => `label_replace(${expr}, ${JSON.stringify(name)}, ${JSON.stringify(value)}, "", "")`,
    'vector(1)',
  );
}

const HOST = { instance: 'web-1:9100', job: 'node' };
const firing = (alert: string, severity: string, labels: Record<string, string>, extra: Record<string, string> = {}) => ({
  alert,
  expr: withLabels(labels),
  labels: { severity, ...extra },
  annotations: { summary: `${alert} on {{ $labels.instance }}` },
});
const firingRules = {
  groups: [
    {
      name: 'situation-always-firing',
      interval: '1s',
      rules: [
        firing('CheckoutApiErrorBudgetBurnFast', 'critical', { job: 'checkout-api' }),
        firing('HostHighCpuLoad', 'warning', HOST),
        firing('HostDiskIoSaturation', 'warning', { ...HOST, device: 'sda' }),
        firing('HostOutOfMemory', 'warning', HOST),
        // No runbook: it must stand out, in the service its label names. Its priority is the
        // severity of the site built with severity-match's `label: priority`.
        firing('CheckoutQueueBacklog', 'critical', { job: 'checkout-worker' }, { service: 'checkout-api', priority: 'P1' }),
      ],
    },
  ],
};

const alertmanagerConfig = {
  route: { receiver: 'nowhere', group_wait: '1s', group_interval: '1s', repeat_interval: '1h' },
  receivers: [{ name: 'nowhere' }],
  // A busy CPU explains a saturated disk on the same host: the disk alert is held back.
  inhibit_rules: [
    { source_matchers: ['alertname="HostHighCpuLoad"'], target_matchers: ['alertname="HostDiskIoSaturation"'], equal: ['instance'] },
  ],
};

let dir = '';
let alertmanager: RunningServer | undefined;
let prometheus: RunningServer | undefined;
let site: (SameOriginServer & { origin: string; outDir: string }) | undefined;
let prioritySite: (SameOriginServer & { outDir: string }) | undefined;
let browser: Browser | undefined;
let deadAlertmanager = '';
const pageErrors: string[] = [];

interface ApiAlert {
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}

async function apiAlerts(): Promise<ApiAlert[]> {
  const response = await fetch(`${alertmanager!.url}/api/v2/alerts`);
  return (await response.json()) as ApiAlert[];
}

beforeAll(async () => {
  dir = await tempDir('runbooks-situation');
  const amConfig = join(dir, 'alertmanager.yml');
  await writeFile(amConfig, stringify(alertmanagerConfig));
  alertmanager = await startServer({
    name: 'prometheus-alertmanager',
    command: ALERTMANAGER,
    args: (port) => [
      `--config.file=${amConfig}`,
      `--storage.path=${join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
  });
  const now = Date.now();
  const silence = await fetch(`${alertmanager.url}/api/v2/silences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      matchers: [{ name: 'alertname', value: 'HostOutOfMemory', isRegex: false, isEqual: true }],
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'test',
      comment: 'known, being fixed',
    }),
  });
  expect(silence.status).toBe(200);

  // The bundled example as a team's repository would hold it, plus site.alertmanager; and a copy
  // whose config tells severity-match that the severity is in the `priority` label.
  const config = parseDocument(await readFile(join(root, 'runbooks.config.yaml'), 'utf8'));
  deadAlertmanager = `http://127.0.0.1:${await freePort()}`;
  config.setIn(['site', 'alertmanager'], [alertmanager.url, '/alertmanager', deadAlertmanager]);
  const writeProject = async (name: string): Promise<string> => {
    const project = join(dir, name);
    await mkdir(project);
    // Copies, not symbolic links: the linter does not follow links out of the project.
    for (const part of ['rules', 'runbooks', 'schema']) await cp(join(root, part), join(project, part), { recursive: true });
    const file = join(project, 'runbooks.config.yaml');
    await writeFile(file, config.toString());
    return file;
  };
  const configFile = await writeProject('project');
  config.setIn(['checks', 'severity-match'], { label: 'priority' });
  const priorityConfigFile = await writeProject('project-priority');

  const rules = join(dir, 'always-firing.yaml');
  await writeFile(rules, stringify(firingRules));
  const promConfig = join(dir, 'prometheus.yml');
  await writeFile(
    promConfig,
    stringify({
      global: { evaluation_interval: '1s' },
      rule_files: [rules],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${alertmanager.port}`] }] }] },
    }),
  );
  let build: Awaited<ReturnType<typeof buildSite>>;
  let priorityBuild: typeof build;
  [prometheus, [build, priorityBuild], browser] = await Promise.all([
    startServer({
      name: 'prometheus',
      command: PROMETHEUS,
      args: (port) => [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${join(dir, 'prom-data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--rules.alert.resend-delay=1s',
      ],
    }),
    // One after the other: two builds at once would share the repository's .astro folder.
    buildSite(configFile).then(async (first) => [first, await buildSite(priorityConfigFile)] as const),
    launchChromium(),
  ]);
  if (!build.ok) throw new Error(`astro build failed:\n${build.output}`);
  if (!priorityBuild.ok) throw new Error(`astro build (label: priority) failed:\n${priorityBuild.output}`);
  const served = await serveSameOrigin(build.outDir, '/alertmanager/', alertmanager.url);
  site = { ...served, origin: served.url, outDir: build.outDir };
  prioritySite = { ...(await serveSameOrigin(priorityBuild.outDir, '/alertmanager/', alertmanager.url)), outDir: priorityBuild.outDir };
  // The view is only as good as what Alertmanager holds: wait until all five are there, each in its state.
  const deadline = Date.now() + FIRING_TIMEOUT_MS;
  for (;;) {
    const alerts = await apiAlerts();
    const state = (name: string) => alerts.find((a) => a.labels.alertname === name)?.status;
    if (alerts.length >= 5 && state('HostOutOfMemory')?.silencedBy.length && state('HostDiskIoSaturation')?.inhibitedBy.length) break;
    if (Date.now() > deadline)
      throw new Error(`Alertmanager holds ${JSON.stringify(alerts.map((a) => [a.labels.alertname, a.status]))}\n${prometheus.output()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([browser?.close(), site?.close(), prioritySite?.close(), prometheus?.stop(), alertmanager?.stop()]);
  if (site) await removeDir(resolve(site.outDir, '..'));
  if (prioritySite) await removeDir(resolve(prioritySite.outDir, '..'));
  if (dir) await removeDir(dir);
});

async function open(path: string, width = 1024, colorScheme: 'light' | 'dark' = 'light', on = site!.url): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width, height: 900 }, colorScheme });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
  await page.goto(new URL(path, `${on}/`).href);
  return page;
}

/** Waits until the live view has read Alertmanager, then returns its groups: service → [alert, state, runbook link]. */
async function liveGroups(page: Page): Promise<Record<string, [string, string, string | null][]>> {
  await page.locator('#live[data-loaded="true"]').waitFor({ timeout: 20_000 });
  return page
    .locator('#live .live-group')
    .evaluateAll((groups) =>
      Object.fromEntries(
        groups.map((g) => [
          (g as HTMLElement).dataset.service ?? '',
          [...g.querySelectorAll<HTMLElement>('.live-alert')].map((li) => [
            li.dataset.alert ?? '',
            li.dataset.state ?? '',
            li.querySelector('a')?.getAttribute('href') ?? null,
          ]),
        ]),
      ),
    );
}

describe('what fires now, from the real Prometheus and Alertmanager', () => {
  it('reads Alertmanager both from another origin and through the same-origin proxy path', async () => {
    expect(new URL(alertmanager!.url).origin).not.toBe(site!.origin);
    const context = await browser!.newContext();
    const page = await context.newPage();
    const answers: [string, number][] = [];
    page.on('response', (response) => {
      if (response.url().includes('/api/v2/alerts'))
        answers.push([new URL(response.url()).origin + new URL(response.url()).pathname, response.status()]);
    });
    await page.goto(`${site!.url}/`);
    await page.locator('#live[data-loaded="true"]').waitFor({ timeout: 20_000 });
    expect(answers.sort()).toEqual(
      [
        [`${alertmanager!.url}/api/v2/alerts`, 200],
        [`${site!.url}/alertmanager/api/v2/alerts`, 200],
      ].sort(),
    );
    // Only the one that nothing answers is named as unreachable.
    expect(await page.locator('#live .live-status').textContent()).toMatch(
      new RegExp(`Could not reach ${deadAlertmanager.replaceAll('.', '\\.')}; showing`),
    );
    await context.close();
  });

  it('the home page lists every firing alert by service, silenced and inhibited marked, each linked to its runbook with its labels', async () => {
    const page = await open('');
    const groups = await liveGroups(page);
    expect(groups).toEqual({
      'checkout-api': [
        ['CheckoutQueueBacklog', 'active', null],
        [
          'CheckoutApiErrorBudgetBurnFast',
          'active',
          '/alerts/CheckoutApiErrorBudgetBurnFast/?alertname=CheckoutApiErrorBudgetBurnFast&job=checkout-api&severity=critical',
        ],
      ],
      'linux-hosts': [
        ['HostHighCpuLoad', 'active', '/alerts/HostHighCpuLoad/?alertname=HostHighCpuLoad&instance=web-1%3A9100&job=node&severity=warning'],
        [
          'HostDiskIoSaturation',
          'inhibited',
          '/alerts/HostDiskIoSaturation/?alertname=HostDiskIoSaturation&device=sda&instance=web-1%3A9100&job=node&severity=warning',
        ],
        [
          'HostOutOfMemory',
          'silenced',
          '/alerts/HostOutOfMemory/?alertname=HostOutOfMemory&instance=web-1%3A9100&job=node&severity=warning',
        ],
      ],
    });
    // The alert without a runbook stands out: its own colour and a "no runbook" flag.
    const orphan = page.locator('.live-alert[data-alert="CheckoutQueueBacklog"]');
    expect(await orphan.locator('.no-runbook-flag').textContent()).toBe('no runbook');
    const [orphanBg, otherBg] = await Promise.all(
      [orphan, page.locator('.live-alert[data-alert="HostHighCpuLoad"]')].map((l) =>
        l.evaluate((el) => getComputedStyle(el).backgroundColor),
      ),
    );
    expect(orphanBg).not.toBe(otherBg);
    expect(await page.locator('.live-alert[data-alert="HostOutOfMemory"] .held-flag').textContent()).toBe('silenced');
    expect(await page.locator('#live .live-links a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
      `${alertmanager!.url}/#/alerts`,
      '/alertmanager/#/alerts',
      `${deadAlertmanager}/#/alerts`,
    ]);
    // The unreachable second Alertmanager is one quiet line; the others' alerts still show.
    const status = await page.locator('#live .live-status').textContent();
    expect(status).toBe(
      `5 alerts firing now (2 silenced or inhibited, 1 without a runbook). Could not reach ${deadAlertmanager}; showing the alerts of the others.`,
    );
  });

  it('a firing alert opens its runbook with the label values filled in', async () => {
    const page = await open('');
    await liveGroups(page);
    await page.locator('.live-alert[data-alert="HostHighCpuLoad"] a').click();
    await page.waitForURL(/\/alerts\/HostHighCpuLoad\//);
    await expect.poll(() => page.locator('[data-label-row="instance"] dd').textContent()).toBe('web-1:9100');
  });

  it("a service page shows only that service's firing alerts; a team page only the team's", async () => {
    const service = await open('services/checkout-api/');
    expect(Object.keys(await liveGroups(service))).toEqual(['checkout-api']);
    expect(await service.locator('#live .live-status').textContent()).toContain('2 alerts firing in checkout-api now');
    const team = await open('teams/platform/');
    expect(Object.keys(await liveGroups(team))).toEqual(['linux-hosts']);
  });

  it("a symptom's runbook page shows what fires in its service and in the services it depends on", async () => {
    const page = await open('alerts/CheckoutApiErrorBudgetBurnSlow/');
    expect(Object.keys(await liveGroups(page))).toEqual(['checkout-api', 'linux-hosts']);
    expect(await page.locator('#live .live-status').textContent()).toContain('5 alerts firing in checkout-api and linux-hosts now');
  });

  it('a runbook page shows what fires in its service beside the runbook', async () => {
    const page = await open('alerts/HostDown/');
    const groups = await liveGroups(page);
    expect(Object.keys(groups)).toEqual(['linux-hosts']);
    expect(groups['linux-hosts']?.map((a) => a[0])).toEqual(['HostHighCpuLoad', 'HostDiskIoSaturation', 'HostOutOfMemory']);
  });

  it('label values from Alertmanager stay text', async () => {
    const page = await open('');
    await liveGroups(page);
    expect(await page.locator('#live script, #live img').count()).toBe(0);
    expect(await page.locator('.live-alert[data-alert="HostHighCpuLoad"] .live-labels').textContent()).toContain('instance=web-1:9100');
  });
});

describe("severity-match's label in the live view", () => {
  /** The badge and the label pairs the live view shows for one firing alert. */
  async function shown(page: Page, alert: string): Promise<{ badge: string[]; pairs: string[] }> {
    await liveGroups(page);
    const item = page.locator(`.live-alert[data-alert="${alert}"]`);
    return { badge: await item.locator('.badge').allTextContents(), pairs: await item.locator('.live-labels .pair').allTextContents() };
  }

  it('shows the severity label as the badge, and not again among the labels', async () => {
    const { badge, pairs } = await shown(await open(''), 'CheckoutQueueBacklog');
    expect(badge).toEqual(['critical']);
    expect(pairs).toEqual(expect.arrayContaining(['priority=P1', 'service=checkout-api']));
    expect(pairs.filter((p) => p.startsWith('severity='))).toEqual([]);
  });

  it('with `label: priority`, shows the priority as the badge and the severity label among the others', async () => {
    const page = await open('', 1024, 'light', prioritySite!.url);
    expect(await page.locator('#live').getAttribute('data-severity-label')).toBe('priority');
    const { badge, pairs } = await shown(page, 'CheckoutQueueBacklog');
    expect(badge).toEqual(['P1']);
    expect(pairs).toEqual(expect.arrayContaining(['severity=critical', 'service=checkout-api']));
    expect(pairs.filter((p) => p.startsWith('priority='))).toEqual([]);
    // An alert without the label has no severity to show.
    expect((await shown(page, 'HostHighCpuLoad')).badge).toEqual([]);
  });
});

describe('the situation pages', () => {
  it('the home page links every service and team, lists the most recent incident, and filters by alert type', async () => {
    const page = await open('');
    const services = await page.locator('[data-list="services"] a').allTextContents();
    expect(services).toEqual(['alertmanager', 'checkout-api', 'linux-hosts', 'prometheus']);
    expect(await page.locator('[data-list="teams"] a').allTextContents()).toEqual(['checkout', 'observability', 'platform']);
    expect(await page.locator('#incidents li').first().textContent()).toContain('INC-2026-031');
    await page.locator('label', { hasText: 'symptom' }).locator('input').check();
    const shown = await page.locator('.alerts-table tbody tr:visible th').allTextContents();
    expect(shown).toEqual(['CheckoutApiErrorBudgetBurnFast', 'CheckoutApiErrorBudgetBurnSlow', 'CheckoutApiHighLatency']);
    expect(new URL(page.url()).searchParams.get('type')).toBe('symptom');
  });

  it('the header links the lists of services and teams', async () => {
    const page = await open('');
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Services' }).click();
    await page.waitForURL(/\/services\/$/);
    expect(await page.locator('[data-list="services"] a').allTextContents()).toEqual([
      'alertmanager',
      'checkout-api',
      'linux-hosts',
      'prometheus',
    ]);
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Teams' }).click();
    await page.waitForURL(/\/teams\/$/);
    expect(await page.locator('[data-list="teams"] a').allTextContents()).toEqual(['checkout', 'observability', 'platform']);
  });

  it('a service page: alerts with severity, type, runbook status and review, dashboards, escalation, dependencies and incidents', async () => {
    const page = await open('services/checkout-api/');
    expect(await page.locator('h1').textContent()).toBe('checkout-api');
    const row = page.locator('.group-alerts tr[data-alert="CheckoutApiHighLatency"]');
    expect((await row.locator('td').allTextContents()).map((t) => t.trim())).toEqual([
      'warning',
      'symptom',
      'checkout',
      'ok',
      '2026-10-09',
    ]);
    expect(await page.locator('#dashboards + ul a').allTextContents()).toEqual(['checkout-api SLO', 'checkout-api service']);
    expect(await page.locator('#escalation + ul').textContent()).toContain('#checkout-oncall');
    await page.getByRole('link', { name: 'linux-hosts' }).first().click();
    await page.waitForURL(/\/services\/linux-hosts\/$/);
    expect(await page.locator('section[aria-labelledby="dependencies"]').textContent()).toContain(
      'Depended on by (downstream): checkout-api',
    );
    expect(await page.locator('.incidents li').allTextContents()).toEqual([expect.stringContaining('INC-2026-031')]);
  });

  it("a symptom's runbook lists what can cause it, its past incidents newest first, and links its service and team", async () => {
    const page = await open('alerts/CheckoutApiErrorBudgetBurnFast/');
    const causes = await page.locator('.causes li a').allTextContents();
    expect(causes).toContain('HostFilesystemAlmostFull');
    expect(causes).toContain('HostHighCpuLoad');
    expect(await page.locator('.seen-in li time').allTextContents()).toEqual(['2026-09-14', '2026-05-20']);
    await page.locator('.situation').getByRole('link', { name: 'checkout', exact: true }).click();
    await page.waitForURL(/\/teams\/checkout\/$/);
    expect(await page.locator('.group-alerts tbody tr').count()).toBe(3);
  });

  it("a cause's runbook lists the symptoms it can explain", async () => {
    const page = await open('alerts/HostHighCpuLoad/');
    expect(await page.locator('.symptoms li a').allTextContents()).toEqual([
      'CheckoutApiErrorBudgetBurnFast',
      'CheckoutApiErrorBudgetBurnSlow',
      'CheckoutApiHighLatency',
    ]);
    expect(await page.locator('.situation [data-alert-type]').textContent()).toBe('cause');
  });

  it('fits a phone: no horizontal scroll at 360 px on a service page with the live view', async () => {
    const page = await open('services/linux-hosts/', 360);
    await liveGroups(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});

describe('accessibility', () => {
  // Not CheckoutApiErrorBudgetBurnFast: its two rules of one name and group share a landmark name (the rules section, not this issue's).
  const cases = [
    ...['', 'services/checkout-api/', 'teams/platform/', 'alerts/HostHighCpuLoad/'].map((p) => [p, 'light'] as const),
    ['', 'dark'] as const,
    ['services/checkout-api/', 'dark'] as const,
  ];
  for (const [path, colorScheme] of cases) {
    it(`axe finds no violations on /${path} with the live view (${colorScheme})`, async () => {
      const page = await open(path, 1024, colorScheme);
      await liveGroups(page);
      const violations = await axeViolations(page);
      expect(violations).toEqual([]);
    });
  }
});

describe('when the runbook index cannot be read', () => {
  it('says so in one line and does not call every alert runbook-less', async () => {
    const file = join(site!.outDir, 'situation.json');
    await rename(file, `${file}.away`);
    try {
      const page = await open('');
      await page.locator('#live[data-loaded="true"]').waitFor({ timeout: 20_000 });
      expect(await page.locator('#live .live-status').textContent()).toContain(
        'The list of runbooks could not be read, so the alerts are not linked to them.',
      );
      expect(await page.locator('#live .live-alert').count()).toBe(5);
      expect(await page.locator('#live .no-runbook').count()).toBe(0);
    } finally {
      await rename(`${file}.away`, file);
    }
  });
});

describe('when Alertmanager cannot be reached', () => {
  it('is one quiet line, and the page is whole', { timeout: 90_000 }, async () => {
    await Promise.all([prometheus?.stop(), alertmanager?.stop()]);
    const page = await open('');
    await page.locator('#live[data-loaded="true"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#live .live-status').textContent()).toBe(
      `Could not reach Alertmanager (${alertmanager!.url}, /alertmanager, ${deadAlertmanager}): the alerts firing now are not shown.`,
    );
    expect(await page.locator('#live .live-group').count()).toBe(0);
    expect(await page.locator('.alerts-table tbody tr').count()).toBeGreaterThan(20);
    expect(pageErrors).toEqual([]);
  });
});
