import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/lib/site/load-site.ts';
import { runExample } from '../../src/lib/site/check-docs.ts';
import { loadConfig } from '../../src/lib/config/config.ts';
import { exampleRules } from '../../src/lib/checks/examples.ts';
import { BUILTIN_TEMPLATE, renderRunbook } from '../../src/lib/commands/scaffold.ts';
import { groupSummary, incidentsOf, slugOf, uniqueSlugs } from '../../src/lib/site/situation.ts';
import { writeFiles } from '../harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
const today = '2026-11-21';
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('the situation of the bundled example', async () => {
  const { situation } = await loadSite({ cwd: root, config: 'runbooks.config.yaml', today });
  const service = (name: string) => situation.services.find((s) => s.name === name);

  it('has a page per service and per team, linked from each other', () => {
    expect(situation.services.map((s) => [s.name, s.href])).toEqual([
      ['alertmanager', '/services/alertmanager/'],
      ['checkout-api', '/services/checkout-api/'],
      ['linux-hosts', '/services/linux-hosts/'],
      ['prometheus', '/services/prometheus/'],
    ]);
    expect(situation.teams.map((t) => t.name)).toEqual(['checkout', 'observability', 'platform']);
    expect(service('checkout-api')?.related).toEqual([{ name: 'checkout', href: '/teams/checkout/' }]);
    expect(situation.teams.find((t) => t.name === 'observability')?.related.map((r) => r.name)).toEqual(['alertmanager', 'prometheus']);
  });

  it("lists a service's alerts with severity, type, runbook status and review date, and its dashboards and escalation", () => {
    const checkout = service('checkout-api');
    expect(checkout?.alerts.map((a) => [a.alert, a.severity, a.type, a.status])).toEqual([
      ['CheckoutApiErrorBudgetBurnFast', 'critical', 'symptom', []],
      ['CheckoutApiErrorBudgetBurnSlow', 'warning', 'symptom', []],
      ['CheckoutApiHighLatency', 'warning', 'symptom', []],
    ]);
    expect(checkout?.dashboards.map((d) => d.title)).toEqual(['checkout-api SLO', 'checkout-api service']);
    expect(checkout?.escalation[0]).toContain('#checkout-oncall');
    expect(checkout?.oldestReview).toBe('2026-10-09');
    expect(checkout?.counts).toMatchObject({ symptom: 3, cause: 0 });
    expect(groupSummary(checkout as NonNullable<typeof checkout>)).toBe('3 alerts (3 symptom); oldest review 2026-10-09.');
    expect(service('linux-hosts')?.counts).toMatchObject({ symptom: 0, cause: 10 });
  });

  it('adds upstream and downstream services from depends_on', () => {
    expect(service('checkout-api')?.upstream).toEqual([{ name: 'linux-hosts', href: '/services/linux-hosts/' }]);
    expect(service('linux-hosts')?.downstream).toEqual([{ name: 'checkout-api', href: '/services/checkout-api/' }]);
    expect(service('prometheus')?.upstream).toEqual([]);
  });

  it("lists a symptom's possible causes and a cause's symptoms, across depends_on", () => {
    const fast = situation.runbooks.find((r) => r.path === 'alerts/CheckoutApiErrorBudgetBurnFast/');
    expect(fast?.type).toBe('symptom');
    expect(fast?.causes.map((c) => c.alert)).toContain('HostFilesystemAlmostFull');
    expect(fast?.causes.every((c) => c.service === 'linux-hosts')).toBe(true);
    expect(fast?.symptoms).toEqual([]);
    const disk = situation.runbooks.find((r) => r.path === 'alerts/HostFilesystemAlmostFull/');
    expect(disk?.symptoms.map((s) => s.alert)).toEqual([
      'CheckoutApiErrorBudgetBurnFast',
      'CheckoutApiErrorBudgetBurnSlow',
      'CheckoutApiHighLatency',
    ]);
    // A runbook never lists its own alerts as related.
    expect(disk?.causes).toEqual([]);
    const prom = situation.runbooks.find((r) => r.path === 'alerts/PrometheusTargetScrapeFailing/');
    expect([prom?.type, prom?.causes, prom?.symptoms]).toEqual([undefined, [], []]);
  });

  it('lists incidents newest first on the runbook and service, and the most recent on the home', () => {
    const fast = situation.runbooks.find((r) => r.path === 'alerts/CheckoutApiErrorBudgetBurnFast/');
    expect(fast?.incidents.map((i) => i.date)).toEqual(['2026-09-14', '2026-05-20']);
    expect([fast?.scope, fast?.scopeName]).toEqual([
      { kind: 'services', names: ['checkout-api', 'linux-hosts'] },
      'checkout-api and linux-hosts',
    ]);
    expect(service('checkout-api')?.incidents.map((i) => [i.date, i.seenIn.map((x) => x.alert)])).toEqual([
      ['2026-09-14', ['CheckoutApiErrorBudgetBurnFast']],
      ['2026-05-20', ['CheckoutApiErrorBudgetBurnFast']],
    ]);
    // The two-alert filesystem runbook lists its incident once, named by its first alert.
    expect(service('linux-hosts')?.incidents.map((i) => i.seenIn.map((x) => x.alert))).toEqual([['HostFilesystemFillingUp']]);
    // On the home, one incident that two runbooks list is one entry with both.
    expect(situation.recentIncidents.map((i) => [i.date, i.seenIn.map((x) => [x.alert, x.serviceHref])])).toEqual([
      [
        '2026-09-14',
        [
          ['CheckoutApiErrorBudgetBurnFast', '/services/checkout-api/'],
          ['HostFilesystemFillingUp', '/services/linux-hosts/'],
        ],
      ],
      ['2026-05-20', [['CheckoutApiErrorBudgetBurnFast', '/services/checkout-api/']]],
    ]);
  });

  it('has no Alertmanager by default, and a live index of every alert', () => {
    expect(situation.alertmanager).toEqual([]);
    expect(situation.live.alerts.HostDown).toEqual({ href: '/alerts/HostDown/', service: 'linux-hosts', owner: 'platform', type: 'cause' });
    expect(situation.live.alerts.Watchdog).toEqual({});
  });
});

describe('the situation from rule labels, with findings downgraded', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'situation-'));
  temps.push(dir);
  const body = '\n# T\n\n## Meaning\n\nText.\n\n## Impact\n\nTODO\n\n## Diagnosis\n\nText.\n\n## Mitigation\n\nText.\n';
  writeFiles(dir, {
    'runbooks.config.yaml':
      'rules: [rules/*.yaml]\nrunbooks: [runbooks/*.md]\nchecks:\n  alert-has-runbook: warning\n  placeholder-content: warning\nsite:\n  alertmanager: [http://am-1:9093/, http://am-2:9093]\n',
    'rules/r.yaml': `groups:
  - name: g
    rules:
      - alert: QueueStuck
        expr: vector(1)
        labels: { severity: critical, service: "Queue Workers", team: jobs, alert_type: cause }
      - alert: QueueLate
        expr: vector(1)
        labels: { severity: warning, service: "queue workers", owner: jobs, alert_type: symptom }
`,
    'runbooks/QueueLate.md': `---\nalert: QueueLate\ntitle: Queue is late\nseverity: warning\nowner: jobs\nsummary: Jobs run late.\nlast_reviewed: 2026-11-01\n---\n${body}`,
  });
  const { situation } = await loadSite({ cwd: dir, today });

  it("takes service, owner and type from the rule's labels where no runbook says them", () => {
    const stuck = situation.alerts.find((a) => a.alert === 'QueueStuck');
    expect(stuck).toMatchObject({ service: 'Queue Workers', owner: 'jobs', type: 'cause', status: ['missing'] });
    expect(situation.alerts.find((a) => a.alert === 'QueueLate')).toMatchObject({
      service: 'queue workers',
      type: 'symptom',
      status: ['placeholders'],
    });
  });

  it('gives services whose names slug alike their own pages', () => {
    expect(situation.services.map((s) => [s.name, s.path])).toEqual([
      ['Queue Workers', 'services/queue-workers/'],
      ['queue workers', 'services/queue-workers-2/'],
    ]);
    expect(situation.services[0]?.counts).toMatchObject({ missing: 1, cause: 1 });
    expect(groupSummary(situation.services[0] as NonNullable<(typeof situation.services)[0]>)).toBe(
      '1 alert (1 cause); 1 without a runbook; no review dates.',
    );
  });

  it('reads site.alertmanager as a list without trailing slashes', () => {
    expect(situation.alertmanager).toEqual(['http://am-1:9093', 'http://am-2:9093']);
  });
});

describe('a big service', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'situation-big-'));
  temps.push(dir);
  const body = '\n# T\n\n## Meaning\n\nText.\n\n## Impact\n\nText.\n\n## Diagnosis\n\nText.\n\n## Mitigation\n\nText.\n';
  const names = Array.from({ length: 30 }, (_, i) => `Part${String(i).padStart(2, '0')}Broken`);
  const files: Record<string, string> = {
    'runbooks.config.yaml': 'rules: [rules/*.yaml]\nrunbooks: [runbooks/*.md]\n',
    'rules/r.yaml': `groups:\n  - name: g\n    rules:\n${['UsersFail', 'DbSlow', ...names].map((n) => `      - alert: ${n}\n        expr: vector(1)\n        labels: { severity: warning }\n`).join('')}`,
  };
  for (const [name, type, service] of [
    ['UsersFail', 'symptom', 'big'],
    ['DbSlow', 'cause', 'a-db'],
    ...names.map((n) => [n, 'cause', 'big']),
  ]) {
    const deps = name === 'UsersFail' ? 'depends_on: [a-db]\n' : '';
    files[`runbooks/${name}.md`] =
      `---\nalert: ${name}\ntitle: ${name}\nseverity: warning\nowner: o\nsummary: S.\nlast_reviewed: 2026-11-01\nservice: ${service}\nalert_type: ${type}\n${deps}---\n${body}`;
  }
  writeFiles(dir, files);
  const { situation } = await loadSite({ cwd: dir, today });

  it("lists at most 25 causes on a symptom's page, its own service's first, and counts the rest for the service page", () => {
    const users = situation.runbooks.find((r) => r.path === 'alerts/UsersFail/');
    expect(users?.causes.length).toBe(25);
    // The upstream service's cause sorts before "big" by name, yet comes after big's own causes.
    expect(users?.causes.every((c) => c.service === 'big')).toBe(true);
    expect(users?.moreRelated).toBe(6);
    expect(situation.services.find((x) => x.name === 'big')?.alerts.length).toBe(31);
  });
});

describe('helpers', () => {
  it('slugs names into one URL segment', () => {
    expect(slugOf('Checkout API / EU')).toBe('checkout-api-eu');
    expect(slugOf('../')).toBe('unnamed');
    expect([...uniqueSlugs(['a b', 'A-B', 'a_b'])]).toEqual([
      ['A-B', 'a-b'],
      ['a b', 'a-b-2'],
      ['a_b', 'a_b'],
    ]);
  });

  it('keeps incidents with a title and a date, newest first, and drops a url that is not http(s)', () => {
    expect(
      incidentsOf({
        incidents: [
          { title: 'old', date: '2025-01-01', url: 'https://x.example/1' },
          { title: 'new', date: '2026-01-01', url: 'javascript:alert(1)' },
          { title: 'no date' },
          'not an entry',
        ],
      }),
    ).toEqual([
      { title: 'new', date: '2026-01-01' },
      { title: 'old', date: '2025-01-01', url: 'https://x.example/1' },
    ]);
  });
});

describe('the runbook template', () => {
  it('documents the new keys, and uncommented they pass the default schema and the checks', async () => {
    for (const key of ['service', 'alert_type', 'depends_on', 'incidents']) expect(BUILTIN_TEMPLATE).toContain(`# ${key}:`);
    const filled = renderRunbook(BUILTIN_TEMPLATE, {
      alert: 'ApiDown',
      title: 'API is down',
      severity: 'critical',
      owner: 'api',
      summary: 'The API is down.',
      today: '2026-10-01',
      expr: 'up == 0',
      description: 'Down.',
      query: '',
    })
      .replace(/^# (service|alert_type|depends_on|incidents):/gm, '$1:')
      .replace(/^# {3}- /m, '  - ')
      .replaceAll('TODO', 'Done');
    expect(filled).toMatch(/^alert_type: symptom/m);
    expect(filled).toMatch(/^ {2}- \{ title: "INC-123/m);
    const found = await runExample({ files: { 'rules/api.yaml': exampleRules(), 'runbooks/ApiDown.md': filled } });
    expect(found.map((d) => `${d.ruleId}: ${d.message}`)).toEqual([]);
  });
});

describe('site.alertmanager in the config', () => {
  it('takes a URL, a same-origin path or a list, and reports a value that is neither at its line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'situation-config-'));
    temps.push(dir);
    writeFiles(dir, { 'runbooks.config.yaml': 'site:\n  alertmanager: /alertmanager/\n' });
    expect(loadConfig(dir).config?.site.alertmanager).toEqual(['/alertmanager']);
    writeFiles(dir, { 'runbooks.config.yaml': 'site:\n  title: x\n  alertmanager: [alertmanager:9093]\n' });
    const bad = loadConfig(dir);
    expect(bad.config).toBeUndefined();
    expect(bad.diagnostics.map((d) => [d.line, d.ruleId])).toEqual([[3, 'config-error']]);
    writeFiles(dir, { 'runbooks.config.yaml': 'site:\n  title: x\n' });
    expect(loadConfig(dir).config?.site.alertmanager).toEqual([]);
  });
});
