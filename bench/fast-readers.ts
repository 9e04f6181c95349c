/**
 * `node bench/fast-readers.ts [N]`: what each reader costs per MB, in one process on one core, on the
 * bench's generated runbooks and rule files (N of each, default 1,000): the exact readers (micromark's
 * token reader, `yaml` with positions, readRuleFile on `yaml`'s documents) and the fast ones
 * (markdown-it, js-yaml, readRuleFile on the line scanner's nodes), best of 3 runs each.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateProject } from './generate.ts';
import { markdownFacts } from '../src/lib/markdown/runbook-reader.ts';
import { fastMarkdownFacts } from '../src/lib/markdown/fast-reader.ts';
import { parseYaml } from '../src/lib/text/yaml.ts';
import { fastYamlData } from '../src/lib/text/fast-yaml.ts';
import { readRuleFile } from '../src/lib/sources/index.ts';

const n = Number(process.argv[2] ?? 1000);
const root = mkdtempSync(path.join(os.tmpdir(), 'runbooks-readers-'));
try {
  const project = generateProject(root, n, new Date());
  const texts = project.runbookFiles.map((f) => readFileSync(path.join(root, f), 'utf8'));
  const frontmatters = texts.map((t) => /^---\n([\s\S]*?)\n---\n/.exec(t)?.[1] ?? '');
  const bodyBytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
  const yamlBytes = frontmatters.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
  const rules = project.ruleFiles.map((f) => readFileSync(path.join(root, f), 'utf8'));
  const ruleBytes = rules.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
  const best = (run: () => void): number => {
    let fastest = Infinity;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      run();
      fastest = Math.min(fastest, performance.now() - started);
    }
    return fastest;
  };
  let declined = 0;
  const rows: [string, number, number][] = [
    ['micromark token reader (exact)', best(() => texts.forEach((t) => markdownFacts(t))), bodyBytes],
    [
      'markdown-it fast reader',
      best(() => {
        declined = 0;
        texts.forEach((t) => {
          if (!fastMarkdownFacts(t)) declined++;
        });
      }),
      bodyBytes,
    ],
    ['yaml with positions (exact)', best(() => frontmatters.forEach((t) => parseYaml(t, 'f.md', 1))), yamlBytes],
    ['js-yaml fast reader', best(() => frontmatters.forEach((t) => fastYamlData(t))), yamlBytes],
    ['readRuleFile (exact, yaml)', best(() => rules.forEach((t, i) => readRuleFile(t, `r${i}.yaml`))), ruleBytes],
    ['readRuleFile fast (line scanner)', best(() => rules.forEach((t, i) => readRuleFile(t, `r${i}.yaml`, { fast: true }))), ruleBytes],
  ];
  process.stdout.write(
    `${n} runbooks, ${(bodyBytes / 1e6).toFixed(2)} MB (frontmatter ${(yamlBytes / 1e6).toFixed(2)} MB), rule files ${(ruleBytes / 1e6).toFixed(2)} MB; the fast Markdown reader declined ${declined}\n`,
  );
  for (const [name, ms, bytes] of rows)
    process.stdout.write(`${name.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / (bytes / 1e6)).toFixed(0).padStart(6)} ms/MB\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
