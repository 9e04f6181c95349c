/**
 * `runbooks init`: adopts the tool in an existing repository. It finds the Prometheus rule files
 * and PrometheusRule manifests by what they hold (not by their names), and the folder that already
 * holds runbooks, then writes runbooks.config.yaml, the team's frontmatter schema and runbook
 * template, and a `lint:runbooks` script. It never replaces a file, and says what it left alone.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { writeFileAtomic } from '../text/atomic-write.ts';
import { CONFIG_FILE } from '../config/config.ts';
import { toolRoot } from '../config/tool.ts';
import { BASELINE_FILE } from '../engine/baseline.ts';
import type { AlertRule } from '../project/model.ts';
import { BUILTIN_TEMPLATE, createFileExclusive } from './scaffold.ts';
import { readRuleFile } from '../sources/index.ts';
import { addScript } from './package-json.ts';

/** The folders a search never enters: installed packages, git's own data, build output and caches. */
const IGNORE = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/.cache/**'];

/** Rule files larger than this are not read while searching (the linter's own limit). */
const MAX_BYTES = 32 * 1024 * 1024;

/** What `runbooks init` found in the repository. */
export interface Discovery {
  /** Rule files (relative to cwd) holding alerting or recording rules. */
  ruleFiles: string[];
  /** Alert names they define. */
  alerts: string[];
  /** YAML files that look like rules but are Helm templates (or otherwise unparsable): render them first. */
  templates: string[];
  /** The folder that holds (or will hold) the runbooks, relative to cwd; '.' for the repository root. */
  runbooksDir: string;
  /** Markdown files in it that already name an alert. */
  runbooks: number;
  match: 'frontmatter' | 'filename';
  /** Markdown files in the runbooks folder that are no runbook (README.md, _index.md), to exclude. */
  notRunbooks: string[];
  /** runbookUrl inferred from the rules' runbook_url annotations; undefined when they do not agree. */
  runbookUrl?: string;
  /** One runbook_url the rules carry, shown in the config when no pattern could be inferred. */
  runbookUrlExample?: string;
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

/** A quick look before parsing: only files that could hold rules are parsed. */
function mayHoldRules(text: string): boolean {
  // VMRule manifests and Grafana alert provisioning files (rules named by `title`) are rule sources too.
  return (
    /\bkind:\s*["']?(?:PrometheusRule|VMRule)\b/.test(text) ||
    (/^\s*groups\s*:/m.test(text) && /^\s*-?\s*(alert|record|title)\s*:/m.test(text))
  );
}

/** The alert names a Markdown file claims in its frontmatter (`alert:` or `alerts:`), read without a full parse. */
function frontmatterAlerts(text: string): string[] | undefined {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?(?:\n|$)/.exec(text);
  if (!match) return undefined;
  const block = match[1] as string;
  const one = /^alert:\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$/m.exec(block);
  if (one) return [(one[1] as string).trim()];
  const inline = /^alerts:\s*\[([^\]]*)\]/m.exec(block);
  if (inline)
    return (inline[1] as string)
      .split(',')
      .map((s) => s.trim().replace(/^["']|["']$/g, ''))
      .filter(Boolean);
  const list = /^alerts:\s*\r?\n((?:\s+-\s*.+\r?\n?)+)/m.exec(block);
  if (list) return [...(list[1] as string).matchAll(/-\s*["']?([^"'\n]+?)["']?\s*$/gm)].map((m) => (m[1] as string).trim());
  return undefined;
}

/** The runbook URL pattern most annotations follow, when at least half of them agree. */
function inferRunbookUrl(rules: AlertRule[], folderOf: (alert: string) => string | undefined): { pattern?: string; example?: string } {
  const votes = new Map<string, number>();
  let annotated = 0;
  let example: string | undefined;
  for (const rule of rules) {
    const url = rule.annotations.runbook_url ?? rule.annotations.runbook;
    if (!url || !/^https?:\/\//.test(url)) continue;
    annotated++;
    example ??= url;
    const page = url.replace(/[?#].*$/, '');
    const candidates = new Set<string>();
    for (const [value, placeholder] of [
      [rule.name, '{alert}'],
      [rule.name.toLowerCase(), '{alert|lower}'],
    ] as const) {
      const at = page.lastIndexOf(value);
      if (at < 0) continue;
      const before = page.slice(0, at);
      const after = page.slice(at + value.length);
      candidates.add(`${before}${placeholder}${after}`);
      // kube-prometheus' runbooks/{folder}/{alert|lower}: the runbook's folder sits before the name.
      const folder = folderOf(rule.name);
      if (folder && before.endsWith(`/${folder}/`)) candidates.add(`${before.slice(0, -folder.length - 1)}{folder}/${placeholder}${after}`);
    }
    for (const candidate of candidates) votes.set(candidate, (votes.get(candidate) ?? 0) + 1);
  }
  const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
  return best && best[1] * 2 >= annotated ? { pattern: best[0], example } : { example };
}

/** Looks through the repository at `cwd` for rule files, alerts and runbooks. */
export async function discover(cwd: string): Promise<Discovery> {
  const yamlFiles = (await glob(['**/*.{yml,yaml}'], { cwd, ignore: IGNORE, dot: false })).sort();
  const ruleFiles: string[] = [];
  const templates: string[] = [];
  const rules: AlertRule[] = [];
  for (const file of yamlFiles) {
    const absolute = path.join(cwd, file);
    const size = (() => {
      try {
        return statSync(absolute).size;
      } catch {
        return Number.POSITIVE_INFINITY; // a broken link or an unreadable file holds no rules we can read
      }
    })();
    if (size > MAX_BYTES) continue;
    const text = await readFile(absolute, 'utf8').catch(() => '');
    if (!mayHoldRules(text)) continue;
    const read = readRuleFile(text, file);
    if (read.rules.length > 0 || read.recordingRules > 0) {
      ruleFiles.push(file);
      rules.push(...read.rules);
    } else if (read.diagnostics.some((d) => d.ruleId === 'parse-error')) templates.push(file);
  }
  const alerts = [...new Set(rules.map((r) => r.name))].sort();
  const known = new Set(alerts);

  const markdown = (await glob(['**/*.md'], { cwd, ignore: IGNORE, dot: false })).sort();
  const claiming: { file: string; by: 'frontmatter' | 'filename'; names: string[] }[] = [];
  for (const file of markdown) {
    const text = await readFile(path.join(cwd, file), 'utf8').catch(() => '');
    const named = frontmatterAlerts(text);
    // The template names "{{alert}}": it is no runbook.
    if (named && named.length > 0 && !named.some((n) => n.includes('{{'))) claiming.push({ file, by: 'frontmatter', names: named });
    else if (known.has(path.posix.basename(file, '.md')))
      claiming.push({ file, by: 'filename', names: [path.posix.basename(file, '.md')] });
  }
  const runbooksDir = runbooksFolder(
    claiming.map((c) => c.file),
    markdown,
    cwd,
  );
  const inside = (file: string): boolean => runbooksDir === '.' || file.startsWith(`${runbooksDir}/`);
  const mine = claiming.filter((c) => inside(c.file));
  const byName = mine.filter((c) => c.by === 'filename').length;
  const claimed = new Set(mine.map((c) => c.file));
  const notRunbooks = markdown.filter(
    (f) => inside(f) && !claimed.has(f) && /^(readme|_index|index|changelog|contributing)\.md$/i.test(path.posix.basename(f)),
  );
  const folders = new Map<string, string>();
  for (const c of mine) {
    const relative = runbooksDir === '.' ? c.file : c.file.slice(runbooksDir.length + 1);
    const folder = path.posix.dirname(relative);
    for (const name of c.names) if (folder !== '.') folders.set(name, folder);
  }
  const url = inferRunbookUrl(rules, (alert) => folders.get(alert));
  return {
    ruleFiles,
    alerts,
    templates,
    runbooksDir,
    runbooks: mine.length,
    match: byName > mine.length - byName ? 'filename' : 'frontmatter',
    notRunbooks,
    runbookUrl: url.pattern,
    runbookUrlExample: url.example,
  };
}

/**
 * The folder the runbooks live in: the deepest folder holding at least four fifths of the
 * Markdown files that name an alert; else an existing `runbooks/` folder; else `runbooks`, to be
 * filled by `runbooks new --missing`.
 */
function runbooksFolder(claiming: string[], markdown: string[], cwd: string): string {
  if (claiming.length > 0) {
    const counts = new Map<string, number>();
    for (const file of claiming) {
      const parts = path.posix.dirname(file).split('/');
      for (let i = 0; i <= parts.length; i++) {
        const dir = i === 0 ? '.' : parts.slice(0, i).join('/');
        if (dir === '.' && parts[0] === '.') continue;
        counts.set(dir, (counts.get(dir) ?? 0) + 1);
      }
    }
    const enough = [...counts.entries()].filter(([, n]) => n * 5 >= claiming.length * 4);
    enough.sort((a, b) => (b[0] === '.' ? 0 : b[0].split('/').length) - (a[0] === '.' ? 0 : a[0].split('/').length) || b[1] - a[1]);
    return (enough[0] as [string, number])[0];
  }
  const existing = ['runbooks', 'docs/runbooks', 'doc/runbooks'].find(
    (dir) => markdown.some((f) => f.startsWith(`${dir}/`)) || existsSync(path.join(cwd, dir)),
  );
  return existing ?? 'runbooks';
}

/**
 * Globs that find exactly the rule files: a folder whose YAML files are all rule files becomes one
 * `folder/*.yaml` (so new rule files there are checked too), and a folder that also holds other
 * YAML (a kustomization, values) lists its rule files.
 */
export function ruleGlobs(ruleFiles: string[], yamlInFolder: (dir: string) => string[]): string[] {
  const byDir = new Map<string, string[]>();
  for (const file of ruleFiles) {
    const dir = path.posix.dirname(file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  const globs: string[] = [];
  for (const [dir, files] of [...byDir.entries()].sort()) {
    const all = yamlInFolder(dir);
    // The repository root holds all sorts of YAML (compose files, CI): there, only the rule files themselves.
    if (dir !== '.' && all.length === files.length) {
      const exts = new Set(files.map((f) => path.posix.extname(f)));
      const pattern = exts.size > 1 ? '*.{yml,yaml}' : `*${[...exts][0] as string}`;
      globs.push(dir === '.' ? pattern : `${dir}/${pattern}`);
    } else globs.push(...files);
  }
  return globs;
}

/** Where the `$schema` comment points: the installed package when it is there, else this tool's own copy. */
function configSchemaRef(cwd: string, tool: string): string {
  const installed = path.join(cwd, 'node_modules/runbooks/schema/config.schema.json');
  const target = existsSync(installed) ? installed : path.join(tool, 'schema/config.schema.json');
  const relative = toPosix(path.relative(cwd, target));
  if (path.isAbsolute(relative)) return relative;
  return relative.startsWith('../') ? relative : `./${relative}`;
}

const q = (value: string): string => JSON.stringify(value);

/** The config file `init` writes for what it found. */
function configText(
  found: Discovery,
  options: { schemaRef: string; ruleGlobs: string[]; schemaFile: string; templateFile: string; today: string },
): string {
  const dir = found.runbooksDir;
  const prefix = dir === '.' ? '' : `${dir}/`;
  // Several README.md or _index.md (Hugo's section pages) become one pattern.
  const byName = new Map<string, string[]>();
  for (const f of found.notRunbooks) byName.set(path.posix.basename(f), [...(byName.get(path.posix.basename(f)) ?? []), f]);
  const excluded = [...byName.entries()].flatMap(([name, files]) =>
    files.length > 1 ? [`!${prefix}**/${name}`] : files.map((f) => `!${f}`),
  );
  const runbooks = [`${prefix}**/*.md`, `!${options.templateFile}`, ...excluded];
  const url = found.runbookUrl
    ? `runbookUrl: ${q(found.runbookUrl)}\n`
    : `# Where the site serves each alert's runbook; every alert's runbook_url must then say the same.\n` +
      `# Placeholders: {alert}, {folder}, {file}, with |lower, |upper or |slug.${found.runbookUrlExample ? ` One of your rules links to ${found.runbookUrlExample}` : ''}\n` +
      `# runbookUrl: "https://runbooks.example.com/alerts/{alert}/"\n`;
  return `# yaml-language-server: $schema=${options.schemaRef}
# Written by \`runbooks init\` on ${options.today}. Paths are relative to this file.
# Rule files found by their content (Prometheus rule files, PrometheusRule and VMRule manifests, Grafana alert provisioning files):
rules:
${options.ruleGlobs.map((g) => `  - ${q(g)}`).join('\n')}
runbooks:
${runbooks.map((g) => `  - ${q(g)}`).join('\n')}
# How a runbook names its alerts: \`alert:\`/\`alerts:\` in its frontmatter, or its file name.
match: ${found.match}
# What every runbook's frontmatter must hold; edit it to fit your team.
schema: ${q(options.schemaFile)}
# What \`runbooks new\` fills in.
template: ${q(options.templateFile)}
${url}requiredSections: [Meaning, Impact, Diagnosis, Mitigation]
`;
}

/** One file `init` meant to write, and what became of it. */
interface InitOutcome {
  file: string;
  what: string;
  /** Written; otherwise left alone, for `reason`. */
  written: boolean;
  reason?: string;
}

/** Everything `runbooks init` did, for the CLI to print. */
export interface InitResult {
  found: Discovery;
  outcomes: InitOutcome[];
  /** Set when nothing could be set up (no rule files): why. */
  problem?: string;
  /** The repository's .gitignore does not keep out the parse cache (.cache/runbooks/ beside the config). */
  cacheNotIgnored?: boolean;
}

/** Options of {@link init}. */
export interface InitOptions {
  cwd: string;
  /** This tool's folder; found from this module by default. */
  tool?: string;
  /** Today as YYYY-MM-DD. */
  today?: string;
}

/** Finds what the repository holds and writes what is missing; never replaces a file. */
export async function init(options: InitOptions): Promise<InitResult> {
  const { cwd } = options;
  const tool = options.tool ?? toolRoot();
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const found = await discover(cwd);
  const outcomes: InitOutcome[] = [];
  const configFile = path.join(cwd, CONFIG_FILE);
  if (existsSync(configFile)) {
    return {
      found,
      outcomes: [
        {
          file: CONFIG_FILE,
          what: 'the config',
          written: false,
          reason: 'it exists; nothing else was written (the config decides where the schema and template are)',
        },
      ],
    };
  }
  if (found.ruleFiles.length === 0) {
    const templates =
      found.templates.length > 0
        ? ` ${found.templates.length} YAML file${found.templates.length === 1 ? '' : 's'} look like templates (Helm?): render them first (helm template … > rendered.yaml).`
        : '';
    return {
      found,
      outcomes,
      problem: `found no Prometheus rule file or PrometheusRule manifest below ${cwd} (node_modules and .git are skipped).${templates}`,
    };
  }
  const prefix = found.runbooksDir === '.' ? '' : `${found.runbooksDir}/`;
  const templateFile = `${prefix}_template.md`;
  const schemaFile = 'schema/runbook.schema.json';
  const yamlInFolder = (dir: string): string[] => {
    try {
      return readdirSync(path.join(cwd, dir), { withFileTypes: true })
        .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
        .map((e) => e.name);
    } catch {
      return [];
    }
  };
  const config = configText(found, {
    schemaRef: configSchemaRef(cwd, tool),
    ruleGlobs: ruleGlobs(found.ruleFiles, yamlInFolder),
    schemaFile,
    templateFile,
    today,
  });

  const create = async (file: string, what: string, content: string): Promise<void> => {
    try {
      await createFileExclusive(path.join(cwd, file), content);
      outcomes.push({ file, what, written: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      outcomes.push({
        file,
        what,
        written: false,
        reason: code === 'EEXIST' ? 'it exists' : `cannot write it (${code ?? (error as Error).message})`,
      });
    }
  };
  await create(CONFIG_FILE, 'the config', config);
  await create(schemaFile, 'the frontmatter schema', readFileSync(path.join(tool, 'schema/runbook.schema.json'), 'utf8'));
  const bundledTemplate = path.join(tool, 'runbooks/_template.md');
  await create(
    templateFile,
    'the runbook template',
    existsSync(bundledTemplate) ? readFileSync(bundledTemplate, 'utf8') : BUILTIN_TEMPLATE,
  );
  outcomes.push(await addLintScript(cwd));
  const gitignore = await readFile(path.join(cwd, '.gitignore'), 'utf8').catch(() => undefined);
  const cacheNotIgnored = gitignore !== undefined && !/^\/?\.cache(\/|\/runbooks\/?)?\s*$/m.test(gitignore);
  return { found, outcomes, ...(cacheNotIgnored ? { cacheNotIgnored } : {}) };
}

/** Adds `"lint:runbooks": "runbooks lint"` to package.json, changing nothing else in the file. */
async function addLintScript(cwd: string): Promise<InitOutcome> {
  const file = path.join(cwd, 'package.json');
  const what = 'the lint:runbooks script';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {
      file: 'package.json',
      what,
      written: false,
      reason: 'there is no package.json; run `npx runbooks lint`, or add the script to yours',
    };
  }
  const added = addScript(text, 'lint:runbooks', 'runbooks lint');
  if (added.exists !== undefined)
    return { file: 'package.json', what, written: false, reason: `it already has lint:runbooks ("${added.exists}")` };
  if (added.problem !== undefined) return { file: 'package.json', what, written: false, reason: added.problem };
  try {
    // `expected`: refuses when the file changed since it was read.
    await writeFileAtomic(file, added.text, text);
    return { file: 'package.json', what, written: true };
  } catch (error) {
    return {
      file: 'package.json',
      what,
      written: false,
      reason: `cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    };
  }
}

/** The lines `runbooks init` prints: what it found, what it wrote or left alone, and what to do next. */
export function initReport(result: InitResult): string {
  const { found } = result;
  const lines: string[] = [];
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `Found ${plural(found.ruleFiles.length, 'rule file')} with ${plural(found.alerts.length, 'alert')}, and ${found.runbooks > 0 ? `${plural(found.runbooks, 'runbook')} in ${found.runbooksDir}/` : `no runbooks yet (they will go in ${found.runbooksDir}/)`}.`,
  );
  if (found.templates.length > 0)
    lines.push(
      `Skipped ${plural(found.templates.length, 'YAML file')} that look like rule templates (render Helm charts first): ${found.templates.slice(0, 5).join(', ')}${found.templates.length > 5 ? ', …' : ''}`,
    );
  for (const o of result.outcomes)
    lines.push(o.written ? `  wrote      ${o.file}  (${o.what})` : `  left alone ${o.file}  (${o.what}): ${o.reason}`);
  if (result.outcomes.some((o) => o.file === CONFIG_FILE && o.written)) {
    lines.push(
      '',
      'Next:',
      '  npx runbooks lint                      see what the checks find',
      '  npx runbooks new --missing             create a runbook, from the template, for every alert that has none',
      `  npx runbooks lint --baseline-update    accept today's findings in ${BASELINE_FILE}, so CI fails only on new ones`,
      '  npm run lint:runbooks                  in CI and in a pre-commit hook (examples/ci in the package)',
    );
    if (result.cacheNotIgnored) lines.push('', 'Add `.cache/` to .gitignore: `runbooks lint` keeps its parse cache in .cache/runbooks/.');
    if (!found.runbookUrl)
      lines.push(
        '',
        "Set runbookUrl in the config to where the site will serve runbooks, then `npx runbooks fix` writes every alert's runbook_url.",
      );
  }
  return `${lines.join('\n')}\n`;
}
