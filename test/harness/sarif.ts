/** The OASIS SARIF 2.1.0 schema as a validator, for every test that checks a SARIF log gokiln prints. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;

export function sarifValidator() {
  // The schema file is the OASIS one (sarif-2.1/schema/sarif-schema-2.1.0.json, draft-04). Ajv 8 reads
  // draft-07; the only draft-04 construct in this file is the top-level `id`, renamed to `$id` here.
  const schema = JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures-lint/sarif/sarif-schema-2.1.0.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}
