import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { stringify } from 'yaml';
import { nearest } from '../text/nearest.ts';
import type { Config } from '../config/config.ts';
import type { Alert } from '../project/model.ts';
import type { Project } from '../project/build-project.ts';
import { compileGlobs } from '../project/globs.ts';
import { runbookFileFor } from './runbook-file-names.ts';
export { safeFileName } from './runbook-file-names.ts';
import { parseYaml } from '../text/yaml.ts';
import { severityLabel } from '../checks/severity-label.ts';

/**
 * The template used when the project has none. Its placeholders are those of runbooks/_template.md;
 * every TODO is left for the author, so placeholder-content fails until the runbook is written.
 */
export const BUILTIN_TEMPLATE = `---
alert: "{{alert}}"
title: "{{title}}"
severity: {{severity}}
owner: {{owner}}
summary: "{{summary}}"
last_reviewed: {{today}}
# Optional, for the service and team pages: uncomment what applies.
# service: the-service-this-alert-is-about
# alert_type: symptom          # customers feel it (error rate, latency, SLO burn); or cause: it points at a part (disk, CPU, a queue)
# depends_on: [other-service]  # services to look at too when this fires
# incidents:                   # past incidents it took part in, shown as "Seen in"
#   - { title: "INC-123: what happened", url: "https://incidents.example.com/INC-123", date: "2026-01-31" }
---

# {{title}}

## Meaning

{{description}}

TODO: what has gone wrong when this alert fires, in plain words, and what the expression measures.

## Impact

TODO: who or what is affected, and how urgent it is.

## Diagnosis

Check the alert's expression for the firing series:

\`\`\`promql
{{expr}}
\`\`\`

{{query}}

TODO: the next checks a responder should run (queries, commands, logs), with placeholders such as
\`{{ $labels.instance }}\` for the firing alert's label values.

## Mitigation

TODO: how to stop the impact, then how to fix the cause.
`;

/** What a template can ask for: `{{name}}`, a word without spaces (`{{ $labels.x }}` is prose, not ours). */
const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

/** The marker for what the author must still write; placeholder-content reports it. */
const TODO = 'TODO';

/** Label values that name a severity, most severe first; the highest wins when rules disagree. */
const SEVERITY_ORDER = ['critical', 'page', 'high', 'error', 'major', 'warning', 'warn', 'medium', 'minor', 'low', 'info', 'none'];

/** What `runbooks new` needs besides the project. */
export interface ScaffoldOptions {
  /** Owner for the frontmatter; otherwise the alert's `owner` or `team` label, else TODO. */
  owner?: string;
  /** Today as YYYY-MM-DD (UTC); tests fix it. */
  today?: string;
}

/** The outcome for one alert: a file created, or why not. */
export interface ScaffoldResult {
  alert: string;
  /** Repo-relative path of the runbook, created or in the way. */
  file?: string;
  created: boolean;
  /** Why nothing was created, when nothing was. */
  problem?: string;
  /** Something the author should know about a file that was created. */
  warnings: string[];
}

/** "HostOutOfMemory" → "Host out of memory"; acronyms (API, GRPC) keep their capitals. */
export function titleFromName(name: string): string {
  const spaced = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim();
  const words = spaced.split(' ').map((word) => ((word.match(/[A-Z]/g)?.length ?? 0) >= 2 ? word : word.toLowerCase()));
  const title = words.join(' ');
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** The highest severity label among an alert's rules, or undefined when none has one. */
function highestSeverity(alert: Alert, label: string): string | undefined {
  const values = alert.rules.map((r) => r.labels[label]).filter((v): v is string => v !== undefined && v !== '');
  const rank = (v: string): number => {
    const i = SEVERITY_ORDER.indexOf(v.toLowerCase());
    return i === -1 ? SEVERITY_ORDER.length : i;
  };
  return values.sort((a, b) => rank(a) - rank(b))[0];
}

function distinct(values: (string | undefined)[]): string[] {
  return [...new Set(values.map((v) => v?.trim()).filter((v): v is string => v !== undefined && v !== ''))];
}

/** Labels a responder filters by: those the annotations print and those the expression groups by. */
function relevantLabels(alert: Alert): string[] {
  const names: string[] = [];
  for (const rule of alert.rules) {
    for (const text of Object.values(rule.annotations)) {
      for (const m of text.matchAll(/\$labels\.([A-Za-z_]\w*)|\.Labels\.([A-Za-z_]\w*)|index \$labels "([A-Za-z_]\w*)"/g))
        names.push((m[1] ?? m[2] ?? m[3]) as string);
    }
  }
  for (const rule of alert.rules) names.push(...groupingLabels(rule.expr));
  const fixed = new Set(alert.rules.flatMap((r) => Object.keys(r.labels)));
  return [...new Set(names)].filter((n) => !fixed.has(n));
}

/** The labels of every `by (...)` clause in a PromQL expression. */
function groupingLabels(expr: string): string[] {
  const labels: string[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter(node) {
      if (node.name !== 'AggregateModifier') return;
      const first = node.node.firstChild;
      if (first?.name !== 'By') return false;
      for (let child = first.nextSibling?.firstChild; child; child = child.nextSibling) {
        if (child.name === 'LabelName') labels.push(expr.slice(child.from, child.to));
      }
      return false;
    },
  });
  return labels;
}

/**
 * A query for the series behind the firing alert: the expression's first selector, narrowed to the
 * alert's label values with `{{ $labels.NAME }}` placeholders, which the site fills in.
 */
export function seriesQuery(expr: string, labels: string[]): string | undefined {
  if (labels.length === 0) return undefined;
  const tree = parser.parse(expr);
  let found: { metric: string; matchers: string[]; names: Set<string> } | undefined;
  let broken = false;
  tree.iterate({
    enter(node) {
      if (node.type.isError) broken = true;
      if (found || node.name !== 'VectorSelector') return;
      const metric = node.node.getChild('Identifier');
      const matchers: string[] = [];
      const names = new Set<string>();
      const list = node.node.getChild('LabelMatchers');
      for (let child = list?.firstChild; child; child = child.nextSibling) {
        if (!/LabelMatcher$/.test(child.name)) continue;
        matchers.push(expr.slice(child.from, child.to));
        const name = child.getChild('LabelName');
        // Only an exact match pins a label; `mountpoint!~"/boot.*"` still leaves the firing one to name.
        if (name && child.getChild('MatchOp')?.firstChild?.name === 'EqlSingle') names.add(expr.slice(name.from, name.to));
      }
      found = { metric: metric ? expr.slice(metric.from, metric.to) : '', matchers, names };
      return false;
    },
  });
  if (broken || !found) return undefined;
  const { metric, matchers, names } = found;
  const added = labels.filter((l) => !names.has(l)).map((l) => `${l}="{{ $labels.${l} }}"`);
  if (added.length === 0) return undefined;
  return `${metric}{${[...matchers, ...added].join(', ')}}`;
}

/** The values of every placeholder for one alert; `label` is the label that holds its severity. */
function placeholderValues(alert: Alert, label: string, options: ScaffoldOptions = {}): Record<string, string> {
  const first = (key: string): string | undefined => distinct(alert.rules.map((r) => r.annotations[key]))[0];
  const owner = options.owner ?? distinct(alert.rules.flatMap((r) => [r.labels.owner, r.labels.team]))[0] ?? TODO;
  const exprs = distinct(alert.rules.map((r) => r.expr));
  const expr =
    exprs.length <= 1
      ? (exprs[0] ?? `${TODO}: the alert's expression`)
      : alert.rules
          .filter((rule, i) => alert.rules.findIndex((r) => r.expr.trim() === rule.expr.trim()) === i)
          .map(
            (rule) =>
              `# ${rule.at.file}:${rule.at.line}${rule.labels[label] ? ` (${label} ${rule.labels[label]})` : ''}\n${rule.expr.trim()}`,
          )
          .join('\n\n');
  const descriptions = distinct(alert.rules.map((r) => r.annotations.description ?? r.annotations.message));
  const labels = relevantLabels(alert);
  const query = alert.rules.map((r) => seriesQuery(r.expr, labels)).find((q) => q !== undefined);
  // No prototype: a template's `{{constructor}}` is an unknown placeholder, left as written.
  return Object.assign(Object.create(null) as Record<string, string>, {
    alert: alert.name,
    title: titleFromName(alert.name),
    severity: highestSeverity(alert, label) ?? TODO,
    owner,
    summary: (first('summary') ?? first('message') ?? `${TODO}: one sentence on what is wrong when this fires`).replace(/\s+/g, ' '),
    today: options.today ?? new Date().toISOString().slice(0, 10),
    expr,
    description: descriptions
      .map((d) =>
        d
          .split('\n')
          .map((line) => `> ${line}`.trimEnd())
          .join('\n'),
      )
      .join('\n>\n'),
    query: query ? `The series behind the firing alert, for its label values:\n\n\`\`\`promql\n${query}\n\`\`\`` : '',
  });
}

/** Where a placeholder stands inside a YAML line: in double quotes, single quotes, or plain. */
function yamlContext(line: string, index: number): '"' | "'" | 'plain' | 'comment' {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < index; i++) {
    const c = line[i];
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
    } else if (quote === "'") {
      if (c === "'" && line[i + 1] === "'") i++;
      else if (c === "'") quote = undefined;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s:\-[{,]/.test(line[i - 1] as string))) {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] as string))) {
      return 'comment';
    }
  }
  return quote ?? 'plain';
}

/** A one-line YAML scalar for a plain position, quoted only when YAML needs it. */
function yamlScalar(value: string): string {
  const out = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  return out.includes('\n') ? JSON.stringify(value) : out;
}

function fillFrontmatter(text: string, values: Record<string, string>): string {
  return text
    .split('\n')
    .map((line) =>
      line.replace(PLACEHOLDER, (match, name: string, index: number) => {
        const raw = values[name];
        if (raw === undefined) return match;
        const value = raw.replace(/\s+/g, ' ').trim();
        const context = yamlContext(line, index);
        if (context === '"') return JSON.stringify(value).slice(1, -1);
        if (context === "'") return value.replaceAll("'", "''");
        if (context === 'comment') return value;
        const before = line.slice(0, index);
        const after = line.slice(index + match.length);
        const wholeValue = /^\s*(?:-\s+)?(?:[^\s#'"][^#]*?:\s+)?$/.test(before) && /^\s*(?:#.*)?\r?$/.test(after);
        return wholeValue ? yamlScalar(value) : value;
      }),
    )
    .join('\n');
}

function fillBody(text: string, values: Record<string, string>): string {
  const out: string[] = [];
  let dropBlank = false;
  for (const line of text.split('\n')) {
    const blank = line.trim() === '';
    if (dropBlank && blank) {
      dropBlank = false;
      continue;
    }
    dropBlank = false;
    const alone = /^\s*\{\{([a-z_]+)\}\}\s*$/.exec(line);
    if (alone && values[alone[1] as string] === '') {
      // An empty block takes its line away, and one of the blank lines around it, so no gap is left.
      dropBlank = out.length === 0 || (out[out.length - 1] as string).trim() === '';
      continue;
    }
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    const cr = line.endsWith('\r') ? '\r' : '';
    out.push(
      line.replace(PLACEHOLDER, (match, name: string, index: number) => {
        const value = values[name];
        if (value === undefined) return match;
        // Continuation lines of a multi-line value keep the indentation of the placeholder's line.
        const pad = line.slice(0, index).trim() === '' ? indent : '';
        return value
          .split('\n')
          .map((l, i) => (i === 0 ? l : `${l === '' ? '' : pad}${l}`))
          .join(`${cr}\n`);
      }),
    );
  }
  return out.join('\n');
}

/** Fills a template for one alert: frontmatter values are YAML-escaped, the body gets Markdown. */
export function renderRunbook(template: string, given: Record<string, string>): string {
  // Looked up by the template's names: `{{constructor}}` must not find Object.prototype's.
  const values = Object.assign(Object.create(null) as Record<string, string>, given);
  const fence = /^---[ \t]*\r?\n([\s\S]*?\r?\n)---[ \t]*(\r?\n|$)/.exec(template);
  if (!fence) return fillBody(template, values);
  const head = fence[0].slice(0, fence[0].indexOf('\n') + 1);
  const yaml = fence[1] as string;
  const tail = fence[0].slice(head.length + yaml.length);
  return head + fillFrontmatter(yaml, values) + tail + fillBody(template.slice(fence[0].length), values);
}

/** The template text: the config's file, or the built-in one when the default path does not exist. */
export async function readTemplate(config: Config): Promise<{ text: string; file?: string } | { problem: string }> {
  try {
    return { text: (await readFile(config.template, 'utf8')).replace(/^\uFEFF/, ''), file: config.template };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const isDefault = path.resolve(config.root, 'runbooks/_template.md') === config.template;
    if (code === 'ENOENT' && isDefault) return { text: BUILTIN_TEMPLATE };
    return { problem: `Cannot read the template ${path.relative(config.root, config.template) || config.template} (${code ?? 'error'})` };
  }
}

/**
 * Writes a new file without ever replacing one: the content goes to a temporary file first, which
 * is then hard-linked into place (link fails if the name exists), so no reader sees half a file.
 */
export async function createFileExclusive(absolute: string, content: string): Promise<void> {
  await mkdir(path.dirname(absolute), { recursive: true });
  const temporary = path.join(path.dirname(absolute), `.${path.basename(absolute)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx');
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temporary, absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Some file systems have no hard links; COPYFILE_EXCL still refuses to replace a file.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      await copyFile(temporary, absolute, constants.COPYFILE_EXCL);
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Whether a name is taken: 'free' only when it is not there; an error code (ENAMETOOLONG, EACCES) is neither. */
function fileExists(project: Project, taken: Set<string>, file: string): Promise<'exists' | 'free' | string> {
  if (taken.has(file)) return Promise.resolve('exists');
  return open(path.join(project.config.root, file), 'r').then(
    async (h) => {
      await h.close();
      return 'exists';
    },
    (error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? 'free' : error.code === 'EISDIR' || error.code === 'EACCES' ? 'exists' : (error.code ?? 'EIO'),
  );
}

/** The names `runbooks new --missing` creates: every alert that alert-has-runbook would report. */
export function missingRunbooks(project: Project, today = new Date().toISOString().slice(0, 10)): string[] {
  return project.alerts.filter((a) => !project.runbookFor(a.name) && !project.ignoredAlert(a.name, today)).map((a) => a.name);
}

/**
 * Creates one runbook per alert name from the template, pre-filled from the alert's rules. Never
 * replaces a file; an alert that has a runbook, or that no rule defines, gets a problem instead.
 */
export async function createRunbooks(
  project: Project,
  names: string[],
  template: string,
  options: ScaffoldOptions = {},
): Promise<ScaffoldResult[]> {
  const config = project.config;
  const label = severityLabel(config);
  const results: ScaffoldResult[] = [];
  const taken = new Set<string>();
  for (const name of [...new Set(names)]) {
    const alert = project.alert(name);
    const existing = project.runbookFor(name);
    if (!alert) {
      const guess = nearest(
        name,
        project.alerts.map((a) => a.name),
      );
      results.push({
        alert: name,
        created: false,
        warnings: [],
        problem: `No rule file defines alert "${name}"${guess ? `; did you mean "${guess}"?` : ''}`,
      });
      continue;
    }
    if (existing) {
      results.push({
        alert: name,
        file: existing.file,
        created: false,
        warnings: [],
        problem: `Alert "${name}" already has a runbook: ${existing.file}`,
      });
      continue;
    }
    const planned = runbookFileFor(config, name);
    let file = planned.file;
    if (!planned.namesAlert) {
      const state = await fileExists(project, taken, file);
      if (state !== 'free') {
        results.push({
          alert: name,
          file,
          created: false,
          warnings: [],
          problem: state === 'exists' ? `${file} exists already; it was not overwritten` : `Cannot create ${file} (${state})`,
        });
        continue;
      }
    } else {
      // The frontmatter names the alert, so the file name only has to be free; a clash gets a number.
      const base = file.replace(/\.md$/, '');
      // In filename mode a slug must not take the file another alert is named by (`A/B` → `A-B.md`, when `A-B` is an alert too).
      const claimed = (candidate: string): boolean =>
        config.match === 'filename' && project.alert(path.posix.basename(candidate, '.md')) !== undefined;
      let state = await fileExists(project, taken, file);
      for (let n = 2; (state === 'exists' || (state === 'free' && claimed(file))) && n <= 1000; n++) {
        file = `${base}-${n}.md`;
        state = await fileExists(project, taken, file);
      }
      if (state !== 'free' || claimed(file)) {
        results.push({
          alert: name,
          file,
          created: false,
          warnings: [],
          problem:
            state === 'exists' || state === 'free' ? `${file} and 999 numbered names exist already` : `Cannot create ${file} (${state})`,
        });
        continue;
      }
    }
    const text = renderRunbook(template, placeholderValues(alert, label, options));
    const warnings: string[] = [];
    const problem = checkRendered(text, name, planned.namesAlert ? 'frontmatter' : planned.match);
    if (problem) {
      results.push({ alert: name, file, created: false, warnings, problem });
      continue;
    }
    if (!compileGlobs(config.runbooks, config.root).matches(file))
      warnings.push(`${file} is not matched by the \`runbooks\` globs in the config, so lint will not see it`);
    try {
      await createFileExclusive(path.join(config.root, file), text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      results.push({
        alert: name,
        file,
        created: false,
        warnings,
        problem: code === 'EEXIST' ? `${file} exists already; it was not overwritten` : `Cannot write ${file} (${code})`,
      });
      continue;
    }
    taken.add(file);
    results.push({ alert: name, file, created: true, warnings });
  }
  return results;
}

/** Why a filled-in template would not make a usable runbook, if it would not. */
function checkRendered(text: string, name: string, match: Config['match']): string | undefined {
  const fence = /^---[ \t]*\r?\n([\s\S]*?\r?\n)---[ \t]*(\r?\n|$)/.exec(text);
  if (!fence)
    return match === 'frontmatter'
      ? 'The template has no frontmatter, so the runbook could not name its alert; add `alert: "{{alert}}"` to it'
      : undefined;
  const parsed = parseYaml(fence[1] as string, 'template', 1);
  const first = parsed.diagnostics[0];
  if (first)
    return `The template's frontmatter is not valid YAML once filled in for "${name}" (line ${first.line}: ${first.message}); quote its placeholders`;
  const data = parsed.documents[0]?.data as Record<string, unknown> | undefined;
  const claims = data?.alert === name || (Array.isArray(data?.alerts) && data.alerts.includes(name));
  if (match === 'frontmatter' && !claims) return 'The template\'s frontmatter does not name the alert; add `alert: "{{alert}}"` to it';
  return undefined;
}
