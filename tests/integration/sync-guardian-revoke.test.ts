import { afterAll, describe, expect, it } from 'vitest';
import { b64, fromB64, unseal, type BoxKeyPair } from '../../core/crypto/sodium';
import type { KeyringBody } from '../../core/spaces/epoch-keys';
import { docEntries } from '../../core/store/sync-log';
import { findRecord } from '../../core/memories/read-model';
import { device, pair, stateOf, vectorOf, waitFor, type TestApp } from '../helpers/sync';

const SPACE = 'shared:family';
const copyBox = (k: BoxKeyPair): BoxKeyPair => ({ publicKey: Uint8Array.from(k.publicKey), privateKey: Uint8Array.from(k.privateKey) });

/** Every seal of a keyring entry in a space's log, as (epoch, sealed bytes). */
function sealsIn(t: TestApp, space: string): { epoch: number; sealed: Uint8Array }[] {
  return docEntries(t.app.ctx, 'sync_log', space, 'keyring').flatMap((e) => {
    const body = JSON.parse(Buffer.from(e.ciphertext).toString('utf8')) as KeyringBody;
    return [...Object.values(body.seals ?? {}), ...Object.values(body.device_seals ?? {})].map((s) => ({ epoch: body.epoch, sealed: fromB64(s) }));
  });
}

describe('a guardian revokes another person\'s device: what it could read moves to keys it never holds', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  it('the new epoch and new RED keys open on the person\'s other device, never on the revoked one; the person rotates their member key', async () => {
    const g = await device('Gia'); const p1 = await device('Pat'); const p2 = await device('Pat');
    apps.push(g, p1, p2);
    await g.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const inv = await g.c('space.invite', { space_id: SPACE, role: 'adult' });
    await p1.c('space.join', { invite: inv.invite });
    // Pat links a second device: it is registered in the family space, so the guardian knows it
    await pair(p1, p2);
    const pat = p1.app.ctx.keyring!.memberId;
    await waitFor('all three to hold the space', async () => [p1, p2].every((t) => JSON.stringify(vectorOf(t, SPACE)) === JSON.stringify(vectorOf(g, SPACE)))
      && (await p2.c('space.get', { space_id: SPACE }).catch(() => null)) !== null, 30_000);
    // everything the revoked device holds: Pat's member keys and its own device keys
    const stolen = [copyBox(p2.app.ctx.keyring!.members.get(pat)!.box), copyBox(p2.app.ctx.keyring!.deviceBox)];
    const oldPatKey = b64(stolen[0]!.publicKey);

    await g.c('device.revoke', { device_id: p2.app.ctx.keyring!.deviceId });
    const epoch = (await g.c('space.get', { space_id: SPACE })).space.epoch;
    expect(epoch).toBe(2);
    // not one seal of the new epoch opens with anything the revoked device holds
    const newSeals = sealsIn(g, SPACE).filter((s) => s.epoch === epoch);
    expect(newSeals.length).toBeGreaterThan(0);
    for (const s of newSeals) for (const box of stolen) expect(unseal(s.sealed, box)).toBeNull();

    // a RED memory the guardian writes to Pat now: sealed where the revoked device cannot open it
    const red = (await g.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'RED', title: 'for Pat', body: 'after the revocation', recipients: [pat] })).memory.memory_id;
    const green = (await g.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'new', body: 'epoch two' })).memory.memory_id;
    // Pat's remaining device reads both
    await waitFor('p1 to read the new GREEN memory', async () => (await stateOf(p1, SPACE))[green]?.body === 'epoch two', 30_000);
    const opened = await waitFor('p1 to open the RED memory', async () => { try { return (await p1.c('memory.get', { memory_id: red })).memory; } catch { return null; } }, 30_000);
    expect(opened.body).toBe('after the revocation');
    // and Pat's device rotates the member key the revoked one still holds; the guardian learns the new key
    await waitFor('Pat\'s new member key at the guardian', () => {
      const row = g.app.ctx.db.prepare('SELECT x25519_pub FROM members WHERE member_id = ?').get(pat) as { x25519_pub: Buffer };
      return b64(row.x25519_pub) !== oldPatKey;
    }, 30_000);
    // a RED memory written after the rotation is sealed to the new key: still closed to the revoked device
    const later = (await g.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'RED', title: 'later', body: 'after the rotation', recipients: [pat] })).memory.memory_id;
    const laterRow = await waitFor('p1 to open the later RED memory', async () => { try { return (await p1.c('memory.get', { memory_id: later })).memory; } catch { return null; } }, 30_000);
    expect(laterRow.body).toBe('after the rotation');
    const metaSeals = (id: string) => {
      const rec = findRecord(g.app.ctx, id)!;
      const w = rec.meta.dek as { seals: Record<string, string>; device_seals?: Record<string, string> };
      return [...Object.values(w.seals), ...Object.values(w.device_seals ?? {})].map(fromB64);
    };
    for (const id of [red, later]) for (const s of metaSeals(id)) for (const box of stolen) expect(unseal(s, box)).toBeNull();
  }, 120_000);
});
