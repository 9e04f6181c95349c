import type { Options } from 'ajv/dist/2020.js';

export const META_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * How every schema is read: every error reported; strict off, as a team's own schema may carry
 * keywords ajv does not know (examples, x-*). The generated meta-schema validator
 * and the config schema's (scripts/generate-validators.ts) are made with them too.
 */
export const ajvOptions: Options = { allErrors: true, strict: false, allowUnionTypes: true, verbose: true };
