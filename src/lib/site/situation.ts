/**
 * The situation around an alert: which service and team it belongs to, what else belongs there,
 * symptom (top-down) and cause (bottom-up) alerts and how they explain each other, past incidents,
 * and what the live view needs to resolve a firing alert to its runbook. Pure: built from the
 * checked project, the site model and the checks' findings.
 */
import { severityLabel } from '../checks/severity-label.ts';
import type { Diagnostic } from '../engine/diagnostic.ts';
import { alertFacets, frontmatterData, type AlertType } from '../project/facets.ts';
import type { Runbook } from '../project/model.ts';
import type { Project } from '../project/build-project.ts';
import { hrefFor, normalizeBase } from './paths.ts';
import type { RunbookPage, SiteModel } from './site-model.ts';

export type { AlertType } from '../project/facets.ts';

/** The alert types, in the order the site lists them. */
export const ALERT_TYPES: readonly AlertType[] = ['symptom', 'cause'];

/** What is wrong with an alert's runbook, as a service or team page lists it. */
type RunbookStatus = 'missing' | 'stale' | 'placeholders' | 'ignored';

/** One past incident, as the frontmatter's `incidents` lists it. */
export interface Incident {
  title: string;
  url?: string;
  date: string;
}

/** Where an incident was recorded: a runbook (by its first alert) and that alert's service. */
interface IncidentSource {
  alert: string;
  href: string;
  service?: string;
  serviceHref?: string;
}

/** An incident with every runbook that lists it: one entry per incident (by url, else title and date). */
export interface IncidentRow extends Incident {
  seenIn: IncidentSource[];
}

/** One alert as a service or team page lists it. */
export interface SituationAlert {
  alert: string;
  /** Its runbook page; undefined when it has none. */
  href?: string;
  severity: string;
  owner: string;
  service?: string;
  type?: AlertType;
  summary: string;
  status: RunbookStatus[];
  lastReviewed?: string;
  /** Why it needs no runbook (ignoreAlerts). */
  ignored?: string;
}

/** A link to a service's or team's page, or just its name when it has none. */
export interface NamedLink {
  name: string;
  href?: string;
}

/** Everything a /services/<service>/ or /teams/<owner>/ page shows. */
export interface GroupPage {
  kind: 'service' | 'team';
  name: string;
  slug: string;
  /** Path below the base: `services/checkout-api/`. */
  path: string;
  href: string;
  alerts: SituationAlert[];
  /** The other kind of group its alerts belong to: a service's teams, a team's services. */
  related: NamedLink[];
  dashboards: { title: string; url: string }[];
  escalation: string[];
  /** Services this one depends on (its runbooks' `depends_on`), and services that depend on it. Services only. */
  upstream: NamedLink[];
  downstream: NamedLink[];
  incidents: IncidentRow[];
  /** The oldest `last_reviewed` of its runbooks. */
  oldestReview?: string;
  counts: { symptom: number; cause: number; untyped: number; missing: number; stale: number; placeholders: number };
}

/** An alert that can cause or be explained by another, in the runbook page's lists. */
interface RelatedAlert {
  alert: string;
  href?: string;
  severity: string;
  summary: string;
  service?: string;
}

/** What a runbook page shows beyond the runbook itself. */
export interface RunbookSituation {
  path: string;
  type?: AlertType;
  service?: NamedLink;
  team?: NamedLink;
  /** For a symptom: cause alerts of its service and of the services it depends on (at most RELATED_LIMIT). */
  causes: RelatedAlert[];
  /** For a cause: symptom alerts of its service and of the services that depend on it (at most RELATED_LIMIT). */
  symptoms: RelatedAlert[];
  /** How many causes or symptoms the lists leave to the service page. */
  moreRelated: number;
  /** Newest first. */
  incidents: Incident[];
  upstream: NamedLink[];
  /** What the live view keeps to: this service's alerts and those of the services it depends on, or without a service this runbook's alerts. */
  scope: LiveScope;
  /** How the live view names its scope: "checkout-api and linux-hosts". */
  scopeName?: string;
}

/** Which firing alerts a page's live view shows: all, a service's, a team's, those of some services, or some alerts. */
export type LiveScope = { kind: 'all' } | { kind: 'service' | 'team'; name: string } | { kind: 'services' | 'alerts'; names: string[] };

/** What the live view looks up about an alert name: its runbook page, service, owner and type. */
interface LiveIndexEntry {
  href?: string;
  service?: string;
  owner?: string;
  type?: AlertType;
}

/** The data behind situation.json, which the live view fetches only when site.alertmanager is set. */
export interface LiveIndex {
  alerts: Record<string, LiveIndexEntry>;
}

/** The whole situation model of a site. */
export interface Situation {
  services: GroupPage[];
  teams: GroupPage[];
  runbooks: RunbookSituation[];
  /** Every alert with its service, owner and type, for the home filter and the live index. */
  alerts: SituationAlert[];
  /** The most recent incidents over all runbooks, newest first. */
  recentIncidents: IncidentRow[];
  /** site.alertmanager: where the pages read firing alerts; empty, the site makes no request. */
  alertmanager: string[];
  /** The label of a firing alert that holds its severity, as severity-match reads it from the rules. */
  severityLabel: string;
  live: LiveIndex;
}

/** How many incidents the home page lists. */
const RECENT_INCIDENTS = 5;

/** How many causes or symptoms a runbook page lists; the rest are on the service page, so a big service does not swell every page. */
const RELATED_LIMIT = 25;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

/** A runbook's incidents that have a title and a date, newest first (ties keep their order). */
export function incidentsOf(frontmatter: Record<string, unknown>): Incident[] {
  const list = Array.isArray(frontmatter.incidents) ? frontmatter.incidents : [];
  return list
    .flatMap((entry: unknown) => {
      const { title, url, date } = record(entry);
      const t = str(title);
      const d = str(date);
      if (t === undefined || d === undefined) return [];
      const u = str(url);
      return [{ title: t, date: d, ...(u && /^https?:\/\//i.test(u) ? { url: u } : {}) }];
    })
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

/** A name as one URL segment: lower case, runs of other characters as one hyphen. */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_.]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' || slug === '.' || slug === '..' ? 'unnamed' : slug;
}

/** Slugs for `names`, unique: a second name with the same slug gets `-2`, and so on. */
export function uniqueSlugs(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const name of [...names].sort()) {
    const base = slugOf(name);
    let slug = base;
    for (let i = 2; used.has(slug); i++) slug = `${base}-${i}`;
    used.add(slug);
    out.set(name, slug);
  }
  return out;
}

/** The files a check found something in. */
function filesWith(diagnostics: readonly Diagnostic[], ruleId: string): Set<string> {
  return new Set(diagnostics.filter((d) => d.ruleId === ruleId).map((d) => d.file));
}

/** The line under a service's or team's name: "3 alerts (2 symptom, 1 cause); 1 stale; oldest review 2026-10-09." */
export function groupSummary(group: Pick<GroupPage, 'alerts' | 'counts' | 'oldestReview'>): string {
  const { counts } = group;
  const types = [
    [counts.symptom, 'symptom'],
    [counts.cause, 'cause'],
    [counts.untyped, 'untyped'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, t]) => `${n} ${t}`);
  const problems = [
    [counts.missing, 'without a runbook'],
    [counts.stale, 'stale'],
    [counts.placeholders, 'with placeholders left'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, t]) => `${n} ${t}`);
  const total = `${group.alerts.length} ${group.alerts.length === 1 ? 'alert' : 'alerts'}${types.length > 0 ? ` (${types.join(', ')})` : ''}`;
  const review = group.oldestReview ? `oldest review ${group.oldestReview}` : 'no review dates';
  return `${[total, ...problems, review].join('; ')}.`;
}

/** What {@link buildSituation} needs besides the project and the site model. */
export interface SituationOptions {
  today: string;
  /** The checks' findings: placeholder-content marks a runbook as having placeholders. */
  diagnostics: readonly Diagnostic[];
}

interface AlertFacts {
  alert: SituationAlert;
  runbook?: Runbook;
  page?: RunbookPage;
  dependsOn: string[];
  incidents: Incident[];
}

/** Builds the services, teams, per-runbook relations and the live index of a site. */
export function buildSituation(project: Project, model: SiteModel, options: SituationOptions): Situation {
  const base = normalizeBase(project.config.site.base);
  const placeholderFiles = filesWith(options.diagnostics, 'placeholder-content');
  const pageOf = new Map(model.pages.map((p) => [p.alert, p]));

  const facts: AlertFacts[] = model.alerts.map((row) => {
    const runbook = project.runbookFor(row.alert);
    const page = pageOf.get(row.alert);
    const fm = frontmatterData(runbook);
    const facets = alertFacets(project, row.alert);
    const status: RunbookStatus[] = [];
    if (!page) status.push(row.ignored !== undefined ? 'ignored' : 'missing');
    if (page?.stale) status.push('stale');
    if (runbook && placeholderFiles.has(runbook.file)) status.push('placeholders');
    const alert: SituationAlert = {
      alert: row.alert,
      href: row.href,
      severity: row.severity,
      owner: facets.owner ?? '',
      service: facets.service,
      type: facets.type,
      summary: row.summary,
      status,
      lastReviewed: page?.lastReviewed,
      ignored: row.ignored,
    };
    return { alert, runbook, page, dependsOn: strings(fm.depends_on), incidents: incidentsOf(fm) };
  });

  const serviceNames = [...new Set(facts.flatMap((f) => (f.alert.service ? [f.alert.service] : [])))];
  const teamNames = [...new Set(facts.flatMap((f) => (f.alert.owner ? [f.alert.owner] : [])))];
  const serviceSlugs = uniqueSlugs(serviceNames);
  const teamSlugs = uniqueSlugs(teamNames);
  const serviceLink = (name: string): NamedLink => {
    const slug = serviceSlugs.get(name);
    return slug ? { name, href: hrefFor(`services/${slug}/`, base) } : { name };
  };
  const teamLink = (name: string): NamedLink => {
    const slug = teamSlugs.get(name);
    return slug ? { name, href: hrefFor(`teams/${slug}/`, base) } : { name };
  };

  const dependsOn = new Map<string, Set<string>>();
  for (const f of facts) {
    if (!f.alert.service) continue;
    const set = dependsOn.get(f.alert.service) ?? new Set<string>();
    for (const d of f.dependsOn) if (d !== f.alert.service) set.add(d);
    dependsOn.set(f.alert.service, set);
  }
  const upstreamOf = (service: string): string[] => [...(dependsOn.get(service) ?? [])].sort();
  const downstreamOf = (service: string): string[] =>
    [...dependsOn]
      .filter(([, deps]) => deps.has(service))
      .map(([s]) => s)
      .sort();

  const incidentRows = (list: AlertFacts[]): IncidentRow[] => {
    const rows = new Map<string, IncidentRow>();
    for (const f of list) {
      if (!f.page || !f.runbook) continue;
      for (const incident of f.incidents) {
        // One incident listed by several runbooks (a symptom and its cause) is one entry.
        const key = incident.url ?? `${incident.date}\u0000${incident.title}`;
        const row = rows.get(key) ?? { ...incident, seenIn: [] };
        rows.set(key, row);
        // A runbook for several alerts is one source, named by its canonical page.
        if (row.seenIn.some((s) => s.href === f.page?.canonicalHref)) continue;
        const service = f.alert.service;
        row.seenIn.push({
          alert: f.page.alerts[0] ?? f.alert.alert,
          href: f.page.canonicalHref,
          service,
          serviceHref: service ? serviceLink(service).href : undefined,
        });
      }
    }
    return [...rows.values()].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  };

  const group = (kind: 'service' | 'team', name: string): GroupPage => {
    const slug = (kind === 'service' ? serviceSlugs : teamSlugs).get(name) as string;
    const path = `${kind === 'service' ? 'services' : 'teams'}/${slug}/`;
    const members = facts.filter((f) => (kind === 'service' ? f.alert.service : f.alert.owner) === name);
    const dashboards = new Map<string, { title: string; url: string }>();
    const escalation = new Set<string>();
    for (const f of members) {
      for (const d of f.page?.dashboards ?? []) if (!dashboards.has(d.url)) dashboards.set(d.url, d);
      if (f.page?.escalation) escalation.add(f.page.escalation);
    }
    const related = [
      ...new Set(
        members.flatMap((f) => {
          const other = kind === 'service' ? f.alert.owner : f.alert.service;
          return other ? [other] : [];
        }),
      ),
    ]
      .sort()
      .map(kind === 'service' ? teamLink : serviceLink);
    const reviews = members.flatMap((f) => (f.alert.lastReviewed ? [f.alert.lastReviewed] : [])).sort();
    const alerts = members.map((f) => f.alert);
    return {
      kind,
      name,
      slug,
      path,
      href: hrefFor(path, base),
      alerts,
      related,
      dashboards: [...dashboards.values()],
      escalation: [...escalation],
      upstream: kind === 'service' ? upstreamOf(name).map(serviceLink) : [],
      downstream: kind === 'service' ? downstreamOf(name).map(serviceLink) : [],
      incidents: incidentRows(members),
      oldestReview: reviews[0],
      counts: {
        symptom: alerts.filter((a) => a.type === 'symptom').length,
        cause: alerts.filter((a) => a.type === 'cause').length,
        untyped: alerts.filter((a) => a.type === undefined).length,
        missing: alerts.filter((a) => a.status.includes('missing')).length,
        stale: alerts.filter((a) => a.status.includes('stale')).length,
        placeholders: alerts.filter((a) => a.status.includes('placeholders')).length,
      },
    };
  };

  const relatedAlert = (a: SituationAlert): RelatedAlert => ({
    alert: a.alert,
    href: a.href,
    severity: a.severity,
    summary: a.summary,
    service: a.service,
  });
  // The alert's own service first, then the related services in order.
  const ofType = (type: AlertType, services: string[]): RelatedAlert[] =>
    services.flatMap((service) =>
      facts.filter((f) => f.alert.type === type && f.alert.service === service).map((f) => relatedAlert(f.alert)),
    );

  const factsOf = new Map(facts.map((f) => [f.alert.alert, f]));
  const runbooks: RunbookSituation[] = model.pages.map((page) => {
    const f = factsOf.get(page.alert) as AlertFacts;
    const service = f.alert.service;
    const type = f.alert.type;
    const others = (list: RelatedAlert[]): RelatedAlert[] => list.filter((r) => !page.alerts.includes(r.alert));
    const causes = type === 'symptom' && service ? others(ofType('cause', [service, ...upstreamOf(service)])) : [];
    const symptoms = type === 'cause' && service ? others(ofType('symptom', [service, ...downstreamOf(service)])) : [];
    return {
      path: page.path,
      type,
      service: service ? serviceLink(service) : undefined,
      team: f.alert.owner ? teamLink(f.alert.owner) : undefined,
      causes: causes.slice(0, RELATED_LIMIT),
      symptoms: symptoms.slice(0, RELATED_LIMIT),
      moreRelated: Math.max(0, causes.length - RELATED_LIMIT) + Math.max(0, symptoms.length - RELATED_LIMIT),
      incidents: f.incidents,
      upstream: service ? upstreamOf(service).map(serviceLink) : [],
      scope: service ? { kind: 'services', names: [service, ...upstreamOf(service)] } : { kind: 'alerts', names: page.alerts },
      scopeName: service ? [service, ...upstreamOf(service)].join(', ').replace(/, ([^,]*)$/, ' and $1') : undefined,
    };
  });

  // Keyed by alert names, which may be any string (`__proto__` too): no prototype to collide with.
  const live: LiveIndex = { alerts: Object.create(null) as LiveIndex['alerts'] };
  for (const { alert } of facts) {
    live.alerts[alert.alert] = {
      ...(alert.href ? { href: alert.href } : {}),
      ...(alert.service ? { service: alert.service } : {}),
      ...(alert.owner ? { owner: alert.owner } : {}),
      ...(alert.type ? { type: alert.type } : {}),
    };
  }

  return {
    services: serviceNames.sort().map((name) => group('service', name)),
    teams: teamNames.sort().map((name) => group('team', name)),
    runbooks,
    alerts: facts.map((f) => f.alert),
    recentIncidents: incidentRows(facts).slice(0, RECENT_INCIDENTS),
    alertmanager: project.config.site.alertmanager,
    severityLabel: severityLabel(project.config),
    live,
  };
}
