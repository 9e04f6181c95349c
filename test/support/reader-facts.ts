/**
 * Every reader of the linter side by side, for equivalence tests: what the exact readers give
 * (micromark's token reader, `yaml` documents with positions) and what the fast path gives
 * (markdown-it and js-yaml where they read the text alike, the exact readers elsewhere, positions
 * of frontmatter claims located when asked for). Any input can be handed to `factsByReader`:
 * the corpus, the fixtures, spec examples, fuzzed text; a test then expects `fast` to equal `exact`.
 */
import { claimPointersOf } from '../../src/lib/markdown/frontmatter.ts';
import { fastMarkdownFacts } from '../../src/lib/markdown/fast-reader.ts';
import { protectPlaceholders } from '../../src/lib/markdown/placeholders.ts';
import { parseRunbook } from '../../src/lib/markdown/runbook-reader.ts';
import type { Runbook } from '../../src/lib/project/model.ts';
import { fastYamlData } from '../../src/lib/text/fast-yaml.ts';
import { parseYaml } from '../../src/lib/text/yaml.ts';

/** The two readings of one input, and which fast readers took it (false: it fell back to the exact reader). */
export interface ReaderFacts {
  exact: unknown;
  fast: unknown;
  /** Whether the fast Markdown reader read the body (Markdown input only). */
  fastMarkdown: boolean;
  /** Whether the fast YAML reader read the data (the frontmatter, for Markdown input). */
  fastYaml: boolean;
}

/** The fast path's reading of a runbook with its claims located, as every consumer sees it: comparable with the exact reading. */
export function fastRunbook(text: string, file: string): Runbook {
  return located(parseRunbook(text, file, { fast: true }));
}

function located(runbook: Runbook): Runbook {
  const fm = runbook.frontmatter;
  if (!fm?.unlocated) return runbook;
  const { unlocated: _unlocated, ...rest } = fm;
  return { ...runbook, frontmatter: { ...rest, pointers: claimPointersOf(runbook) } };
}

/**
 * Reads `text` as the file `file` would be read: a runbook (`.md`) with `parseRunbook`, exact and
 * fast; any other name as YAML data, with `yaml` and with the fast path (js-yaml when it reads the
 * text alike, else `yaml`).
 */
export function factsByReader(text: string, file: string): ReaderFacts {
  if (file.endsWith('.md')) {
    const exact = parseRunbook(text, file);
    const fast = parseRunbook(text, file, { fast: true });
    const lf = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
    return {
      exact,
      fast: located(fast),
      fastMarkdown: fastMarkdownFacts(protectPlaceholders(lf)) !== undefined,
      fastYaml: fast.frontmatter?.unlocated === true,
    };
  }
  const parsed = parseYaml(text, file);
  const exact = { data: parsed.documents.map((d) => d.data), diagnostics: parsed.diagnostics };
  const data = fastYamlData(text);
  return { exact, fast: data === undefined ? exact : { data: [data], diagnostics: [] }, fastMarkdown: false, fastYaml: data !== undefined };
}
