// The real chain from an alert to its runbook: Debian's Prometheus evaluates the bundled rules plus alerts that always
// fire, sends them to Debian's Alertmanager running examples/alertmanager/alertmanager.yml and
// runbook-link.tmpl (the README recipe), and the notifications that reach this test carry runbook
// links with the alerts' label values. The links are then opened against the built site.
import { execFile } from 'node:child_process';
import { copyFile, glob, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Code, Nodes } from 'mdast';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument, stringify, type YAMLSeq } from 'yaml';
import { SHELL_LANGS, shellContexts, shellFill } from '../../src/lib/site/values.ts';
import { parseMarkdown } from '../../src/lib/markdown/mdast.ts';
import {
  removeDir,
  startReceiver,
  startServer,
  tempDir,
  type Receiver,
  type ReceivedRequest,
  type RunningServer,
} from '../support/servers.ts';
import { launchChromium, startSite, type SiteServer } from '../site/site-server.ts';

const run = promisify(execFile);
// Debian's packages, as scripts/system-deps.sh installs them (Prometheus 2.42, Alertmanager 0.25 here).
const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const AMTOOL = '/usr/bin/amtool';
const root = resolve(import.meta.dirname, '../..');
const exampleDir = join(root, 'examples/alertmanager');
const exampleConfig = join(exampleDir, 'alertmanager.yml');
const SITE_ORIGIN = 'https://runbooks.example.com';
// Measured here: the first notification arrives about 6 s after start, 5 s of it Prometheus
// discovering its Alertmanager. The margin is for a machine busy with other suites.
const NOTIFICATION_TIMEOUT_MS = 30_000;

// Two alerts with runbooks in runbooks/, firing from the first evaluation. $labels in Prometheus
// annotations are the labels of the expression's result (not the rule's `labels:`), so the
// expressions themselves carry them via label_replace.
//   HostDown: the rule puts label values into runbook_url itself, with Prometheus' urlquery.
//   HostFilesystemAlmostFull: runbook_url is the plain page (what `runbooks fix` writes), and the
//   Alertmanager template adds the labels; its mountpoint needs escaping (space, &, /).
const HOST_DOWN_LABELS = { instance: 'web-1:9100', job: 'node' };
const FILESYSTEM_LABELS = { instance: 'web-1:9100', job: 'node', mountpoint: '/srv/data & logs', device: '/dev/sdb1' };

function withLabels(labels: Record<string, string>): string {
  return Object.entries(labels).reduce(
    (expr, [name, value]) => `label_replace(${expr}, ${JSON.stringify(name)}, ${JSON.stringify(value)}, "", "")`,
    'vector(1)',
  );
}

const firingRules = {
  groups: [
    {
      name: 'chain-always-firing',
      interval: '1s',
      rules: [
        {
          alert: 'HostDown',
          expr: withLabels(HOST_DOWN_LABELS),
          labels: { severity: 'critical' },
          annotations: {
            summary: 'Host {{ $labels.instance }} is down',
            runbook_url: `${SITE_ORIGIN}/alerts/HostDown/?instance={{ $labels.instance | urlquery }}&job={{ $labels.job | urlquery }}`,
          },
        },
        {
          alert: 'HostFilesystemAlmostFull',
          expr: withLabels(FILESYSTEM_LABELS),
          labels: { severity: 'critical' },
          annotations: {
            summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is almost full',
            runbook_url: `${SITE_ORIGIN}/alerts/HostFilesystemAlmostFull/`,
          },
        },
      ],
    },
  ],
};

interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface SlackMessage {
  attachments: { title: string; title_link: string; actions?: { text: string; url: string }[] }[];
}
interface PagerDutyEvent {
  event_action: string;
  links?: { href: string; text: string }[];
}

/** The parsed JSON body of a request to `path` whose text mentions `alertname`, if it is one. */
function notificationFor<T>(path: string, alertname: string): (request: ReceivedRequest) => T | undefined {
  return (request) => (request.path === path && request.body.includes(alertname) ? (JSON.parse(request.body) as T) : undefined);
}

/** What a runbook page must show: its title and its code blocks with `labels` filled in. */
async function expectedRunbook(
  file: string,
  labels: Record<string, string>,
): Promise<{ title: string; codeBlocks: string[]; placeholders: string[] }> {
  const text = await readFile(join(root, file), 'utf8');
  const tree = parseMarkdown(text);
  const frontmatter = tree.children.find((node) => node.type === 'yaml');
  const { title } = parse(frontmatter?.value ?? '') as { title: string };
  const codes: Code[] = [];
  const walk = (node: Nodes): void => {
    if (node.type === 'code') codes.push(node);
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  // The site's documented behaviour: a placeholder shows the label's value, or <name> without one;
  // in a shell block a value with shell metacharacters is quoted to fit where it stands.
  const placeholder = /\{\{-?\s*\$labels\.(\w+)\s*-?\}\}/g;
  const fill = (code: Code): string => {
    const shell = SHELL_LANGS.has((code.lang ?? '').toLowerCase());
    const contexts = shell
      ? shellContexts(
          code.value,
          [...code.value.matchAll(placeholder)].map((m) => m.index),
        )
      : [];
    let i = 0;
    return code.value.replace(placeholder, (_placeholder, name: string) => {
      const context = contexts[i++];
      const value = labels[name];
      return value === undefined ? `<${name}>` : context ? shellFill(value, context) : value;
    });
  };
  const codeBlocks = codes.filter((code) => code.value.includes('$labels.')).map((code) => fill(code).trim());
  const placeholders = [...new Set([...text.matchAll(/\$labels\.(\w+)/g)].map((match) => match[1] as string))];
  return { title, codeBlocks, placeholders };
}

/**
 * Alertmanager's config for the test: the example, with only endpoints and timings changed. Its
 * `templates` line stays too; the caller puts the template beside the config, as the example says.
 */
function chainAlertmanagerConfig(example: string, receiverUrl: string): string {
  // Edited as a YAML document, so the example's receivers, routes and template lines stay exactly
  // as written: they are what is proven.
  const config = parseDocument(example);
  config.setIn(['global', 'slack_api_url'], `${receiverUrl}/slack`);
  config.setIn(['global', 'pagerduty_url'], `${receiverUrl}/pagerduty`);
  for (const [key, value] of Object.entries({ group_wait: '1s', group_interval: '1s', repeat_interval: '1h' }))
    config.setIn(['route', key], value);
  // The test also sees exactly what Prometheus sent, through a webhook in front of the example's routes.
  (config.getIn(['route', 'routes']) as YAMLSeq).items.unshift(config.createNode({ receiver: 'chain-webhook', continue: true }));
  config.addIn(['receivers'], { name: 'chain-webhook', webhook_configs: [{ url: `${receiverUrl}/webhook` }] });
  return config.toString();
}

describe('the real chain: Prometheus → Alertmanager → notification → runbook page', () => {
  let dir = '';
  let receiver: Receiver | undefined;
  let alertmanager: RunningServer | undefined;
  let prometheus: RunningServer | undefined;
  const ruleFiles: string[] = [];
  let site: SiteServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = await tempDir('runbooks-chain');
    receiver = await startReceiver({
      // Alertmanager's PagerDuty client expects the Events API's answer.
      '/pagerduty': { status: 202, body: '{"status":"success","message":"Event processed"}' },
    });

    const amConfig = join(dir, 'alertmanager.yml');
    await writeFile(amConfig, chainAlertmanagerConfig(await readFile(exampleConfig, 'utf8'), receiver.url));
    await copyFile(join(exampleDir, 'runbook-link.tmpl'), join(dir, 'runbook-link.tmpl'));
    await run(AMTOOL, ['check-config', amConfig]);
    alertmanager = await startServer({
      name: 'prometheus-alertmanager',
      command: ALERTMANAGER,
      args: (port) => [
        `--config.file=${amConfig}`,
        `--storage.path=${join(dir, 'alertmanager-data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
    });

    const firing = join(dir, 'always-firing.yaml');
    await writeFile(firing, stringify(firingRules));
    for await (const file of glob('rules/**/*.yaml', { cwd: root })) ruleFiles.push(join(root, file));
    ruleFiles.sort().push(firing);
    const promConfig = join(dir, 'prometheus.yml');
    await writeFile(
      promConfig,
      stringify({
        global: { evaluation_interval: '1s' },
        rule_files: ruleFiles,
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${alertmanager.port}`] }] }] },
      }),
    );
    prometheus = await startServer({
      name: 'prometheus',
      command: PROMETHEUS,
      args: (port) => [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // Prometheus finds its Alertmanagers about 5 s after start and drops what fires before
        // (measured: prometheus_notifications_dropped_total 1); it would resend only after the
        // default one minute.
        '--rules.alert.resend-delay=1s',
      ],
    });
  }, 60_000);

  /** Waits for a notification; on timeout the error also shows what both servers logged. */
  function waitForNotification<T>(pick: (request: ReceivedRequest) => T | undefined, waitingFor: string): Promise<T> {
    return receiver!.waitFor(pick, NOTIFICATION_TIMEOUT_MS, waitingFor).catch((error: Error) => {
      throw new Error(
        `${error.message}\n\nAlertmanager's output:\n${alertmanager?.output()}\n\nPrometheus' output:\n${prometheus?.output()}`,
      );
    });
  }

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), site?.stop(), prometheus?.stop(), alertmanager?.stop(), receiver?.close()]);
    if (dir) await removeDir(dir);
  });

  it('promtool accepts the bundled rules and the always-firing rules', async () => {
    expect(ruleFiles.length).toBeGreaterThan(1);
    const { stdout } = await run(PROMTOOL, ['check', 'rules', ...ruleFiles]);
    expect(stdout).toContain('SUCCESS');
  });

  it('amtool accepts the example Alertmanager config and its template', async () => {
    const { stdout } = await run(AMTOOL, ['check-config', exampleConfig]);
    expect(stdout).toContain('1 templates');
    expect(stdout).not.toContain('FAILED');
  });

  it("the example template's links, rendered by Alertmanager's own template engine (amtool template render)", async () => {
    const alerts = [
      { labels: { alertname: 'A', path: '/srv/a b&c=d#e?f%$1+' }, annotations: { runbook_url: `${SITE_ORIGIN}/alerts/A/` } },
      // A section link: the query string must go before the fragment, or the page never sees it.
      { labels: { alertname: 'B', pod: 'api-7f9c' }, annotations: { runbook_url: `${SITE_ORIGIN}/alerts/B/#mitigation` } },
      // The rule already put label values into the link: kept as it is, not doubled.
      { labels: { alertname: 'C', pod: 'api-7f9c' }, annotations: { runbook_url: `${SITE_ORIGIN}/alerts/C/?pod=api-7f9c` } },
      // No runbook_url at all: the site's URL pattern.
      { labels: { alertname: 'D', pod: 'api-7f9c' }, annotations: {} },
    ];
    const data = join(dir, 'template-data.json');
    await writeFile(data, JSON.stringify({ receiver: 'slack', status: 'firing', alerts: alerts.map((a) => ({ status: 'firing', ...a })) }));
    const { stdout } = await run(AMTOOL, [
      'template',
      'render',
      `--template.glob=${join(exampleDir, 'runbook-link.tmpl')}`,
      `--template.data=${data}`,
      '--template.text={{ range .Alerts }}{{ template "runbooks.link" . }}{{ "\\n" }}{{ end }}{{ template "runbooks.group_link" . }}',
    ]);
    expect(stdout.trim().split('\n')).toEqual([
      `${SITE_ORIGIN}/alerts/A/?alertname=A&path=%2Fsrv%2Fa+b%26c%3Dd%23e%3Ff%25%241%2B`,
      `${SITE_ORIGIN}/alerts/B/?alertname=B&pod=api-7f9c#mitigation`,
      `${SITE_ORIGIN}/alerts/C/?pod=api-7f9c`,
      `${SITE_ORIGIN}/alerts/D/?alertname=D&pod=api-7f9c`,
      `${SITE_ORIGIN}/alerts/A/?alertname=A&path=%2Fsrv%2Fa+b%26c%3Dd%23e%3Ff%25%241%2B`,
    ]);
    // What a browser reads back is exactly the label value.
    expect(new URL(stdout.split('\n')[0] ?? '').searchParams.get('path')).toBe(alerts[0]?.labels.path);
  });

  it('the webhook carries the runbook_url with the label values Prometheus filled in', {
    timeout: NOTIFICATION_TIMEOUT_MS + 5_000,
  }, async () => {
    const alert = await waitForNotification(
      (request) =>
        notificationFor<{ alerts: WebhookAlert[] }>(
          '/webhook',
          'HostDown',
        )(request)?.alerts.find((a) => a.labels.alertname === 'HostDown' && a.status === 'firing'),
      'a webhook notification with the firing HostDown alert',
    );
    const link = new URL(alert.annotations.runbook_url ?? '');
    expect(link.origin + link.pathname).toBe(`${SITE_ORIGIN}/alerts/HostDown/`);
    expect(Object.fromEntries(link.searchParams)).toEqual(HOST_DOWN_LABELS);
    expect(alert.annotations.runbook_url).toBe(`${SITE_ORIGIN}/alerts/HostDown/?instance=web-1%3A9100&job=node`);
  });

  it('Slack and PagerDuty notifications carry the runbook link built by the example template', {
    timeout: 2 * NOTIFICATION_TIMEOUT_MS,
  }, async () => {
    const expected = {
      // The rule's own link already has the labels: the template keeps it as it is.
      HostDown: { page: '/alerts/HostDown/', params: HOST_DOWN_LABELS },
      // A plain link: the template adds all of the alert's labels.
      HostFilesystemAlmostFull: {
        page: '/alerts/HostFilesystemAlmostFull/',
        params: { alertname: 'HostFilesystemAlmostFull', severity: 'critical', ...FILESYSTEM_LABELS },
      },
    };
    for (const [alertname, { page, params }] of Object.entries(expected)) {
      const slack = await waitForNotification(notificationFor<SlackMessage>('/slack', alertname), `a Slack message about ${alertname}`);
      const pagerduty = await waitForNotification(
        notificationFor<PagerDutyEvent>('/pagerduty', alertname),
        `a PagerDuty event about ${alertname}`,
      );
      const attachment = slack.attachments[0];
      const links = {
        'Slack title_link': attachment?.title_link,
        'Slack button': attachment?.actions?.find((action) => action.text === 'Runbook')?.url,
        'PagerDuty link': pagerduty.links?.find((link) => link.text === 'Runbook')?.href,
      };
      for (const [where, href] of Object.entries(links)) {
        expect(href, `${where} of ${alertname}`).toBeDefined();
        const link = new URL(href!);
        expect(link.origin + link.pathname, `${where} of ${alertname}`).toBe(SITE_ORIGIN + page);
        expect(Object.fromEntries(link.searchParams), `${where} of ${alertname}`).toEqual(params);
      }
      expect(pagerduty.event_action).toBe('trigger');
    }
    // The bundled Watchdog has no runbook_url: the template falls back to the site's URL pattern.
    const watchdog = await waitForNotification(notificationFor<SlackMessage>('/slack', 'Watchdog'), 'a Slack message about Watchdog');
    const fallback = new URL(watchdog.attachments[0]?.title_link ?? '');
    expect(fallback.origin + fallback.pathname).toBe(`${SITE_ORIGIN}/alerts/Watchdog/`);
    expect(Object.fromEntries(fallback.searchParams)).toEqual({ alertname: 'Watchdog', severity: 'none' });
  });

  it('the links open the right runbook on the built site, with the label values filled in', { timeout: 240_000 }, async () => {
    const webhookAlert = await waitForNotification(
      (request) =>
        notificationFor<{ alerts: WebhookAlert[] }>('/webhook', 'HostDown')(request)?.alerts.find((a) => a.labels.alertname === 'HostDown'),
      'a webhook notification with the HostDown alert',
    );
    const slack = await waitForNotification(
      notificationFor<SlackMessage>('/slack', 'HostFilesystemAlmostFull'),
      'a Slack message about HostFilesystemAlmostFull',
    );
    const cases: { link: string; alert: string; runbook: string; labels: Record<string, string> }[] = [
      // As Prometheus wrote it into the annotation.
      { link: webhookAlert.annotations.runbook_url ?? '', alert: 'HostDown', runbook: 'runbooks/HostDown.md', labels: HOST_DOWN_LABELS },
      // As the example template built it for Slack; this runbook covers two alerts.
      {
        link: slack.attachments[0]?.title_link ?? '',
        alert: 'HostFilesystemAlmostFull',
        runbook: 'runbooks/HostFilesystemFilling.md',
        labels: FILESYSTEM_LABELS,
      },
    ];

    // The links are in hand: the alerting servers are no longer needed while the site builds.
    await Promise.all([prometheus?.stop(), alertmanager?.stop()]);

    [site, browser] = await Promise.all([startSite(), launchChromium()]);
    const page = await browser.newPage();
    for (const { link, alert, runbook, labels } of cases) {
      expect(link.startsWith(`${SITE_ORIGIN}/`), `${alert}'s link ${link}`).toBe(true);
      // The link's path already holds the site's base, so only the origin changes.
      const local = site.origin + link.slice(SITE_ORIGIN.length);
      const response = await page.goto(local);
      expect(response?.status(), `status of ${local}`).toBe(200);
      const expected = await expectedRunbook(runbook, labels);

      await expect.poll(() => page.locator('h1').first().textContent(), { message: `title of ${local}` }).toBe(expected.title);
      expect(await page.locator('.alert-names').textContent()).toContain(alert);
      // The page's script fills the label list and the code blocks from the query string.
      expect(expected.placeholders.length).toBeGreaterThan(0);
      for (const name of expected.placeholders) {
        await expect
          .poll(() => page.locator(`[data-label-row="${name}"] dd .slot`).textContent(), { message: `label ${name} on ${local}` })
          .toBe(labels[name] ?? `<${name}>`);
      }
      // Labels no placeholder uses are still listed for the responder.
      const labelList = await page.locator('.labels').textContent();
      for (const value of Object.values(labels)) expect(labelList, `label list of ${local}`).toContain(value);
      const codeBlocks = (await page.locator('.prose pre').allTextContents()).map((text) => text.trim());
      expect(expected.codeBlocks.length).toBeGreaterThan(0);
      for (const block of expected.codeBlocks) expect(codeBlocks, `code blocks of ${local}`).toContain(block);
    }
  });
});
