/**
 * The coverage page's figures, counted over the alerts of the rule files: every alert is either
 * covered by a runbook or missing one (ignoreAlerts excuses some of the missing), so covered +
 * missing = alerts, in total and for each owner. Runbooks that match no alert are listed apart.
 */
import placeholderContent from '../checks/placeholder-content.ts';
import { severityLabel } from '../checks/severity-label.ts';
import type { Diagnostic } from '../engine/diagnostic.ts';
import type { Project } from '../project/build-project.ts';
import type { RunbookPage } from './site-model.ts';
import { ruleOwner } from './rule-facts.ts';

/** Counts for one owner (a runbook's owner, else the rule's owner or team label). */
interface OwnerCoverage {
  owner: string;
  alerts: number;
  covered: number;
  /** Alerts without a runbook, the excused ones included. */
  missing: number;
  runbooks: number;
  stale: number;
}

/** What the coverage page reports. */
export interface Coverage {
  /** Alerts with neither a runbook nor an ignoreAlerts entry (the build passes only with alert-has-runbook downgraded). */
  missing: { alert: string; file: string; line: number; severity: string; owner: string }[];
  ignored: { alert: string; reason: string; until?: string }[];
  stale: { title: string; href: string; file: string; lastReviewed: string; days: number; owner: string }[];
  owners: OwnerCoverage[];
  /** Runbooks whose alert is in no rule file (renamed or deleted alerts). */
  orphans: { file: string; href: string; alerts: string[] }[];
  /** Runbooks that still hold placeholder text (TODO, TBD…), as the placeholder-content check finds. */
  unfinished: { file: string; href?: string; title: string; count: number }[];
  totals: { alerts: number; covered: number; missing: number; ignored: number; runbooks: number; stale: number; staleLimit?: number };
}

const NO_OWNER = '(no owner)';

/** Counts coverage from the project's alerts and the pages built for them. */
export function buildCoverage(
  project: Project,
  pages: readonly RunbookPage[],
  today: string,
  staleLimit: number | undefined,
  diagnostics: readonly Diagnostic[],
): Coverage {
  const pageOf = new Map(pages.map((p) => [p.alert, p]));
  const known = new Set(project.alerts.map((a) => a.name));
  const canonical = pages.filter((p) => p.canonical);
  const owners = new Map<string, OwnerCoverage>();
  const entry = (owner: string): OwnerCoverage => {
    const key = owner || NO_OWNER;
    let found = owners.get(key);
    if (!found) owners.set(key, (found = { owner: key, alerts: 0, covered: 0, missing: 0, runbooks: 0, stale: 0 }));
    return found;
  };
  const label = severityLabel(project.config);
  const missing: Coverage['missing'] = [];
  const ignored: Coverage['ignored'] = [];
  let covered = 0;
  for (const alert of project.alerts) {
    const page = pageOf.get(alert.name);
    const owner = page?.owner || ruleOwner(alert.rules) || '';
    const row = entry(owner);
    row.alerts++;
    if (page) {
      covered++;
      row.covered++;
      continue;
    }
    row.missing++;
    const excuse = project.ignoredAlert(alert.name, today);
    if (excuse) ignored.push({ alert: alert.name, reason: excuse.reason, until: excuse.until });
    else
      missing.push({
        alert: alert.name,
        file: alert.rules[0]?.at.file ?? '',
        line: alert.rules[0]?.at.line ?? 0,
        severity: alert.rules[0]?.labels[label] ?? '',
        owner,
      });
  }
  for (const page of canonical) {
    const row = entry(page.owner);
    row.runbooks++;
    if (page.stale) row.stale++;
  }
  const stale = canonical
    .filter((p) => p.stale)
    .map((p) => ({
      title: p.title,
      href: p.href,
      file: p.file,
      lastReviewed: p.lastReviewed ?? '',
      days: p.stale?.days ?? 0,
      owner: p.owner,
    }))
    .sort((a, b) => b.days - a.days);
  const orphans = canonical
    .filter((p) => p.alerts.every((a) => !known.has(a)))
    .map((p) => ({ file: p.file, href: p.href, alerts: p.alerts }));
  const counts = new Map<string, number>();
  for (const d of diagnostics) if (d.ruleId === placeholderContent.id) counts.set(d.file, (counts.get(d.file) ?? 0) + 1);
  const byFile = new Map(canonical.map((p) => [p.file, p]));
  const unfinished = [...counts]
    .map(([file, count]) => ({ file, href: byFile.get(file)?.href, title: byFile.get(file)?.title ?? file, count }))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
  return {
    missing,
    ignored,
    stale,
    owners: [...owners.values()].sort((a, b) => (a.owner < b.owner ? -1 : 1)),
    orphans,
    unfinished,
    totals: {
      alerts: project.alerts.length,
      covered,
      missing: project.alerts.length - covered,
      ignored: ignored.length,
      runbooks: canonical.length,
      stale: stale.length,
      staleLimit,
    },
  };
}
