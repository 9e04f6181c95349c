import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { builtinRules } from '../engine/builtin-rules.ts';
import type { Check, CheckExample, FindingsIn } from '../checks/define.ts';
import { EXAMPLE_CONFIG, EXAMPLE_TODAY } from '../checks/examples.ts';
import { checks as registry } from '../checks/index.ts';
import { loadConfig } from '../config/config.ts';
import type { Diagnostic, Severity } from '../engine/diagnostic.ts';
import { lint } from '../engine/lint.ts';
import type { SiteStore } from './astro-loader.ts';

/** How to suppress findings of a check: the comment, and where it goes. */
interface Suppression {
  comment: string;
  placement: string;
}

/** The suppression comment a docs page shows for a check, with the reason ESLint-style after ` -- `. */
function suppressionFor(id: string, findingsIn: FindingsIn): Suppression {
  const reason = 'the reason, for the next reader';
  if (findingsIn === 'rule')
    return {
      comment: `# runbooks-disable-next-line ${id} -- ${reason}`,
      placement: "in the rule file, on the line above the alert's rule (`- alert: …`); it covers that whole rule",
    };
  if (findingsIn === 'line')
    return {
      comment: `<!-- runbooks-disable-next-line ${id} -- ${reason} -->`,
      placement: 'in the runbook, on the line above the finding',
    };
  return {
    comment: `<!-- runbooks-disable ${id} -- ${reason} -->`,
    placement:
      'in the runbook, below the frontmatter; it covers the whole file, since the finding is in the frontmatter where no comment can sit',
  };
}

/** A file of an example, ready to show. */
interface ExampleFile {
  path: string;
  lang: 'markdown' | 'yaml';
  text: string;
  /** False for a file the other example has too, unchanged: pages fold it away so the difference stands out. */
  focus: boolean;
}

/** One example on a docs page, with what linting it reports. */
export interface RenderedExample {
  note?: string;
  files: ExampleFile[];
  /** Findings of this check when the example is linted (empty for the passing one). */
  findings: Diagnostic[];
}

/** One option of a check: its name, what it does and its default as YAML-ish text. */
interface OptionDoc {
  name: string;
  text: string;
  default?: string;
}

/** Everything a /checks/<id>/ page shows. */
export interface CheckPage {
  id: string;
  /** `check` for a registered check; `builtin` for the engine's own findings (parse and I/O errors), which cannot be turned off. */
  kind: 'check' | 'builtin';
  severity: Severity;
  description: string;
  rationale: string;
  options: OptionDoc[];
  findingsIn?: FindingsIn;
  failing?: RenderedExample;
  passing?: RenderedExample;
  /** How to fix a built-in finding. */
  fix?: string;
  /** What `runbooks fix` does about this check's findings; undefined when they are fixed by hand. */
  fixable?: string;
  /** Config and comment snippets, each ready to paste. */
  howTo?: { disable: string; severity: string; suppress: Suppression; snooze?: { text: string; config: string }; enable?: string };
  /** Off unless the config names it. */
  optIn?: boolean;
  /** The day the examples were checked on. */
  today: string;
  /** The config the examples run with. */
  exampleConfig: string;
}

/** Writes an example's files into a temporary folder, lints them on EXAMPLE_TODAY and returns every finding. */
export async function runExample(example: CheckExample, today = EXAMPLE_TODAY): Promise<Diagnostic[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'runbooks-example-'));
  try {
    const files = { 'runbooks.config.yaml': EXAMPLE_CONFIG, ...example.files };
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text);
    }
    const loaded = loadConfig(dir);
    if (!loaded.config) return loaded.diagnostics;
    return (await lint(loaded.config, { today })).diagnostics;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function exampleFiles(example: CheckExample, other: CheckExample | undefined): ExampleFile[] {
  const files: ExampleFile[] = Object.entries(example.files).map(([file, text]) => ({
    path: file,
    lang: file.endsWith('.md') ? 'markdown' : 'yaml',
    text,
    focus: other?.files[file] !== text,
  }));
  // With no difference of its own (the other example only adds a file), every file matters.
  return files.some((f) => f.focus) ? files : files.map((f) => ({ ...f, focus: true }));
}

function defaultText(value: unknown): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

function howTo(check: Check, options: OptionDoc[]): NonNullable<CheckPage['howTo']> {
  const other = check.severity === 'error' ? 'warning' : 'error';
  const optionLines = options.filter((o) => o.default !== undefined).map((o) => `    ${o.name}: ${o.default}`);
  return {
    disable: `checks:\n  ${check.id}: off`,
    severity: `checks:\n  ${check.id}:\n    severity: ${other}${optionLines.length > 0 ? `\n${optionLines.join('\n')}` : ''}`,
    suppress: suppressionFor(check.id, check.docs.findingsIn),
    enable: check.optIn ? `checks:\n  ${check.id}: ${check.severity}` : undefined,
    snooze: check.docs.snooze,
  };
}

/** The docs page of one registered check, with both examples linted for real. */
export async function checkPage(check: Check): Promise<CheckPage> {
  const options = Object.entries(check.docs.options ?? {}).map(([name, text]) => ({
    name,
    text,
    default: defaultText(check.defaultOptions?.[name]),
  }));
  const render = async (example: CheckExample | undefined, other: CheckExample | undefined): Promise<RenderedExample | undefined> =>
    example && {
      note: example.note,
      files: exampleFiles(example, other),
      findings: (await runExample(example)).filter((d) => d.ruleId === check.id),
    };
  const { failing, passing } = check.docs.examples ?? {};
  return {
    id: check.id,
    kind: 'check',
    severity: check.severity,
    description: check.description,
    rationale: check.docs.rationale,
    options,
    findingsIn: check.docs.findingsIn,
    fixable: check.docs.fixable,
    failing: await render(failing, passing),
    passing: await render(passing, failing),
    howTo: howTo(check, options),
    optIn: check.optIn === true,
    today: EXAMPLE_TODAY,
    exampleConfig: EXAMPLE_CONFIG,
  };
}

/** Every docs page: the registered checks, then the engine's own rule ids. */
export async function checkPages(checks: readonly Check[] = registry): Promise<CheckPage[]> {
  const pages: CheckPage[] = [];
  for (const check of checks) pages.push(await checkPage(check));
  for (const rule of builtinRules) {
    pages.push({
      id: rule.id,
      kind: 'builtin',
      severity: rule.severity,
      description: rule.description,
      rationale: rule.rationale,
      options: [],
      fix: rule.fix,
      today: EXAMPLE_TODAY,
      exampleConfig: EXAMPLE_CONFIG,
    });
  }
  return pages;
}

/** A run of docs text: plain, or `inline code` as the check metadata writes it with backticks. */
export interface TextPart {
  code: boolean;
  text: string;
}

/** Splits docs text at backticks so a page can render code spans without trusting any HTML. */
export function textParts(text: string): TextPart[] {
  return text
    .split(/(`[^`]+`)/)
    .filter((part) => part !== '')
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1 ? { code: true, text: part.slice(1, -1) } : { code: false, text: part },
    );
}

/** The part of Astro's content loader context this loader uses, typed here so src/lib needs no Astro import. */
export interface CheckDocsLoaderContext {
  store: SiteStore<CheckPage & { order: number }>;
}

/**
 * Content loader of the `checks` collection. The pages read check docs through the content layer
 * because it runs on the source files: code bundled into a page cannot find the tool's own schemas,
 * which linting the examples needs.
 */
export async function storeCheckDocs({ store }: CheckDocsLoaderContext): Promise<void> {
  const pages = await checkPages();
  store.clear();
  // Order is kept in the data, since a collection's order is not guaranteed.
  pages.forEach((page, order) => store.set({ id: page.id, data: { ...page, order } }));
}
