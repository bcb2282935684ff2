/**
 * The contracts checker behind `npm run contracts:check`. Returns one problem line per issue
 * (each "relpath: message", relative to the contracts dir); an empty list means the contracts
 * are consistent.
 *
 * Cross-file $refs are resolved by Ajv itself: every *.schema.json is added to one Ajv2020
 * instance under its $id (https://memoryos.dev/contracts/<relpath>), and each method's inline
 * request/response schema is added under a synthetic id next to its descriptor
 * (api/methods/<method>.request.json / .response.json), so absolute and relative refs both work.
 */
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as path from 'path';
import { compareIndex, computeIndex, readIndex } from './hash-index';
import {
  escapePointerToken,
  expectedId,
  FROZEN_ENVELOPE_FIELDS,
  forEachSubschema,
  isObject,
  isSemver,
  Json,
  JsonObject,
  LoadedContracts,
  loadContracts,
  SCHEMA_DIALECT,
  schemaLocation,
  SchemaDoc,
  schemaDocs,
  WELL_KNOWN,
} from './lib';
import { compareTypes, generateTypes } from './typegen';

/** The Ajv configuration contracts are checked with (mirror it where schemas are compiled at runtime). */
export function createContractsAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-contract-version', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-frozen', schemaType: ['array', 'boolean'] });
  return ajv;
}

export interface CheckOptions {
  /** skip the contracts/types drift check */
  skipTypes?: boolean;
}

export interface CheckResult {
  problems: string[];
  stats: { files: number; schemas: number; methods: number; topics: number; examples: number };
}

function errorsText(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'invalid';
  return errors
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`)
    .join('; ');
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0] as string;
}

function fragmentFor(pointer: string): string {
  return pointer
    .split('/')
    .map((t) => encodeURIComponent(t))
    .join('/');
}

export async function runCheck(dir: string, options: CheckOptions = {}): Promise<CheckResult> {
  const loaded: LoadedContracts = loadContracts(dir);
  const problems: string[] = [...loaded.problems];
  const stats = { files: loaded.files.length, schemas: 0, methods: 0, topics: 0, examples: 0 };
  const byRel = new Map(loaded.files.map((f) => [f.rel, f]));

  for (const rel of Object.values(WELL_KNOWN)) {
    if (!byRel.has(rel)) problems.push(`${rel}: missing (required contract file)`);
  }

  // ---- structure of each file -------------------------------------------------------------
  for (const file of loaded.files) {
    const json = file.json;
    if (file.kind === 'data' || file.kind === 'policy-data') continue;
    if (!isObject(json)) {
      problems.push(`${file.rel}: expected a JSON object`);
      continue;
    }
    const version = json['x-contract-version'];
    if (version === undefined) problems.push(`${file.rel}: missing "x-contract-version"`);
    else if (!isSemver(version)) problems.push(`${file.rel}: "x-contract-version" ${JSON.stringify(version)} is not SemVer`);
    if (file.kind === 'schema') {
      stats.schemas++;
      if (json.$schema !== SCHEMA_DIALECT) problems.push(`${file.rel}: "$schema" must be "${SCHEMA_DIALECT}"`);
      if (json.$id !== expectedId(file.rel)) {
        problems.push(`${file.rel}: "$id" must be "${expectedId(file.rel)}" (found ${JSON.stringify(json.$id)})`);
      }
    } else if (file.kind === 'method') {
      stats.methods++;
      const stem = path.posix.basename(file.rel, '.json');
      if (json.method !== stem) problems.push(`${file.rel}: "method" must be "${stem}" (the file name), found ${JSON.stringify(json.method)}`);
      if (typeof json.summary !== 'string') problems.push(`${file.rel}: "summary" must be a string`);
      if (typeof json.requiresUnlock !== 'boolean') problems.push(`${file.rel}: "requiresUnlock" must be a boolean`);
      // the one authorization seam: every method names the policy action the router decides first
      const policy = loaded.files.find((f) => f.rel === WELL_KNOWN.policy)?.json;
      const actions = isObject(policy) && isObject(policy.actions) ? policy.actions : {};
      if (typeof json.policyAction !== 'string') problems.push(`${file.rel}: "policyAction" must name an action of policy/policy.json`);
      else if (!(json.policyAction in actions)) problems.push(`${file.rel}: "policyAction" ${JSON.stringify(json.policyAction)} is not an action of policy/policy.json`);
      for (const role of ['request', 'response'] as const) {
        const s = json[role];
        if (!isObject(s) && typeof s !== 'boolean') problems.push(`${file.rel}: "${role}" must be an inline JSON schema`);
        else if (isObject(s) && ('$id' in s || '$schema' in s)) {
          problems.push(`${file.rel}: "${role}" is an inline schema and must not have "$id" or "$schema"`);
        }
      }
      if (json.examples !== undefined && !Array.isArray(json.examples)) problems.push(`${file.rel}: "examples" must be an array`);
    } else if (file.kind === 'topics') {
      if (!isObject(json.topics)) problems.push(`${file.rel}: "topics" must be an object`);
    }
  }

  // ---- one Ajv instance for every schema ----------------------------------------------------
  const ajv = createContractsAjv();
  const docs = schemaDocs(loaded);
  const added = new Set<string>();
  for (const doc of docs) {
    try {
      let schema: Json = structuredClone(doc.schema);
      if (doc.role !== 'file') {
        schema = isObject(schema) ? { ...schema, $id: doc.uri } : schema;
      } else if (isObject(schema) && schema.$id !== doc.uri) {
        schema = { ...schema, $id: doc.uri };
      }
      ajv.addSchema(schema as object, isObject(schema) ? undefined : doc.uri);
      added.add(doc.uri);
    } catch (err) {
      problems.push(`${doc.origin}: invalid schema: ${firstLine(err)}`);
    }
  }
  // Compile every document and, separately, each of its $defs (Ajv only compiles a definition
  // when something references it, so strict-mode errors in an unused one would go unnoticed).
  const validators = new Map<string, ValidateFunction>();
  for (const doc of docs) {
    if (!added.has(doc.uri)) continue;
    const seen = new Set<string>();
    const compileAt = (pointer: string): ValidateFunction | undefined => {
      try {
        const v = ajv.getSchema(pointer === '' ? doc.uri : `${doc.uri}#${fragmentFor(pointer)}`);
        if (!v) throw new Error('cannot resolve');
        return v;
      } catch (err) {
        const msg = firstLine(err);
        if (!seen.has(msg)) problems.push(`${schemaLocation(doc, pointer)}: does not compile: ${msg}`);
        seen.add(msg);
        return undefined;
      }
    };
    const v = compileAt('');
    if (v) validators.set(doc.uri, v);
    if (isObject(doc.schema)) {
      for (const kw of ['$defs', 'definitions']) {
        const defs = doc.schema[kw];
        if (isObject(defs)) for (const name of Object.keys(defs)) compileAt(`/${kw}/${escapePointerToken(name)}`);
      }
    }
  }

  // ---- "examples" anywhere in any schema ---------------------------------------------------
  const checkExamples = (doc: SchemaDoc): void => {
    const root = validators.get(doc.uri);
    if (!root) return;
    forEachSubschema(doc.schema, (sub, pointer) => {
      if (!Array.isArray(sub.examples)) return;
      let v: ValidateFunction | undefined;
      try {
        v = pointer === '' ? root : ajv.getSchema(`${doc.uri}#${fragmentFor(pointer)}`);
      } catch (err) {
        problems.push(`${schemaLocation(doc, pointer)}: cannot compile subschema to check its examples: ${firstLine(err)}`);
        return;
      }
      if (!v) {
        problems.push(`${schemaLocation(doc, pointer)}: cannot resolve subschema to check its examples`);
        return;
      }
      sub.examples.forEach((example, i) => {
        stats.examples++;
        if (!v(example)) {
          problems.push(`${schemaLocation(doc, pointer)}: examples[${i}] does not validate: ${errorsText(v.errors)}`);
        }
      });
    });
  };
  docs.forEach(checkExamples);

  // ---- method examples -----------------------------------------------------------------------
  const errorValidator = validators.get(expectedId(WELL_KNOWN.error));
  for (const file of loaded.files) {
    if (file.kind !== 'method' || !isObject(file.json) || !Array.isArray(file.json.examples)) continue;
    const req = validators.get(docs.find((d) => d.file === file && d.role === 'request')?.uri ?? '');
    const res = validators.get(docs.find((d) => d.file === file && d.role === 'response')?.uri ?? '');
    file.json.examples.forEach((ex, i) => {
      const where = `${file.rel}: examples[${i}]`;
      if (!isObject(ex) || !('request' in ex)) {
        problems.push(`${where} must be an object with "request" and "response" (or "error")`);
        return;
      }
      const hasResponse = 'response' in ex;
      const hasError = 'error' in ex;
      if (hasResponse === hasError) problems.push(`${where} must have exactly one of "response" or "error"`);
      stats.examples++;
      if (req && !req(ex.request)) problems.push(`${where}.request does not validate: ${errorsText(req.errors)}`);
      if (hasResponse && res && !res(ex.response)) problems.push(`${where}.response does not validate: ${errorsText(res.errors)}`);
      if (hasError && errorValidator && !errorValidator(ex.error)) {
        problems.push(`${where}.error does not validate against ${WELL_KNOWN.error}: ${errorsText(errorValidator.errors)}`);
      }
    });
  }

  // ---- topic catalog -------------------------------------------------------------------------
  const topicsFile = byRel.get(WELL_KNOWN.topics);
  const referencedPayloads = new Set<string>();
  if (topicsFile && isObject(topicsFile.json) && isObject(topicsFile.json.topics)) {
    for (const [topic, entry] of Object.entries(topicsFile.json.topics)) {
      stats.topics++;
      const where = `${WELL_KNOWN.topics}: topic ${topic}`;
      if (!/^[A-Z][A-Z0-9_]*$/.test(topic)) problems.push(`${where}: name must be UPPER_SNAKE_CASE`);
      if (!isObject(entry)) {
        problems.push(`${where}: entry must be an object {version, description, payload}`);
        continue;
      }
      if (typeof entry.version !== 'string' || !/^(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(entry.version)) {
        problems.push(`${where}: "version" must be "major.minor", found ${JSON.stringify(entry.version)}`);
      }
      if (typeof entry.description !== 'string') problems.push(`${where}: "description" must be a string`);
      if (typeof entry.payload !== 'string') {
        problems.push(`${where}: "payload" must be a path relative to events/`);
        continue;
      }
      const rel = path.posix.normalize(path.posix.join('events', entry.payload));
      referencedPayloads.add(rel);
      const payloadFile = byRel.get(rel);
      if (!payloadFile) problems.push(`${where}: payload schema ${rel} does not exist`);
      else if (payloadFile.kind !== 'schema') problems.push(`${where}: payload ${rel} must be a *.schema.json file`);
      else if (!validators.has(expectedId(rel))) problems.push(`${where}: payload schema ${rel} does not compile`);
    }
  }
  for (const file of loaded.files) {
    if (file.rel.startsWith('events/payloads/') && file.kind === 'schema' && !referencedPayloads.has(file.rel)) {
      problems.push(`${file.rel}: payload schema not referenced by any topic in ${WELL_KNOWN.topics}`);
    }
  }

  // ---- policy document -----------------------------------------------------------------------
  const policy = byRel.get(WELL_KNOWN.policy);
  if (policy) {
    const v = validators.get(expectedId(WELL_KNOWN.policySchema));
    if (v && !v(policy.json)) problems.push(`${WELL_KNOWN.policy}: does not validate against ${WELL_KNOWN.policySchema}: ${errorsText(v.errors)}`);
    if (!isObject(policy.json) || !isSemver(policy.json.policy_version)) {
      problems.push(`${WELL_KNOWN.policy}: "policy_version" must be a SemVer string`);
    }
  }

  // ---- envelope: the twelve frozen fields ------------------------------------------------------
  const envelope = byRel.get(WELL_KNOWN.envelope);
  if (envelope && isObject(envelope.json)) {
    const env: JsonObject = envelope.json;
    const frozen = Array.isArray(env['x-frozen']) ? env['x-frozen'] : [];
    if (!Array.isArray(env['x-frozen'])) problems.push(`${WELL_KNOWN.envelope}: "x-frozen" must list the frozen fields`);
    const props = isObject(env.properties) ? env.properties : {};
    const required = Array.isArray(env.required) ? env.required : [];
    for (const field of FROZEN_ENVELOPE_FIELDS) {
      if (!frozen.includes(field)) problems.push(`${WELL_KNOWN.envelope}: frozen field "${field}" missing from "x-frozen"`);
      if (!(field in props)) problems.push(`${WELL_KNOWN.envelope}: frozen field "${field}" missing from "properties"`);
      if (!required.includes(field)) problems.push(`${WELL_KNOWN.envelope}: frozen field "${field}" missing from "required"`);
    }
    if (env.additionalProperties !== false) problems.push(`${WELL_KNOWN.envelope}: must set "additionalProperties": false`);
  }

  // ---- hash index ----------------------------------------------------------------------------
  if (loaded.problems.length === 0) {
    const recorded = readIndex(dir);
    if (typeof recorded === 'string') problems.push(recorded);
    else problems.push(...compareIndex(recorded, computeIndex(loaded)));
  }

  // ---- generated types -----------------------------------------------------------------------
  if (!options.skipTypes && loaded.problems.length === 0) {
    try {
      const result = await generateTypes(loaded);
      problems.push(...compareTypes(dir, result).problems);
    } catch (err) {
      for (const line of String((err as Error)?.message ?? err).split('\n')) {
        problems.push(`types: cannot generate: ${line}`);
      }
    }
  }

  return { problems, stats };
}
