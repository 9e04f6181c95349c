/**
 * The runbook schema is checked against the JSON Schema 2020-12 meta-schema, and the config against
 * schema/config.schema.json, with ajv's validators for them generated ahead of time
 * (scripts/generate-validators.ts: loading the code is much faster than compiling the schema). These
 * tests hold the generated validators to ajv's own check and compile, and the config to reporting
 * an invalid schema as a config error at its `schema` line.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createAjv } from '../src/lib/config/ajv.ts';
import { ajvOptions } from '../src/lib/config/ajv-options.ts';
import { loadConfig } from '../src/lib/config/config.ts';
import validateConfig from '../src/lib/config/generated/config-schema.js';
import validateMetaSchema from '../src/lib/config/generated/json-schema-2020-12.js';
import { runCli, tempDir } from './harness.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const temp = tempDir('runbooks-meta-');
afterAll(temp.remove);

const INVALID: object[] = [
  { type: 'strng' },
  { properties: { a: 5 } },
  { required: 'owner' },
  { properties: { a: { type: 'nope' } } },
  { items: { properties: { b: { minLength: -1 } } } },
  { $defs: { x: { enum: 3 } } },
  { allOf: [{ anyOf: [{ pattern: 5 }] }] },
  { properties: { tags: { type: 'array', items: { uniqueItems: 'yes' } } } },
];

function schemaFiles(): string[] {
  const found = [path.join(ROOT, 'schema/runbook.schema.json'), path.join(ROOT, 'schema/config.schema.json')];
  for (const entry of readdirSync(path.join(ROOT, 'test/fixtures'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('schema.json')) found.push(path.join(entry.parentPath, entry.name));
  }
  return found;
}

describe('the generated meta-schema validator', () => {
  it('was generated from the ajv installed', () => {
    const installed = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/ajv/package.json'), 'utf8')) as { version: string }).version;
    const header = readFileSync(path.join(ROOT, 'src/lib/config/generated/json-schema-2020-12.js'), 'utf8').split('\n')[0];
    expect(header, 'run `npm run generate` after upgrading ajv').toContain(`from ajv ${installed};`);
  });

  it("gives the verdict and the errors of ajv's own meta-schema check", () => {
    const live = new Ajv2020(ajvOptions);
    const schemas = [...schemaFiles().map((file) => JSON.parse(readFileSync(file, 'utf8')) as object), ...INVALID];
    for (const schema of schemas) {
      const expected = live.validateSchema(schema) as boolean;
      expect(validateMetaSchema(schema), JSON.stringify(schema)).toBe(expected);
      const errors = (list: typeof live.errors) => (list ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
      expect(errors(validateMetaSchema.errors)).toEqual(errors(live.errors));
    }
    // Both verdicts occur, so the comparison is not vacuous.
    expect(schemas.filter((s) => !live.validateSchema(s))).toHaveLength(INVALID.length);
  });
});

/** Configs that break the schema in each way it can be broken: keys, types, enums, oneOfs, patterns, formats, lengths. */
const INVALID_CONFIGS: unknown[] = [
  [],
  'rules.yaml',
  { rulez: ['x.yaml'] },
  { rules: [] },
  { rules: '' },
  { rules: [5, { url: 'ftp://x' }, { url: 'https://p/api/v1/rules', timeout: '10 s', extra: 1 }] },
  { rules: [{ bearerTokenEnv: '' }, { url: 'https://p/api/v1/rules', headersFromEnv: { 'X-Org': '' } }] },
  { runbooks: [''], match: 'filenames', heading: { level: 9, pattern: 'Alert', otherwise: 'guess' } },
  { checks: { 'stale-review': 'fatal', 'broken-link': { severity: 'loud' }, x: 5 } },
  { ignoreAlerts: [{ alert: 'A' }, { alert: 'B', pattern: 'C', reason: 'r' }, { reason: 'r', until: '2026-13-45' }] },
  { ignoreAlerts: [{ pattern: '', reason: '', until: 20260101 }] },
  { site: { url: 'not a url', base: 'runbooks', prometheusUrl: 'x', outDir: '', alertmanager: ['ftp://am', 5] } },
  { site: { title: 3, logo: [], alertmanager: 'http://am example' }, requiredSections: 'Meaning', template: 1, baseline: {} },
];

describe('the generated config validator', () => {
  const source = path.join(ROOT, 'schema/config.schema.json');
  const text = readFileSync(source, 'utf8');

  it('was generated from the config schema and the ajv installed', () => {
    const installed = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/ajv/package.json'), 'utf8')) as { version: string }).version;
    const header = readFileSync(path.join(ROOT, 'src/lib/config/generated/config-schema.js'), 'utf8').split('\n')[0];
    expect(header, 'run `npm run generate` after upgrading ajv or editing the config schema').toContain(`from ajv ${installed} `);
    expect(header, 'run `npm run generate` after editing schema/config.schema.json').toContain(
      `(sha256 ${createHash('sha256').update(text).digest('hex')})`,
    );
  });

  it('gives the verdict and the errors of the schema compiled as every other schema is', () => {
    const compiled = createAjv().compile(JSON.parse(text) as object);
    const configs: unknown[] = [...INVALID_CONFIGS];
    for (const entry of readdirSync(path.join(ROOT, 'test/fixtures'), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name === 'runbooks.config.yaml')
        configs.push(parse(readFileSync(path.join(entry.parentPath, entry.name), 'utf8')));
    }
    configs.push(parse(readFileSync(path.join(ROOT, 'runbooks.config.yaml'), 'utf8')));
    for (const config of configs) {
      expect(validateConfig(config), JSON.stringify(config)).toBe(compiled(config));
      expect(validateConfig.errors ?? null, JSON.stringify(config)).toEqual(compiled.errors ?? null);
    }
    // Both verdicts occur, so the comparison is not vacuous.
    expect(INVALID_CONFIGS.every((config) => !compiled(config))).toBe(true);
    expect(configs.filter((config) => compiled(config)).length).toBeGreaterThan(10);
  });
});

describe('an invalid runbook schema', () => {
  const project = (name: string, schema: object): string => {
    const dir = path.join(temp.dir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'runbooks.config.yaml'), 'rules: [rules/*.yaml]\nschema: schemas/runbook.json\n');
    mkdirSync(path.join(dir, 'schemas'));
    writeFileSync(path.join(dir, 'schemas/runbook.json'), JSON.stringify(schema));
    return dir;
  };

  it('is a config error at the schema line that says what is wrong', () => {
    const { diagnostics } = loadConfig(project('invalid', { type: 'object', properties: { severity: { enum: 'critical' } } }));
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.column, d.message])).toEqual([
      [
        'config-error',
        2,
        9,
        'The runbook schema schemas/runbook.json cannot be used: schema is invalid: schema/properties/severity/enum must be array',
      ],
    ]);
  });

  it('of another JSON Schema draft is a config error too', async () => {
    const dir = project('draft-07', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' });
    expect(loadConfig(dir).diagnostics.map((d) => d.message)).toEqual([
      'The runbook schema schemas/runbook.json cannot be used: it declares "$schema": "http://json-schema.org/draft-07/schema#"; only JSON Schema 2020-12 (https://json-schema.org/draft/2020-12/schema) is read',
    ]);
    const run = await runCli(['lint'], dir);
    expect(run.code).toBe(2);
  });

  it('with the 2020-12 $schema, with or without the trailing #, is fine', () => {
    expect(
      loadConfig(project('with-hash', { $schema: 'https://json-schema.org/draft/2020-12/schema#', type: 'object' })).diagnostics,
    ).toEqual([]);
    expect(
      loadConfig(project('without-hash', { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' })).diagnostics,
    ).toEqual([]);
  });
});
