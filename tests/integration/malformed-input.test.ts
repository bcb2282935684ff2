import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, cli, serve, type ServeHandle } from '../helpers/cli';
import { ajv, methods } from '../helpers/contracts';
import { tempDir } from '../helpers/tmp';
import { openVaultDb } from '../helpers/vault-db';

/** A digest of every row of every table: "the data is unchanged" made checkable. */
function dbDigest(dir: string): string {
  const db = openVaultDb(dir, { readonly: true });
  const h = createHash('sha256');
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]) {
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all()) h.update(name + JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
  }
  db.close();
  return h.digest('hex');
}

const resolveRef = (s: any): any => (s?.$ref ? ajv.getSchema(s.$ref)?.schema ?? {} : s);
const wrongTypeFor = (s: any): unknown => {
  const t = resolveRef(s);
  if (t?.type === 'string' || t?.enum || t?.pattern) return 12345;
  if (t?.type === 'integer' || t?.type === 'number') return 'not a number';
  if (t?.type === 'boolean') return 'yes';
  if (t?.type === 'array') return { not: 'an array' };
  if (t?.type === 'object') return ['not', 'an', 'object'];
  return Symbol.for('skip');
};

/** Bad inputs for one method, derived from its own request schema. */
function badInputs(method: string): { label: string; params: unknown; raw?: boolean }[] {
  const req = methods[method].request;
  const props: Record<string, any> = req.properties ?? {};
  const out: { label: string; params: unknown; raw?: boolean }[] = [
    { label: 'unknown field', params: { zz_unknown_field: 1 } },
    { label: 'params not an object', params: [1, 2, 3] },
    { label: 'params not JSON', params: '{"method": ', raw: true },
  ];
  if (req.required?.length) out.push({ label: 'missing required fields', params: {} });
  for (const [name, schema] of Object.entries(props)) {
    const wrong = wrongTypeFor(schema);
    if (wrong !== Symbol.for('skip')) out.push({ label: `wrong type for ${name}`, params: { [name]: wrong } });
    const r = resolveRef(schema);
    if (r?.type === 'string' || r?.pattern || r?.maxLength) out.push({ label: `oversized ${name}`, params: { [name]: 'x'.repeat(1_100_000) } });
  }
  return out;
}

// Acceptance: every method, called with missing fields, wrong types, oversized strings and unknown
// fields, answers a structured error with exit code 2, and the data is unchanged.
describe('malformed input to every method', () => {
  const { dir, cleanup } = tempDir();
  let host: ServeHandle;
  beforeAll(async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    call(dir, 'space.create', { kind: 'shared', name: 'Family' });
    call(dir, 'memory.create', { space_id: 'shared:family', type: 'semantic', band: 'GREEN', title: 'Something to keep' });
    host = await serve(dir); // calls go through the host: the host must stay up through all of it
  });
  afterAll(async () => { await host?.stop(); cleanup(); });

  it('covers every method of the catalog with many bad inputs', () => {
    expect(Object.keys(methods).length).toBeGreaterThanOrEqual(33);
    expect(Object.keys(methods).reduce((n, m) => n + badInputs(m).length, 0)).toBeGreaterThan(150);
  });

  let before = '';
  it('covers a digest of the data taken before the bad calls', () => { before = dbDigest(dir); });

  for (const method of Object.keys(methods).sort()) {
    it(`${method}: each bad input is a structured INVALID_INPUT with exit 2`, () => {
      for (const bad of badInputs(method)) {
        const r = callError(dir, method, bad.params, { raw: bad.raw });
        expect.soft(r.code, `${method}: ${bad.label}`).toBe(2);
        expect.soft(r.error?.code, `${method}: ${bad.label}`).toBe('INVALID_INPUT');
        expect.soft(typeof r.error?.message, `${method}: ${bad.label}`).toBe('string');
        expect.soft(r.error && 'details' in r.error, `${method}: ${bad.label}`).toBe(true);
      }
    });
  }

  it('left the host up and the data unchanged', () => {
    expect(host.proc.exitCode).toBeNull();
    expect(dbDigest(dir)).toBe(before);
    expect(call(dir, 'memory.list', {}).total).toBe(1);
  });

  it('answers an unknown method with UNKNOWN_METHOD', () => {
    const r = callError(dir, 'memory.explode', {});
    expect(r.code).toBe(2);
    expect(r.error.code).toBe('UNKNOWN_METHOD');
  });
});
