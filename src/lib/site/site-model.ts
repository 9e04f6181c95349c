/**
 * The site as data: every page, redirect and table row, built from the same Project the linter
 * checks, and rendered from the text the linter read. Pure (no I/O), so tests feed it a project
 * directly.
 */
import staleReview, { daysSinceReview } from '../checks/stale-review.ts';
import { checkOptions, checkSeverity } from '../checks/options.ts';
import { severityLabel } from '../checks/severity-label.ts';
import type { Diagnostic, Location } from '../engine/diagnostic.ts';
import { frontmatterPointers } from '../markdown/frontmatter.ts';
import type { AlertRule, AlertSection, Runbook } from '../project/model.ts';
import type { Project } from '../project/build-project.ts';
import type { Root, RootContent } from 'mdast';
import { parseMarkdown } from '../markdown/mdast.ts';
import { expandRunbookUrl } from '../config/runbook-url-pattern.ts';
import { labelNames } from './labels.ts';
import { hasPlaceholder } from '../markdown/placeholders.ts';
import { fact, plainSummary, ruleOwner, ruleSeverity, ruleSummary } from './rule-facts.ts';
import { buildCoverage, type Coverage } from './coverage.ts';
import { hrefFor, normalizeBase, pagePathFor, reservedPathProblem, routeKey } from './paths.ts';
import { codeBlockHtml, renderBody, textHtml, tokenUrl, type TocEntry } from './render.ts';

/** Rule id of problems that stop the site being built though the linter passes (paths that clash). */
const SITE_ERROR = 'site-error';

/** An alerting rule as the runbook page shows it. */
interface SiteRule {
  alert: string;
  group: string;
  /** Repo-relative rule file and the line of its `alert:` key. */
  file: string;
  line: number;
  sourceHref?: string;
  expr: string;
  exprHtml: string;
  for?: string;
  keepFiringFor?: string;
  labels: { name: string; value: string }[];
  annotations: { name: string; html: string }[];
  /** The expression opened in Prometheus' graph page, when the config names a Prometheus URL. */
  graphUrl?: string;
  /** The rule's landmark name, unique on the page: several rules of one alert can share a group. */
  landmark: string;
}

/** How long ago a runbook was reviewed, when that is longer than the stale-review check allows. */
interface Staleness {
  days: number;
  limit: number;
}

/** One page: a runbook at one of its alerts' URLs. */
export interface RunbookPage {
  kind: 'runbook';
  /** Path below the site base, decoded: `alerts/HostDown/`. */
  path: string;
  href: string;
  /** The alert this URL belongs to. */
  alert: string;
  /** Every alert the runbook covers, this one included. */
  alerts: string[];
  /** The first alert's page; the others say so with rel=canonical and stay out of the search index. */
  canonical: boolean;
  canonicalHref: string;
  file: string;
  title: string;
  severity: string;
  owner: string;
  summary: string;
  /** The summary with its placeholders as slots the page fills. */
  summaryHtml: string;
  service?: string;
  tags: string[];
  lastReviewed?: string;
  stale?: Staleness;
  /** `template` is the URL with label placeholders, which the page script fills; `url` shows tokens until then. */
  dashboards: { title: string; url: string; template?: string }[];
  /** Which of severity, owner and summary the page took from the alerting rule, the runbook having none. */
  fromRule: { severity: boolean; owner: boolean; summary: boolean };
  /** The body's Diagnosis and Mitigation sections, linked from the top of the page. */
  jumps: TocEntry[];
  /** The other alerts the runbook covers, each with its own page. */
  otherAlerts: { alert: string; href: string }[];
  /** The linter's findings in this runbook, shown on the page under `astro dev` only. */
  findings: { line: number; column: number; ruleId: string; severity: string; message: string; hint?: string }[];
  escalation?: string;
  editUrl?: string;
  /** Alert → the anchor of its section on this page, when one page holds several alerts' sections (match: heading). */
  anchors: Record<string, string>;
  html: string;
  /** The body's headings, then the page's own sections (rules, dashboards, escalation). */
  toc: TocEntry[];
  /** Anchor ids of the page's own sections, unique against the body's headings. */
  sectionIds: { rules: string; dashboards: string; escalation: string };
  /** Heading of the frontmatter's escalation contact: "Escalation", unless the body has a section of that name. */
  escalationTitle: string;
  /** Label names that the body and the rules' annotations fill in. */
  labels: string[];
  rules: SiteRule[];
}

/** A page that sends the browser on, keeping the query string and the fragment. */
export interface RedirectPage {
  kind: 'redirect';
  path: string;
  /** Absolute path on this site (base included). */
  target: string;
  /** Why it exists, shown on the page: `alias of runbooks/HostDown.md`. */
  reason: string;
}

/** A row of the home page table. */
export interface AlertRow {
  alert: string;
  href?: string;
  severity: string;
  owner: string;
  summary: string;
  service?: string;
  /** Why the alert needs no runbook, from the config's ignoreAlerts. */
  ignored?: string;
}

export type { Coverage } from './coverage.ts';

/** Everything the pages render. */
export interface SiteModel {
  title: string;
  base: string;
  /** The day the build ran (YYYY-MM-DD), the day staleness is counted to. */
  builtOn: string;
  pages: RunbookPage[];
  redirects: RedirectPage[];
  alerts: AlertRow[];
  severities: string[];
  owners: string[];
  /** The services runbooks name, for the search's service filter. */
  services: string[];
  coverage: Coverage;
  /** Errors that forbid publishing, in the linter's diagnostic format. */
  problems: Diagnostic[];
}

/** What {@link buildSiteModel} needs besides the project. */
export interface SiteOptions {
  /** Today as YYYY-MM-DD. */
  today: string;
  /** The linter's findings: the coverage page lists runbooks that still hold placeholder text. */
  diagnostics?: readonly Diagnostic[];
  /** Put each runbook's findings on its page (for `astro dev`, where an author fixes them). */
  showFindings?: boolean;
}

const SEVERITY_ORDER = ['critical', 'error', 'page', 'warning', 'info', 'none'];

function rank(severity: string): number {
  const i = SEVERITY_ORDER.indexOf(severity);
  return i === -1 ? SEVERITY_ORDER.length : i;
}

/** Severities ordered by urgency, unknown ones last and alphabetically. */
function sortSeverities(values: Iterable<string>): string[] {
  return [...new Set(values)].filter((v) => v !== '').sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function frontmatterOf(runbook: Runbook): Record<string, unknown> {
  const data = runbook.frontmatter?.data;
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** The days since `reviewed` when that exceeds the stale-review limit; undefined when fresh, unknown or the check is off. */
function staleness(reviewed: string | undefined, today: string, project: Project): Staleness | undefined {
  const limit = staleLimit(project);
  const days = daysSinceReview(reviewed, today);
  return limit !== undefined && days !== undefined && days > limit ? { days, limit } : undefined;
}

function staleLimit(project: Project): number | undefined {
  if (checkSeverity(project.config, staleReview) === 'off') return undefined;
  const limit = Number(checkOptions(project.config, staleReview).maxAgeDays);
  return Number.isFinite(limit) ? limit : undefined;
}

function fill(pattern: string | undefined, file: string): string | undefined {
  return pattern ? pattern.replaceAll('{file}', encodeURI(file)) : undefined;
}

/** Prometheus' graph page with the expression filled in (Prometheus 2's /graph?g0.expr= form; 3.x's new UI is not verified here). */
function graphUrl(prometheusUrl: string, expr: string): string {
  return `${prometheusUrl.replace(/\/+$/, '')}/graph?g0.expr=${encodeURIComponent(expr.toWellFormed())}&g0.tab=0`;
}

function siteRule(rule: AlertRule, project: Project): SiteRule {
  const { prometheusUrl, editUrl } = project.config.site;
  return {
    alert: rule.name,
    group: rule.group,
    file: rule.at.file,
    line: rule.at.line,
    // A rule only a server serves has no file in the repository to edit.
    sourceHref: rule.at.file === rule.server ? undefined : fill(editUrl, rule.at.file),
    expr: rule.expr,
    exprHtml: codeBlockHtml(rule.expr.trimEnd(), 'promql'),
    for: rule.for,
    keepFiringFor: rule.keepFiringFor,
    labels: Object.entries(rule.labels).map(([name, value]) => ({ name, value })),
    annotations: Object.entries(rule.annotations).map(([name, value]) => ({ name, html: textHtml(value) })),
    graphUrl: prometheusUrl && rule.expr ? graphUrl(prometheusUrl, rule.expr) : undefined,
    landmark: `Rule ${rule.name} in group ${rule.group}, ${rule.at.file} line ${rule.at.line}`,
  };
}

function problem(at: Location, message: string, hint: string): Diagnostic {
  return { ...at, ruleId: SITE_ERROR, severity: 'error', message, hint };
}

/** The page path an alert's runbook is served at: from runbookUrl, or /alerts/<name>/ without one. */
function alertPagePath(project: Project, alert: string, runbook: Runbook, section?: AlertSection): ReturnType<typeof pagePathFor> {
  const { config } = project;
  const base = normalizeBase(config.site.base);
  const url = config.runbookUrl
    ? expandRunbookUrl(config.runbookUrl, { alert, runbookFile: runbook.file, runbooksDir: config.runbooksDir, anchor: section?.anchor })
    : `${base}alerts/${encodeURIComponent(alert.toWellFormed())}/`;
  return pagePathFor(url, base);
}

/** An alert placed on a page: its path, and its section when it has one (match: heading). */
interface Placed {
  alert: string;
  path: string;
  section?: AlertSection;
  /** On the page of an earlier section of the same file, at its anchor. */
  shared?: boolean;
}

/**
 * One alert's section of the file's tree, its heading left out (the page title says it). The
 * file's definitions come along, so a reference resolves on the section's page as it does in the
 * file the linter read.
 */
function sectionTree(tree: Root, section: AlertSection): Root {
  const inside = (node: RootContent): boolean => {
    const line = node.position?.start.line;
    return line !== undefined && line > section.line && line < section.endLine;
  };
  const definitions = tree.children.filter((node) => (node.type === 'definition' || node.type === 'footnoteDefinition') && !inside(node));
  return { type: 'root', children: [...tree.children.filter(inside), ...definitions] };
}

/** The anchors the linter gave the headings inside a section, which its page keeps. */
function sectionSlugs(runbook: Runbook, section: AlertSection): string[] {
  return runbook.headings.filter((h) => h.line > section.line && h.line < section.endLine).map((h) => h.slug);
}

/** Builds every page of the site from a project the linter has checked. */
export function buildSiteModel(project: Project, options: SiteOptions): SiteModel {
  const { config } = project;
  const label = severityLabel(config);
  const base = normalizeBase(config.site.base);
  const problems: Diagnostic[] = [];
  const taken = new Map<string, string>();
  const claimPath = (path: string, owner: string, at: Location): boolean => {
    const key = routeKey(path);
    const reserved = reservedPathProblem(path);
    const other = taken.get(key);
    if (reserved || other !== undefined) {
      problems.push(
        problem(
          at,
          `${owner} would be served at ${base}${path}, but ${reserved ?? `${other} is already there`}`,
          reserved
            ? 'Change runbookUrl (or the alias) so that runbook pages live under their own folder, e.g. /alerts/{alert}/.'
            : 'Give each alert its own URL: runbookUrl must tell the alerts apart (e.g. {alert} rather than {alert|lower}), and aliases must not repeat a page.',
        ),
      );
      return false;
    }
    taken.set(key, owner);
    return true;
  };

  // Alert pages claim their paths before any alias does: an alias never pushes a page aside.
  const placedByRunbook: { runbook: Runbook; placed: Placed[] }[] = [];
  for (const runbook of project.runbooks) {
    // The first claim of a name is its runbook: a second section for it is duplicate-runbook's finding.
    const claims = project
      .claimsOf(runbook)
      .filter((claim, i, all) => project.runbookFor(claim.name) === runbook && all.findIndex((c) => c.name === claim.name) === i);
    const placed: Placed[] = [];
    for (const claim of claims) {
      const path = alertPagePath(project, claim.name, runbook, claim.section);
      if (path.error !== undefined) {
        problems.push(
          problem(
            claim.at,
            `The runbook of alert "${claim.name}" cannot be served: ${path.error}`,
            `runbookUrl (${config.runbookUrl ?? 'unset'}) and site.base (${base}) must agree: the URL's path starts with the base.`,
          ),
        );
        continue;
      }
      // Sections of one file whose URLs differ only in the fragment ({anchor}) are one page, each alert at its anchor.
      const sharing = claim.section && placed.find((p) => p.section && routeKey(p.path) === routeKey(path.path));
      if (sharing) placed.push({ alert: claim.name, path: sharing.path, section: claim.section, shared: true });
      else if (claimPath(path.path, `Alert "${claim.name}"`, claim.at))
        placed.push({ alert: claim.name, path: path.path, section: claim.section });
    }
    if (placed.length > 0) placedByRunbook.push({ runbook, placed });
  }

  const pages: RunbookPage[] = [];
  const redirects: RedirectPage[] = [];
  for (const { runbook, placed } of placedByRunbook) {
    const canonical = placed[0] as (typeof placed)[number];
    const fm = frontmatterOf(runbook);
    const aliases = Array.isArray(fm.aliases) ? fm.aliases.filter((a): a is string => typeof a === 'string') : [];
    aliases.forEach((alias, i) => {
      const at = {
        file: runbook.file,
        ...(frontmatterPointers(runbook)[`/aliases/${i}`]?.value ?? runbook.frontmatter?.at ?? { line: 1, column: 1 }),
      };
      // Aliases are paths below the base; one written with the base in front means the same page.
      const path = (base !== '/' && alias.startsWith(base) ? alias.slice(base.length) : alias).replace(/^\/+/, '');
      if (path === '') {
        problems.push(problem(at, `Alias "${alias}" is the site's home page`, 'Remove it: an alias is an old path of this runbook.'));
        return;
      }
      if (claimPath(path, `Alias ${alias} of ${runbook.file}`, at)) {
        redirects.push({
          kind: 'redirect',
          path,
          target: hrefFor(canonical.path, base),
          reason: `an old address of the runbook for ${canonical.alert}`,
        });
      }
    });
    const resolve = (target: string, fragment: string | undefined): string | undefined =>
      resolveLink(project, runbook, target, fragment, base);
    // The text the linter read, parsed once for every page of the file.
    let parsed: Root | undefined;
    const tree = (): Root => (parsed ??= parseMarkdown(runbook.source));
    let whole: ReturnType<typeof renderBody> | undefined;
    const wholeFile = (): ReturnType<typeof renderBody> => (whole ??= renderBody(tree(), { dropTitle: true, resolveLink: resolve }));
    // An alert's section served as a page of its own shows that section alone.
    const ownPage = (p: Placed): boolean =>
      p.section !== undefined && !placed.some((o) => o !== p && routeKey(o.path) === routeKey(p.path));
    const bodyOf = (p: Placed): ReturnType<typeof renderBody> =>
      ownPage(p) && p.section
        ? renderBody(sectionTree(tree(), p.section), {
            resolveLink: resolve,
            slugs: sectionSlugs(runbook, p.section),
            tocFrom: p.section.depth + 1,
          })
        : wholeFile();
    const allRules = placed.flatMap((p) => project.alert(p.alert)?.rules ?? []).map((rule) => siteRule(rule, project));
    const lastReviewed = str(fm.last_reviewed);
    const dashboards = Array.isArray(fm.dashboards)
      ? fm.dashboards.flatMap((d: unknown) => {
          const { title, url } = (d ?? {}) as Record<string, unknown>;
          if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return [];
          return hasPlaceholder(url)
            ? [{ title: str(title) ?? url, url: tokenUrl(url), template: url }]
            : [{ title: str(title) ?? url, url }];
        })
      : [];
    const escalation = str(fm.escalation);
    const h1 = runbook.headings.find((h) => h.depth === 1)?.text;
    for (const p of placed) {
      if (p.shared) continue;
      const body = bodyOf(p);
      const together = placed.filter((o) => routeKey(o.path) === routeKey(p.path));
      const pageAlerts = ownPage(p) ? [p.alert] : placed.filter((o) => !ownPage(o)).map((o) => o.alert);
      const rules = allRules.filter((r) => pageAlerts.includes(r.alert));
      const annotationLabels = rules.flatMap((r) =>
        r.annotations.flatMap((a) => [...a.html.matchAll(/data-label="([^"]+)"/g)].map((m) => m[1] as string)),
      );
      const taken = new Set(body.toc.map((t) => t.slug).concat(body.html.match(/ id="[^"]*"/g)?.map((m) => m.slice(5, -1)) ?? []));
      const sectionIds = {
        rules: uniqueId('alerting-rules', taken),
        dashboards: uniqueId('dashboards', taken),
        escalation: uniqueId('escalation', taken),
      };
      const escalationTitle = body.toc.some((t) => t.text.toLowerCase() === 'escalation') ? 'Escalation contact' : 'Escalation';
      const toc: TocEntry[] = [
        ...body.toc,
        ...(rules.length > 0 ? [{ depth: 2, text: rules.length === 1 ? 'Alerting rule' : 'Alerting rules', slug: sectionIds.rules }] : []),
        ...(dashboards.length > 0 ? [{ depth: 2, text: 'Dashboards', slug: sectionIds.dashboards }] : []),
        ...(escalation ? [{ depth: 2, text: escalationTitle, slug: sectionIds.escalation }] : []),
      ];
      const shared = {
        alerts: pageAlerts,
        canonicalHref: hrefFor((ownPage(p) ? p : canonical).path, base),
        file: runbook.file,
        title: ownPage(p) ? p.alert : (str(fm.title) ?? h1 ?? canonical.alert),
        anchors: Object.fromEntries(
          together.filter((o) => o.section && together.length > 1).map((o) => [o.alert, (o.section as AlertSection).anchor]),
        ),
        service: str(fm.service),
        tags: Array.isArray(fm.tags) ? fm.tags.filter((t): t is string => typeof t === 'string') : [],
        lastReviewed,
        stale: staleness(lastReviewed, options.today, project),
        dashboards,
        escalation,
        editUrl: fill(config.site.editUrl, runbook.file),
        html: body.html,
        toc,
        sectionIds,
        escalationTitle,
        jumps: body.toc.filter((t) => t.depth === 2 && /^(diagnosis|mitigation)$/i.test(t.text.trim())),
        findings: options.showFindings
          ? (options.diagnostics ?? [])
              .filter((d) => d.file === runbook.file)
              .map((d) => ({ line: d.line, column: d.column, ruleId: d.ruleId, severity: d.severity, message: d.message, hint: d.hint }))
          : [],
      };
      // The alert that fired comes first; the others the runbook covers follow.
      const ordered = [...rules.filter((r) => r.alert === p.alert), ...rules.filter((r) => r.alert !== p.alert)];
      const own = project.alert(p.alert)?.rules ?? [];
      const severity = fact(str(fm.severity), ruleSeverity(own, label));
      const owner = fact(str(fm.owner), ruleOwner(own));
      const summary = fact(str(fm.summary), ruleSummary(own));
      pages.push({
        kind: 'runbook',
        path: p.path,
        href: hrefFor(p.path, base),
        alert: p.alert,
        canonical: p === canonical || ownPage(p),
        ...shared,
        rules: ordered,
        severity: severity.value,
        owner: owner.value,
        summary: plainSummary(summary.value),
        summaryHtml: textHtml(summary.value),
        fromRule: { severity: severity.fromRule, owner: owner.fromRule, summary: summary.fromRule },
        labels: [...new Set([...labelNames(summary.value), ...body.labels, ...annotationLabels])],
        otherAlerts: placed
          .filter((o) => o !== p && !o.shared && !together.includes(o))
          .map((o) => ({ alert: o.alert, href: hrefFor(o.path, base) })),
      });
    }
  }

  const pageOf = new Map(pages.flatMap((p) => [[p.alert, p] as const, ...Object.keys(p.anchors).map((alert) => [alert, p] as const)]));
  const names = new Set([...project.alerts.map((a) => a.name), ...pages.map((p) => p.alert)]);
  const alerts: AlertRow[] = [...names].sort().map((name) => {
    const page = pageOf.get(name);
    if (page)
      return {
        alert: name,
        href: page.anchors[name] ? `${page.href}#${page.anchors[name]}` : page.href,
        severity: page.severity,
        owner: page.owner,
        summary: page.summary,
        service: page.service,
      };
    const rule = project.alert(name)?.rules[0];
    const ignored = project.ignoredAlert(name, options.today);
    // Without a page to fill them, placeholders in the rule's summary read as tokens.
    const rules = project.alert(name)?.rules ?? [];
    const summary = plainSummary(ruleSummary(rules) ?? '');
    return { alert: name, severity: rule?.labels[label] ?? '', owner: ruleOwner(rules) ?? '', summary, ignored: ignored?.reason };
  });

  const coverage = buildCoverage(project, pages, options.today, staleLimit(project), options.diagnostics ?? []);

  return {
    title: config.site.title,
    base,
    builtOn: options.today,
    pages,
    redirects,
    alerts,
    severities: sortSeverities(alerts.map((a) => a.severity)),
    owners: [...new Set(alerts.map((a) => a.owner).filter((o) => o !== ''))].sort(),
    services: [...new Set(pages.flatMap((p) => (p.service ? [p.service] : [])))].sort(),
    coverage,
    problems,
  };
}

/** `id`, or `id-1`, `id-2`… when the body already uses it, as github-slugger numbers repeats. */
function uniqueId(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let i = 1; taken.has(candidate); i++) candidate = `${id}-${i}`;
  taken.add(candidate);
  return candidate;
}

/** A relative link in a runbook: to another runbook's page, or to the file in the repository. */
function resolveLink(project: Project, from: Runbook, target: string, fragment: string | undefined, base: string): string | undefined {
  const dir = from.file.includes('/') ? from.file.slice(0, from.file.lastIndexOf('/')) : '';
  const parts: string[] = [];
  for (const segment of `${dir}/${target}`.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  const file = target === '' ? from.file : parts.join('/');
  const hash = fragment === undefined || fragment === '' ? '' : `#${encodeURIComponent(fragment.toWellFormed())}`;
  const linked = project.runbooks.find((r) => r.file === file);
  if (linked) {
    const alert = project.claimsOf(linked).find((c) => project.runbookFor(c.name) === linked)?.name;
    if (alert) {
      const path = alertPagePath(project, alert, linked);
      if (path.path !== undefined) return `${hrefFor(path.path, base)}${hash}`;
    }
  }
  return fill(project.config.site.editUrl, file);
}
