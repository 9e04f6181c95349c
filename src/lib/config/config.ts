import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compileSchema, describeSchemaError, type ErrorObject, type ValidateFunction } from './ajv.ts';
import validateConfig from './generated/config-schema.js';
import { CONFIG_ERROR, type Diagnostic, type Position, type Severity } from '../engine/diagnostic.ts';
import { escapePointer, indexPointers, lookupPointer, type PointerSpan } from '../text/positions.ts';
import { URL_PLACEHOLDERS, unknownPlaceholders } from './runbook-url-pattern.ts';
import { parseYaml } from '../text/yaml.ts';
import { toolRoot } from './tool.ts';

/** The file name the CLI and the site look for, from the working directory upwards. */
export const CONFIG_FILE = 'runbooks.config.yaml';

// Defined with the other rule ids, where the reporters can have it without loading the config's parsers.
export { CONFIG_ERROR };

/** An alert that needs no runbook, and why. */
export interface IgnoredAlert {
  alert?: string;
  pattern?: string;
  reason: string;
  until?: string;
  /** `pattern` compiled and anchored; absent for exact names. */
  regex?: RegExp;
}

/** One check's configured severity and options. */
export interface CheckSetting {
  severity: Severity | 'off' | undefined;
  options: Record<string, unknown>;
}

/** Settings of the static site. */
export interface SiteConfig {
  title: string;
  /** The site's public origin, e.g. https://runbooks.example.com; undefined when it cannot be known. */
  url: string | undefined;
  /** `site.url` as the config gives it (an origin), undefined when not given: links to check docs are built from this only, never guessed. */
  configuredUrl?: string;
  base: string;
  editUrl?: string;
  prometheusUrl?: string;
  /** Absolute folder `runbooks build` writes the site to (default: dist/ beside the config). */
  outDir: string;
  /** Absolute path of the image shown beside the title and used as the favicon. */
  logo?: string;
  /** A CSS colour for links and the alert names, in place of the default blue and red. */
  accentColor?: string;
  /** Absolute path of a stylesheet of the team's, applied after the site's own. */
  stylesheet?: string;
  /** Alertmanager base URLs the pages read firing alerts from, in the browser; empty: the site makes no request. */
  alertmanager: string[];
}

/** With `match: heading`, which headings start an alert's section, and how other files name their alert. */
export interface HeadingMatch {
  level: number;
  /** The heading text with `{alert}` where the name stands, as configured. */
  pattern: string;
  /** `pattern` compiled and anchored: group 1 is the alert name. */
  regex: RegExp;
  otherwise: 'frontmatter' | 'filename';
}

/** Compiles a heading pattern such as `Alert Name: "{alert}"`: the rest of the text is literal. */
function headingPattern(pattern: string): RegExp {
  const [before, ...after] = pattern.split('{alert}');
  const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${literal(before ?? '')}(.+?)${literal(after.join('{alert}'))}$`);
}

/** A running server whose rules API the config names as a rule source. */
export interface RuleServer {
  /** The rules API URL, as the config writes it. */
  url: string;
  /** The environment variable that holds a bearer token. */
  bearerTokenEnv?: string;
  /** Header name → the environment variable that holds its value. */
  headersFromEnv?: Record<string, string>;
  timeoutMs: number;
  /** Where the entry stands in the config file, for the error when the server cannot be read. */
  at: Position;
}

/** How long a rules API may take to answer unless the config says otherwise. */
const DEFAULT_SERVER_TIMEOUT_MS = 10_000;

/** The configuration with defaults filled in and paths resolved. */
export interface Config {
  /** Absolute folder that every path in the config is relative to. */
  root: string;
  /** Absolute path of the config file, or undefined when running on defaults. */
  configFile: string | undefined;
  /** Globs of rule files. */
  rules: string[];
  /** Rules APIs of running servers (`rules` entries that are URLs). */
  ruleServers: RuleServer[];
  /** For each of `rules`, its index among the config's `rules` entries (servers sit between globs). */
  ruleEntryIndex?: number[];
  runbooks: string[];
  /** Repo-relative folder that holds the runbooks. */
  runbooksDir: string;
  match: 'frontmatter' | 'filename' | 'heading';
  /** Set when `match` is `heading`. */
  heading?: HeadingMatch;
  /** Absolute path of the frontmatter schema. */
  schemaFile: string;
  schema: Record<string, unknown>;
  runbookUrl: string | undefined;
  requiredSections: string[];
  checks: Record<string, CheckSetting>;
  ignoreAlerts: IgnoredAlert[];
  /** Absolute path of the runbook template. */
  template: string;
  /** Absolute path of the baseline file when the config names one; otherwise engine/baseline.ts's default beside the config. */
  baseline?: string;
  site: SiteConfig;
  /** The config file as diagnostics name it (relative to the working directory); undefined on defaults. */
  configShown?: string;
  /** Where each key of the config file stands, by JSON pointer (`/checks/stale-review`), for problems found after loading. */
  keyPositions?: Record<string, Position>;
}

/** A configuration, or the diagnostics that say why there is none. */
export type ConfigResult = { config: Config; diagnostics: Diagnostic[] } | { config: undefined; diagnostics: Diagnostic[] };

const DEFAULTS = {
  rules: ['rules/**/*.{yml,yaml}'],
  runbooks: ['runbooks/**/*.md', '!**/_template.md'],
  match: 'frontmatter' as const,
  schema: 'schema/runbook.schema.json',
  requiredSections: ['Meaning', 'Impact', 'Diagnosis', 'Mitigation'],
  template: 'runbooks/_template.md',
};

/** Checks the config's shape, with the validator generated from schema/config.schema.json (scripts/generate-validators.ts) rather than compiling it on every run. */
function validateConfigShape(data: unknown): ValidateFunction {
  validateConfig(data);
  return validateConfig;
}

/**
 * ajv's errors as one problem per mistake. A value that fails a oneOf (a severity, a glob list)
 * fails every branch; say only what the deepest, most specific errors say, and merge alternatives:
 * "must be a string or an array", not two findings.
 */
function configSchemaProblems(errors: ErrorObject[]): { pointer: string; message: string; atKey: boolean }[] {
  const single = (e: ErrorObject) => ({
    pointer:
      e.keyword === 'additionalProperties'
        ? `${e.instancePath}/${escapePointer(String((e.params as { additionalProperty: string }).additionalProperty))}`
        : e.instancePath,
    message: describeSchemaError(e, 'The config'),
    atKey: e.keyword === 'additionalProperties',
  });
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const problems: { pointer: string; message: string; atKey: boolean }[] = [];
  const branches = new Map<ErrorObject, ErrorObject[]>();
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'if') continue;
    // The oneOf this error is a branch of: same value (or inside it), schema path below it or in a
    // $ref'd definition (ajv reports those by the definition's path).
    const oneOf = oneOfs
      .filter(
        (o) =>
          (e.schemaPath.startsWith(`${o.schemaPath}/`) || e.schemaPath.startsWith('#/$defs/')) &&
          (e.instancePath === o.instancePath || e.instancePath.startsWith(`${o.instancePath}/`)),
      )
      .sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
    if (oneOf === undefined) problems.push(single(e));
    else branches.set(oneOf, [...(branches.get(oneOf) ?? []), e]);
  }
  for (const list of branches.values()) {
    const depth = Math.max(...list.map((e) => e.instancePath.split('/').length));
    const deepest = list.filter((e) => e.instancePath.split('/').length === depth);
    const specific = deepest.some((e) => e.keyword !== 'type') ? deepest.filter((e) => e.keyword !== 'type') : deepest;
    const first = specific[0] as ErrorObject;
    const where = first.instancePath ? `"${first.instancePath.slice(1).replaceAll('/', '.')}"` : 'The config';
    if (specific.length > 1 && specific.every((e) => e.keyword === 'type')) {
      const types = specific.map((e) => String((e.params as { type: string }).type)).map((t) => `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`);
      problems.push({ pointer: first.instancePath, message: `${where} must be ${types.join(' or ')}`, atKey: false });
    } else if (specific.length > 1 && specific.every((e) => e.keyword === 'required')) {
      const keys = specific.map((e) => `"${String((e.params as { missingProperty: string }).missingProperty)}"`);
      problems.push({ pointer: first.instancePath, message: `Missing required key ${keys.join(' or ')}`, atKey: false });
    } else {
      problems.push(...specific.map(single));
    }
  }
  return problems;
}

/** Looks for the config file in `dir` and each folder above it. */
export function findConfig(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

/** The fixed folder a glob starts with: `content/runbooks/**\/*.md` → `content/runbooks`. */
export function globBase(glob: string): string {
  const parts = glob.replace(/^\.\//, '').split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?[\]{}()!]/.test(part)) break;
    fixed.push(part);
  }
  // An absolute glob with nothing fixed (`/**/*.md`) starts at the file system's root.
  return fixed.join('/') || (glob.startsWith('/') ? '/' : '.');
}

/** Reads a file that must be a regular one: a FIFO named as the config or the schema would block the run forever. */
function readRegularFile(file: string): string {
  if (!statSync(file).isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'not a regular file' });
  return readFileSync(file, 'utf8');
}

function toList(value: unknown, fallback: string[]): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? (value as string[]) : fallback;
}

function configDiagnostic(file: string, message: string, hint: string, line = 1, column = 1): Diagnostic {
  return { file, line, column, ruleId: CONFIG_ERROR, severity: 'error', message, hint };
}

/**
 * Reads and validates the configuration. With no `configPath`, looks upwards from `cwd`; with
 * none found, runs on defaults rooted at `cwd`. Never throws for user errors.
 */
export function loadConfig(cwd: string, configPath?: string): ConfigResult {
  const file = configPath ? path.resolve(cwd, configPath) : findConfig(cwd);
  const root = file ? path.dirname(file) : path.resolve(cwd);
  const shown = file ? path.relative(cwd, file).split(path.sep).join('/') || CONFIG_FILE : CONFIG_FILE;
  let raw: Record<string, unknown> = {};
  let pointers: Record<string, PointerSpan> = {};
  if (file) {
    let text: string;
    try {
      text = readRegularFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return {
        config: undefined,
        diagnostics: [
          configDiagnostic(
            shown,
            `Cannot read the config file (${code ?? 'error'})`,
            code === 'ENOENT' ? 'Check the --config path, or create runbooks.config.yaml.' : 'Check that the file is readable.',
          ),
        ],
      };
    }
    const parsed = parseYaml(text.replace(/^\uFEFF/, ''), shown);
    if (parsed.diagnostics.length > 0)
      return { config: undefined, diagnostics: parsed.diagnostics.map((d) => ({ ...d, ruleId: CONFIG_ERROR })) };
    const first = parsed.documents[0];
    const data = first?.data ?? {};
    const validate = validateConfigShape(data);
    if (first) pointers = indexPointers(first.doc, first.positions);
    if (validate.errors && validate.errors.length > 0 && first) {
      return {
        config: undefined,
        diagnostics: configSchemaProblems(validate.errors)
          .map(({ pointer, message, atKey }) => {
            const span = lookupPointer(pointers, pointer);
            const at = (atKey ? (span?.key ?? span?.value) : (span?.value ?? span?.key)) ?? { line: 1, column: 1 };
            return configDiagnostic(
              shown,
              `Config: ${message}`,
              'See schema/config.schema.json for the keys and values the config accepts.',
              at.line,
              at.column,
            );
          })
          .sort((a, b) => a.line - b.line || a.column - b.column),
      };
    }
    raw = data as Record<string, unknown>;
  }
  return resolveConfig(raw, root, file, shown, pointers);
}

function resolveConfig(
  raw: Record<string, unknown>,
  root: string,
  file: string | undefined,
  shown: string,
  pointers: Record<string, PointerSpan>,
): ConfigResult {
  const diagnostics: Diagnostic[] = [];
  // Problems with values the schema accepts still point at the value in the config file.
  const problem = (pointer: string, message: string, hint: string): void => {
    const span = lookupPointer(pointers, pointer);
    const at = span?.value ?? span?.key ?? { line: 1, column: 1 };
    diagnostics.push(configDiagnostic(shown, message, hint, at.line, at.column));
  };
  const runbooks = toList(raw.runbooks, DEFAULTS.runbooks);
  const firstPositive = runbooks.find((g) => !g.startsWith('!')) ?? 'runbooks/**/*.md';
  const schemaRel = typeof raw.schema === 'string' ? raw.schema : DEFAULTS.schema;
  let schemaFile = path.resolve(root, schemaRel);
  if (raw.schema === undefined && !existsSync(schemaFile)) schemaFile = path.join(toolRoot(), DEFAULTS.schema);
  let schema: Record<string, unknown> = {};
  try {
    schema = JSON.parse(readRegularFile(schemaFile)) as Record<string, unknown>;
    compileSchema(schema);
  } catch (error) {
    problem(
      '/schema',
      `The runbook schema ${schemaRel} cannot be used: ${(error as Error).message}`,
      'Point `schema` at a valid JSON Schema (2020-12) file.',
    );
  }
  // No prototype: a check id such as "__proto__" must stay a plain key, reported as unknown.
  const checks: Record<string, CheckSetting> = Object.create(null);
  for (const [id, setting] of Object.entries((raw.checks ?? {}) as Record<string, unknown>)) {
    if (typeof setting === 'string') checks[id] = { severity: setting as Severity | 'off', options: {} };
    else {
      const { severity, ...options } = setting as { severity?: Severity | 'off' };
      checks[id] = { severity, options };
    }
  }
  const ignoreAlerts: IgnoredAlert[] = [];
  for (const [index, entry] of ((raw.ignoreAlerts ?? []) as IgnoredAlert[]).entries()) {
    if (entry.pattern === undefined) {
      ignoreAlerts.push(entry);
      continue;
    }
    try {
      ignoreAlerts.push({ ...entry, regex: new RegExp(`^(?:${entry.pattern})$`) });
    } catch {
      problem(
        `/ignoreAlerts/${index}/pattern`,
        `ignoreAlerts pattern ${JSON.stringify(entry.pattern)} is not a valid regular expression`,
        'Write the pattern as a JavaScript regular expression without slashes, e.g. "Kube.*Down".',
      );
    }
  }
  const unknown = typeof raw.runbookUrl === 'string' ? unknownPlaceholders(raw.runbookUrl) : [];
  if (unknown.length > 0) {
    problem(
      '/runbookUrl',
      `runbookUrl uses unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      `Use ${URL_PLACEHOLDERS}.`,
    );
  }
  if (raw.heading !== undefined && raw.match !== 'heading') {
    problem(
      '/heading',
      '`heading` applies only with `match: heading`',
      'Set `match: heading` to read one section per alert, or remove `heading`.',
    );
  }
  const { globs: ruleGlobs, servers: ruleServers, globEntries: ruleEntryIndex } = ruleSources(raw.rules, pointers, problem);
  for (const [key, globs] of [
    ['rules', ruleGlobs],
    ['runbooks', runbooks],
  ] as const) {
    globs.forEach((glob, position) => {
      // A rules glob's place among the entries, servers included.
      const index = key === 'rules' ? (ruleEntryIndex[position] ?? position) : position;
      const base = path.resolve(root, globBase(glob));
      // Walking from the file system's root reads every disk for minutes before the first finding.
      if (!glob.startsWith('!') && path.parse(base).root === base) {
        problem(
          Array.isArray(raw[key]) ? `/${key}/${index}` : `/${key}`,
          `The ${key} glob ${JSON.stringify(glob)} would search the whole file system`,
          `Start it at a folder, relative to the config: e.g. ${key === 'rules' ? 'rules/**/*.yaml' : 'runbooks/**/*.md'}.`,
        );
      }
    });
  }
  const site = (raw.site ?? {}) as Partial<Record<Exclude<keyof SiteConfig, 'alertmanager'>, string>> & {
    alertmanager?: string | string[];
  };
  // Branding files are read by every page build; a wrong path is a config error here, not a failed build later.
  const brandFile = (key: 'logo' | 'stylesheet'): string | undefined => {
    const value = site[key];
    if (value === undefined) return undefined;
    const resolved = path.resolve(root, value);
    if (!existsSync(resolved))
      problem(
        `/site/${key}`,
        `site.${key} names ${value}, which does not exist`,
        `Give the path of the ${key === 'logo' ? 'image' : 'CSS file'} relative to the config file.`,
      );
    return resolved;
  };
  const logo = brandFile('logo');
  const stylesheet = brandFile('stylesheet');
  if (diagnostics.length > 0) return { config: undefined, diagnostics };
  return {
    diagnostics,
    config: {
      root,
      configFile: file,
      rules: ruleGlobs,
      ruleServers,
      ruleEntryIndex,
      runbooks,
      // Kept relative to root, as runbook paths are: an absolute folder would make {folder} depend on the working directory.
      runbooksDir:
        path
          .relative(root, path.resolve(root, typeof raw.runbooksDir === 'string' ? raw.runbooksDir : globBase(firstPositive)))
          .split(path.sep)
          .join('/') || '.',
      match: raw.match === 'filename' || raw.match === 'heading' ? raw.match : DEFAULTS.match,
      heading: raw.match === 'heading' ? headingMatch((raw.heading ?? {}) as Partial<HeadingMatch>) : undefined,
      schemaFile,
      schema,
      runbookUrl: typeof raw.runbookUrl === 'string' ? raw.runbookUrl : undefined,
      requiredSections: (raw.requiredSections as string[] | undefined) ?? DEFAULTS.requiredSections,
      checks,
      ignoreAlerts,
      template: path.resolve(root, typeof raw.template === 'string' ? raw.template : DEFAULTS.template),
      ...(typeof raw.baseline === 'string' ? { baseline: path.resolve(root, raw.baseline) } : {}),
      configShown: file ? shown : undefined,
      keyPositions: Object.fromEntries(Object.entries(pointers).map(([pointer, span]) => [pointer, span.key ?? span.value])),
      site: {
        title: site.title ?? 'Runbooks',
        url: siteOrigin(site.url, raw.runbookUrl),
        configuredUrl: siteOrigin(site.url, undefined),
        base: (site.base ?? '/').replace(/\/?$/, '/'),
        editUrl: site.editUrl,
        prometheusUrl: site.prometheusUrl,
        outDir: path.resolve(root, site.outDir ?? 'dist'),
        logo,
        accentColor: site.accentColor,
        stylesheet,
        alertmanager: toList(site.alertmanager, []).map((url) => url.replace(/\/+$/, '')),
      },
    },
  };
}

function headingMatch(raw: Partial<HeadingMatch>): HeadingMatch {
  const pattern = raw.pattern ?? '{alert}';
  return { level: raw.level ?? 2, pattern, regex: headingPattern(pattern), otherwise: raw.otherwise ?? 'frontmatter' };
}

function siteOrigin(url: unknown, runbookUrl: unknown): string | undefined {
  const candidate = typeof url === 'string' ? url : typeof runbookUrl === 'string' ? runbookUrl : undefined;
  if (!candidate) return undefined;
  try {
    return new URL(candidate.replace(/\{[^}]*\}/g, 'x')).origin;
  } catch {
    return undefined;
  }
}

/** Prometheus' and Thanos' /api/v1/rules, the rulers' /prometheus/api/v1/rules, and Mimir's config API /prometheus/config/v1/rules. */
const RULES_API = /\/(?:api|config)\/v1\/rules\/?$/;

/**
 * Splits the `rules` entries into globs and servers. A server is a URL string or an object with
 * `url`; its URL must be a rules API, so a dashboard or a Prometheus home page is caught here
 * rather than answered with HTML later.
 */
function ruleSources(
  value: unknown,
  pointers: Record<string, PointerSpan>,
  problem: (pointer: string, message: string, hint: string) => void,
): { globs: string[]; servers: RuleServer[]; globEntries: number[] } {
  const entries: unknown[] = value === undefined ? DEFAULTS.rules : Array.isArray(value) ? value : [value];
  const globs: string[] = [];
  const globEntries: number[] = [];
  const servers: RuleServer[] = [];
  entries.forEach((entry, index) => {
    const pointer = Array.isArray(value) ? `/rules/${index}` : '/rules';
    const spec =
      typeof entry === 'string' ? (/^https?:\/\//i.test(entry) ? { url: entry } : undefined) : (entry as Record<string, unknown>);
    if (spec === undefined) {
      globs.push(entry as string);
      globEntries.push(index);
      return;
    }
    const url = String(spec.url);
    const span = lookupPointer(pointers, typeof entry === 'string' ? pointer : `${pointer}/url`) ?? lookupPointer(pointers, pointer);
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !RULES_API.test(parsed.pathname)) {
      problem(
        typeof entry === 'string' ? pointer : `${pointer}/url`,
        `${url} is not a rules API URL`,
        "Point at the server's rules API: https://prometheus.example.com/api/v1/rules (Prometheus, Thanos), …/prometheus/api/v1/rules (Mimir, Loki).",
      );
      return;
    }
    const timeout = typeof spec.timeout === 'string' ? /^(\d+)(ms|s|m)$/.exec(spec.timeout) : null;
    const timeoutMs = timeout
      ? Number(timeout[1]) * ({ ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[timeout[2] as string]!
      : DEFAULT_SERVER_TIMEOUT_MS;
    servers.push({
      url,
      ...(typeof spec.bearerTokenEnv === 'string' ? { bearerTokenEnv: spec.bearerTokenEnv } : {}),
      ...(spec.headersFromEnv ? { headersFromEnv: spec.headersFromEnv as Record<string, string> } : {}),
      timeoutMs,
      at: span?.value ?? span?.key ?? { line: 1, column: 1 },
    });
  });
  return { globs, servers, globEntries };
}
