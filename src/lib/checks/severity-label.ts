import type { Config } from '../config/config.ts';
import { checkOptions } from './options.ts';
import severityMatch from './severity-match.ts';

/**
 * The alert label that holds an alert's severity: severity-match's `label` option, so that
 * `runbooks new`, the site and the live view read the label the linter compares.
 */
export function severityLabel(config: Config): string {
  return String(checkOptions(config, severityMatch).label);
}
