import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aeadEncrypt, sign } from '../../core/crypto/sodium';
import { entrySigningBytes, entryToJson, allEntries } from '../../core/store/sync-log';
import type { Frame } from '../../core/sync/frames';
import { Relay } from '../helpers/relay';
import { device, pair, stateOf, vectorOf, waitFor, type TestApp } from '../helpers/sync';

const same = (ts: TestApp[], space: string) => ts.every((t) => JSON.stringify(Object.entries(vectorOf(t, space)).sort()) === JSON.stringify(Object.entries(vectorOf(ts[0], space)).sort()));

describe('three devices under a fault-injecting relay', () => {
  const apps: TestApp[] = [];
  const relays: Relay[] = [];
  afterAll(async () => { for (const r of relays) await r.stop(); for (const a of apps) await a.close(); });

  it('converge with no acknowledged write lost (drops, duplicates, reordering, a healed partition)', async () => {
    const a = await device('Ana'); const a2 = await device('Ana'); const a3 = await device('Ana');
    apps.push(a, a2, a3);
    const shared = await a.c('memory.create', { space_id: 'personal:me', type: 'procedural', band: 'GREEN', title: 'shopping', body: 'list:' });
    await pair(a, a2);
    await pair(a, a3);
    await waitFor('initial convergence', () => same([a, a2, a3], 'personal:me'));
    for (const t of [a, a2, a3]) await t.c('sync.disconnect', {});
    const ra = new Relay({ host: '127.0.0.1', port: a.app.sync!.direct!.port }); const ra2 = new Relay({ host: '127.0.0.1', port: a2.app.sync!.direct!.port });
    relays.push(ra, ra2);
    const toA = await ra.start(); const toA2 = await ra2.start();
    for (const [i, t] of [a, a2, a3].entries()) t.link.faults = { drop: 0.2, duplicate: 0.2, reorder: 0.25, seed: 7 + i };
    const connectAll = async () => { await a2.c('sync.connect', { address: toA }); await a3.c('sync.connect', { address: toA }); await a3.c('sync.connect', { address: toA2 }); };
    await connectAll();

    const acked: string[] = [];
    const tokens: string[] = [];
    const write = async (t: TestApp, label: string) => {
      const m = await t.c('memory.create', { space_id: 'personal:me', type: 'episodic', band: 'GREEN', title: label, body: `body of ${label}` });
      acked.push(m.memory.memory_id);
      const cur = (await t.c('memory.get', { memory_id: shared.memory.memory_id })).memory;
      await t.c('memory.update', { memory_id: shared.memory.memory_id, patch: { body: cur.body + ` ${label}` } });
      tokens.push(label);
    };
    for (let round = 0; round < 6; round++) for (const [i, t] of [a, a2, a3].entries()) await write(t, `r${round}d${i}`);
    ra.partition(); ra2.partition();
    for (let round = 6; round < 10; round++) for (const [i, t] of [a, a2, a3].entries()) await write(t, `r${round}d${i}`);
    expect(same([a, a2, a3], 'personal:me')).toBe(false);
    ra.heal(); ra2.heal();
    await connectAll();
    await waitFor('equal vectors on all three after healing', () => same([a, a2, a3], 'personal:me'), 45_000, 100);
    const states = await Promise.all([a, a2, a3].map((t) => stateOf(t, 'personal:me')));
    expect(states[1]).toEqual(states[0]);
    expect(states[2]).toEqual(states[0]);
    for (const id of acked) expect(states[0][id]).toBeDefined();
    for (const tok of tokens) expect(states[0][shared.memory.memory_id].body).toContain(tok);
    const refused = a.app.sync!.refused;
    expect(Object.keys(refused).filter((r) => !['duplicate', 'gap'].includes(r))).toEqual([]);
    const injected = [a, a2, a3].map((t) => t.link.injected);
    console.log('fault run: refused', JSON.stringify([a, a2, a3].map((t) => t.app.sync!.refused)), 'faults injected', JSON.stringify(injected));
    for (const f of injected) expect(f.drop + f.duplicate + f.reorder).toBeGreaterThan(0);
  });
});

describe('hostile input is refused and reported, never applied', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  it('a flipped byte, a replayed entry and an entry signed by a non-member', async () => {
    const a = await device('Ana'); const a2 = await device('Ana'); const b = await device('Ben');
    apps.push(a, a2, b);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const inv = await a.c('space.invite', { space_id: 'shared:family', role: 'adult' });
    await b.c('space.join', { invite: inv.invite });
    await pair(a, a2);
    await waitFor('a2 converged', () => same([a, a2], 'personal:me') && same([a, a2], 'shared:family'));
    const node2 = a2.link;

    // 1. a flipped byte in an entry's ciphertext
    node2.tamper = (f: Frame) => {
      if (f.t !== 'entries') return f;
      const e = { ...f.entries[0] };
      const ct = Buffer.from(e.ciphertext, 'base64'); ct[3] ^= 0x01; e.ciphertext = ct.toString('base64');
      return { ...f, entries: [e, ...f.entries.slice(1)] };
    };
    await a2.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'tampered on the wire', body: 'x' });
    await waitFor('bad signature reported', () => (a.app.sync!.refused.bad_signature ?? 0) >= 1);
    expect(same([a, a2], 'personal:me')).toBe(false);
    node2.tamper = undefined;
    await waitFor('convergence once the link is honest', () => same([a, a2], 'personal:me'));

    // 2. a replayed entry (already held) and a different entry at an existing seq
    const old = [...allEntries(a2.app.ctx, 'sync_log')].find((e) => e.space_id === 'personal:me')!;
    // a2 equivocates: a different, validly signed entry at a seq it already used
    const mine = [...allEntries(a2.app.ctx, 'sync_log')].find((e) => e.space_id === 'personal:me' && e.author_device === a2.app.ctx.keyring!.deviceId)!;
    const other = { ...mine, ciphertext: new Uint8Array(Buffer.from('another body')) };
    const forgedAtSeq = entryToJson({ ...other, signature: sign(entrySigningBytes(other), a2.app.ctx.keyring!.deviceSign.privateKey) });
    // 3. an entry signed by B's device (B is not a member of A's personal space) and one by an unknown device
    const bk = b.app.ctx.keyring!;
    const fake = aeadEncrypt(Buffer.from('not yours'), 'x', new Uint8Array(32));
    const header = { space_id: 'personal:me', doc_id: '01M8NOTAMEMBERSENTRY000000', author_device: bk.deviceId, seq: 1, key_id: 'dek:01M8NOTAMEMBERSENTRY000000', nonce: fake.nonce, ciphertext: fake.ciphertext };
    const byNonMember = entryToJson({ ...header, signature: sign(entrySigningBytes(header), bk.deviceSign.privateKey) });
    const stranger = { ...header, author_device: '01M8STRANGERDEVICE00000000' };
    const byStranger = entryToJson({ ...stranger, signature: sign(entrySigningBytes(stranger), bk.deviceSign.privateKey) });
    let injected = false;
    node2.tamper = (f: Frame) => {
      if (f.t !== 'hello' || injected) return f;
      injected = true;
      return { t: 'entries', space: 'personal:me', batch: 999_999, entries: [entryToJson(old), forgedAtSeq, byNonMember, byStranger] };
    };
    await waitFor('all four refusals', () => {
      const r = a.app.sync!.refused;
      return (r.duplicate ?? 0) >= 1 && (r.conflict ?? 0) >= 1 && (r.not_member ?? 0) >= 1 && (r.unknown_device ?? 0) >= 1;
    });
    node2.tamper = undefined;
    expect([...allEntries(a.app.ctx, 'sync_log')].some((e) => e.author_device === bk.deviceId && e.space_id === 'personal:me')).toBe(false);
    const st = await a.c('sync.status', {});
    expect(st.refused.bad_signature).toBeGreaterThanOrEqual(1);
    expect(st.refused.not_member).toBeGreaterThanOrEqual(1);
    const log = readFileSync(join(a.dir, 'logs', 'memoryos.log'), 'utf8');
    for (const reason of ['bad_signature', 'conflict', 'not_member', 'unknown_device']) expect(log).toContain(`"reason":"${reason}"`);
    expect(log).not.toContain('not yours');
    expect((await a.c('system.metrics', {})).text).toMatch(/memoryos_sync_refused_total\{reason="not_member"\} [1-9]/);
    await waitFor('still converged', () => same([a, a2], 'personal:me'));
  });
});
