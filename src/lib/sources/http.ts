import { parse as parseYamlText } from 'yaml';
import { CONFIG_ERROR, type Config, type RuleServer } from '../config/config.ts';
import type { Diagnostic, Location, Related } from '../engine/diagnostic.ts';
import type { AlertRule, RuleFile } from '../project/model.ts';

/** One rule as a rules API serves it, in Prometheus's JSON (`/api/v1/rules`) or the ruler's YAML config API. */
interface ServedRule {
  type?: string;
  name?: string;
  alert?: string;
  record?: string;
  query?: string;
  expr?: string;
  /** Seconds, in Prometheus's JSON. */
  duration?: number;
  for?: string;
  keepFiringFor?: number;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface ServedGroup {
  name?: string;
  /** The rule file the server loaded the group from (Prometheus, Thanos), or the namespace (rulers). */
  file?: string;
  rules?: ServedRule[];
}

/** A duration in seconds as Prometheus writes one: 300 → 5m, 5400 → 1h30m. */
function formatSeconds(seconds: number): string {
  if (seconds === 0) return '0s';
  const units: [string, number][] = [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  let rest = Math.round(seconds * 1000);
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / (size * 1000));
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size * 1000;
  }
  return rest > 0 ? `${out}${rest}ms` : out;
}

/** The URL as findings name it: no credentials, no query string (tokens ride there sometimes). */
function serverName(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}

/** The groups of a rules API answer: Prometheus's JSON envelope, or the rulers' YAML (namespace → groups). */
function groupsOf(body: string, contentType: string): ServedGroup[] | undefined {
  if (contentType.includes('json') || /^\s*\{/.test(body)) {
    const json = JSON.parse(body) as { status?: string; data?: { groups?: ServedGroup[] } };
    return Array.isArray(json.data?.groups) ? json.data.groups : undefined;
  }
  const namespaces = parseYamlText(body) as Record<string, ServedGroup[]> | null;
  if (!namespaces || typeof namespaces !== 'object' || Array.isArray(namespaces)) return undefined;
  return Object.entries(namespaces).flatMap(([namespace, groups]) =>
    Array.isArray(groups) ? groups.map((g) => ({ ...g, file: namespace })) : [],
  );
}

function failure(config: Config, server: RuleServer, message: string, hint: string): Diagnostic {
  return {
    file: config.configShown ?? 'runbooks.config.yaml',
    line: server.at.line,
    column: server.at.column,
    ruleId: CONFIG_ERROR,
    severity: 'error',
    message,
    hint,
  };
}

/** The request headers a server entry asks for, or the name of an environment variable that is not set. */
function headersFor(server: RuleServer, env: NodeJS.ProcessEnv): { headers: Record<string, string> } | { missing: string } {
  const headers: Record<string, string> = { accept: 'application/json, application/yaml;q=0.9' };
  if (server.bearerTokenEnv) {
    const token = env[server.bearerTokenEnv];
    if (!token) return { missing: server.bearerTokenEnv };
    headers.authorization = `Bearer ${token}`;
  }
  for (const [name, variable] of Object.entries(server.headersFromEnv ?? {})) {
    const value = env[variable];
    if (value === undefined) return { missing: variable };
    headers[name] = value;
  }
  return { headers };
}

function describeError(error: unknown, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return `it did not answer within ${formatSeconds(timeoutMs / 1000)}`;
  if (cause?.code === 'ECONNREFUSED') return 'the connection was refused (nothing listens there)';
  if (cause?.code === 'ENOTFOUND') return 'the host name does not resolve';
  // fetch will not connect to ports that other protocols use (1, 25, 6000…), whatever listens there.
  if (cause?.message === 'bad port' || (error as Error).message === 'bad port')
    return 'fetch refuses to connect to that port (a port other protocols use)';
  return cause?.message ?? (error as Error).message;
}

/**
 * Reads the alerting rules a running server serves. Each server becomes one RuleFile named by its
 * URL; a server that cannot be read is a configuration error at its entry in the config.
 */
export async function readServer(
  config: Config,
  server: RuleServer,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ruleFile?: RuleFile; diagnostic?: Diagnostic }> {
  const name = serverName(server.url);
  const headers = headersFor(server, env);
  if ('missing' in headers) {
    return {
      diagnostic: failure(
        config,
        server,
        `Cannot read the rules of ${name}: the environment variable ${headers.missing} is not set`,
        `Set ${headers.missing} to the value to send (a token or a tenant id), or remove it from the entry.`,
      ),
    };
  }
  let body: string;
  let contentType: string;
  // fetch refuses a URL with credentials in it (https://user:pass@host/…): they become basic auth.
  const target = new URL(server.url);
  if (target.username || target.password) {
    headers.headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  try {
    const response = await fetch(target, { headers: headers.headers, signal: AbortSignal.timeout(server.timeoutMs), redirect: 'follow' });
    body = await response.text();
    contentType = response.headers.get('content-type') ?? '';
    if (!response.ok) {
      const auth = response.status === 401 || response.status === 403;
      return {
        diagnostic: failure(
          config,
          server,
          `Cannot read the rules of ${name}: it answered ${response.status} ${response.statusText}`.trim(),
          auth
            ? 'Give the entry the credentials the server wants: `bearerTokenEnv:` or `headersFromEnv:` (e.g. Authorization, X-Scope-OrgID).'
            : 'Check the URL: it must be the rules API, e.g. https://prometheus.example.com/api/v1/rules.',
        ),
      };
    }
  } catch (error) {
    return {
      diagnostic: failure(
        config,
        server,
        `Cannot read the rules of ${name}: ${describeError(error, server.timeoutMs)}`,
        `Check that the server runs and that this machine reaches it, or give the entry a longer \`timeout\` (now ${formatSeconds(server.timeoutMs / 1000)}).`,
      ),
    };
  }
  let groups: ServedGroup[] | undefined;
  try {
    groups = groupsOf(body, contentType);
  } catch {
    groups = undefined;
  }
  if (!groups) {
    return {
      diagnostic: failure(
        config,
        server,
        `Cannot read the rules of ${name}: the answer is not a rules API response`,
        "Point at the rules API itself (…/api/v1/rules), not at a page of the server's UI.",
      ),
    };
  }
  return { ruleFile: servedRuleFile(name, server.url, groups) };
}

function servedRuleFile(name: string, url: string, groups: ServedGroup[]): RuleFile {
  const out: RuleFile = { file: name, rules: [], recordingRules: 0, diagnostics: [], server: url };
  const at: Location = { file: name, line: 1, column: 1 };
  for (const group of groups) {
    for (const rule of group.rules ?? []) {
      const alertName = rule.type === 'recording' || rule.record ? undefined : (rule.alert ?? rule.name);
      if (!alertName) {
        out.recordingRules++;
        continue;
      }
      const groupName = group.name ?? '';
      out.rules.push({
        name: alertName,
        at,
        group: groupName,
        expr: rule.query ?? rule.expr ?? '',
        for: rule.for ?? (rule.duration ? formatSeconds(rule.duration) : undefined),
        keepFiringFor: rule.keep_firing_for ?? (rule.keepFiringFor ? formatSeconds(rule.keepFiringFor) : undefined),
        labels: { ...rule.labels },
        annotations: { ...rule.annotations },
        labelsAt: Object.fromEntries(Object.keys(rule.labels ?? {}).map((k) => [k, at])),
        annotationsAt: Object.fromEntries(Object.keys(rule.annotations ?? {}).map((k) => [k, at])),
        annotationsBlockAt: at,
        format: 'served',
        server: name,
        ...(group.file ? { servedFrom: group.file } : {}),
        related: [servedBy(name, groupName, alertName, group.file)],
      });
    }
  }
  return out;
}

function servedBy(server: string, group: string, rule: string, file?: string): Related {
  return {
    file: server,
    line: 1,
    column: 1,
    message: `Served by ${server}: group "${group}", rule "${rule}"${file ? ` (loaded from ${file})` : ''}`,
  };
}

/** Prometheus serves an expression re-printed from its syntax tree: compare without the layout and the quote style. */
const sameExpression = (a: string, b: string): boolean =>
  a.replace(/\s+/g, '').replaceAll("'", '"') === b.replace(/\s+/g, '').replaceAll("'", '"');

const same = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * Puts served rules beside the rules of the files: a served rule that is also in a rule file (same
 * alert and group, the file the server names when several match) points at it. One that says
 * exactly what the file says adds only its server to the file's rule; one that differs (the
 * server runs another version) stays, so what differs is reported, at the file's rule.
 */
export function mergeServedRules(files: RuleFile[], served: RuleFile[]): RuleFile[] {
  const local = files.flatMap((f) => f.rules);
  for (const ruleFile of served) {
    const kept: AlertRule[] = [];
    for (const rule of ruleFile.rules) {
      const candidates = local.filter((r) => r.name === rule.name && r.group === rule.group);
      const match =
        candidates.find(
          (r) => rule.servedFrom !== undefined && (rule.servedFrom === r.at.file || rule.servedFrom.endsWith(`/${r.at.file}`)),
        ) ??
        candidates.find((r) => rule.servedFrom !== undefined && rule.servedFrom.split('/').pop() === r.at.file.split('/').pop()) ??
        candidates[0];
      if (!match) {
        kept.push(rule);
        continue;
      }
      const identical =
        sameExpression(match.expr, rule.expr) && same(match.labels, rule.labels) && same(match.annotations, rule.annotations);
      if (identical) {
        match.related = [...(match.related ?? []), ...(rule.related ?? [])];
        continue;
      }
      kept.push({
        ...rule,
        at: match.at,
        labelsAt: { ...match.labelsAt },
        annotationsAt: { ...match.annotationsAt },
        annotationsBlockAt: match.annotationsBlockAt,
        exprAt: match.exprAt,
        related: [...(rule.related ?? []).map((r) => ({ ...r, message: `${r.message}, which differs from this file's rule` }))],
      });
    }
    ruleFile.rules = kept;
  }
  return [...files, ...served];
}
