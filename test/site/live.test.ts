import { describe, expect, it } from 'vitest';
import {
  alertsUrl,
  firingAlerts,
  groupByService,
  parseAlerts,
  runbookLink,
  summaryLine,
  unreachableLine,
  type AmAlert,
} from '../../src/lib/site/live.ts';
import type { LiveIndex } from '../../src/lib/site/situation.ts';

const index: LiveIndex = {
  alerts: {
    CheckoutApiErrorBudgetBurnFast: {
      href: '/alerts/CheckoutApiErrorBudgetBurnFast/',
      service: 'checkout-api',
      owner: 'checkout',
      type: 'symptom',
    },
    HostHighCpuLoad: { href: '/alerts/HostHighCpuLoad/', service: 'linux-hosts', owner: 'platform', type: 'cause' },
    HostOutOfMemory: { href: '/alerts/HostOutOfMemory/', service: 'linux-hosts', owner: 'platform', type: 'cause' },
  },
};

const am = (
  labels: Record<string, string>,
  status: AmAlert['status'] = { state: 'active', silencedBy: [], inhibitedBy: [] },
  fingerprint?: string,
): AmAlert => ({
  labels,
  annotations: { summary: `${labels.alertname} fires` },
  startsAt: '2026-11-21T10:00:00.000Z',
  status,
  fingerprint,
});

describe('what fires now', () => {
  const alerts = [
    am({ alertname: 'HostHighCpuLoad', instance: 'web-1:9100', severity: 'warning' }, undefined, 'a'),
    am(
      { alertname: 'HostOutOfMemory', instance: 'web-1:9100', severity: 'warning' },
      { state: 'suppressed', silencedBy: ['s1'], inhibitedBy: [] },
      'b',
    ),
    am({ alertname: 'CheckoutApiErrorBudgetBurnFast', severity: 'critical' }, undefined, 'c'),
    am(
      { alertname: 'MysteryBacklog', service: 'checkout-api', severity: 'critical' },
      { state: 'suppressed', silencedBy: [], inhibitedBy: ['x'] },
      'd',
    ),
    am({ alertname: 'Orphan', severity: 'info' }, undefined, 'e'),
    // The second Alertmanager of a pair answers with the same alert.
    am({ alertname: 'HostHighCpuLoad', instance: 'web-1:9100', severity: 'warning' }, undefined, 'a'),
  ];

  it('links each alert to its runbook with every label in the query string, and marks silenced and inhibited', () => {
    const firing = firingAlerts(alerts, index, { kind: 'all' }, 'severity');
    expect(firing.map((f) => [f.name, f.state, f.href])).toEqual([
      ['HostHighCpuLoad', 'active', '/alerts/HostHighCpuLoad/?alertname=HostHighCpuLoad&instance=web-1%3A9100&severity=warning'],
      ['HostOutOfMemory', 'silenced', '/alerts/HostOutOfMemory/?alertname=HostOutOfMemory&instance=web-1%3A9100&severity=warning'],
      [
        'CheckoutApiErrorBudgetBurnFast',
        'active',
        '/alerts/CheckoutApiErrorBudgetBurnFast/?alertname=CheckoutApiErrorBudgetBurnFast&severity=critical',
      ],
      ['MysteryBacklog', 'inhibited', undefined],
      ['Orphan', 'active', undefined],
    ]);
    expect(new URL(firing[0]?.href ?? '', 'http://x').searchParams.get('instance')).toBe('web-1:9100');
  });

  it('groups by service (from the runbook, else the service label), alerts without a runbook first, no service last', () => {
    const groups = groupByService(firingAlerts(alerts, index, { kind: 'all' }, 'severity'));
    expect(groups.map((g) => [g.service, g.alerts.map((a) => a.name)])).toEqual([
      ['checkout-api', ['MysteryBacklog', 'CheckoutApiErrorBudgetBurnFast']],
      ['linux-hosts', ['HostHighCpuLoad', 'HostOutOfMemory']],
      [undefined, ['Orphan']],
    ]);
  });

  it("keeps to a page's scope: a service, a team or a runbook's alerts", () => {
    expect(firingAlerts(alerts, index, { kind: 'service', name: 'checkout-api' }, 'severity').map((a) => a.name)).toEqual([
      'CheckoutApiErrorBudgetBurnFast',
      'MysteryBacklog',
    ]);
    expect(firingAlerts(alerts, index, { kind: 'team', name: 'platform' }, 'severity').map((a) => a.name)).toEqual([
      'HostHighCpuLoad',
      'HostOutOfMemory',
    ]);
    expect(firingAlerts(alerts, index, { kind: 'alerts', names: ['Orphan'] }, 'severity').map((a) => a.name)).toEqual(['Orphan']);
    expect(
      firingAlerts(alerts, index, { kind: 'services', names: ['checkout-api', 'linux-hosts'] }, 'severity')
        .map((a) => a.name)
        .sort(),
    ).toEqual(['CheckoutApiErrorBudgetBurnFast', 'HostHighCpuLoad', 'HostOutOfMemory', 'MysteryBacklog']);
  });

  it("reads the severity from the label severity-match is configured with, by the alert's own labels only", () => {
    const labelled = [
      am({ alertname: 'HostHighCpuLoad', severity: 'warning', priority: 'P1' }, undefined, 'a'),
      am({ alertname: 'Orphan', severity: 'info' }, undefined, 'b'),
    ];
    expect(firingAlerts(labelled, index, { kind: 'all' }, 'severity').map((f) => f.severity)).toEqual(['warning', 'info']);
    expect(firingAlerts(labelled, index, { kind: 'all' }, 'priority').map((f) => f.severity)).toEqual(['P1', '']);
    // `constructor` is a valid label name; an alert without it has no severity, not Object's constructor.
    expect(firingAlerts(labelled, index, { kind: 'all' }, 'constructor').map((f) => f.severity)).toEqual(['', '']);
  });

  it('does not take an alert name for an index entry by its prototype', () => {
    expect(firingAlerts([am({ alertname: 'constructor' })], index, { kind: 'all' }, 'severity')[0]?.href).toBeUndefined();
  });

  it('says what it shows, and one quiet line when an Alertmanager cannot be read', () => {
    const firing = firingAlerts(alerts, index, { kind: 'all' }, 'severity');
    expect(summaryLine(firing)).toBe('5 alerts firing now (2 silenced or inhibited, 2 without a runbook).');
    expect(summaryLine([], 'checkout-api')).toBe('Nothing is firing in checkout-api now.');
    expect(summaryLine(firing, undefined, false)).toBe('5 alerts firing now (2 silenced or inhibited).');
    expect(unreachableLine(['http://am:9093'], 1)).toBe(
      'Could not reach Alertmanager (http://am:9093): the alerts firing now are not shown.',
    );
    expect(unreachableLine(['http://am-2:9093'], 2)).toBe('Could not reach http://am-2:9093; showing the alerts of the others.');
  });

  it("reads Alertmanager's API v2 path, same-origin paths too, and rejects an answer that is not a list", () => {
    expect(alertsUrl('http://am:9093/')).toBe('http://am:9093/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true');
    expect(alertsUrl('/alertmanager')).toBe('/alertmanager/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true');
    expect(() => parseAlerts({ status: 'success' })).toThrow();
    expect(parseAlerts([{ labels: { alertname: 'A' } }, { nope: 1 }, null])).toEqual([{ labels: { alertname: 'A' } }]);
    expect(runbookLink('/a/', {})).toBe('/a/');
  });
});
