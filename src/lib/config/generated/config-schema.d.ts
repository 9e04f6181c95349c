// The validator scripts/generate-validators.ts writes: ajv's standalone code for schema/config.schema.json.
import type { ValidateFunction } from 'ajv';

declare const validate: ValidateFunction;
export default validate;
