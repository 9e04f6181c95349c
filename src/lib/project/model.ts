import type { Diagnostic, Location, Position, Related } from '../engine/diagnostic.ts';

/** One alerting rule as written in a rule file (several rules may share one alert name). */
export interface AlertRule {
  name: string;
  /** The value of the `alert:` key. */
  at: Location;
  group: string;
  expr: string;
  /** The value of the `expr:` key; a block scalar starts on the line after the key. */
  exprAt?: Location;
  for?: string;
  keepFiringFor?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Where each label and annotation value stands, by key. */
  labelsAt: Record<string, Location>;
  annotationsAt: Record<string, Location>;
  /** Where the `annotations:` key stands, or the rule's own start when there is none. */
  annotationsBlockAt: Location;
  /** Source format, for messages and the site; `served` for a rule read from a server's rules API. */
  format: 'prometheus' | 'prometheus-operator' | 'vmalert' | 'vmrule' | 'grafana' | 'served';
  /** What identifies the rule beyond its name (a Grafana uid, the server that serves it): every finding about it carries these. */
  related?: Related[];
  /** For a served rule: the server, as findings name it. */
  server?: string;
  /** For a served rule: the file (or ruler namespace) the server says it loaded the group from. */
  servedFrom?: string;
  /** The whole rule mapping, from its first key to where it ends (exclusive): what a suppression above it covers. */
  span?: Position;
}

/** An alert name and every rule that defines it. */
export interface Alert {
  name: string;
  rules: AlertRule[];
}

/** With `match: heading`, the section of a file that is one alert's runbook. */
export interface AlertSection {
  /** The index of the section's heading in the runbook's headings. */
  heading: number;
  depth: number;
  /** The heading's anchor: its GitHub slug, what `{anchor}` in runbookUrl stands for. */
  anchor: string;
  /** The heading's line, and the line where the section ends (exclusive). */
  line: number;
  endLine: number;
}

/** An alert name as a runbook claims it, with where the claim stands. */
export interface AlertClaim {
  name: string;
  at: Location;
  /** Set when one section of the file is the alert's runbook (match: heading). */
  section?: AlertSection;
}

/** A Markdown heading outside code blocks. */
export interface Heading extends Position {
  depth: number;
  text: string;
  /** GitHub-style anchor id, unique within the file. */
  slug: string;
  /** Number of top-level non-heading blocks in its section, sub-sections included: 0 means empty. */
  blocks: number;
  /** Line of the next heading of the same or a higher level, or the line after the file's end. */
  sectionEndLine: number;
}

/** A link or image destination, or a link reference definition. */
export interface Link extends Position {
  url: string;
  kind: 'link' | 'image' | 'definition';
}

/** An HTML comment (suppressions and fixture markers live in these). */
export interface Comment extends Position {
  value: string;
}

/**
 * A GFM footnote: a reference (`[^1]`), its definition (`[^1]: text`), or `missing`, a `[^1]`
 * with no definition, which GitHub and the site show as the literal text.
 */
export interface Footnote extends Position {
  /** The label as written, without `[^` and `]`. */
  label: string;
  kind: 'reference' | 'definition' | 'missing';
}

/** Raw HTML other than comments, as written: one tag of a paragraph, or one HTML block. */
export interface RawHtml extends Position {
  value: string;
}

/** Syntax of another tool that Markdown shows as literal text. */
export interface ForeignSyntax extends Position {
  construct: 'hugo-shortcode' | 'jinja' | 'mdx-import' | 'jsx';
  /** The construct as written (shortened when long). */
  text: string;
  /** The shortcode, tag or component name (`ref`, `if`, `Tabs`), when it has one. */
  name?: string;
  /** The text of the Markdown link whose destination it is: `[text]({{< ref "x.md" >}})`. */
  linkText?: string;
}

/** The parsed frontmatter of a runbook. */
export interface Frontmatter {
  /** The frontmatter as plain data; `undefined` when it could not be parsed. */
  data: unknown;
  /** `invalid`: not valid YAML (a parse-error says why); `unclosed`: no closing `---`. */
  state: 'ok' | 'invalid' | 'unclosed';
  /** The whole block, from the opening `---` to the closing one. */
  at: Position;
  /**
   * Where the alert names stand (`/alert`, `/alerts/0`...): JSON pointer → key and value positions.
   * Every other key's position comes from `frontmatterPointers(runbook)` in frontmatter.ts.
   */
  pointers: Record<string, { key?: Position; value: Position }>;
  /**
   * Set when the fast reader read the data without positions: `pointers` is then empty, and
   * `claimPointersOf(runbook)` (frontmatter.ts) locates them with the exact reader when asked.
   */
  unlocated?: true;
}

/**
 * What the linter knows of one runbook file. It is plain data (no syntax tree), so it can cross
 * worker threads and be cached; the site re-parses with the tree when it renders.
 */
export interface Runbook {
  file: string;
  /** Undefined when the file has no frontmatter at all. */
  frontmatter: Frontmatter | undefined;
  headings: Heading[];
  links: Link[];
  /**
   * The file's text (without a BOM). Checks that look for words scan it directly: one string is a
   * fraction of the memory and cache size of per-node text spans, and gives exact columns.
   */
  source: string;
  comments: Comment[];
  footnotes: Footnote[];
  html: RawHtml[];
  foreign: ForeignSyntax[];
  /** Number of lines in the file. */
  lines: number;
  /** Diagnostics found while reading or parsing: I/O errors, invalid YAML, missing frontmatter. */
  diagnostics: Diagnostic[];
}

/** Something in a rule file that Prometheus would refuse (promtool's checks); the rule-valid check reports these. */
export interface RuleProblem extends Position {
  message: string;
  hint: string;
  /** For an unknown key: the key, so the check can accept the keys its options allow. */
  key?: string;
}

/** A rule file as read: its alerts, recording-rule count and any problems met reading it. */
export interface RuleFile {
  file: string;
  rules: AlertRule[];
  recordingRules: number;
  diagnostics: Diagnostic[];
  /** For the rules of a running server: its rules API URL (the file is then the server's name, not a path). */
  server?: string;
  /** What Prometheus would refuse in the file, with positions; absent when nothing. */
  problems?: RuleProblem[];
  /** YAML comments that hold `runbooks-` directives (suppressions), with where they stand; others are not kept. */
  comments?: Comment[];
}
