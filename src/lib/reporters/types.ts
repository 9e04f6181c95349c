import type { Check } from '../checks/define.ts';
import type { Counts, Diagnostic } from '../engine/diagnostic.ts';

/** Everything a reporter may print: the findings and the checks that made them. */
export interface ReportInput {
  diagnostics: readonly Diagnostic[];
  counts: Counts;
  checks: readonly Check[];
  /** Number of files that were checked. */
  fileCount: number;
  toolVersion: string;
  /** Colour the output (stylish only); the CLI sets it for a terminal. */
  color: boolean;
  /** How many findings the baseline accepted (not in `diagnostics`); absent without a baseline. */
  baselined?: number;
  /** The folder SARIF's %SRCROOT% stands for (absolute): the working directory paths are relative to. */
  srcRoot?: string;
  /** Where each check's documentation page is (`docsUrlFor` bound to the config); rule metadata needs it for checks without findings. */
  docsUrlFor?: (id: string) => string | undefined;
}

/** A reporter is a plain function of the results, as ESLint's formatters are. */
export type Reporter = (input: ReportInput) => string;
