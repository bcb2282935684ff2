import { aeadDecrypt, aeadEncrypt, boxKeyPair, initCrypto, kdf, newKdfParams, newKey, passphraseKey, random, signKeyPair, wipe } from '../crypto/sodium';
import type { Ctx } from '../context/ctx';
import { ApiError } from '../shared/errors';
import { iso } from '../shared/time';
import { ulid } from '../shared/ulid';
import { Keyring } from '../crypto/keyring';
import { formatRecoveryKey, parseRecoveryKey } from './recovery-key';
import { getSecret, putSecret } from './secrets';
import { insertLocalMember, loadLocalMemberKeys } from '../members/members';
import { createSpace } from '../spaces/spaces';
import { emit } from '../events/emit';
import { capsOf } from '../policy/authorize';
import { openText } from './local-meta';
import { checkPassphraseStrength } from './passphrase-policy';
import { checkUnlockAllowed, recordFailedUnlock, recordGoodUnlock, unlockGuardStatus } from './unlock-guard';
import { readHeader, writeHeader, hasHeader, type VaultHeader } from './header';
import { dbPath, hasTable, openPlaintextReadOnly, PAGE_CIPHER } from '../store/database';
import { vaultTable, type VaultRow } from '../store/tables/vault';
import { devicesTable } from '../store/tables/devices';
import { membersTable } from '../store/tables/members';

const PASS_AD = 'vault|passphrase';
const REC_AD = 'vault|recovery';

/** The database key: the vault master key, through BLAKE2b with its own context (never the VMK itself). */
export const databaseKey = (vmk: Uint8Array): Uint8Array => kdf(vmk, 'memoryos-database-key');

/** This device's vault row (who it is), readable only while the database is open. */
function vaultRow(ctx: Ctx): VaultRow | undefined {
  return ctx.store.isOpen ? vaultTable.get(ctx.db) : undefined;
}

export function vaultStatus(ctx: Ctx) {
  const header = readHeader(ctx.dataDir);
  const row = vaultRow(ctx);
  const k = ctx.keyring;
  let name: string | null = null;
  if (row && k) {
    const m = membersTable.find(ctx.db, row.member_id);
    name = m ? openText(ctx, 'member|' + row.member_id, { nonce: m.name_nonce, ciphertext: m.name_ct }) : null;
  }
  // locked, the header is all there is to read: who this is stays inside the encrypted database
  return {
    exists: !!header,
    unlocked: !!k,
    device_id: row?.device_id ?? null,
    member_id: row?.member_id ?? null,
    member_name: name,
    created_at: row ? iso(row.created_at) : null,
    unlock: unlockGuardStatus(ctx, header),
    recovery_key_confirmed: header ? header.recovery_confirmed : null,
  };
}

/**
 * A data directory of an earlier release keeps its vault's wrapped key in a plaintext database:
 * at boot it is copied into the header, so the vault unlocks like any other; the database itself
 * is encrypted at that first unlock (it needs the key).
 */
export function adoptLegacyHeader(ctx: Ctx): boolean {
  if (hasHeader(ctx.dataDir) || ctx.store.state() !== 'plaintext') return false;
  const db = openPlaintextReadOnly(dbPath(ctx.dataDir));
  let row: (VaultRow & { failed_unlocks?: number; unlock_not_before?: number | null }) | undefined;
  try {
    row = hasTable(db, 'vault') ? vaultTable.get(db) : undefined;
  } finally {
    db.close();
  }
  if (!row) return false;
  writeHeader(ctx.dataDir, {
    kdf: { salt: row.kdf_salt, opslimit: row.kdf_ops, memlimit: row.kdf_mem },
    pass: { nonce: row.pass_nonce, ciphertext: row.pass_ct },
    rec: { nonce: row.rec_nonce, ciphertext: row.rec_ct },
    unlock: { failed: row.failed_unlocks ?? 0, not_before: row.unlock_not_before ?? null },
    recovery_confirmed: true, // an earlier release showed the key and never asked again: nothing to ask now
  });
  ctx.log.info('vault header written from the plaintext database of an earlier release; the database is encrypted at the next unlock');
  return true;
}

function requireHeader(ctx: Ctx): VaultHeader {
  const h = readHeader(ctx.dataDir);
  if (!h) throw new ApiError('NO_VAULT', 'no vault in this data directory: run `memoryos init` first');
  return h;
}

/**
 * Creates the vault: a random vault master key (VMK) wrapped by Argon2id(passphrase) and by a
 * recovery key that is returned exactly once; this device's keys; the owner's member keys;
 * and the owner's personal space.
 */
export async function createVault(ctx: Ctx, passphrase: string, name: string) {
  await initCrypto();
  if (hasHeader(ctx.dataDir)) throw new ApiError('VAULT_EXISTS', 'a vault already exists in this data directory');
  const state = ctx.store.state();
  if (state === 'encrypted') {
    throw new ApiError('VAULT_EXISTS', 'this data directory holds an encrypted database without its vault header (vault.header): restore that file, or choose another directory');
  }
  checkPassphraseStrength(passphrase);
  const vmk = newKey();
  const params = newKdfParams();
  const passKey = passphraseKey(passphrase, params);
  const recovery = random(32);
  const byPass = aeadEncrypt(vmk, PASS_AD, passKey);
  const byRec = sealForRecovery(vmk, recovery);
  wipe(passKey);

  const deviceId = ulid(ctx.clock.now());
  const memberId = ulid(ctx.clock.now());
  const deviceSign = signKeyPair();
  const deviceBox = boxKeyPair();
  const memberSign = signKeyPair();
  const memberBox = boxKeyPair();
  const deviceLocalKey = newKey();
  const metaKey = newKey();
  const keyring = new Keyring(vmk, deviceId, memberId, deviceSign, deviceBox, deviceLocalKey, metaKey);
  keyring.members.set(memberId, { sign: memberSign, box: memberBox });
  // a plaintext database without a vault (an earlier release opened the directory, nothing more) holds nothing to keep
  if (state === 'plaintext') ctx.store.discardPlaintext();
  const dbKey = databaseKey(vmk);
  ctx.store.create(dbKey);
  ctx.keyring = keyring;

  let personal = '';
  try {
    ctx.uow.run(() => {
      const now = ctx.clock.now();
      // the wraps live in the header (vault.header); the row says who this device is
      const none = new Uint8Array(0);
      vaultTable.insert(ctx.db, none, 0, 0, none, none, none, none, deviceId, memberId, now);
      putSecret(ctx.db, vmk, `device:${deviceId}:sign`, deviceSign.privateKey);
      putSecret(ctx.db, vmk, `device:${deviceId}:box`, deviceBox.privateKey);
      putSecret(ctx.db, vmk, `device:${deviceId}:local`, deviceLocalKey);
      putSecret(ctx.db, vmk, 'vault:meta', metaKey);
      devicesTable.insert(ctx.db, deviceId, memberId, ctx.platform, deviceSign.publicKey, deviceBox.publicKey, 1, now, 'trusted', null);
      insertLocalMember(ctx, vmk, memberId, name, memberSign, memberBox);
      emit(ctx, { topic: 'VAULT_STATE_CHANGED', payload: { state: 'created' }, actor: { member_id: memberId, caps: [] }, audit: true });
      emit(ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: deviceId, state: 'added' }, actor: { member_id: memberId, caps: [] } });
      personal = createSpace(ctx, memberId, { kind: 'personal', name: 'Personal', slug: 'me' }).space_id;
    });
    // the header, then the database into place: a crash before the header leaves no vault at all
    writeHeader(ctx.dataDir, { kdf: params, pass: byPass, rec: byRec, unlock: { failed: 0, not_before: null }, recovery_confirmed: false });
    ctx.store.commitCreation(dbKey);
  } catch (e) {
    ctx.keyring = null;
    keyring.wipe();
    ctx.store.discardCreation();
    throw e;
  } finally {
    wipe(dbKey);
  }
  ctx.log.info('vault created', { device_id: deviceId });
  return { recovery_key: formatRecoveryKey(recovery), device_id: deviceId, member_id: memberId, personal_space_id: personal };
}

function vmkFromPassphrase(h: VaultHeader, passphrase: string): Uint8Array | null {
  const key = passphraseKey(passphrase, h.kdf);
  const vmk = aeadDecrypt(h.pass, PASS_AD, key);
  wipe(key);
  return vmk;
}

function vmkFromRecoveryKey(h: VaultHeader, recoveryKey: string): Uint8Array | null {
  const key = kdf(parseRecoveryKey(recoveryKey), 'memoryos-recovery');
  const vmk = aeadDecrypt(h.rec, REC_AD, key);
  wipe(key);
  return vmk;
}

/** The master key sealed by a recovery key (32 random bytes, shown to the person as text). */
function sealForRecovery(vmk: Uint8Array, recovery: Uint8Array) {
  const key = kdf(recovery, 'memoryos-recovery');
  const sealed = aeadEncrypt(vmk, REC_AD, key);
  wipe(key);
  return sealed;
}

/** The passphrase proves the person before a change to the header: a wrong one counts as a failed unlock. */
function vmkOrBadCredentials(ctx: Ctx, header: VaultHeader, passphrase: string): Uint8Array {
  checkUnlockAllowed(ctx, header);
  const vmk = vmkFromPassphrase(header, passphrase);
  if (!vmk) { recordFailedUnlock(ctx, header); throw new ApiError('BAD_CREDENTIALS', 'wrong passphrase'); }
  return vmk;
}

/** Unlock with the passphrase or the recovery key; a wrong one is BAD_CREDENTIALS and changes nothing. */
export async function unlockVault(ctx: Ctx, cred: { passphrase?: string; recovery_key?: string }) {
  await initCrypto();
  const header = requireHeader(ctx);
  if (ctx.keyring) {
    const row = vaultRow(ctx)!;
    return { unlocked: true as const, member_id: row.member_id, device_id: row.device_id };
  }
  checkUnlockAllowed(ctx, header);
  let vmk: Uint8Array | null = null;
  if (cred.passphrase !== undefined) vmk = vmkFromPassphrase(header, cred.passphrase);
  else if (cred.recovery_key !== undefined) vmk = vmkFromRecoveryKey(header, cred.recovery_key);
  if (!vmk) {
    recordFailedUnlock(ctx, header);
    throw new ApiError('BAD_CREDENTIALS', cred.passphrase !== undefined ? 'wrong passphrase' : 'wrong recovery key');
  }
  recordGoodUnlock(ctx, header);
  // the database opens only now (encrypted in place first if an earlier release left it plaintext)
  const dbKey = databaseKey(vmk);
  try {
    ctx.store.open(dbKey);
  } catch (e) {
    wipe(vmk);
    throw e;
  } finally {
    wipe(dbKey);
  }
  // a database converted from an earlier page cipher just now: the header says what it is under
  const after = readHeader(ctx.dataDir);
  if (after && after.database_cipher !== PAGE_CIPHER) writeHeader(ctx.dataDir, after);
  const row = vaultTable.get(ctx.db);
  if (!row) { ctx.store.close(); wipe(vmk); throw new ApiError('CORRUPT', 'the vault database holds no vault row', { file: 'memoryos.db' }); }
  const d = devicesTable.find(ctx.db, row.device_id);
  if (!d) throw new Error('this device is missing from its own vault');
  const keyring = new Keyring(
    vmk, row.device_id, row.member_id,
    { publicKey: new Uint8Array(d.ed25519_pub), privateKey: getSecret(ctx.db, vmk, `device:${row.device_id}:sign`) },
    { publicKey: new Uint8Array(d.x25519_pub), privateKey: getSecret(ctx.db, vmk, `device:${row.device_id}:box`) },
    getSecret(ctx.db, vmk, `device:${row.device_id}:local`),
    getSecret(ctx.db, vmk, 'vault:meta'),
  );
  ctx.keyring = keyring;
  loadLocalMemberKeys(ctx, vmk);
  ctx.uow.run(() => emit(ctx, { topic: 'VAULT_STATE_CHANGED', payload: { state: 'unlocked' }, actor: { member_id: row.member_id, caps: [] }, audit: true }));
  ctx.lastActivity = ctx.clock.now();
  ctx.log.info('vault unlocked');
  return { unlocked: true as const, member_id: row.member_id, device_id: row.device_id };
}

/** Wipes every key from memory. */
export function lockVault(ctx: Ctx): { ok: true } {
  const k = ctx.keyring;
  if (!k) return { ok: true };
  ctx.uow.run(() => emit(ctx, { topic: 'VAULT_STATE_CHANGED', payload: { state: 'locked' }, actor: { member_id: k.memberId, caps: [] } }));
  // sync sessions need the device key: they end on this event (delivered before the keys go)
  ctx.keyring = null;
  k.wipe();
  ctx.store.close(); // and the database closes: locked, nothing on disk can be read
  ctx.log.info('vault locked');
  return { ok: true };
}

/** Re-wraps the VMK under a new passphrase; no data is re-encrypted. */
export function changePassphrase(ctx: Ctx, oldPassphrase: string, newPassphrase: string): { ok: true } {
  const header = requireHeader(ctx);
  checkPassphraseStrength(newPassphrase, 'new_passphrase');
  const vmk = vmkOrBadCredentials(ctx, header, oldPassphrase);
  const params = newKdfParams();
  const key = passphraseKey(newPassphrase, params);
  const wrapped = aeadEncrypt(vmk, PASS_AD, key);
  wipe(key); wipe(vmk);
  writeHeader(ctx.dataDir, { ...header, kdf: params, pass: wrapped, unlock: { failed: 0, not_before: null } });
  const memberId = ctx.keyring?.memberId ?? vaultRow(ctx)?.member_id ?? '';
  if (ctx.store.isOpen) {
    ctx.uow.run(() => emit(ctx, { topic: 'VAULT_STATE_CHANGED', payload: { state: 'passphrase_changed' }, actor: { member_id: memberId, caps: capsOf(null) }, audit: true }));
  }
  return { ok: true };
}

/** Re-authentication for sensitive actions: checks the passphrase without changing state. */
export function checkPassphrase(ctx: Ctx, passphrase: string): boolean {
  const header = requireHeader(ctx);
  checkUnlockAllowed(ctx, header); // re-authentication is a passphrase guess like any other
  const vmk = vmkFromPassphrase(header, passphrase);
  if (!vmk) { recordFailedUnlock(ctx, header); return false; }
  recordGoodUnlock(ctx, header);
  wipe(vmk);
  return true;
}

/**
 * The person shows they kept the recovery key by giving it back: it must open the header's
 * recovery wrap. From then on the app stops asking for it.
 */
export function confirmRecoveryKey(ctx: Ctx, recoveryKey: string): { ok: true } {
  const header = requireHeader(ctx);
  const vmk = vmkFromRecoveryKey(header, recoveryKey);
  if (!vmk) throw new ApiError('BAD_CREDENTIALS', 'that is not this vault\'s recovery key');
  wipe(vmk);
  if (!header.recovery_confirmed) writeHeader(ctx.dataDir, { ...header, recovery_confirmed: true });
  return { ok: true };
}

/**
 * A new recovery key, proved by the passphrase: the master key is wrapped by it instead of the old
 * one (which stops working), and it waits to be confirmed. What a person does whose recovery key
 * was never saved — the window closed or reloaded on the screen that showed it once.
 */
export function newRecoveryKey(ctx: Ctx, passphrase: string): { recovery_key: string } {
  const header = requireHeader(ctx);
  const vmk = vmkOrBadCredentials(ctx, header, passphrase);
  const recovery = random(32);
  const rec = sealForRecovery(vmk, recovery);
  wipe(vmk);
  writeHeader(ctx.dataDir, { ...header, rec, unlock: { failed: 0, not_before: null }, recovery_confirmed: false });
  const memberId = ctx.keyring?.memberId ?? vaultRow(ctx)?.member_id ?? '';
  ctx.uow.run(() => emit(ctx, { topic: 'VAULT_STATE_CHANGED', payload: { state: 'recovery_key_replaced' }, actor: { member_id: memberId, caps: capsOf(null) }, audit: true }));
  return { recovery_key: formatRecoveryKey(recovery) };
}
