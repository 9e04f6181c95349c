import type { Location, Related, Severity } from '../engine/diagnostic.ts';
import type { Project } from '../project/build-project.ts';
import type { Runbook } from '../project/model.ts';

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
  /** The edit that repairs the finding, when the check knows it; `runbooks fix` applies it. */
  fix?: Fix;
}

/**
 * An edit a check offers with its finding, as an ESLint rule's `fix`. It sets a string in a YAML
 * mapping: the mapping in which a value starts at `within` (for a rule, its name), at `path`
 * below it, adding the keys that are missing. The fixer writes it in the file's own style, leaves
 * every other byte, and refuses an edit it cannot make safely; a check offers the value, never
 * the bytes, so no check needs to know YAML's quoting rules.
 */
export interface Fix {
  /** Where a value of the mapping to edit starts, in a repo-relative YAML file. */
  within: Location;
  /** The keys from that mapping down to the string to set. */
  path: string[];
  value: string;
}

/** What a check is given to look at. */
interface CheckContext {
  project: Project;
  /** The check's options: its defaults overlaid with the config's. */
  options: Record<string, unknown>;
  /** Today, as YYYY-MM-DD (UTC); fixed by tests. */
  today: string;
}

/**
 * What a check of one runbook at a time is given: the project only as far as it is that runbook's
 * (its claims and how they were made), and other files only through `runbookAt` and `exists`,
 * which record what the check read (engine/each-runbook.ts): its findings are said again only while
 * those files are as they were.
 */
export interface RunbookCheckContext {
  project: Pick<Project, 'config' | 'claimsOf' | 'claimSource'> & {
    /** The project's runbook at a repo-relative path, if there is one. */
    runbookAt(file: string): Runbook | undefined;
    /** Whether a file or folder exists at a repo-relative path. */
    exists(file: string): boolean;
  };
  options: Record<string, unknown>;
}

/**
 * Where a check's findings land, which decides how one is suppressed: `rule` in a rule file (a YAML
 * comment above the alert's rule), `line` in a runbook's body (an HTML comment above the line),
 * `frontmatter` in a runbook's frontmatter, where no HTML comment can sit (a comment for the whole file).
 */
export type FindingsIn = 'rule' | 'line' | 'frontmatter';

/** Documentation of a check, rendered on the site's /checks/<id>/ page. */
interface CheckDocs {
  /** Why the check exists, in a sentence or two. */
  rationale: string;
  /** Where its findings stand, so the page can say where a suppression comment goes. */
  findingsIn: FindingsIn;
  /** How to put one alert off for a while, as config to paste, when the check has such a setting. */
  snooze?: { text: string; config: string };
  /**
   * What `runbooks fix` does about a finding, for a check that offers an edit with it (Report.fix).
   * Only such checks run for `runbooks fix`; test/meta.test.ts holds the two to each other.
   */
  fixable?: string;
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
export type Check = {
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
} & (
  | { check(context: CheckContext, report: Reporter): void; eachRunbook?: undefined }
  | {
      check?: undefined;
      /**
       * For a check whose findings in a runbook follow from that runbook and the config (its
       * claims, headings, text) and from other files only as read through its context (a link's
       * target), never from the date: given the run's context, the function that checks one
       * runbook. The engine calls it for each runbook, or, for a runbook unchanged since a run with
       * the same config, tool and checks, whose files read through the context are as they were,
       * says again what it found then (the cache keeps each file's findings, as ESLint's --cache
       * does), without reading the runbook's text or facts.
       */
      eachRunbook(context: RunbookCheckContext): (runbook: Runbook, report: Reporter) => void;
    }
);

/** Where a check says what it found. */
export type Reporter = (report: Report) => void;

/** Declares a check; the identity function, there for the type. */
export function defineCheck(check: Check): Check {
  return check;
}
