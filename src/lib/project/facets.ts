/**
 * What an alert is about, beyond its name: its service, owner and type (symptom or cause), from its
 * runbook's frontmatter first, else from its rules' labels. Shared by the site and the checks, so
 * both mean the same service by the same alert.
 */
import type { Location } from '../engine/diagnostic.ts';
import { frontmatterPointers } from '../markdown/frontmatter.ts';
import type { Runbook } from './model.ts';
import type { Project } from './build-project.ts';

/** symptom: customers feel it (error rate, SLO burn); cause: it points at a part (disk, CPU, a queue). */
export type AlertType = 'symptom' | 'cause';

/** An alert's service, owner and type, and where its type is declared. */
export interface AlertFacets {
  service?: string;
  owner?: string;
  type?: AlertType;
  /** Where the type is written: the runbook's `alert_type` value or the rule's `alert_type` label. */
  typeAt?: Location;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** `symptom` or `cause` when `value` is one of them. */
function alertType(value: unknown): AlertType | undefined {
  return value === 'symptom' || value === 'cause' ? value : undefined;
}

/** The frontmatter of a runbook as a plain record ({} when it has none). */
export function frontmatterData(runbook: Runbook | undefined): Record<string, unknown> {
  return record(runbook?.frontmatter?.data);
}

/** The facets of alert `name`: the runbook's frontmatter wins over the rules' labels. */
export function alertFacets(project: Project, name: string): AlertFacets {
  const runbook = project.runbookFor(name);
  const fm = frontmatterData(runbook);
  const rules = project.alert(name)?.rules ?? [];
  const label = (key: string): string | undefined => rules.map((r) => str(r.labels[key])).find((v) => v !== undefined);
  const fmType = alertType(fm.alert_type);
  let typeAt: Location | undefined;
  if (fmType && runbook) {
    const at = frontmatterPointers(runbook)['/alert_type']?.value ?? runbook.frontmatter?.at;
    if (at) typeAt = { file: runbook.file, line: at.line, column: at.column };
  } else {
    typeAt = rules.map((r) => (alertType(r.labels.alert_type) ? r.labelsAt.alert_type : undefined)).find((at) => at !== undefined);
  }
  return {
    service: str(fm.service) ?? label('service'),
    owner: str(fm.owner) ?? label('owner') ?? label('team'),
    type: fmType ?? alertType(label('alert_type')),
    typeAt,
  };
}
