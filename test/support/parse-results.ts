import type { Runbook } from '../../src/lib/project/model.ts';

/** The smallest parse result of a runbook that the cache accepts as one, with the fields given. */
export function runbookResult(file: string, fields: Partial<Runbook> = {}): Runbook {
  return {
    file,
    frontmatter: undefined,
    headings: [],
    links: [],
    source: '',
    comments: [],
    footnotes: [],
    html: [],
    foreign: [],
    lines: 0,
    diagnostics: [],
    ...fields,
  };
}
