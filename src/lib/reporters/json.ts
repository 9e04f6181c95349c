import { docsLink } from './rules.ts';
import type { Reporter } from './types.ts';

/** The diagnostics of DESIGN.md and their counts, as one JSON document; every finding carries its docsUrl. */
export const json: Reporter = (input) => {
  const { diagnostics, counts, fileCount, toolVersion } = input;
  const withDocs = diagnostics.map((d) => {
    const docsUrl = docsLink(d, input);
    return docsUrl ? { ...d, docsUrl } : d;
  });
  const baselined = input.baselined === undefined ? {} : { baselined: input.baselined };
  return `${JSON.stringify({ version: toolVersion, fileCount, counts, ...baselined, diagnostics: withDocs }, null, 2)}\n`;
};
