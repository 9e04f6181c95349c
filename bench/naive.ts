/**
 * The naive pipeline `npm run bench` compares this tool with: the minimal honest version of what
 * `runbooks lint` does, written the obvious way on one thread with the usual libraries, and with
 * none of this tool's code. For a project laid out as bench/generate.ts writes it:
 *
 * - every runbook through unified + remark-parse + remark-frontmatter + remark-gfm (the mdast tree);
 * - its frontmatter through `yaml` with positions (a Document and a LineCounter), validated by ajv
 *   (JSON Schema 2020-12, with formats) against the project's schema/runbook.schema.json;
 * - every rule file through `yaml` with positions, for each alert's name, severity and runbook_url;
 * - the cross-checks: every alert has a runbook and every runbook's alert exists, severities agree,
 *   runbook_url is the runbook's address, the required sections are there, and relative links
 *   point to files and headings that exist.
 *
 * Usage: node bench/naive.ts <project root>. Prints the number of findings; exits 1 if there are any.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import GithubSlugger from 'github-slugger';
import type { Nodes, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { globSync } from 'tinyglobby';
import { unified } from 'unified';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

const REQUIRED_SECTIONS = ['Meaning', 'Impact', 'Diagnosis', 'Mitigation'];
const RUNBOOK_URL = (alert: string): string => `https://runbooks.example.com/alerts/${alert}/`;

const root = path.resolve(process.argv[2] ?? '.');
const findings: string[] = [];
const report = (file: string, line: number, message: string): void => {
  findings.push(`${file}:${line}: ${message}`);
};

// ajv-formats is CommonJS: under Node's ESM loader its default import is module.exports itself.
const addFormats = formatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const uri = fullFormats.uri as (value: string) => boolean;
ajv.addFormat('uri-with-placeholders', { type: 'string', validate: (value: string) => uri(value.replace(/\{\{[^}]*\}\}/g, 'x')) });
const validate = ajv.compile(JSON.parse(readFileSync(path.join(root, 'schema/runbook.schema.json'), 'utf8')) as object);

interface Alert {
  file: string;
  line: number;
  severity: unknown;
  runbookUrl: unknown;
}
const alerts = new Map<string, Alert>();
for (const file of globSync('rules/**/*.yaml', { cwd: root }).sort()) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(path.join(root, file), 'utf8'), { lineCounter, keepSourceTokens: true });
  for (const error of doc.errors) report(file, error.linePos?.[0]?.line ?? 1, error.message);
  const lineOf = (node: YamlNode | null | undefined): number => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const groups = isMap(doc.contents) ? doc.contents.get('groups', true) : undefined;
  if (!isSeq(groups)) continue;
  for (const group of groups.items) {
    const rules = isMap(group) ? group.get('rules', true) : undefined;
    if (!isSeq(rules)) continue;
    for (const rule of rules.items) {
      if (!isMap(rule)) continue;
      const name = rule.get('alert', true);
      if (!isScalar(name)) continue;
      const labels = rule.get('labels', true);
      const annotations = rule.get('annotations', true);
      alerts.set(String(name.value), {
        file,
        line: lineOf(name),
        severity: isMap(labels) ? labels.get('severity') : undefined,
        runbookUrl: isMap(annotations) ? annotations.get('runbook_url') : undefined,
      });
    }
  }
}

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);
function plainText(node: Nodes): string {
  if ('value' in node && node.type !== 'yaml' && node.type !== 'html') return node.value;
  if ('children' in node) return node.children.map(plainText).join('');
  return '';
}
function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}

interface Runbook {
  file: string;
  slugs: Set<string>;
  links: { url: string; line: number }[];
}
const runbooks = new Map<string, Runbook>();
const covered = new Set<string>();
for (const file of globSync('runbooks/**/*.md', { cwd: root }).sort()) {
  const tree: Root = processor.parse(readFileSync(path.join(root, file), 'utf8'));
  const runbook: Runbook = { file, slugs: new Set(), links: [] };
  runbooks.set(file, runbook);
  const slugger = new GithubSlugger();
  const sections = new Set<string>();
  walk(tree, (node) => {
    if (node.type === 'heading') {
      const text = plainText(node).trim();
      runbook.slugs.add(slugger.slug(text));
      if (node.depth === 2) sections.add(text);
    } else if (node.type === 'link' || node.type === 'definition') {
      runbook.links.push({ url: node.url, line: node.position?.start.line ?? 1 });
    }
  });
  for (const section of REQUIRED_SECTIONS) if (!sections.has(section)) report(file, 1, `no "## ${section}" section`);

  const yaml = tree.children[0]?.type === 'yaml' ? tree.children[0] : undefined;
  if (!yaml) {
    report(file, 1, 'no frontmatter');
    continue;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml.value, { lineCounter, keepSourceTokens: true });
  for (const error of doc.errors) report(file, (error.linePos?.[0]?.line ?? 0) + 1, error.message);
  const data = doc.toJS() as Record<string, unknown> | null;
  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const node = doc.getIn(error.instancePath.split('/').slice(1), true) as YamlNode | undefined;
      report(file, node?.range ? lineCounter.linePos(node.range[0]).line + 1 : 1, `frontmatter ${error.instancePath} ${error.message}`);
    }
  }
  const named = typeof data?.alert === 'string' ? [data.alert] : Array.isArray(data?.alerts) ? data.alerts.map(String) : [];
  for (const name of named) {
    covered.add(name);
    const alert = alerts.get(name);
    if (!alert) report(file, 2, `alert ${name} is not defined in any rule file`);
    else if (alert.severity !== data?.severity)
      report(file, 2, `severity ${String(data?.severity)} is not the alert's ${String(alert.severity)}`);
    if (alert && alert.runbookUrl !== RUNBOOK_URL(name))
      report(alert.file, alert.line, `runbook_url of ${name} is not ${RUNBOOK_URL(name)}`);
  }
}
for (const [name, alert] of alerts) if (!covered.has(name)) report(alert.file, alert.line, `alert ${name} has no runbook`);

for (const runbook of runbooks.values()) {
  for (const link of runbook.links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link.url) || link.url.startsWith('//')) continue;
    const [target = '', anchor] = link.url.split('#');
    const file =
      target === '' ? runbook.file : path.posix.normalize(path.posix.join(path.posix.dirname(runbook.file), decodeURIComponent(target)));
    const linked = runbooks.get(file);
    if (!linked) report(runbook.file, link.line, `link to ${link.url}: no such runbook`);
    else if (anchor && !linked.slugs.has(anchor)) report(runbook.file, link.line, `link to ${link.url}: no such heading`);
  }
}

process.stdout.write(`naive: ${runbooks.size} runbooks, ${alerts.size} alerts, ${findings.length} findings\n`);
if (findings.length > 0) {
  process.stdout.write(`${findings.slice(0, 20).join('\n')}\n`);
  process.exitCode = 1;
}
