import type { Reporter } from './types.ts';

/** The diagnostics of DESIGN.md and their counts, as one JSON document. */
export const json: Reporter = ({ diagnostics, counts, fileCount, toolVersion }) =>
  `${JSON.stringify({ version: toolVersion, fileCount, counts, diagnostics }, null, 2)}\n`;
