/**
 * Writes a synthetic runbooks project: N alerts spread over a handful of rule files, and one
 * runbook of 2-3 KB per alert with frontmatter per schema/runbook.schema.json, the four required
 * sections, PromQL and shell blocks and relative links to sibling runbooks. The project lints
 * clean, so a benchmark measures reading and checking, not printing thousands of findings.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SERVICES = ['checkout', 'payments', 'search', 'catalog', 'identity', 'billing', 'shipping', 'inventory', 'gateway', 'ledger', 'notify', 'reports'];
const SYMPTOMS = [
  { name: 'HighErrorRate', metric: 'http_requests_total', what: 'is answering more requests with a 5xx status than its SLO allows' },
  { name: 'HighLatency', metric: 'http_request_duration_seconds_bucket', what: 'is slower than its latency objective at the 99th percentile' },
  { name: 'InstanceDown', metric: 'up', what: 'has instances that Prometheus cannot scrape' },
  { name: 'QueueBacklog', metric: 'queue_messages_ready', what: 'is not draining its work queue as fast as messages arrive' },
  { name: 'DiskFilling', metric: 'node_filesystem_avail_bytes', what: 'will run out of disk space on a volume within hours' },
  { name: 'CertificateExpiry', metric: 'probe_ssl_earliest_cert_expiry', what: 'serves a TLS certificate that expires soon' },
  { name: 'PodRestarting', metric: 'kube_pod_container_status_restarts_total', what: 'has containers that keep restarting' },
  { name: 'ReplicationLag', metric: 'pg_replication_lag_seconds', what: 'has a database replica that falls behind its primary' },
];
const SEVERITIES = ['critical', 'warning', 'info'] as const;
/** Rule files per project: "a handful", as real repositories split rules by team or component. */
const RULE_FILES = 8;

/** A synthetic project's layout: where it is and what the benchmark may touch. */
export interface SyntheticProject {
  root: string;
  runbookFiles: string[];
  alerts: number;
}

function alertName(i: number): string {
  const service = SERVICES[i % SERVICES.length] as string;
  const symptom = SYMPTOMS[Math.floor(i / SERVICES.length) % SYMPTOMS.length] as (typeof SYMPTOMS)[number];
  return `${service[0]?.toUpperCase()}${service.slice(1)}${symptom.name}${String(i).padStart(5, '0')}`;
}

function details(i: number): { service: string; symptom: (typeof SYMPTOMS)[number]; severity: (typeof SEVERITIES)[number]; folder: string } {
  const service = SERVICES[i % SERVICES.length] as string;
  return {
    service,
    symptom: SYMPTOMS[Math.floor(i / SERVICES.length) % SYMPTOMS.length] as (typeof SYMPTOMS)[number],
    severity: SEVERITIES[i % 7 === 0 ? 2 : i % 3 === 0 ? 0 : 1] as (typeof SEVERITIES)[number],
    folder: service,
  };
}

function expr(i: number): string {
  const { service, symptom } = details(i);
  switch (symptom.name) {
    case 'HighErrorRate':
      return `sum by (job) (rate(http_requests_total{job="${service}",code=~"5.."}[5m]))\n  / sum by (job) (rate(http_requests_total{job="${service}"}[5m])) > 0.01`;
    case 'HighLatency':
      return `histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket{job="${service}"}[5m]))) > 0.5`;
    case 'InstanceDown':
      return `up{job="${service}"} == 0`;
    default:
      return `max by (instance) (${symptom.metric}{job="${service}"}) > ${(i % 90) + 10}`;
  }
}

function ruleYaml(i: number, url: string): string {
  const { service, symptom, severity } = details(i);
  const body = expr(i).split('\n').map((line) => `          ${line}`).join('\n');
  return `      - alert: ${alertName(i)}
        expr: |
${body}
        for: ${(i % 4) * 5 + 5}m
        labels:
          severity: ${severity}
          team: ${service}
        annotations:
          summary: ${service} ${symptom.what.replace(/:/g, '')} ({{ $labels.instance }})
          description: >-
            {{ $labels.job }} on {{ $labels.instance }} ${symptom.what.replace(/:/g, '')};
            the value is {{ $value | printf "%.2f" }}.
          runbook_url: ${url}
`;
}

function date(today: Date, daysAgo: number): string {
  return new Date(today.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** One runbook of 2-3 KB; `neighbour` is another alert whose runbook it links to. */
export function runbookText(i: number, neighbour: number, today: Date, edit = ''): string {
  const name = alertName(i);
  const { service, symptom, severity, folder } = details(i);
  const other = alertName(neighbour);
  const otherFolder = details(neighbour).folder;
  const link = otherFolder === folder ? `./${other}.md` : `../${otherFolder}/${other}.md`;
  const extra = i % 3 === 0
    ? `\n3. Compare with the same hour last week, to tell a regression from normal load:\n\n   \`\`\`promql\n   ${symptom.metric}{job="${service}"} offset 1w\n   \`\`\`\n`
    : '';
  return `---
alert: ${name}
title: ${service} ${symptom.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} (${i})
severity: ${severity}
owner: team-${service}
summary: The ${service} service ${symptom.what}.
last_reviewed: ${date(today, i % 120)}
service: ${service}
tags: [${service}, ${symptom.name.toLowerCase()}]
dashboards:
  - title: ${service} overview
    url: https://grafana.example.com/d/${service}-overview/${service}
escalation: "#${service}-oncall"
---

# ${service}: ${symptom.name} (${i})

## Meaning

The alert \`${name}\` fires when the ${service} service ${symptom.what}. The expression
watches \`${symptom.metric}\` for the \`${service}\` job and has been true for long enough
that it is not a blip.${edit}

## Impact

Requests that go through ${service} may fail or be slow while this fires. Customers see errors
in the parts of the product that depend on it; other teams' alerts may follow. See
[the related runbook](${link}#diagnosis) when both fire together.

While it fires, check the ${service} dashboard for the request rate and the saturation of its
pods: a fall in traffic at the same time usually means the problem is upstream (a load balancer,
DNS or the client), not in ${service} itself. Tell the incident channel which customers are hit.

## Diagnosis

1. Look at the firing series and how long they have been bad:

   \`\`\`promql
   ${expr(i).split('\n').join('\n   ')}
   \`\`\`

2. Find out what changed on the instance that fires:

   \`\`\`shell
   kubectl -n ${service} get pods -l app=${service} -o wide
   kubectl -n ${service} logs deploy/${service} --since=30m | grep -iE 'error|timeout' | tail -n 50
   kubectl -n ${service} rollout history deploy/${service} | tail -n 3
   \`\`\`
${extra}
## Mitigation

- **A bad release**: roll back with \`kubectl -n ${service} rollout undo deploy/${service}\`, then
  confirm the error rate drops on the dashboard.
- **Not enough capacity**: scale out with \`kubectl -n ${service} scale deploy/${service} --replicas=6\`.
- **A dependency is failing**: follow [its runbook](${link}) and tell its owners.
- **A noisy neighbour**: if one node is hot, cordon it with \`kubectl cordon <node>\` and let the
  pods move; open a ticket for the platform team with the node name and the time it started.

## Escalation

If it is not better after 30 minutes, page the ${service} lead (see [Meaning](#meaning)).
`;
}

/** Writes the project under `root` (created). Runbook i links to runbook i+1 (mod N). */
export function generateProject(root: string, n: number, today = new Date()): SyntheticProject {
  mkdirSync(path.join(root, 'rules'), { recursive: true });
  mkdirSync(path.join(root, 'schema'), { recursive: true });
  copyFileSync(new URL('../schema/runbook.schema.json', import.meta.url), path.join(root, 'schema/runbook.schema.json'));
  const urlFor = (i: number): string => `https://runbooks.example.com/alerts/${alertName(i)}/`;
  const perFile = Math.ceil(n / RULE_FILES);
  for (let f = 0; f < RULE_FILES; f++) {
    const groups: string[] = [];
    for (let start = f * perFile; start < Math.min(n, (f + 1) * perFile); start += 50) {
      const rules: string[] = [];
      for (let i = start; i < Math.min(n, (f + 1) * perFile, start + 50); i++) rules.push(ruleYaml(i, urlFor(i)));
      groups.push(`  - name: group-${f}-${start}\n    rules:\n${rules.join('\n')}`);
    }
    writeFileSync(path.join(root, 'rules', `rules-${f}.yaml`), `# Synthetic alerting rules, file ${f}.\ngroups:\n${groups.join('\n')}`);
  }
  const runbookFiles: string[] = [];
  for (const service of SERVICES) mkdirSync(path.join(root, 'runbooks', service), { recursive: true });
  for (let i = 0; i < n; i++) {
    const file = `runbooks/${details(i).folder}/${alertName(i)}.md`;
    writeFileSync(path.join(root, file), runbookText(i, (i + 1) % n, today));
    runbookFiles.push(file);
  }
  writeFileSync(path.join(root, 'runbooks.config.yaml'), `rules:
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
`);
  return { root, runbookFiles, alerts: n };
}

/** The text of runbook `file` (index i) with one sentence changed, for "one file changed" runs. */
export function editedRunbook(i: number, n: number, today: Date, revision: number): string {
  return runbookText(i, (i + 1) % n, today, ` Edited (revision ${revision}).`);
}

export { alertName };
