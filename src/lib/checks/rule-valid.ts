import { defineCheck } from './define.ts';
import { exampleProject } from './examples.ts';

const VALID = `groups:
  - name: api
    rules:
      - alert: ApiDown
        expr: up{job="api"} == 0
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: "{{ $labels.instance }} of the API is down"
          runbook_url: https://runbooks.example.com/alerts/ApiDown/
`;

export default defineCheck({
  id: 'rule-valid',
  severity: 'error',
  description: 'Rule files are valid as Prometheus loads them: known keys, named groups, durations, PromQL and templates that parse.',
  docs: {
    rationale:
      'Prometheus refuses a whole rule file for one mistake in it, so a typo in one group silently drops every alert of the file at the next reload. This check finds what `promtool check rules` finds, at the exact line and column, before the file is deployed.',
    findingsIn: 'rule',
    options: {
      extraKeys:
        "Group and rule keys to accept beyond Prometheus's own, for files another evaluator reads: e.g. `[partial_response_strategy]` for Thanos Ruler, `[source_tenants, evaluation_delay]` for Mimir. Default: none. vmalert's keys are accepted in VMRule manifests and in groups that use vmalert-only keys; their MetricsQL, and Loki's LogQL, are not judged as PromQL.",
    },
    examples: {
      failing: {
        note: 'A `for` without a unit, a PromQL expression missing its closing bracket and an annotation template missing its `}}`.',
        files: exampleProject({
          'rules/api.yaml': VALID.replace('for: 5m', 'for: 5')
            .replace('up{job="api"} == 0', 'sum(rate(http_requests_total{job="api"}[5m]) == 0')
            .replace('"{{ $labels.instance }} of', '"{{ $labels.instance of'),
        }),
      },
      passing: { note: 'The same rule file as Prometheus wants it.', files: exampleProject({ 'rules/api.yaml': VALID }) },
    },
  },
  defaultOptions: { extraKeys: [] },
  optionsSchema: { extraKeys: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true } },
  check({ project, options }, report) {
    const extra = new Set(Array.isArray(options.extraKeys) ? options.extraKeys.map(String) : []);
    for (const ruleFile of project.ruleFiles) {
      for (const problem of ruleFile.problems ?? []) {
        if (problem.key !== undefined && extra.has(problem.key)) continue;
        const { message, hint, key: _key, ...position } = problem;
        report({ at: { file: ruleFile.file, ...position }, key: message, message, hint });
      }
    }
  },
});
