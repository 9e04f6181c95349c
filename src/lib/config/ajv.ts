import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { withSampleValues } from '../markdown/placeholders.ts';
import { META_SCHEMA_2020_12, ajvOptions } from './ajv-options.ts';
import validateMetaSchema from './generated/json-schema-2020-12.js';

// ajv-formats is CommonJS: under Node's ESM loader its default import is module.exports itself.
const addFormats = formatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * A fresh JSON Schema 2020-12 validator with formats (date, uri, email...). It does not check
 * schemas against the meta-schema itself: compileSchema does, with the pre-generated validator.
 */
export function createAjv(): Ajv2020 {
  const ajv = addFormats(new Ajv2020({ ...ajvOptions, validateSchema: false }));
  // A dashboard link may carry the firing alert's labels (?var-pod={{ $labels.pod }}): each
  // placeholder stands for a sample value, and the rest of the URL is checked as a URI.
  const uri = fullFormats.uri as (value: string) => boolean;
  ajv.addFormat(URI_WITH_PLACEHOLDERS, { type: 'string', validate: (value: string) => uri(withSampleValues(value)) });
  return ajv;
}

/** The format name of a URI that may hold label placeholders (the default schema's dashboard URLs). */
export const URI_WITH_PLACEHOLDERS = 'uri-with-placeholders';

/**
 * Throws, as ajv's own check would, when `schema` is not a valid JSON Schema 2020-12: a `$schema`
 * of another draft, or a keyword with a value the meta-schema does not allow.
 */
function assertValidSchema(ajv: Ajv2020, schema: object): void {
  const declared = (schema as { $schema?: unknown }).$schema;
  if (declared !== undefined && String(declared).replace(/#$/, '') !== META_SCHEMA_2020_12) {
    throw new Error(`it declares "$schema": ${JSON.stringify(declared)}; only JSON Schema 2020-12 (${META_SCHEMA_2020_12}) is read`);
  }
  if (!validateMetaSchema(schema))
    throw new Error(`schema is invalid: ${ajv.errorsText(validateMetaSchema.errors, { dataVar: 'schema' })}`);
}

export type { ErrorObject, ValidateFunction };

let shared: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * Compiles a schema once per process, on one shared instance. Each new instance compiles the
 * 2020-12 meta-schema again, and the config schema, the runbook schema's validity check and the
 * frontmatter check compiling separately were a large part of linting a small project.
 * Throws as ajv's compile does.
 */
export function compileSchema(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  const known = compiled.get(key);
  if (known) return known;
  const ajv = (shared ??= createAjv());
  const id = (schema as { $id?: unknown }).$id;
  // An edited schema keeps its $id (a long-running process linting again): the new text replaces the old.
  if (typeof id === 'string') ajv.removeSchema(id);
  try {
    assertValidSchema(ajv, schema);
    const validate = ajv.compile(schema);
    compiled.set(key, validate);
    return validate;
  } catch (error) {
    // A failed compile can leave half-registered schemas behind; start the next one afresh.
    shared = undefined;
    throw error;
  }
}

/** Says one schema error as a sentence about the value at its path; `whole` names the document itself (the frontmatter, the config). */
export function describeSchemaError(error: ErrorObject, whole = 'The frontmatter'): string {
  const where = error.instancePath ? `"${error.instancePath.slice(1).replaceAll('/', '.')}"` : whole;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `Missing required key "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `Unknown key "${String(params.additionalProperty)}"${error.instancePath ? ` in ${where}` : ''}`;
    case 'enum':
      return `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${where} must be ${articled(String(params.type))}`;
    case 'format':
      return `${where} must be a valid ${String(params.format)}${params.format === 'date' ? ' (YYYY-MM-DD)' : ''}`;
    case 'const':
      return `${where} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${where} ${error.message ?? 'is not valid'}`;
  }
}

function articled(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Says how to fix one schema error, where a specific fix can be named. */
export function schemaErrorHint(error: ErrorObject): string | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `Add \`${String(params.missingProperty)}:\` with a value.`;
    case 'additionalProperties':
      return `Remove "${String(params.additionalProperty)}", or fix its spelling, or add it to the schema's properties.`;
    case 'enum':
      return `Use one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}.`;
    case 'format':
      if (params.format === 'date') return 'Write the date as YYYY-MM-DD, e.g. 2026-04-24.';
      if (params.format === 'uri') return 'Write a full URL, starting with https://.';
      return undefined;
    case 'type':
      return params.type === 'array' ? 'Write a YAML list: `[a, b]` or one `- item` per line.' : undefined;
    default:
      return undefined;
  }
}
