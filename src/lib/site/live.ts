/**
 * What fires now: Alertmanager's API v2 alerts (GET <alertmanager>/api/v2/alerts) resolved to
 * runbooks, grouped by service, kept to a page's scope. Pure, so the browser script only fetches
 * and renders. Alertmanager 0.25 answers cross-origin reads with `Access-Control-Allow-Origin: *`
 * (measured with the Debian binary), so a page on another origin can read it directly.
 */
import type { AlertType, LiveIndex, LiveScope } from './situation.ts';

/** One alert of Alertmanager's API v2 `GET /api/v2/alerts` answer, as far as the view reads it. */
export interface AmAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  fingerprint?: string;
  status?: { state?: string; silencedBy?: string[]; inhibitedBy?: string[] };
}

/** A firing alert as the page lists it. */
export interface FiringAlert {
  name: string;
  labels: Record<string, string>;
  summary: string;
  startsAt?: string;
  /** active: notifying; silenced or inhibited: Alertmanager holds its notifications back. */
  state: 'active' | 'silenced' | 'inhibited';
  severity: string;
  type?: AlertType;
  /** The runbook page with the alert's labels in the query string, so it opens filled; undefined without a runbook. */
  href?: string;
  service?: string;
  owner?: string;
}

/** The firing alerts of one service (or of none: `service` undefined). */
export interface FiringGroup {
  service?: string;
  alerts: FiringAlert[];
}

/** The API path every configured Alertmanager is read at. */
export function alertsUrl(alertmanager: string): string {
  return `${alertmanager.replace(/\/+$/, '')}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`;
}

/** Alertmanager's own UI for a base URL, for the "open in Alertmanager" link. */
export function alertmanagerUi(alertmanager: string): string {
  return `${alertmanager.replace(/\/+$/, '')}/#/alerts`;
}

/** A runbook link that carries every label in its query string, in name order, as the Alertmanager template builds it. */
export function runbookLink(href: string, labels: Record<string, string>): string {
  const query = new URLSearchParams(
    Object.keys(labels)
      .sort()
      .map((name) => [name, labels[name] as string]),
  ).toString();
  return query === '' ? href : `${href}?${query}`;
}

/** The alerts of an API answer; anything that is not a list of alerts with labels counts as none. */
export function parseAlerts(data: unknown): AmAlert[] {
  if (!Array.isArray(data)) throw new Error('the answer is not a list of alerts');
  return data.filter(
    (a): a is AmAlert => typeof a === 'object' && a !== null && typeof (a as AmAlert).labels === 'object' && (a as AmAlert).labels !== null,
  );
}

function stateOf(alert: AmAlert): FiringAlert['state'] {
  if ((alert.status?.silencedBy ?? []).length > 0) return 'silenced';
  if ((alert.status?.inhibitedBy ?? []).length > 0) return 'inhibited';
  return 'active';
}

/** Two Alertmanagers of one cluster answer with the same alerts: one entry per fingerprint (or label set). */
function identity(alert: AmAlert): string {
  return alert.fingerprint ?? JSON.stringify(Object.entries(alert.labels).sort());
}

/**
 * Resolves alerts to runbooks, drops repeats from several Alertmanagers, and keeps those in `scope`;
 * `severityLabel` is the label that holds an alert's severity (severity-match's option).
 */
export function firingAlerts(alerts: readonly AmAlert[], index: LiveIndex, scope: LiveScope, severityLabel: string): FiringAlert[] {
  const seen = new Set<string>();
  const out: FiringAlert[] = [];
  for (const alert of alerts) {
    const key = identity(alert);
    if (seen.has(key)) continue;
    seen.add(key);
    const name = alert.labels.alertname ?? '';
    const known = Object.hasOwn(index.alerts, name) ? index.alerts[name] : undefined;
    const service = known?.service ?? alert.labels.service;
    const owner = known?.owner ?? alert.labels.owner ?? alert.labels.team;
    const firing: FiringAlert = {
      name,
      labels: alert.labels,
      summary: alert.annotations?.summary ?? '',
      startsAt: alert.startsAt,
      state: stateOf(alert),
      // Alertmanager's labels are a plain object, and `constructor` is a valid label name.
      severity: (Object.hasOwn(alert.labels, severityLabel) ? alert.labels[severityLabel] : undefined) ?? '',
      type:
        known?.type ?? (alert.labels.alert_type === 'symptom' || alert.labels.alert_type === 'cause' ? alert.labels.alert_type : undefined),
      href: known?.href ? runbookLink(known.href, alert.labels) : undefined,
      service,
      owner,
    };
    if (inScope(firing, scope)) out.push(firing);
  }
  return out;
}

function inScope(alert: FiringAlert, scope: LiveScope): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'service':
      return alert.service === scope.name;
    case 'team':
      return alert.owner === scope.name;
    case 'services':
      return alert.service !== undefined && scope.names.includes(alert.service);
    case 'alerts':
      return scope.names.includes(alert.name);
  }
}

const STATE_ORDER = { active: 0, inhibited: 1, silenced: 2 };
const SEVERITY_ORDER = ['critical', 'error', 'page', 'warning', 'info'];

function severityRank(severity: string): number {
  const i = SEVERITY_ORDER.indexOf(severity);
  return i === -1 ? SEVERITY_ORDER.length : i;
}

/**
 * Groups by service, services by name and the alerts without one last. Within a group: alerts
 * without a runbook first (someone must write one, or the responder is on their own), then active
 * before inhibited and silenced, then by severity and name.
 */
export function groupByService(alerts: readonly FiringAlert[]): FiringGroup[] {
  const groups = new Map<string | undefined, FiringAlert[]>();
  for (const alert of alerts) groups.set(alert.service, [...(groups.get(alert.service) ?? []), alert]);
  const order = (a: FiringAlert, b: FiringAlert): number =>
    Number(a.href !== undefined) - Number(b.href !== undefined) ||
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...groups]
    .sort(([a], [b]) => (a === undefined ? 1 : b === undefined ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([service, list]) => ({ service, alerts: [...list].sort(order) }));
}

/** The quiet line shown when some or all Alertmanagers could not be read. */
export function unreachableLine(failed: readonly string[], total: number): string {
  const which = failed.join(', ');
  return failed.length === total
    ? `Could not reach Alertmanager (${which}): the alerts firing now are not shown.`
    : `Could not reach ${which}; showing the alerts of the others.`;
}

/** The count line above the list: "3 alerts firing now (1 silenced or inhibited, 1 without a runbook)." Without the runbook index, no alert counts as lacking one. */
export function summaryLine(alerts: readonly FiringAlert[], scopeName?: string, runbooksKnown = true): string {
  const held = alerts.filter((a) => a.state !== 'active').length;
  const orphan = runbooksKnown ? alerts.filter((a) => a.href === undefined).length : 0;
  const where = scopeName ? ` in ${scopeName}` : '';
  if (alerts.length === 0) return `Nothing is firing${where} now.`;
  const main = `${alerts.length} ${alerts.length === 1 ? 'alert' : 'alerts'} firing${where} now`;
  const extra = [held > 0 ? `${held} silenced or inhibited` : '', orphan > 0 ? `${orphan} without a runbook` : ''].filter((s) => s !== '');
  return `${main}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}.`;
}
