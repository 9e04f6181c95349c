import { alertFacets, type AlertType } from '../project/facets.ts';
import type { Location } from '../engine/diagnostic.ts';
import { defineCheck } from './define.ts';
import { EXAMPLE_CONFIG, exampleRunbook } from './examples.ts';

const CONFIG = `${EXAMPLE_CONFIG}checks:\n  alert-type-balance: warning\n`;
const rule = (alert: string, expr: string, summary: string): string => `      - alert: ${alert}
        expr: ${expr}
        labels:
          severity: critical
        annotations:
          summary: ${summary}
          runbook_url: https://runbooks.example.com/alerts/${alert}/
`;
const ERROR_RATE = rule(
  'ApiHighErrorRate',
  'sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m])) > 0.01',
  'More than 1% of API requests fail',
);
const DISK_FULL = rule(
  'ApiDiskFull',
  'node_filesystem_avail_bytes{job="api"} / node_filesystem_size_bytes{job="api"} < 0.05',
  "An API host's disk is almost full",
);
const rules = (...list: string[]): string => `groups:\n  - name: api\n    rules:\n${list.join('')}`;
const runbook = (alert: string, type: AlertType): string =>
  exampleRunbook({ frontmatter: { alert, title: alert, service: 'api', alert_type: type } });

export default defineCheck({
  id: 'alert-type-balance',
  severity: 'warning',
  optIn: true,
  description:
    'Every service whose alerts are typed has both symptom alerts (what customers feel) and cause alerts (which part broke). Off unless enabled.',
  docs: {
    rationale:
      'A service with only cause alerts pages for every full disk yet stays silent when customers fail for a reason nobody foresaw; one with only symptom alerts says that something hurts but never where. Either gap is where its alerting is blind.',
    findingsIn: 'frontmatter',
    examples: {
      failing: {
        note: 'Service api has a cause alert (a full disk) and no symptom alert.',
        files: {
          'runbooks.config.yaml': CONFIG,
          'rules/api.yaml': rules(DISK_FULL),
          'runbooks/ApiDiskFull.md': runbook('ApiDiskFull', 'cause'),
        },
      },
      passing: {
        note: 'Service api has a symptom alert (its error rate) and a cause alert (a full disk).',
        files: {
          'runbooks.config.yaml': CONFIG,
          'rules/api.yaml': rules(ERROR_RATE, DISK_FULL),
          'runbooks/ApiHighErrorRate.md': runbook('ApiHighErrorRate', 'symptom'),
          'runbooks/ApiDiskFull.md': runbook('ApiDiskFull', 'cause'),
        },
      },
    },
  },
  check({ project }, report) {
    const services = new Map<string, { symptom: number; cause: number; first?: { alert: string; at: Location } }>();
    for (const alert of project.alerts) {
      const facets = alertFacets(project, alert.name);
      if (!facets.service || !facets.type || !facets.typeAt) continue;
      const entry = services.get(facets.service) ?? { symptom: 0, cause: 0 };
      entry[facets.type]++;
      entry.first ??= { alert: alert.name, at: facets.typeAt };
      services.set(facets.service, entry);
    }
    for (const [service, { symptom, cause, first }] of services) {
      if (!first || (symptom > 0 && cause > 0)) continue;
      const has = symptom > 0 ? 'symptom' : 'cause';
      const lacks = symptom > 0 ? 'cause' : 'symptom';
      report({
        at: first.at,
        key: `${service}/no-${lacks}`,
        message: `Service "${service}" has ${has} alerts but no ${lacks} alert`,
        hint:
          lacks === 'symptom'
            ? `Add an alert on what its users feel (error rate, latency or SLO burn) with \`alert_type: symptom\` and \`service: ${service}\`.`
            : `Add alerts on the parts it depends on (saturation, queues, disks) with \`alert_type: cause\` and \`service: ${service}\`, so a symptom points somewhere.`,
      });
    }
  },
});
