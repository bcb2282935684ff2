import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../scripts/contracts/checker';
import { writeIndex } from '../../scripts/contracts/hash-index';
import { canonicalJson, compareSemver, loadContracts, sha256Hex } from '../../scripts/contracts/lib';
import { generateAndWrite } from '../../scripts/contracts/typegen';

const REPO = path.resolve(__dirname, '..', '..');
const SAMPLE = path.join(REPO, 'tests', 'fixtures', 'contracts-sample');

let tmpRoot: string;
let good: string;

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
/** copy of the good fixture (index and types included) to mutate */
function copyGood(name: string): string {
  const dir = path.join(tmpRoot, name);
  fs.cpSync(good, dir, { recursive: true });
  return dir;
}
function edit(dir: string, rel: string, fn: (json: any) => void): void {
  const file = path.join(dir, rel);
  const json = readJson(file);
  fn(json);
  writeJson(file, json);
}

beforeAll(async () => {
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'memoryos-contracts-'));
  good = path.join(tmpRoot, 'good');
  fs.cpSync(SAMPLE, good, { recursive: true });
  writeIndex(good, loadContracts(good));
  await generateAndWrite(good);
});

afterAll(() => {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

describe('contracts:check', () => {
  it('passes on good fixtures', async () => {
    const { problems, stats } = await runCheck(good);
    expect(problems).toEqual([]);
    expect(stats.methods).toBe(3);
    expect(stats.topics).toBe(2);
    expect(stats.examples).toBeGreaterThan(0);
  });

  it('fails when a frozen envelope field is removed', async () => {
    const dir = copyGood('frozen');
    edit(dir, 'events/envelope.schema.json', (env) => {
      env['x-frozen'] = env['x-frozen'].filter((f: string) => f !== 'qos');
      delete env.properties.qos;
      env.required = env.required.filter((f: string) => f !== 'qos');
      env['x-contract-version'] = '2.0.0';
    });
    const { problems } = await runCheck(dir, { skipTypes: true });
    expect(problems).toContain('events/envelope.schema.json: frozen field "qos" missing from "x-frozen"');
    expect(problems).toContain('events/envelope.schema.json: frozen field "qos" missing from "properties"');
    expect(problems).toContain('events/envelope.schema.json: frozen field "qos" missing from "required"');
  });

  it('fails when a file changes without a version bump, and when a version goes backwards', async () => {
    const dir = copyGood('nobump');
    edit(dir, 'api/common.schema.json', (s) => {
      s.$defs.Memory.properties.title.maxLength = 300;
    });
    edit(dir, 'api/methods/space.list.json', (m) => {
      m['x-contract-version'] = '0.9.0';
    });
    const { problems } = await runCheck(dir, { skipTypes: true });
    expect(problems.some((p) => p.startsWith('api/common.schema.json: changed without a version bump'))).toBe(true);
    expect(problems).toContain('api/methods/space.list.json: version went backwards (1.0.0 in index.sha256.json, now 0.9.0)');
  });

  it('ignores formatting and key order when hashing', async () => {
    const dir = copyGood('reformatted');
    const file = path.join(dir, 'api/error.schema.json');
    const json = readJson(file);
    const reversed = Object.fromEntries(Object.entries(json).reverse());
    fs.writeFileSync(file, JSON.stringify(reversed));
    expect((await runCheck(dir)).problems).toEqual([]);
  });

  it('accepts a bumped version once the index is rewritten, and asks for contracts:index before', async () => {
    const dir = copyGood('bumped');
    edit(dir, 'api/error.schema.json', (s) => {
      s['x-contract-version'] = '1.1.0';
      s.properties.error.properties.retryable = { type: 'boolean' };
    });
    const before = await runCheck(dir, { skipTypes: true });
    expect(before.problems.some((p) => p.includes('version bumped 1.0.0 -> 1.1.0') && p.includes('contracts:index'))).toBe(true);
    writeIndex(dir, loadContracts(dir));
    const after = await runCheck(dir, { skipTypes: true });
    expect(after.problems).toEqual([]);
  });

  it('fails on a new file that is not indexed', async () => {
    const dir = copyGood('newfile');
    writeJson(path.join(dir, 'storage/extra.schema.json'), {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://memoryos.dev/contracts/storage/extra.schema.json',
      'x-contract-version': '1.0.0',
      type: 'object',
    });
    const { problems } = await runCheck(dir, { skipTypes: true });
    expect(problems).toContain('storage/extra.schema.json: new contract file not in index.sha256.json; run npm run contracts:index');
  });

  it('fails on an invalid schema example and an invalid method example', async () => {
    const dir = copyGood('badexample');
    edit(dir, 'api/common.schema.json', (s) => {
      s.$defs.Memory.examples[0].band = 'PURPLE';
    });
    edit(dir, 'api/methods/memory.create.json', (m) => {
      delete m.examples[0].request.title;
    });
    writeIndex(dir, loadContracts(dir)); // isolate the example failures from the hash check
    const { problems } = await runCheck(dir, { skipTypes: true });
    expect(problems.some((p) => p.startsWith('api/common.schema.json#/$defs/Memory: examples[0] does not validate') && p.includes('/band'))).toBe(true);
    expect(problems.some((p) => p.startsWith('api/methods/memory.create.json: examples[0].request does not validate') && p.includes('title'))).toBe(true);
  });

  it('fails on strict-mode errors, broken refs, missing topic payloads and an invalid policy', async () => {
    const dir = copyGood('broken');
    edit(dir, 'api/common.schema.json', (s) => {
      s.$defs.Band['x-unknown'] = true;
    });
    edit(dir, 'api/methods/space.list.json', (m) => {
      m.response.properties.spaces.items.$ref = '../common.schema.json#/$defs/Nope';
    });
    edit(dir, 'events/topics.json', (t) => {
      t.topics.KEY_ROTATED = { version: '1.0', description: 'x', payload: 'payloads/KEY_ROTATED.schema.json' };
    });
    const { problems } = await runCheck(dir, { skipTypes: true });
    const has = (prefix: string, text: string): boolean => problems.some((p) => p.startsWith(prefix) && p.includes(text));
    expect(has('api/common.schema.json#/$defs/Band: does not compile', 'x-unknown')).toBe(true);
    expect(has('api/methods/space.list.json#/response: does not compile', "can't resolve reference")).toBe(true);
    expect(has('events/topics.json: topic KEY_ROTATED', 'does not exist')).toBe(true);
  });

  it('fails when policy.json does not match policy.schema.json', async () => {
    const dir = copyGood('policy');
    edit(dir, 'policy/policy.json', (p) => {
      p.bands.GREEN.undo_window_s = -1;
    });
    const { problems } = await runCheck(dir, { skipTypes: true });
    expect(problems.some((p) => p.startsWith('policy/policy.json: does not validate') && p.includes('/bands/GREEN/undo_window_s'))).toBe(true);
  });

  it('fails when contracts/types drifted, and passes after regenerating', async () => {
    const dir = copyGood('drift');
    fs.appendFileSync(path.join(dir, 'types/generated.ts'), '\n// hand edit\n');
    expect((await runCheck(dir)).problems).toContain('types/generated.ts: types drifted; run npm run contracts:types');
    await generateAndWrite(dir);
    expect((await runCheck(dir)).problems).toEqual([]);
  });
});

describe('contracts:types', () => {
  it('generates stable names, ApiMethods and TopicPayloads, each type declared once', () => {
    const generated = fs.readFileSync(path.join(good, 'types/generated.ts'), 'utf8');
    expect(generated).toContain('generated by npm run contracts:types — do not edit');
    const declared = [...generated.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    expect(new Set(declared).size).toBe(declared.length);
    for (const name of [
      'Memory',
      'Band',
      'Space',
      'ApiError',
      'MemoryCreateRequest',
      'MemoryCreateResponse',
      'SpaceListResponse',
      'SystemHealthResponseComponentHealth',
      'Envelope',
      'EnvelopeActor',
      'HippoEncodePayload',
      'UndoWindowOpenedPayload',
      'Policy',
      'PolicyBandRule',
      'MemoryRowRecord',
      'ApiMethods',
      'MethodName',
      'TopicPayloads',
      'TopicName',
    ]) {
      expect(declared).toContain(name);
    }
    expect(generated).toMatch(/"memory\.create": \{request: MemoryCreateRequest; response: MemoryCreateResponse\}/);
    expect(generated).toMatch(/HIPPO_ENCODE"?: HippoEncodePayload;/);
    // "one of these fields is required" becomes a union; 2020-12 tuples become TS tuples
    expect(generated).toMatch(/export type Credentials =\s*\| \{\s*passphrase: string;\s*recovery_key\?: string;\s*\}\s*\| \{\s*passphrase\?: string;\s*recovery_key: string;\s*\};/);
    expect(generated).toContain('export type GeoPoint = [number, number];');
    // a cross-file $ref is a reference to the one declaration, not a copy
    expect(generated).toMatch(/memory: Memory;/);
    const common = fs.readFileSync(path.join(good, 'types/common.ts'), 'utf8');
    expect(common).toMatch(/\bMemory,/);
    expect(fs.readFileSync(path.join(good, 'types/index.ts'), 'utf8')).toContain('export * from "./generated";');
  });

  it('produces types that compile and fit the examples', () => {
    const dir = copyGood('compile');
    fs.writeFileSync(
      path.join(dir, 'types/usage.ts'),
      [
        'import type { ApiMethods, MethodName, TopicPayloads, Memory } from "./index";',
        'import type { MemoryCreateRequest } from "./api";',
        'import type { Band } from "./common";',
        'const req: ApiMethods["memory.create"]["request"] = { space_id: "s", title: "t", body: "b" };',
        'const same: MemoryCreateRequest = req;',
        'const m: MethodName = "space.list";',
        'const band: Band = "AMBER";',
        'const p: TopicPayloads["HIPPO_ENCODE"] = { memory_id: "x", band };',
        'const mem: Pick<Memory, "band"> = { band: "RED" };',
        'export const all = [same, m, p, mem];',
        '',
      ].join('\n'),
    );
    const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'ES2022', '--module', 'commonjs', path.join(dir, 'types/usage.ts')], {
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('is deterministic', async () => {
    const dir = copyGood('determinism');
    const before = fs.readFileSync(path.join(dir, 'types/generated.ts'), 'utf8');
    const { written } = await generateAndWrite(dir);
    expect(written).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'types/generated.ts'), 'utf8')).toBe(before);
  });
});

describe('helpers', () => {
  it('canonical JSON ignores key order and whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(sha256Hex(canonicalJson({ a: 1, b: 2 }))).toBe(sha256Hex(canonicalJson(JSON.parse('{ "b": 2,\n "a": 1 }'))));
  });

  it('orders SemVer', () => {
    expect(compareSemver('1.0.0', '1.0.1')).toBeLessThan(0);
    expect(compareSemver('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareSemver('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
    expect(compareSemver('1.0.0-rc.2', '1.0.0-rc.10')).toBeLessThan(0);
    expect(compareSemver('2.0.0', '2.0.0')).toBe(0);
  });
});

describe('CLI', () => {
  it('npm run contracts:check exits non-zero with one line per problem', () => {
    const dir = copyGood('cli');
    edit(dir, 'events/envelope.schema.json', (env) => {
      env['x-frozen'] = env['x-frozen'].filter((f: string) => f !== 'signature');
    });
    const tsx = path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const r = spawnSync(process.execPath, [tsx, path.join(REPO, 'scripts/contracts/check.ts'), '--dir', dir, '--skip-types'], {
      encoding: 'utf8',
      cwd: REPO,
    });
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.some((l) => l.endsWith('events/envelope.schema.json: frozen field "signature" missing from "x-frozen"'))).toBe(true);
    expect(lines.some((l) => l.includes('changed without a version bump'))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^contracts:check FAILED: 2 problem\(s\)/);
  });
});
