/**
 * The site renders from what the linter read: the runbook text the project holds, not the disk
 * again, and one Markdown parse per runbook however many pages its sections make.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadProject } from '../../src/lib/project/load-project.ts';
import { buildSiteModel } from '../../src/lib/site/site-model.ts';
import { configOf, REPO, tempDir, writeFiles } from '../harness.ts';

const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/lib/markdown/mdast.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/lib/markdown/mdast.ts')>();
  return {
    ...actual,
    parseMarkdown: (text: string) => {
      parses.count++;
      return actual.parseMarkdown(text);
    },
  };
});

const temp = tempDir('runbooks-one-read-');
afterAll(temp.remove);

const RULES = `groups:
  - name: store
    rules:
${['StoreDown', 'StoreSlow', 'StoreFull']
  .map(
    (name) => `      - alert: ${name}
        expr: up == 0
        labels: { severity: critical }
        annotations: { summary: "${name}." }
`,
  )
  .join('')}`;

const STORE = `---
title: Store alerts
owner: storage
severity: critical
summary: The store.
last_reviewed: 2026-11-01
---

# Store alerts

Read [the dashboard][board] first.

Alert: StoreDown
----------------

### Meaning

The store is down; see [the dashboard][board].

### Impact

Writes fail.

### Diagnosis

Look at the logs.

### Mitigation

Restart it.

## Alert: StoreSlow

### Meaning

The store is slow.

### Impact

Writes are slow.

### Diagnosis

Look at the latency.

### Mitigation

Add capacity.

## Alert: StoreFull

### Meaning

The store is full.

### Impact

Writes fail.

### Diagnosis

Look at the disk.

### Mitigation

Delete old data.

[board]: https://grafana.example.com/d/store
`;

function project(): string {
  return writeFiles(path.join(temp.dir, 'p'), {
    'runbooks.config.yaml': `rules: [rules/*.yaml]
runbooks: [runbooks/*.md]
schema: ${JSON.stringify(path.join(REPO, 'schema/runbook.schema.json'))}
match: heading
heading: { level: 2, pattern: "Alert: {alert}" }
requiredSections: [Meaning, Impact, Diagnosis, Mitigation]
runbookUrl: https://runbooks.example.com/alerts/{alert}/
`,
    'rules/store.yaml': RULES,
    'runbooks/store.md': STORE,
  });
}

describe('the site renders from what the linter read', () => {
  it('reads no runbook from disk again, and parses each runbook once for all of its pages', async () => {
    const root = project();
    const linted = await loadProject(configOf(root));
    expect(linted.inputDiagnostics).toEqual([]);
    // Gone from disk after the lint run: the site shows what the linter checked.
    rmSync(path.join(root, 'runbooks/store.md'));
    parses.count = 0;
    const site = buildSiteModel(linted, { today: '2026-11-02' });
    expect(site.pages.map((p) => p.alert)).toEqual(['StoreDown', 'StoreSlow', 'StoreFull']);
    expect(parses.count).toBe(1);
    const down = site.pages.find((p) => p.alert === 'StoreDown');
    expect(down?.html).toContain('Restart it.');
    expect(down?.html).not.toContain('The store is slow.');
    expect(site.pages.find((p) => p.alert === 'StoreFull')?.html).toContain('Delete old data.');
  });

  it('renders a section as the file reads it: no rule from a setext underline, references defined elsewhere in the file resolve', async () => {
    const site = buildSiteModel(await loadProject(configOf(project())), { today: '2026-11-02' });
    const down = site.pages.find((p) => p.alert === 'StoreDown');
    expect(down?.html).not.toContain('<hr');
    expect(down?.html).toContain('<a href="https://grafana.example.com/d/store">the dashboard</a>');
    expect(down?.html).not.toContain('Read ');
    expect(down?.toc.map((t) => t.text)).toEqual(expect.arrayContaining(['Meaning', 'Impact', 'Diagnosis', 'Mitigation']));
  });
});
