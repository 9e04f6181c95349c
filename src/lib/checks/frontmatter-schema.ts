import { compileSchema, describeSchemaError, schemaErrorHint, type ErrorObject, type ValidateFunction } from '../config/ajv.ts';
import type { Config } from '../config/config.ts';
import type { Position } from '../engine/diagnostic.ts';
import { frontmatterPointers } from '../markdown/frontmatter.ts';
import { lookupPointer } from '../text/positions.ts';
import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';

const validators = new WeakMap<Config, ValidateFunction>();

function validatorFor(config: Config): ValidateFunction {
  let validate = validators.get(config);
  if (!validate) {
    validate = compileSchema(config.schema);
    validators.set(config, validate);
  }
  return validate;
}

/** `oneOf: [{required: [alert]}, {required: [alerts]}]` reads best as "exactly one of alert, alerts". */
function describeOneOf(error: ErrorObject): string | undefined {
  const branches = (error.parentSchema as { oneOf?: { required?: string[] }[] } | undefined)?.oneOf;
  const names = branches?.flatMap((b) => b.required ?? []);
  if (!names || names.length !== branches?.length) return undefined;
  const list = names.map((n) => `"${n}"`).join(' or ');
  // With `not: {required}` in each branch, both keys present fails every branch too: look at the data, not passingSchemas.
  const data = error.data;
  const present = data && typeof data === 'object' ? names.filter((n) => Object.hasOwn(data, n)) : [];
  if (present.length > 1 || (error.params as { passingSchemas?: unknown }).passingSchemas) return `Use only one of ${list}, not both`;
  return present.length === 0 ? `Missing required key ${list}` : undefined;
}

/** The keys an empty frontmatter lacks, as the schema's last run on `{}` says. */
function requiredKeys(validate: ValidateFunction): string {
  // Only the top-level `required`: a oneOf's branches (alert or alerts) are alternatives, not both needed.
  const keys = (validate.errors ?? [])
    .filter((e) => e.keyword === 'required' && e.schemaPath === '#/required')
    .map((e) => String((e.params as { missingProperty: string }).missingProperty));
  return keys.length > 0 ? [...new Set(keys)].join(', ') : 'see the schema';
}

export default defineCheck({
  id: 'frontmatter-schema',
  severity: 'error',
  description: "A runbook's frontmatter is present, closed, and valid against the runbook schema.",
  docs: {
    rationale:
      'The site, the search and the cross-checks all read the frontmatter: the alert it covers, its owner and severity. A typo there silently breaks all three. Under `match: filename` or `match: heading` a runbook needs no frontmatter when the schema requires no key: its title is its first H1, and the site takes severity, owner and summary from the rules.',
    findingsIn: 'frontmatter',
    examples: {
      failing: {
        note: 'The frontmatter has no owner, and `high` is not a severity the schema allows.',
        files: exampleProject({ 'runbooks/ApiDown.md': exampleRunbook({ frontmatter: { owner: null, severity: 'high' } }) }),
      },
      passing: { note: 'Every required key, with values the schema allows.', files: exampleProject() },
    },
  },
  eachRunbook({ project }) {
    const validate = validatorFor(project.config);
    const schemaFile = project.config.schemaFile.startsWith(project.config.root)
      ? project.config.schemaFile.slice(project.config.root.length + 1)
      : project.config.schemaFile;
    return (runbook, report) => {
      const fm = runbook.frontmatter;
      if (runbook.lines === 0) return; // could not be read; an io-error says so
      if (!fm) {
        // A runbook named by its file or its headings needs frontmatter only for keys the schema requires.
        if (project.claimSource(runbook) !== 'frontmatter' && validate({})) return;
        report({
          at: { file: runbook.file, line: 1, column: 1 },
          key: 'no-frontmatter',
          message: 'Runbook has no frontmatter',
          hint:
            project.claimSource(runbook) === 'frontmatter'
              ? `Start the file with a \`---\` block that names the alert and holds the keys ${schemaFile} requires.`
              : `Start the file with a \`---\` block that holds the keys ${schemaFile} requires (${requiredKeys(validate)}), or make the schema require none.`,
        });
        return;
      }
      if (fm.state === 'unclosed') {
        report({
          at: { file: runbook.file, ...fm.at },
          key: 'unclosed',
          message: 'Frontmatter is not closed',
          hint: 'Add a line with just `---` after the last frontmatter key.',
        });
        return;
      }
      if (fm.state === 'invalid') return; // a parse-error points at the bad YAML
      if (validate(fm.data ?? null)) return;
      // Frontmatter that is not a mapping (empty, a string, a list) has one problem; the keys it lacks follow from it.
      const notAnObject = (validate.errors ?? []).some((e) => e.keyword === 'type' && e.instancePath === '');
      const errors = (validate.errors ?? []).filter((e) => !notAnObject || e.instancePath !== '' || e.keyword === 'type');
      const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
      for (const error of errors) {
        if (oneOfPaths.some((p) => error.schemaPath !== p && error.schemaPath.startsWith(`${p}/`))) continue;
        const message = (error.keyword === 'oneOf' && describeOneOf(error)) || describeSchemaError(error);
        let pointer = error.instancePath;
        if (error.keyword === 'additionalProperties')
          pointer += `/${String((error.params as { additionalProperty: string }).additionalProperty)}`;
        const span = pointer === '' ? undefined : lookupPointer(frontmatterPointers(runbook), pointer);
        const at: Position = error.keyword === 'additionalProperties' ? (span?.key ?? span?.value ?? fm.at) : (span?.value ?? fm.at);
        const hint =
          error.keyword === 'oneOf'
            ? message.startsWith('Use only one')
              ? 'Keep `alert: <AlertName>` for one alert or `alerts: [A, B]` for several, and remove the other key.'
              : 'Name the alert with `alert: <AlertName>`, or several with `alerts: [A, B]`.'
            : schemaErrorHint(error);
        // The message names the key and what it must be, never a line: stable enough to match on.
        report({
          at: { file: runbook.file, ...at },
          key: message,
          message,
          hint: `${hint ? `${hint} ` : ''}The runbook schema (${schemaFile}) says what the frontmatter must hold.`,
        });
      }
    };
  },
});
