import { compileSchema, describeSchemaError, type ErrorObject } from '../config/ajv.ts';
import { CONFIG_ERROR, type Config } from '../config/config.ts';
import type { Diagnostic, Severity } from '../engine/diagnostic.ts';
import { escapePointer } from '../text/positions.ts';
import type { Check } from './define.ts';
import { nearest } from '../text/nearest.ts';

/** The JSON Schema of a check's options object: its declared options and nothing else. */
export function optionsSchemaOf(check: Check): object {
  return { type: 'object', properties: check.optionsSchema ?? {}, additionalProperties: false };
}

/**
 * The severity a check runs at, or `off`: the config's, else the check's own. An opt-in check runs
 * once the config names it, at its own severity when the config gives none. The one place that
 * decides it, for lint, the site and fix.
 */
export function checkSeverity(config: Config, check: Check): Severity | 'off' {
  const setting = config.checks[check.id];
  return setting?.severity ?? (check.optIn && setting === undefined ? 'off' : check.severity);
}

/**
 * A check's options as it sees them: its defaults overlaid with the config's. The one place that
 * merges them, for lint, the site and fix. The result has no prototype, so an option named
 * `constructor` or `__proto__` is an ordinary (unknown, refused at load) key.
 */
export function checkOptions(config: Config, check: Check): Record<string, unknown> {
  const merged: Record<string, unknown> = Object.create(null);
  Object.assign(merged, check.defaultOptions, config.checks[check.id]?.options);
  return merged;
}

/**
 * The options of every configured check, validated against the check's schema: a wrong type or an
 * unknown (misspelt) option is a config-error at its key, so no check ever runs with such a value.
 */
export function validateCheckOptions(config: Config, checks: readonly Check[]): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const file = config.configShown ?? (config.configFile ? 'runbooks.config.yaml' : '(defaults)');
  for (const check of checks) {
    const setting = config.checks[check.id];
    if (!setting) continue;
    const validate = compileSchema(optionsSchemaOf(check));
    if (validate({ ...setting.options })) continue;
    const known = Object.keys(check.optionsSchema ?? {});
    for (const error of (validate.errors ?? []) as ErrorObject[]) {
      const unknownName =
        error.keyword === 'additionalProperties' ? String((error.params as { additionalProperty: string }).additionalProperty) : undefined;
      const pointer = `/checks/${escapePointer(check.id)}${unknownName === undefined ? error.instancePath : `/${escapePointer(unknownName)}`}`;
      const at = closestPosition(config, pointer);
      const suggestion = unknownName === undefined ? undefined : nearest(unknownName, known);
      problems.push({
        file,
        line: at.line,
        column: at.column,
        ruleId: CONFIG_ERROR,
        severity: 'error',
        message:
          unknownName === undefined
            ? `Config: option ${describeSchemaError(error, 'of the check')} (check "${check.id}")`
            : `Config: unknown option "${unknownName}" of check "${check.id}"`,
        hint:
          unknownName === undefined
            ? `See the ${check.id} docs for its options: ${describeOptions(check)}.`
            : `${suggestion ? `Did you mean "${suggestion}"? ` : ''}${known.length > 0 ? `Its options: ${known.join(', ')}.` : 'This check takes no options; only `severity` can be set.'}`,
      });
    }
  }
  return problems;
}

function describeOptions(check: Check): string {
  const entries = Object.entries(check.docs.options ?? {});
  // Each option's docs are sentences; the hint's own full stop follows the last.
  return entries.length > 0
    ? entries
        .map(([name, text]) => `${name}: ${text}`)
        .join(' ')
        .replace(/\.$/, '')
    : 'it takes none';
}

function closestPosition(config: Config, pointer: string): { line: number; column: number } {
  for (let current = pointer; ; current = current.slice(0, current.lastIndexOf('/'))) {
    const hit = config.keyPositions?.[current];
    if (hit) return hit;
    if (current === '') return { line: 1, column: 1 };
  }
}
