/**
 * A one-config project written into a temporary folder, for tests that feed the tool odd input:
 * a rule file per test, a runbook or none, and the config below (or the test's own).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { loadConfig } from '../../src/lib/config/config.ts';
import type { Diagnostic } from '../../src/lib/engine/diagnostic.ts';
import { lint } from '../../src/lib/engine/lint.ts';
import { REPO, tempDir, TODAY } from '../harness.ts';

/** Rules in rules/, runbooks in runbooks/*.md, the bundled schema, runbook URLs on rb.example.com. */
export const SMALL_CONFIG = `rules: ["rules/**/*.yaml"]
runbooks: ["runbooks/*.md"]
schema: ${JSON.stringify(path.join(REPO, 'schema/runbook.schema.json'))}
runbookUrl: https://rb.example.com/alerts/{alert}/
`;

/** A rule file with one critical alert per name, each with the runbook_url SMALL_CONFIG expects. */
export const rulesFor = (...alerts: string[]): string =>
  `groups:\n  - name: g\n    rules:\n${alerts.map((a) => `      - alert: ${a}\n        expr: vector(1)\n        labels:\n          severity: critical\n        annotations:\n          runbook_url: https://rb.example.com/alerts/${a}/\n`).join('')}`;

/**
 * `project(files, config)` writes a fresh project folder in a temporary folder of this test
 * file, which is removed after it; call it at a test file's top level.
 */
export function smallProjects(prefix: string): {
  project: (files: Record<string, string | Buffer>, config?: string) => string;
  dir: string;
  fresh: (name: string) => string;
} {
  const temp = tempDir(prefix);
  afterAll(temp.remove);
  let counter = 0;
  const fresh = (name: string): string => path.join(temp.dir, `${name}-${++counter}`);
  const project = (files: Record<string, string | Buffer>, config = SMALL_CONFIG): string => {
    const root = fresh('p');
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'runbooks.config.yaml'), config);
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), content);
    }
    return root;
  };
  return { project, dir: temp.dir, fresh };
}

/** Lints the project at `root` on TODAY; throws on a config that does not load. */
export async function lintAt(root: string, options: { cacheLocation?: string } = {}): Promise<Diagnostic[]> {
  const loaded = loadConfig(root);
  if (!loaded.config) throw new Error(JSON.stringify(loaded.diagnostics));
  return (await lint(loaded.config, { today: TODAY, ...options })).diagnostics;
}

/** `file:line:column ruleId`, to compare findings in one line each. */
export const brief = (d: Diagnostic): string => `${d.file}:${d.line}:${d.column} ${d.ruleId}`;
