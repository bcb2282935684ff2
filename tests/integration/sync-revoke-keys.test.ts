import { afterAll, describe, expect, it } from 'vitest';
import { b64, fromB64, unseal, type BoxKeyPair } from '../../core/crypto/sodium';
import { epochKey, type KeyringBody } from '../../core/spaces/epoch-keys';
import { findRecord } from '../../core/memories/read-model';
import { decryptEntry, docEntries } from '../../core/store/sync-log';
import { PASS } from '../helpers/app';
import { device, pair, stateOf, vectorOf, waitFor, type TestApp } from '../helpers/sync';

const copyBox = (k: BoxKeyPair): BoxKeyPair => ({ publicKey: Uint8Array.from(k.publicKey), privateKey: Uint8Array.from(k.privateKey) });
const same = (ts: TestApp[], space: string) => ts.every((t) => JSON.stringify(Object.entries(vectorOf(t, space)).sort()) === JSON.stringify(Object.entries(vectorOf(ts[0], space)).sort()));
const seals = (t: TestApp, space: string, epoch: number) =>
  (t.app.ctx.db.prepare('SELECT member_id, sealed FROM epoch_seals WHERE space_id = ? AND epoch = ?').all(space, epoch) as { member_id: string; sealed: Buffer }[]);

describe('device.revoke rotates the member key: the revoked device\'s keys open nothing new', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  it('a new member key reaches the remaining device only; new epochs and memories are closed to the revoked one', async () => {
    const a = await device('Ana'); const a2 = await device('Ana'); const a3 = await device('Ana'); const b = await device('Ben');
    apps.push(a, a2, a3, b);
    const oldRed = await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'RED', title: 'before', body: 'old red' });
    await pair(a, a2);
    await pair(a, a3);
    // Ana is an adult (not a guardian) in Ben's space: her rotation there goes through the receivers' role checks
    await b.c('space.create', { kind: 'shared', name: 'Bens', slug: 'ben' });
    const inv = await b.c('space.invite', { space_id: 'shared:ben', role: 'adult' });
    await a.c('space.join', { invite: inv.invite });
    await waitFor('every device to hold both spaces', () => same([a, a2, a3], 'personal:me') && same([a, a2, a3, b], 'shared:ben') && Object.keys(vectorOf(a3, 'shared:ben')).length > 0, 30_000);
    const member = a.app.ctx.keyring!.memberId;
    const k3 = a3.app.ctx.keyring!;
    expect(k3.memberId).toBe(member);
    // everything the revoked device holds: the member's (old) private keys, its device keys, its epoch keys and DEKs
    const stolen = { member: copyBox(k3.members.get(member)!.box), device: copyBox(k3.deviceBox), keys: [...k3.epochKeys.values(), ...k3.deks.values()].map((x) => Uint8Array.from(x)) };
    const oldPub = b64(stolen.member.publicKey);

    const r = await a.c('device.revoke', { device_id: k3.deviceId });
    expect(r.rotated.sort()).toEqual(['personal:me', 'shared:ben']);
    const newPub = b64(a.app.ctx.keyring!.members.get(member)!.box.publicKey);
    expect(newPub).not.toBe(oldPub);

    // the remaining device takes on the new key; Ben's device records it and accepts the non-guardian's epoch
    await waitFor('a2 to adopt the new member key', () => b64(a2.app.ctx.keyring!.members.get(member)!.box.publicKey) === newPub);
    await waitFor('Ben to record the new public key and epoch 2', async () => {
      const row = b.app.ctx.db.prepare('SELECT x25519_pub FROM members WHERE member_id = ?').get(member) as { x25519_pub: Buffer };
      return b64(row.x25519_pub) === newPub && (await b.c('space.get', { space_id: 'shared:ben' })).space.epoch === 2;
    });
    expect(Object.keys(b.app.sync!.refused).filter((x) => x.startsWith('role_') || x === 'unverifiable')).toEqual([]);
    expect(Object.keys(a2.app.sync!.refused).filter((x) => x.startsWith('role_') || x === 'unverifiable')).toEqual([]);

    const green = await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'after', body: 'new code 4711' });
    const red = await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'RED', title: 'after red', body: 'new red' });
    const shared = await a.c('memory.create', { space_id: 'shared:ben', type: 'semantic', band: 'GREEN', title: 'to ben', body: 'after revoke' });
    await waitFor('a2 to read what A writes after', async () => {
      const s = await stateOf(a2, 'personal:me');
      return s[green.memory.memory_id]?.body === 'new code 4711' && s[red.memory.memory_id]?.body === 'new red';
    });
    await waitFor('Ben to read the shared memory', async () => (await stateOf(b, 'shared:ben'))[shared.memory.memory_id]?.body === 'after revoke');
    // history sealed to the old key stays readable on the remaining devices (retired key)
    expect((await a2.c('memory.get', { memory_id: oldRed.memory.memory_id })).memory.body).toBe('old red');
    expect((await a.c('memory.get', { memory_id: oldRed.memory.memory_id })).memory.body).toBe('old red');
    for (const space of ['personal:me', 'shared:ben']) expect(epochKey(a2.app.ctx, space, 2)).toEqual(epochKey(a.app.ctx, space, 2));

    // the revoked device's stored keys, tried explicitly on everything written since
    for (const space of ['personal:me', 'shared:ben']) {
      const s = seals(a, space, 2);
      expect(s.map((x) => x.member_id)).toContain(member);
      for (const x of s) {
        expect(unseal(new Uint8Array(x.sealed), stolen.member)).toBeNull();
        expect(unseal(new Uint8Array(x.sealed), stolen.device)).toBeNull();
      }
      // the key delivery itself is sealed to the remaining devices only
      const deliveries = docEntries(a.app.ctx, 'sync_log', space, 'keyring')
        .map((e) => JSON.parse(Buffer.from(e.ciphertext).toString('utf8')) as KeyringBody).filter((x) => x.member_key);
      expect(deliveries.length).toBe(1);
      const sealed = deliveries[0].member_key!.sealed;
      expect(Object.keys(sealed)).toEqual([a2.app.ctx.keyring!.deviceId]);
      for (const v of Object.values(sealed)) for (const blob of [v.sign, v.box]) {
        expect(unseal(fromB64(blob), stolen.device)).toBeNull();
        expect(unseal(fromB64(blob), stolen.member)).toBeNull();
      }
    }
    const written = [green, red].flatMap((m) => [...docEntries(a.app.ctx, 'sync_log', 'personal:me', m.memory.memory_id + '.meta'), ...docEntries(a.app.ctx, 'sync_log', 'personal:me', m.memory.memory_id)])
      .concat(docEntries(a.app.ctx, 'sync_log', 'shared:ben', shared.memory.memory_id + '.meta'), docEntries(a.app.ctx, 'sync_log', 'shared:ben', shared.memory.memory_id));
    expect(written.length).toBe(6);
    for (const e of written) for (const k of stolen.keys) expect(decryptEntry(e, k)).toBeNull();
    // the RED DEK is sealed to the member's new key: the old one does not open it
    const wrap = findRecord(a.app.ctx, red.memory.memory_id)!.meta.dek as { mode: string; seals: Record<string, string> };
    expect(wrap.mode).toBe('sealed');
    expect(unseal(fromB64(wrap.seals[member]), stolen.member)).toBeNull();
    expect(unseal(fromB64(wrap.seals[member]), stolen.device)).toBeNull();
    // and nothing new reached the revoked device
    expect(docEntries(a3.app.ctx, 'sync_log', 'personal:me', green.memory.memory_id)).toEqual([]);

    // after a lock and an unlock the remaining device still holds the new key and the retired one
    await a2.c('vault.lock', {});
    await a2.c('vault.unlock', { passphrase: PASS });
    expect(b64(a2.app.ctx.keyring!.members.get(member)!.box.publicKey)).toBe(newPub);
    expect((await a2.c('memory.get', { memory_id: oldRed.memory.memory_id })).memory.body).toBe('old red');
    expect((await a2.c('memory.get', { memory_id: red.memory.memory_id })).memory.body).toBe('new red');
  }, 90_000);
});
