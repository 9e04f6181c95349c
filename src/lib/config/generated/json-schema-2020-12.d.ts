// The validator scripts/generate-validators.ts writes: ajv's standalone code for the JSON Schema 2020-12 meta-schema.
import type { ValidateFunction } from 'ajv';

declare const validate: ValidateFunction;
export default validate;
