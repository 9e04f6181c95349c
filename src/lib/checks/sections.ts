import type { Heading, Runbook } from '../project/model.ts';
import type { Project } from '../project/build-project.ts';

/** The part of a runbook that is one runbook: the whole file, or one alert's section of it (match: heading). */
export interface Scope {
  /** The alert whose section this is; undefined for a whole file. */
  alert?: string;
  /** The headings inside it, its own heading excluded. */
  headings: Heading[];
  /** The level its required sections are at: 2 in a file, one below the alert's heading in a section. */
  level: number;
  /** The section's own heading; undefined for a whole file. */
  heading?: Heading;
}

/** The scopes the section checks look at in one runbook: each alert section, or else the whole file. */
export function scopesOf(project: Pick<Project, 'claimsOf'>, runbook: Runbook): Scope[] {
  const scopes: Scope[] = [];
  for (const claim of project.claimsOf(runbook)) {
    const section = claim.section;
    if (!section) continue;
    scopes.push({
      alert: claim.name,
      heading: runbook.headings[section.heading],
      headings: runbook.headings.filter((h) => h.line > section.line && h.line < section.endLine),
      level: section.depth + 1,
    });
  }
  return scopes.length > 0 ? scopes : [{ headings: runbook.headings, level: 2 }];
}
