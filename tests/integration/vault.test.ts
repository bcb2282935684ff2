import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, PASS, reopen } from '../helpers/app';

describe('vault and keys', () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  let recovery = '';
  beforeAll(async () => {
    t = await openTestApp({ create: false });
    expect(await t.c('vault.status')).toMatchObject({ exists: false, unlocked: false });
    recovery = (await t.c('vault.create', { passphrase: PASS, name: 'Ana' })).recovery_key;
  });
  afterAll(async () => { await t.close(); });

  it('refuses a second vault in the same data directory', async () => {
    await expect(t.c('vault.create', { passphrase: PASS, name: 'Bob' })).rejects.toMatchObject({ code: 'VAULT_EXISTS' });
  });

  it('locks by wiping keys, and a locked vault answers LOCKED', async () => {
    const k = t.app.ctx.keyring!;
    const vmk = k.vmk;
    await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'kept' });
    await t.c('vault.lock');
    expect(t.app.ctx.keyring).toBeNull();
    expect(vmk.every((b) => b === 0)).toBe(true);
    expect(k.deviceSign.privateKey.every((b) => b === 0)).toBe(true);
    await expect(t.c('memory.list')).rejects.toMatchObject({ code: 'LOCKED' });
    expect(await t.c('vault.status')).toMatchObject({ exists: true, unlocked: false });
  });

  it('a wrong passphrase is a clear error and changes nothing', async () => {
    await expect(t.c('vault.unlock', { passphrase: 'not the passphrase' })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS', message: 'wrong passphrase' });
    expect(t.app.ctx.keyring).toBeNull();
  });

  it('unlocks with the recovery key', async () => {
    await t.c('vault.unlock', { recovery_key: recovery.toLowerCase() });
    expect((await t.c('memory.list')).memories[0].title).toBe('kept');
    await t.c('vault.lock');
    await expect(t.c('vault.unlock', { recovery_key: recovery.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')) })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
  });

  it('changes the passphrase without re-encrypting data', async () => {
    await t.c('vault.unlock', { passphrase: PASS });
    const before = t.app.ctx.db.prepare('SELECT ciphertext FROM memories').all();
    await expect(t.c('vault.changePassphrase', { old_passphrase: 'wrong one!', new_passphrase: 'a brand new passphrase' })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    await t.c('vault.changePassphrase', { old_passphrase: PASS, new_passphrase: 'a brand new passphrase' });
    expect(t.app.ctx.db.prepare('SELECT ciphertext FROM memories').all()).toEqual(before);
    await t.c('vault.lock');
    await expect(t.c('vault.unlock', { passphrase: PASS })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    await t.c('vault.unlock', { passphrase: 'a brand new passphrase' });
    await t.c('vault.lock');
    await t.c('vault.unlock', { recovery_key: recovery }); // the recovery key still opens it
  });

  it('keeps keys as the spec table says', async () => {
    const db = t.app.ctx.db;
    const secrets = (db.prepare('SELECT key_id FROM secrets').all() as { key_id: string }[]).map((r) => r.key_id.replace(/[0-9A-Z]{26}/g, 'ID'));
    expect(secrets.sort()).toEqual(['device:ID:box', 'device:ID:local', 'device:ID:sign', 'member:ID:box', 'member:ID:sign', 'vault:meta'].sort());
    expect(db.prepare('SELECT COUNT(*) AS n FROM epoch_seals').get()).toEqual({ n: 1 }); // personal space, sealed to its member
    const devices = await t.c('device.list');
    expect(devices.devices[0].ed25519_public_key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('a reopened data directory starts locked', async () => {
    const other = await reopen(t.dir);
    try {
      expect(await other.router.call('vault.status', {})).toMatchObject({ exists: true, unlocked: false });
    } finally { await other.close(); }
  });
});
