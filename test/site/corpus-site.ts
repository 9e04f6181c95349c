/**
 * The kube-prometheus pair of the shared corpus as a site project: kube-prometheus' PrometheusRule
 * manifests against the prometheus-operator runbooks, with the findings those real files have
 * (26 alerts without a runbook, 9 runbooks for alerts that no longer exist…) downgraded to
 * warnings so that the site builds, as a team adopting the tool would start.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CORPUS } from '../support/shared.ts';

/** Writes the project's config (once per process) and returns its path. */
export function kubePrometheusConfig(): string {
  const dir = path.join(tmpdir(), `runbooks-kube-prometheus-${process.pid}`);
  const file = path.join(dir, 'runbooks.config.yaml');
  mkdirSync(dir, { recursive: true });
  // A permissive schema: these runbooks follow Hugo's frontmatter, not ours.
  writeFileSync(path.join(dir, 'schema.json'), '{"type":"object"}');
  const runbooks = path.join(CORPUS, 'prometheus-operator-runbooks/content/runbooks');
  writeFileSync(
    file,
    `rules: ["${path.join(CORPUS, 'kube-prometheus/manifests')}/*prometheusRule.yaml"]
runbooks: ["${runbooks}/**/*.md", "!**/_index.md"]
runbooksDir: ${runbooks}
match: filename
schema: schema.json
runbookUrl: https://runbooks.prometheus-operator.dev/runbooks/{folder}/{alert|lower}
checks:
  alert-has-runbook: warning
  runbook-alert-exists: warning
  placeholder-content: warning
  required-sections: warning
  frontmatter-schema: warning
site:
  title: kube-prometheus runbooks
`,
  );
  return file;
}
