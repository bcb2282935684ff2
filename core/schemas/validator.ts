import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { contractsDir } from '../shared/paths';

export const SCHEMA_BASE = 'https://memoryos.dev/contracts/';

/** One Ajv instance holding every schema under contracts/: the law the router and the bus enforce. */
let ajv: Ajv2020 | undefined;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function schemas(): Ajv2020 {
  if (ajv) return ajv;
  const a = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(a);
  a.addKeyword({ keyword: 'x-contract-version', schemaType: 'string' });
  a.addKeyword({ keyword: 'x-frozen', schemaType: 'array' });
  const root = contractsDir();
  for (const file of walk(root).filter((f) => f.endsWith('.schema.json'))) {
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    if (schema.$id !== SCHEMA_BASE + relative(root, file)) throw new Error(`schema ${file} has $id ${schema.$id}`);
    a.addSchema(schema);
  }
  return (ajv = a);
}

const compiled = new Map<string, ValidateFunction>();

/** A validator for a schema by its path under contracts/ (e.g. "events/envelope.schema.json"). */
export function validatorFor(path: string): ValidateFunction {
  let v = compiled.get(path);
  if (!v) {
    v = schemas().getSchema(SCHEMA_BASE + path);
    if (!v) throw new Error('unknown schema ' + path);
    compiled.set(path, v);
  }
  return v;
}

/** Compile an inline schema (a method's request or response) against the shared registry. */
export function compileInline(schema: object): ValidateFunction {
  return schemas().compile(schema);
}

export interface SchemaProblem { path: string; message: string }

export function describeErrors(errors: ErrorObject[] | null | undefined): SchemaProblem[] {
  return (errors ?? []).slice(0, 20).map((e) => ({
    path: e.instancePath || '/',
    message: e.keyword === 'additionalProperties'
      ? `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`
      : e.message ?? e.keyword,
  }));
}
