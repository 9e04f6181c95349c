/**
 * `npm run bench:readers`: what each reader of test/support/readers.ts costs per MB, in one
 * process, on the runbooks and rule files bench/generate.ts writes (N = 1,000 by default): the
 * Markdown readers on whole runbooks, the YAML readers on every frontmatter and on the rule files,
 * the whole-file readers on both, and reading the files from disk, the floor. Best of `--runs`
 * passes (after one to warm up), so it says what a reader costs, not what the machine's load adds.
 *
 *   npm run bench:readers -- --size 1000 --runs 3
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MARKDOWN_READERS, RULE_FILE_READERS, RUNBOOK_READERS, YAML_READERS } from '../test/support/readers.ts';
import { generateProject } from './generate.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: '1000' }, runs: { type: 'string', default: '3' } } });
const size = Number(values.size);
const runs = Number(values.runs);
if (!Number.isInteger(size) || size < 2 || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write('Usage: npm run bench:readers -- [--size 1000] [--runs 3]\n');
  process.exit(2);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'runbooks-bench-readers-'));
const lines: string[] = [];
try {
  const project = generateProject(scratch, size);
  const readAll = (files: string[]): { file: string; text: string }[] =>
    files.map((file) => ({ file, text: readFileSync(path.join(scratch, file), 'utf8') }));
  const runbooks = readAll(project.runbookFiles);
  const rules = readAll(project.ruleFiles);
  const frontmatters = runbooks.map(({ file, text }) => ({ file, text: /^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? '' }));
  const megabytes = (inputs: { text: string }[]): number => Buffer.byteLength(inputs.map((i) => i.text).join('')) / 1048576;

  /** Best wall time of `runs` passes of `read` over `inputs`, after one unmeasured pass. */
  const time = (inputs: { file: string; text: string }[], read: (text: string, file: string) => unknown): number => {
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r <= runs; r++) {
      const started = performance.now();
      for (const { file, text } of inputs) read(text, file);
      const ms = performance.now() - started;
      if (r > 0) best = Math.min(best, ms);
    }
    return best;
  };
  const row = (what: string, inputs: { file: string; text: string }[], read: (text: string, file: string) => unknown): void => {
    const ms = time(inputs, read);
    const mb = megabytes(inputs);
    lines.push(
      `| ${what.padEnd(62)} | ${mb.toFixed(2).padStart(5)} | ${ms.toFixed(0).padStart(7)} | ${(ms / mb).toFixed(0).padStart(6)} |`,
    );
  };

  lines.push(
    `Readers on ${size} generated runbooks and ${project.ruleFiles.length} rule files, best of ${runs}; Node ${process.version}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    '',
  );
  lines.push(`| ${'reader, on what'.padEnd(62)} |    MB | ms      |  ms/MB |`, `| ${'-'.repeat(62)} | ----: | ------: | -----: |`);
  row('reading the files (the floor)', [...runbooks, ...rules], (_text, file) => readFileSync(path.join(scratch, file), 'utf8'));
  for (const reader of MARKDOWN_READERS) row(`Markdown: ${reader.name}`, runbooks, reader.facts);
  for (const reader of YAML_READERS) row(`YAML, frontmatter: ${reader.name}`, frontmatters, reader.data);
  for (const reader of YAML_READERS) row(`YAML, rule files: ${reader.name}`, rules, reader.data);
  for (const reader of RUNBOOK_READERS) row(`runbook: ${reader.name}`, runbooks, reader.runbook);
  for (const reader of RULE_FILE_READERS) row(`rule file: ${reader.name}`, rules, reader.ruleFile);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.stdout.write(`${lines.join('\n')}\n`);
