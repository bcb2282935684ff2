import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCatalog } from '../../core/api/catalog';
import { PASS } from '../helpers/app';
import { device, pair, type TestApp } from '../helpers/sync';

/**
 * Issue 8: every API method called as each role — the vault owner (guardian of the spaces), an
 * adult, a teen, a child and a guest profile — against a fixture with a memory of every band,
 * compared with the table of expected decisions beside the policy
 * (contracts/policy/expected-decisions.json). A method without a row fails the build; a call
 * that answers FORBIDDEN is "deny", anything else (success, NOT_FOUND, CONFLICT, BUSY …) "allow".
 */
const TABLE_FILE = join(__dirname, '..', '..', 'contracts', 'policy', 'expected-decisions.json');
const ROLES = ['owner', 'adult', 'teen', 'child', 'guest'] as const;
const BANDS = ['GREEN', 'AMBER', 'RED', 'BLACK'] as const;
type RoleName = (typeof ROLES)[number];
type Band = (typeof BANDS)[number];
type Verdict = 'allow' | 'deny';
type Row = Record<RoleName, Verdict> | Record<Band, Record<RoleName, Verdict>>;
interface Table { roles: RoleName[]; methods: Record<string, Row> }

const SPACE = 'shared:family';
const OTHER = 'extended:cousins';

/** Each method's request for a role, or per band; fresh targets are made by the owner first where the call changes them. */
type Ctx = { a: TestApp; b: TestApp; ids: Record<RoleName, string>; mem: Record<Band, string>; owner: (m: string, p?: unknown) => Promise<any> };
type Req = (c: Ctx, band: Band, role: RoleName) => Promise<unknown>;
const fresh = async (c: Ctx, band: Band, title = 'fresh') =>
  (await c.owner('memory.create', { space_id: SPACE, type: 'semantic', band, title, body: 'b' })).memory.memory_id as string;
const banded = new Set(['memory.create', 'memory.import', 'import.run', 'memory.get', 'memory.previewAs', 'memory.update', 'memory.delete', 'memory.restore', 'memory.share', 'memory.setBand', 'privacy.erase', 'trash.restore', 'attachment.add', 'attachment.list', 'attachment.get', 'attachment.delete']);
/** the bands a method's contract accepts (memory.import takes GREEN and AMBER only) */
const bandsOf = (method: string): readonly Band[] => (method === 'memory.import' ? ['GREEN', 'AMBER'] : banded.has(method) ? BANDS : ['GREEN']);

const REQUESTS: Record<string, Req> = {
  'vault.status': async () => ({}),
  'vault.create': async () => ({ passphrase: 'maple orbit lantern pebble', name: 'X' }),
  'vault.unlock': async () => ({ passphrase: PASS }),
  'vault.lock': async () => ({}),
  'vault.changePassphrase': async () => ({ old_passphrase: 'not the old one at all', new_passphrase: 'maple orbit lantern pebble' }),
  'vault.confirmRecoveryKey': async () => ({ recovery_key: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789-ABCD-EFGH-JKMN-PQRS-T' }),
  'vault.newRecoveryKey': async () => ({ passphrase: 'not the passphrase at all' }),
  'system.health': async () => ({}), 'system.components': async () => ({}), 'system.metrics': async () => ({}), 'system.methods': async () => ({}),
  'member.list': async () => ({}),
  'member.create': async () => ({ name: 'Aunt' }),
  // the owner's PIN: the owner sets it, a profile may not; cleared, so the fixture needs none
  'member.setPin': async (c) => ({ member_id: c.ids.owner, pin: null }),
  // a door without sessions (in-process) answers INVALID_INPUT once the policy allowed the switch
  'session.switchProfile': async (c) => ({ member_id: c.ids.owner }),
  'session.current': async () => ({}),
  'device.list': async () => ({}),
  'device.pairOffer': async () => ({}),
  'device.pairAccept': async () => ({ invite: 'mos1.bm90LWFuLWludml0ZQ' }),
  'device.confirm': async (c) => ({ device_id: c.b.app.ctx.keyring!.deviceId }),
  'device.revoke': async (c) => ({ device_id: c.b.app.ctx.keyring!.deviceId }),
  'device.rename': async (c) => ({ device_id: c.a.app.ctx.keyring!.deviceId, name: 'Kitchen laptop' }),
  'invite.list': async () => ({}),
  'job.get': async () => ({ job_id: '01JD0000000000000000000000' }),
  'job.list': async () => ({}),
  'job.cancel': async () => ({ job_id: '01JD0000000000000000000000' }),
  'privacy.erase': async (c, band) => ({ memory_ids: [await fresh(c, band)], confirm: true, reauth: { passphrase: PASS } }),
  // the owner's data: the owner may export it, a profile may not (each exports their own)
  'privacy.export': async (c) => ({ subject: c.ids.owner, out: `role-table-${Date.now()}-${Math.random().toString(36).slice(2)}.zip` }),
  'privacy.verifyExport': async () => ({ path: 'no-such-export.zip' }),
  'trash.list': async () => ({}),
  'trash.restore': async (c, band) => {
    const id = await fresh(c, band);
    if (band === 'GREEN') await c.owner('memory.delete', { memory_id: id });
    return { memory_id: id };
  },
  'trash.empty': async () => ({ confirm: true }),
  'invite.revoke': async (c) => ({ invite_id: (await c.owner('device.pairOffer')).invite_id }),
  'sync.status': async () => ({}),
  'sync.connect': async () => ({ address: '127.0.0.1:1' }),
  'sync.disconnect': async () => ({}),
  'space.create': async (_c, _b, role) => ({ kind: 'selective', name: `made by ${role}` }),
  'space.list': async () => ({}),
  'space.get': async () => ({ space_id: SPACE }),
  'space.rename': async () => ({ space_id: SPACE, name: 'Family' }),
  'space.addMember': async (c) => ({ space_id: SPACE, member_id: (await c.owner('member.create', { name: 'Newcomer' })).member.member_id, role: 'guest' }),
  'space.invite': async () => ({ space_id: SPACE, role: 'guest' }),
  'space.join': async () => ({ invite: 'mos1.bm90LWFuLWludml0ZQ' }),
  'space.removeMember': async (c) => {
    const m = (await c.owner('member.create', { name: 'Leaving' })).member.member_id;
    await c.owner('space.addMember', { space_id: SPACE, member_id: m, role: 'guest' });
    return { space_id: SPACE, member_id: m };
  },
  'memory.create': async (_c, band) => ({ space_id: SPACE, type: 'semantic', band, title: 'new', body: 'x' }),
  // a dry run of a real folder: the job starts (allow) or the call is refused (deny)
  'import.run': async (_c, band) => ({ path: join(__dirname, '..', 'fixtures', 'import', 'obsidian'), space_id: SPACE, band, dry_run: true }),
  'memory.import': async (_c, band) => ({ space_id: SPACE, memories: [{ type: 'semantic', band, title: 'imported', body: 'x' }] }),
  'memory.get': async (c, band) => ({ memory_id: c.mem[band] }),
  'memory.previewAs': async (c, band) => ({ memory_id: c.mem[band], member_id: c.ids.guest }),
  'memory.list': async () => ({ space_id: SPACE }),
  'memory.search': async () => ({ query: 'fixture' }),
  'memory.update': async (c, band) => ({ memory_id: c.mem[band], patch: { body: 'edited' } }),
  'memory.delete': async (c, band) => ({ memory_id: await fresh(c, band), confirm: true }),
  'memory.restore': async (c, band) => {
    const id = await fresh(c, band);
    if (band === 'GREEN') await c.owner('memory.delete', { memory_id: id });
    return { memory_id: id }; // not in the trash otherwise: CONFLICT once allowed, FORBIDDEN when not
  },
  'memory.share': async (c, band) => ({ memory_id: c.mem[band], target_space_id: OTHER, consent: true }),
  'memory.setBand': async (c, band) => ({ memory_id: c.mem[band], band }),
  'attachment.add': async (c, band) => ({ memory_id: c.mem[band], data_base64: Buffer.from('a file').toString('base64'), name: 'note.txt', mime: 'text/plain' }),
  'attachment.list': async (c, band) => ({ memory_id: c.mem[band] }),
  'attachment.get': async (c, band) => ({ attachment_id: (await c.owner('attachment.add', { memory_id: c.mem[band], data_base64: Buffer.from('to read').toString('base64'), name: 'r.txt', mime: 'text/plain' })).attachment.attachment_id }),
  'attachment.delete': async (c, band) => ({ attachment_id: (await c.owner('attachment.add', { memory_id: c.mem[band], data_base64: Buffer.from('to delete').toString('base64'), name: 'd.txt', mime: 'text/plain' })).attachment.attachment_id }),
  'undo.list': async () => ({}),
  'undo.apply': async (c) => {
    const staged = await c.owner('memory.delete', { memory_id: await fresh(c, 'AMBER') });
    return { action_id: staged.pending.action_id };
  },
  'settings.get': async () => ({}),
  'settings.set': async () => ({ settings: { auto_lock_minutes: 15 } }),
  'events.list': async () => ({ limit: 10 }),
  'audit.list': async () => ({ limit: 10 }),
  'audit.verify': async () => ({}),
};

// state a call changes for the rest (the owner's own call last): lock, revoke, confirm
const LAST = ['device.confirm', 'vault.lock', 'device.revoke'];

async function verdict(c: Ctx, method: string, band: Band, role: RoleName): Promise<Verdict> {
  const params = await REQUESTS[method]!(c, band, role);
  try {
    await c.a.c(method, params, role === 'owner' ? undefined : c.ids[role]);
    return 'allow';
  } catch (e) {
    if ((e as { code?: string }).code === 'FORBIDDEN') return 'deny';
    return 'allow';
  } finally {
    if (method === 'vault.lock' && !c.a.app.ctx.keyring) await c.a.c('vault.unlock', { passphrase: PASS });
  }
}

describe('every role at every method', () => {
  let c: Ctx;
  const observed: Record<string, Row> = {};
  beforeAll(async () => {
    const a = await device('Ana');
    const b = await device('Ana2');
    await pair(a, b);
    const owner = (m: string, p: unknown = {}) => a.c(m, p);
    await owner('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    await owner('space.create', { kind: 'extended', name: 'Cousins', slug: 'cousins' });
    const ids = { owner: a.app.ctx.keyring!.memberId } as Record<RoleName, string>;
    for (const role of ['adult', 'teen', 'child', 'guest'] as const) {
      ids[role] = (await owner('member.create', { name: role })).member.member_id;
      for (const s of [SPACE, OTHER]) await owner('space.addMember', { space_id: s, member_id: ids[role], role });
    }
    const mem = {} as Record<Band, string>;
    for (const band of BANDS) mem[band] = (await owner('memory.create', { space_id: SPACE, type: 'semantic', band, title: `fixture ${band}`, body: 'fixture body' })).memory.memory_id;
    c = { a, b, ids, mem, owner };
  }, 120_000);
  afterAll(async () => { await c?.a.close(); await c?.b.close(); });

  it('every method in the catalog has a row in the table beside the policy', () => {
    const table = JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as Table;
    expect(table.roles).toEqual([...ROLES]);
    const missing = [...apiCatalog().keys()].filter((m) => !table.methods[m]);
    expect(missing, 'methods without a row in contracts/policy/expected-decisions.json').toEqual([]);
    expect(Object.keys(table.methods).filter((m) => !apiCatalog().has(m))).toEqual([]);
    expect(Object.keys(REQUESTS).sort()).toEqual([...apiCatalog().keys()].sort());
  });

  it('each role gets exactly the decisions the table expects', async () => {
    const table = JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as Table;
    const methods = [...apiCatalog().keys()].sort((x, y) => Number(LAST.includes(x)) - Number(LAST.includes(y)) || LAST.indexOf(x) - LAST.indexOf(y));
    const mismatches: string[] = [];
    for (const method of methods) {
      const cases = bandsOf(method);
      const row: Record<string, Record<RoleName, Verdict>> = {};
      for (const band of cases) {
        row[band] = {} as Record<RoleName, Verdict>;
        // the owner last: what it is allowed may change the fixture for the others
        for (const role of [...ROLES.slice(1), 'owner'] as const) row[band]![role] = await verdict(c, method, band, role);
      }
      observed[method] = banded.has(method) ? (row as Row) : row.GREEN!;
      const expected = table.methods[method];
      for (const band of cases) {
        const want = (banded.has(method) ? (expected as Record<Band, Record<RoleName, Verdict>>)?.[band] : expected) as Record<RoleName, Verdict> | undefined;
        for (const role of ROLES) if (want?.[role] !== row[band]![role]) mismatches.push(`${method}${banded.has(method) ? ` ${band}` : ''} as ${role}: expected ${want?.[role]}, got ${row[band]![role]}`);
      }
    }
    if (process.env.WRITE_DECISIONS === '1') writeFileSync(TABLE_FILE, JSON.stringify({ ...table, methods: Object.fromEntries(Object.entries(observed).sort()) }, null, 2) + '\n');
    expect(mismatches).toEqual([]);
  }, 300_000);
});
