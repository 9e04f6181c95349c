import { CONFIG_ERROR, IO_ERROR, PARSE_ERROR, type Severity } from './diagnostic.ts';
import { SUPPRESSION } from './suppressions.ts';

/** A finding the engine itself makes, not a check: it cannot be turned off, only fixed. */
export interface BuiltinRule {
  id: string;
  severity: Severity;
  description: string;
  rationale: string;
  /** How to make the finding go away. */
  fix: string;
}

/** The engine's own rule ids, documented and reported like checks so every finding has a page and SARIF rule metadata. */
export const builtinRules: readonly BuiltinRule[] = [
  {
    id: IO_ERROR,
    severity: 'error',
    description: 'A rule file or runbook that the config names could not be read.',
    rationale: 'A file that cannot be read cannot be checked; passing silently would publish a site with runbooks missing.',
    fix: 'Make the file readable, remove it, or change the `rules` / `runbooks` globs in the config so they do not match it.',
  },
  {
    id: PARSE_ERROR,
    severity: 'error',
    description: "A rule file is not valid YAML, or a runbook's frontmatter is not valid YAML.",
    rationale: 'Nothing else can be checked in a file that does not parse: its alerts or its frontmatter are unknown to every other check.',
    fix: 'Fix the YAML at the position shown; the message says what the parser expected.',
  },
  {
    id: CONFIG_ERROR,
    severity: 'error',
    description: 'The configuration file is not valid: an unknown key, a wrong type, an unknown check or a bad pattern.',
    rationale:
      'A mistyped setting would otherwise be ignored, and the linter would check something other than what the team asked for. The run stops with exit code 2.',
    fix: 'Fix the key at the position shown; schema/config.schema.json lists what the config accepts.',
  },
  {
    id: SUPPRESSION,
    severity: 'error',
    description: 'A suppression comment gives no reason, names no check or an unknown one, or suppresses nothing (a warning).',
    rationale:
      'A suppression is a decision someone must be able to revisit: without a reason nobody can, and one that excuses nothing hides the next real problem on that line.',
    fix: 'Write the reason after ` -- `, correct the check id, or remove the comment (or the id) when the problem it excused is fixed.',
  },
];

/** The built-in rule with this id, if it is one. */
export function builtinRule(id: string): BuiltinRule | undefined {
  return builtinRules.find((r) => r.id === id);
}
