/// <reference lib="dom" />
/**
 * The live view's script, on pages only when site.alertmanager is set: reads the firing alerts from
 * each Alertmanager, resolves them with situation.json and lists them by service. Label values
 * come from Alertmanager and are untrusted, so they only ever become text (textContent, never
 * innerHTML). Any failure is one quiet line; the rest of the page never depends on it.
 */
import {
  alertsUrl,
  firingAlerts,
  groupByService,
  parseAlerts,
  summaryLine,
  unreachableLine,
  type AmAlert,
  type FiringAlert,
} from '../live.ts';
import type { LiveIndex, LiveScope } from '../situation.ts';

/** How often the view reads Alertmanager again, while the page is open. */
const REFRESH_MS = 30_000;
const TIMEOUT_MS = 8_000;

function element<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function alertItem(doc: Document, alert: FiringAlert, runbooksKnown: boolean, severityLabel: string): HTMLLIElement {
  const orphan = alert.href === undefined && runbooksKnown;
  const li = element(doc, 'li', `live-alert state-${alert.state}${orphan ? ' no-runbook' : ''}`);
  li.dataset.alert = alert.name;
  li.dataset.state = alert.state;
  const head = element(doc, 'p', 'live-alert-head');
  if (alert.href) {
    const link = element(doc, 'a', undefined, alert.name);
    link.href = alert.href;
    head.append(link);
  } else {
    head.append(element(doc, 'strong', undefined, alert.name));
    if (orphan) head.append(' ', element(doc, 'span', 'flag no-runbook-flag', 'no runbook'));
  }
  if (alert.severity)
    head.append(
      ' ',
      element(
        doc,
        'span',
        `badge sev-${['critical', 'warning', 'info'].includes(alert.severity) ? alert.severity : 'other'}`,
        alert.severity,
      ),
    );
  if (alert.type) head.append(' ', element(doc, 'span', 'flag', alert.type));
  if (alert.state !== 'active') head.append(' ', element(doc, 'span', `flag held-flag`, alert.state));
  li.append(head);
  if (alert.summary) li.append(element(doc, 'p', 'live-summary', alert.summary));
  // The name and the severity are shown above already.
  const labels = Object.entries(alert.labels).filter(([name]) => name !== 'alertname' && name !== severityLabel);
  if (labels.length > 0) {
    const p = element(doc, 'p', 'live-labels');
    for (const [name, value] of labels) p.append(element(doc, 'code', 'pair', `${name}=${value}`), ' ');
    li.append(p);
  }
  if (alert.startsAt) {
    const time = element(doc, 'time', 'muted', `since ${alert.startsAt.replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC')}`);
    time.dateTime = alert.startsAt;
    li.append(time);
  }
  return li;
}

function render(
  root: HTMLElement,
  alerts: FiringAlert[],
  failed: string[],
  total: number,
  scopeName: string | undefined,
  indexFailed: boolean,
  severityLabel: string,
): void {
  const doc = root.ownerDocument;
  const status = root.querySelector<HTMLElement>('.live-status');
  const list = root.querySelector<HTMLElement>('.live-groups');
  if (!status || !list) return;
  const lines: string[] = [];
  if (failed.length < total) lines.push(summaryLine(alerts, scopeName, !indexFailed));
  if (failed.length > 0) lines.push(unreachableLine(failed, total));
  // Without the index every alert would look as if it had no runbook: say why instead.
  if (indexFailed) lines.push('The list of runbooks could not be read, so the alerts are not linked to them.');
  status.textContent = lines.join(' ');
  status.classList.toggle('live-unreachable', failed.length > 0);
  const groups = groupByService(alerts).map((group) => {
    const section = element(doc, 'section', 'live-group');
    section.dataset.service = group.service ?? '';
    section.append(element(doc, 'h3', undefined, group.service ?? 'No service'));
    const ul = element(doc, 'ul', 'live-list');
    ul.append(...group.alerts.map((a) => alertItem(doc, a, !indexFailed, severityLabel)));
    section.append(ul);
    return section;
  });
  list.replaceChildren(...groups);
  root.dataset.loaded = 'true';
}

/** Starts the live view in the element `#live`, if the page has one. */
export function startLive(doc: Document): void {
  const root = doc.getElementById('live');
  if (!root) return;
  let alertmanagers: string[] = [];
  let scope: LiveScope = { kind: 'all' };
  try {
    alertmanagers = JSON.parse(root.dataset.alertmanager ?? '[]') as string[];
    scope = JSON.parse(root.dataset.scope ?? '{"kind":"all"}') as LiveScope;
  } catch {
    return;
  }
  const scopeName = root.dataset.scopeName || undefined;
  // LiveAlerts.astro always sets it, from the config: the client knows no default of its own.
  const severityLabel = root.dataset.severityLabel ?? '';
  const indexUrl = root.dataset.index ?? '';
  let index: LiveIndex | undefined;
  const refresh = async (): Promise<void> => {
    let indexFailed = false;
    try {
      index ??= (await getJson(indexUrl)) as LiveIndex;
    } catch {
      indexFailed = true;
    }
    const results = await Promise.allSettled(alertmanagers.map(async (am) => parseAlerts(await getJson(alertsUrl(am)))));
    const failed = alertmanagers.filter((_, i) => results[i]?.status === 'rejected');
    const all: AmAlert[] = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    render(
      root,
      firingAlerts(all, index ?? { alerts: {} }, scope, severityLabel),
      failed,
      alertmanagers.length,
      scopeName,
      indexFailed,
      severityLabel,
    );
  };
  root.hidden = false;
  void refresh();
  setInterval(() => void refresh(), REFRESH_MS);
}
