/**
 * Builders for the failing and passing examples in each check's docs. Every example is a whole,
 * tiny project, so what the docs page shows is exactly what test/site/check-docs.test.ts lints.
 */

/** The config every example runs with unless it brings its own runbooks.config.yaml. */
export const EXAMPLE_CONFIG = `rules: [rules/*.yaml]
runbooks: [runbooks/*.md]
runbookUrl: https://runbooks.example.com/alerts/{alert}/
site:
  url: https://runbooks.example.com
`;

/** The day examples are checked on, so stale-review's examples do not drift with the calendar. */
export const EXAMPLE_TODAY = '2026-11-01';

/** One alerting rule of an example rule file. */
export interface ExampleAlert {
  name: string;
  severity?: string;
  /** The runbook_url annotation; `null` leaves it out, undefined writes the one the config expects. */
  runbookUrl?: string | null;
}

/** A Prometheus rule file with one group holding the given alerts. */
export function exampleRules(alerts: readonly ExampleAlert[] = [{ name: 'ApiDown' }]): string {
  const rules = alerts.map((a) => {
    const url = a.runbookUrl === undefined ? `https://runbooks.example.com/alerts/${a.name}/` : a.runbookUrl;
    return `      - alert: ${a.name}
        expr: up{job="api"} == 0
        for: 5m
        labels:
          severity: ${a.severity ?? 'critical'}
        annotations:
          summary: The API is down${url === null ? '' : `\n          runbook_url: ${url}`}
`;
  });
  return `groups:
  - name: api
    rules:
${rules.join('\n')}`;
}

const FRONTMATTER: readonly [string, string][] = [
  ['alert', 'ApiDown'],
  ['title', 'API is down'],
  ['severity', 'critical'],
  ['owner', 'api-team'],
  ['summary', 'No instance of the API answers its health check.'],
  ['last_reviewed', '2026-10-01'],
];

const SECTIONS: readonly [string, string][] = [
  ['Meaning', 'No instance of the API answers its health check.'],
  ['Impact', 'Every request to the API fails.'],
  ['Diagnosis', 'Look at `up{job="api"}` and at the logs of the API pods.'],
  ['Mitigation', 'Roll back the last deploy: `kubectl rollout undo deployment/api`.'],
];

/** How an example runbook differs from the complete, passing one. */
export interface RunbookChanges {
  /** Frontmatter values by key; `null` removes the key. New keys go at the end. */
  frontmatter?: Record<string, string | null>;
  /** Section text by heading; `null` removes the section. New sections go at the end. */
  sections?: Record<string, string | null>;
}

function overlay(base: readonly [string, string][], changes: Record<string, string | null> = {}): [string, string][] {
  const out = base.map(([k, v]): [string, string | null] => [k, k in changes ? (changes[k] as string | null) : v]);
  for (const [k, v] of Object.entries(changes)) if (!base.some(([b]) => b === k)) out.push([k, v]);
  return out.filter((e): e is [string, string] => e[1] !== null);
}

/** A runbook for ApiDown that passes every check, changed as asked. */
export function exampleRunbook(changes: RunbookChanges = {}): string {
  const frontmatter = overlay(FRONTMATTER, changes.frontmatter)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  const sections = overlay(SECTIONS, changes.sections)
    .map(([h, text]) => `## ${h}\n\n${text}\n`)
    .join('\n');
  return `---\n${frontmatter}\n---\n\n# API is down\n\n${sections}`;
}

/** The complete project every example starts from: one alert and its runbook, passing every check. */
export function exampleProject(files: Record<string, string> = {}): Record<string, string> {
  return { 'rules/api.yaml': exampleRules(), 'runbooks/ApiDown.md': exampleRunbook(), ...files };
}
