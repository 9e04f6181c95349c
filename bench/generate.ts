/**
 * Writes a synthetic runbooks project that looks like a real one: N alerts in rule files of 100
 * alerts each, and one runbook of 2.5-3.6 KB per alert with frontmatter of several keys per
 * schema/runbook.schema.json, the four required sections, ordered and nested lists, a table,
 * inline, reference and anchor links (to its own headings and to sibling runbooks), code blocks
 * of PromQL and shell with label placeholders, HTML comments and a little raw HTML. The project
 * lints clean with this tool and with markdownlint-cli2 under the config written beside it, so a
 * benchmark measures reading and checking, not printing findings.
 *
 * Every choice comes from a PRNG seeded per runbook (test/support/random.ts): the same seed, N and
 * day give the same bytes, and one runbook can be rewritten alone ("one file changed").
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { random } from '../test/support/random.ts';

const SERVICES = [
  'checkout',
  'payments',
  'search',
  'catalog',
  'identity',
  'billing',
  'shipping',
  'inventory',
  'gateway',
  'ledger',
  'notify',
  'reports',
];
const SYMPTOMS = [
  {
    name: 'HighErrorRate',
    metric: 'http_requests_total',
    what: 'is answering more requests with a 5xx status than its SLO allows',
    type: 'symptom',
  },
  {
    name: 'HighLatency',
    metric: 'http_request_duration_seconds_bucket',
    what: 'is slower than its latency objective at the 99th percentile',
    type: 'symptom',
  },
  { name: 'InstanceDown', metric: 'up', what: 'has instances that Prometheus cannot scrape', type: 'cause' },
  {
    name: 'QueueBacklog',
    metric: 'queue_messages_ready',
    what: 'is not draining its work queue as fast as messages arrive',
    type: 'cause',
  },
  {
    name: 'DiskFilling',
    metric: 'node_filesystem_avail_bytes',
    what: 'will run out of disk space on a volume within hours',
    type: 'cause',
  },
  {
    name: 'CertificateExpiry',
    metric: 'probe_ssl_earliest_cert_expiry',
    what: 'serves a TLS certificate that expires soon',
    type: 'cause',
  },
  { name: 'PodRestarting', metric: 'kube_pod_container_status_restarts_total', what: 'has containers that keep restarting', type: 'cause' },
  {
    name: 'ReplicationLag',
    metric: 'pg_replication_lag_seconds',
    what: 'has a database replica that falls behind its primary',
    type: 'cause',
  },
] as const;
const SEVERITIES = ['critical', 'warning', 'info'] as const;
/** Alerts per rule file: real repositories split rules by team or component. */
export const ALERTS_PER_RULE_FILE = 100;
/** The seed `npm run bench` uses unless told otherwise. */
export const DEFAULT_SEED = 14;

/** A synthetic project's layout: where it is and what the benchmark may touch. */
export interface SyntheticProject {
  root: string;
  runbookFiles: string[];
  ruleFiles: string[];
  alerts: number;
}

type Symptom = (typeof SYMPTOMS)[number];

function details(i: number): { service: string; symptom: Symptom; severity: (typeof SEVERITIES)[number]; folder: string } {
  const service = SERVICES[i % SERVICES.length] as string;
  return {
    service,
    symptom: SYMPTOMS[Math.floor(i / SERVICES.length) % SYMPTOMS.length] as Symptom,
    severity: SEVERITIES[i % 7 === 0 ? 2 : i % 3 === 0 ? 0 : 1] as (typeof SEVERITIES)[number],
    folder: service,
  };
}

/** The alert name of index i: unique, and stable across seeds (rule files and runbooks agree on it). */
export function alertName(i: number): string {
  const { service, symptom } = details(i);
  return `${service[0]?.toUpperCase()}${service.slice(1)}${symptom.name}${String(i).padStart(5, '0')}`;
}

function expr(i: number): string {
  const { service, symptom } = details(i);
  switch (symptom.name) {
    case 'HighErrorRate':
      return `sum by (job, instance) (rate(http_requests_total{job="${service}",code=~"5.."}[5m]))\n  / sum by (job, instance) (rate(http_requests_total{job="${service}"}[5m])) > 0.01`;
    case 'HighLatency':
      return `histogram_quantile(0.99, sum by (le, job, instance) (rate(http_request_duration_seconds_bucket{job="${service}"}[5m]))) > 0.5`;
    case 'InstanceDown':
      return `up{job="${service}"} == 0`;
    default:
      return `max by (job, instance) (${symptom.metric}{job="${service}"}) > ${(i % 90) + 10}`;
  }
}

function ruleYaml(i: number, url: string): string {
  const { service, symptom, severity } = details(i);
  const body = expr(i)
    .split('\n')
    .map((line) => `          ${line}`)
    .join('\n');
  return `      - alert: ${alertName(i)}
        expr: |
${body}
        for: ${(i % 4) * 5 + 5}m
        labels:
          severity: ${severity}
          team: ${service}
        annotations:
          summary: ${service} ${symptom.what} ({{ $labels.instance }})
          description: >-
            {{ $labels.job }} on {{ $labels.instance }} ${symptom.what};
            the value is {{ $value | printf "%.2f" }}.
          runbook_url: ${url}
`;
}

function isoDate(today: Date, daysAgo: number): string {
  return new Date(today.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** A small chooser over one runbook's PRNG. */
function chooser(seed: number, i: number) {
  const next = random((seed * 1_000_003 + i) | 0);
  return {
    chance: (p: number): boolean => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    int: (low: number, high: number): number => low + Math.floor(next() * (high - low + 1)),
  };
}

const OPENERS = [
  'Start with the dashboard, then narrow down to one instance.',
  'Work from the outside in: first the traffic, then the pods, then the code.',
  'Most past incidents had one of three causes; check them in this order.',
  'Do not restart anything before you have looked: the evidence goes with the pod.',
];
const CAUSES = [
  ['a bad release', 'roll back with `kubectl -n {ns} rollout undo deploy/{svc}`'],
  ['a traffic peak', 'scale out with `kubectl -n {ns} scale deploy/{svc} --replicas=<n>`'],
  ['a failing dependency', 'follow [its runbook]({neighbour}) and tell its owners'],
  ['a noisy neighbour', 'cordon the node with `kubectl cordon <node>` and let the pods move'],
  ['an expired secret', 'rotate it with `vault kv put secret/{svc}/api key=<new>`'],
  ['a full disk', 'free space with `journalctl --vacuum-size=500M` on `{{ $labels.instance }}`'],
] as const;

/**
 * The text of runbook i: `neighbour` is the alert whose runbook it links to, `edit` a sentence
 * appended to Meaning (for "one file changed" runs).
 */
export function runbookText(i: number, neighbour: number, today: Date, edit = '', seed = DEFAULT_SEED): string {
  const c = chooser(seed, i);
  const name = alertName(i);
  const { service, symptom, severity, folder } = details(i);
  const ns = `${service}-${c.pick(['prod', 'live', 'eu', 'us'])}`;
  const other = alertName(neighbour);
  const otherFolder = details(neighbour).folder;
  const neighbourLink = otherFolder === folder ? `./${other}.md` : `../${otherFolder}/${other}.md`;
  const fill = (s: string): string => s.replaceAll('{ns}', ns).replaceAll('{svc}', service).replaceAll('{neighbour}', neighbourLink);
  const title = `${service} ${symptom.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} (${i})`;

  const frontmatter = [
    `alert: ${name}`,
    `title: ${title}`,
    `severity: ${severity}`,
    `owner: team-${service}`,
    `summary: The ${service} service ${symptom.what}.`,
    `last_reviewed: ${isoDate(today, c.int(0, 150))}`,
    `service: ${service}`,
    `alert_type: ${symptom.type}`,
    c.chance(0.5)
      ? `tags: [${service}, ${symptom.name.toLowerCase()}]`
      : `tags:\n  - ${service}\n  - ${symptom.name.toLowerCase()}\n  - "${c.pick(['tier-1', 'tier-2', 'customer-facing'])}"`,
    `dashboards:\n  - title: ${service} overview\n    url: https://grafana.example.com/d/${service}-overview/${service}?var-instance={{ $labels.instance }}` +
      (c.chance(0.5) ? `\n  - title: "${symptom.name}: detail"\n    url: https://grafana.example.com/d/${symptom.metric}/detail` : ''),
    ...(c.chance(0.6) ? [`depends_on: [${c.pick(SERVICES.filter((s) => s !== service))}]`] : []),
    `escalation: "#${service}-oncall, then the ${service} lead"`,
    ...(c.chance(0.3)
      ? [
          `incidents:\n  - title: ${service} outage\n    date: ${isoDate(today, c.int(200, 700))}\n    url: https://wiki.example.com/postmortems/${service}-${c.int(100, 999)}`,
        ]
      : []),
  ].join('\n');

  const table = `| Signal | Normal | Bad | Where |
| ------ | -----: | --: | ----- |
| Error rate | < 0.1 % | > ${c.int(1, 5)} % | [errors][dashboard] |
| p99 latency | ${c.int(80, 200)} ms | > ${c.int(400, 900)} ms | [latency][dashboard] |
| Saturation | < 60 % | > ${c.int(80, 95)} % | \`kubectl top pods\` |`;

  const diagnosisSteps = [
    `1. Look at the firing series and how long they have been bad:

   \`\`\`promql
   ${expr(i).split('\n').join('\n   ')}
   \`\`\``,
    `2. Find out what changed on \`{{ $labels.instance }}\`:

   \`\`\`shell
   kubectl -n ${ns} get pods -l app=${service} -o wide
   kubectl -n ${ns} logs deploy/${service} --since=30m | grep -iE 'error|timeout' | tail -n 50
   \`\`\``,
    `3. Check the ${c.pick(['upstream', 'database', 'cache', 'queue'])} it talks to:
   - its [status page][status];
   - its own alerts, in [the neighbour's diagnosis](${neighbourLink}#diagnosis);
   - its pool: \`curl -s {{ $labels.instance }}/metrics | grep pool_\`.`,
  ];
  if (c.chance(0.5)) {
    diagnosisSteps.push(`4. Compare with the same hour last week, to tell a regression from normal load:

   \`\`\`promql
   ${symptom.metric}{job="${service}", instance="{{ $labels.instance }}"} offset 1w
   \`\`\``);
  }

  const causes: (typeof CAUSES)[number][] = CAUSES.filter(() => c.chance(0.6)).slice(0, 4);
  for (const cause of CAUSES) if (causes.length < 2 && !causes.includes(cause)) causes.push(cause);
  const mitigation = causes.map(([cause, fix]) => `- **${cause[0]?.toUpperCase()}${cause.slice(1)}**: ${fill(fix)}.`).join('\n');

  const comment = c.pick([
    '<!-- Keep the steps in the order a responder needs them. -->',
    `<!-- Reviewed with team-${service}; ask them before removing a step. -->`,
    '<!--\nThe thresholds in this table come from the SLO document.\n-->',
  ]);
  const html = c.chance(0.5)
    ? `Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to stop a \`watch\` once the value settles.`
    : `<details>\n<summary>Why not restart at once?</summary>\n\nA restart throws away the evidence.\n\n</details>`;

  const body = `# ${title}

${comment}

## Meaning

The alert \`${name}\` fires when the ${service} service ${symptom.what}. The expression
watches \`${symptom.metric}\` for the \`${service}\` job on \`{{ $labels.instance }}\`.${edit} See [the rule][rules] and the
[${service} overview][dashboard].

## Impact

Requests that go through ${service} may fail or be slow while this fires. See
[the related runbook](${neighbourLink}#impact) when both fire together, and
[Escalation](#escalation) if customers are hit.

${table}

## Diagnosis

${c.pick(OPENERS)}

${diagnosisSteps.join('\n\n')}

${html}

## Mitigation

${mitigation}

Then confirm on the [dashboard][dashboard] that the value is back to normal
(see [Meaning](#meaning)).

## Escalation

If it is not better after ${c.pick([15, 30, 45])} minutes, page the ${service} lead through
<https://oncall.example.com/teams/${service}> or
[open a ticket](https://tracker.example.com/new?team=${service}&alert=${name}).

[dashboard]: https://grafana.example.com/d/${service}-overview/${service} "${service} overview"
[rules]: https://git.example.com/ops/rules/-/blob/main/rules/rules-${Math.floor(i / ALERTS_PER_RULE_FILE)}.yaml
[status]: https://status.example.com/${c.pick(['upstream', 'db', 'cache'])}
`;
  return `---\n${frontmatter}\n---\n\n${body}`;
}

/** The markdownlint-cli2 config the bench runs it with: its defaults, less what runbooks do on purpose. */
export const MARKDOWNLINT_CONFIG = {
  config: {
    default: true,
    // Prose is wrapped near 100 columns, tables and commands are not wrapped at all.
    MD013: false,
    // <kbd>, <details> and <summary> are part of what runbooks show.
    MD033: false,
    // The frontmatter's title is the page's title for the site; the H1 repeats it for readers of the file.
    MD025: { front_matter_title: '' },
  },
};

/** Writes the project under `root` (created). Runbook i links to runbook i+1 (mod N). */
export function generateProject(root: string, n: number, today = new Date(), seed = DEFAULT_SEED): SyntheticProject {
  mkdirSync(path.join(root, 'rules'), { recursive: true });
  mkdirSync(path.join(root, 'schema'), { recursive: true });
  copyFileSync(new URL('../schema/runbook.schema.json', import.meta.url), path.join(root, 'schema/runbook.schema.json'));
  const urlFor = (i: number): string => `https://runbooks.example.com/alerts/${alertName(i)}/`;
  const ruleFiles: string[] = [];
  for (let f = 0; f * ALERTS_PER_RULE_FILE < n; f++) {
    const groups: string[] = [];
    const end = Math.min(n, (f + 1) * ALERTS_PER_RULE_FILE);
    for (let start = f * ALERTS_PER_RULE_FILE; start < end; start += 25) {
      const rules: string[] = [];
      for (let i = start; i < Math.min(end, start + 25); i++) rules.push(ruleYaml(i, urlFor(i)));
      groups.push(`  - name: group-${f}-${start}\n    rules:\n${rules.join('\n')}`);
    }
    const file = `rules/rules-${f}.yaml`;
    writeFileSync(path.join(root, file), `# Synthetic alerting rules, file ${f}.\ngroups:\n${groups.join('\n')}`);
    ruleFiles.push(file);
  }
  const runbookFiles: string[] = [];
  for (const service of SERVICES) mkdirSync(path.join(root, 'runbooks', service), { recursive: true });
  for (let i = 0; i < n; i++) {
    const file = `runbooks/${details(i).folder}/${alertName(i)}.md`;
    writeFileSync(path.join(root, file), runbookText(i, (i + 1) % n, today, '', seed));
    runbookFiles.push(file);
  }
  writeFileSync(
    path.join(root, 'runbooks.config.yaml'),
    `rules:
  - rules/**/*.yaml
runbooks:
  - runbooks/**/*.md
match: frontmatter
schema: schema/runbook.schema.json
runbookUrl: https://runbooks.example.com/alerts/{alert}/
requiredSections: [Meaning, Impact, Diagnosis, Mitigation]
checks:
  stale-review:
    severity: warning
    maxAgeDays: 180
`,
  );
  writeFileSync(path.join(root, '.markdownlint-cli2.jsonc'), `${JSON.stringify(MARKDOWNLINT_CONFIG, null, 2)}\n`);
  return { root, runbookFiles, ruleFiles, alerts: n };
}

/** The text of runbook `file` (index i) with one sentence changed, for "one file changed" runs. */
export function editedRunbook(i: number, n: number, today: Date, revision: number, seed = DEFAULT_SEED): string {
  return runbookText(i, (i + 1) % n, today, ` Edited (revision ${revision}).`, seed);
}
