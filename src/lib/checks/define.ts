import type { Location, Related, Severity } from '../engine/diagnostic.ts';
import type { Project } from '../project/build-project.ts';

/** What a check says about one problem; the engine adds the id, severity and docs link. */
export interface Report {
  at: Location;
  message: string;
  hint?: string;
  related?: Related[];
  /** A lower severity than the check's own, for a lesser form of its problem (a missing annotation). */
  severity?: Severity;
  /**
   * What the finding is about, stable while the file is edited elsewhere (the alert name, the
   * section, the link target; never a line number or a date): the baseline matches findings by
   * file, check id and this key. Every check gives one; test/baseline.test.ts enforces it.
   */
  key: string;
}

/** What a check is given to look at. */
interface CheckContext {
  project: Project;
  /** The check's options: its defaults overlaid with the config's. */
  options: Record<string, unknown>;
  /** Today, as YYYY-MM-DD (UTC); fixed by tests. */
  today: string;
}

/** Documentation of a check, rendered on the site's /checks/<id>/ page. */
interface CheckDocs {
  /** Why the check exists, in a sentence or two. */
  rationale: string;
  /** Option name → what it does and its default. */
  options?: Record<string, string>;
  /** A project that fails the check and one that passes it; test/site/check-docs.test.ts runs both, the site shows them. */
  examples?: { failing: CheckExample; passing: CheckExample };
}

/** A tiny project: repo-relative path → file text. Without a runbooks.config.yaml it runs on EXAMPLE_CONFIG (checks/examples.ts). */
export interface CheckExample {
  files: Record<string, string>;
  /** One sentence on what the example shows. */
  note?: string;
}

/** One check: metadata next to the logic, as an ESLint rule carries its `meta`. */
export interface Check {
  id: string;
  severity: Severity;
  description: string;
  docs: CheckDocs;
  defaultOptions?: Record<string, unknown>;
  /** Off unless the config names it (`checks: { id: warning }`): for checks only some teams want. */
  optIn?: boolean;
  /**
   * Option name → the JSON Schema of its value, as ESLint's `meta.schema`. The config is validated
   * against it when it loads (options.ts): a check only ever sees options of the declared types.
   */
  optionsSchema?: Record<string, object>;
  check(context: CheckContext, report: (report: Report) => void): void;
}

/** Declares a check; the identity function, there for the type. */
export function defineCheck(check: Check): Check {
  return check;
}
