import * as Y from 'yjs';
import type { Role, SpaceKind } from '../../contracts/types';
import { keys, type Ctx } from '../app/context';
import { fromB64 } from '../crypto/sodium';
import { newDoc } from '../crdt/doc-update';
import { metaDocId, readMeta } from '../memories/memory-doc';
import { unwrapDek, type DekWrap } from '../memories/memory-keys';
import { saveRecord } from '../memories/read-model';
import { indexMemory, unindexMemory } from '../search/indexer';
import { epochKey, hasEpochKey } from '../spaces/epoch-keys';
import { readSpaceDoc } from '../spaces/space-doc';
import { decryptEntry, docEntries } from '../store/sync-log';
import { sql } from '../store/statements';
import { sealText } from '../vault/local-meta';
import { upsertRemoteDevice, verifyDeviceCert, type DeviceInfo } from './device-cert';

/** Records a member another device told us about: public keys and name (sealed locally like every name). */
export function upsertRemoteMember(ctx: Ctx, m: { member_id: string; ed25519: string; x25519: string; name: string }): void {
  if (sql(ctx.db, 'SELECT 1 FROM members WHERE member_id = ?').get(m.member_id)) return;
  const n = sealText(ctx, 'member|' + m.member_id, m.name ?? '');
  sql(ctx.db, 'INSERT INTO members (member_id, ed25519_pub, x25519_pub, name_nonce, name_ct, local, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)')
    .run(m.member_id, fromB64(m.ed25519), fromB64(m.x25519), n.nonce, n.ciphertext, ctx.clock.now());
}

/** Creates the local row of a space learnt from a peer (its name sealed locally). */
export function ensureSpaceRow(ctx: Ctx, space: string, kind: SpaceKind, epoch: number, name: string, createdBy: string): boolean {
  if (sql(ctx.db, 'SELECT 1 FROM spaces WHERE space_id = ?').get(space)) return false;
  const n = sealText(ctx, 'space|' + space, name);
  sql(ctx.db, 'INSERT INTO spaces (space_id, kind, epoch, name_nonce, name_ct, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(space, kind, epoch, n.nonce, n.ciphertext, createdBy, ctx.clock.now());
  return true;
}

/**
 * Derives the local rows of a space from its space document: members with roles and keys,
 * certified devices (a device whose certificate does not verify is not recorded), name, epoch.
 */
export function materialiseSpace(ctx: Ctx, space: string): void {
  const doc = readSpaceDoc(ctx, space);
  const info = doc.getMap('space');
  if (!info.has('kind')) return;
  const memberKeys = doc.getMap('member_keys').toJSON() as Record<string, { ed25519: string; x25519: string; name: string }>;
  for (const [member_id, mk] of Object.entries(memberKeys)) upsertRemoteMember(ctx, { member_id, ...mk });
  const me = keys(ctx).deviceId;
  for (const d of Object.values(doc.getMap('devices').toJSON() as Record<string, DeviceInfo>)) {
    if (d.device_id === me) continue;
    const mk = sql(ctx.db, 'SELECT ed25519_pub FROM members WHERE member_id = ?').get(d.member_id) as { ed25519_pub: Buffer } | undefined;
    if (!mk || !verifyDeviceCert(d, new Uint8Array(mk.ed25519_pub))) {
      ctx.metrics.inc('memoryos_sync_rejected_total', { reason: 'bad_device_cert' });
      ctx.log.warn('device certificate refused', { space_id: space, device_id: d.device_id });
      continue;
    }
    upsertRemoteDevice(ctx, d, 'trusted');
  }
  for (const id of Object.keys(doc.getMap('revoked').toJSON())) {
    if (id !== me) sql(ctx.db, "UPDATE devices SET status = 'revoked' WHERE device_id = ? AND local = 0").run(id);
  }
  const epoch = Number(info.get('epoch') ?? 1);
  const created = ensureSpaceRow(ctx, space, info.get('kind') as SpaceKind, hasEpochKey(ctx, space, epoch) ? epoch : 1, String(info.get('name') ?? ''), keys(ctx).memberId);
  if (!created) {
    const n = sealText(ctx, 'space|' + space, String(info.get('name') ?? ''));
    sql(ctx.db, 'UPDATE spaces SET name_nonce = ?, name_ct = ? WHERE space_id = ?').run(n.nonce, n.ciphertext, space);
    if (hasEpochKey(ctx, space, epoch)) sql(ctx.db, 'UPDATE spaces SET epoch = MAX(epoch, ?) WHERE space_id = ?').run(epoch, space);
  }
  const members = doc.getMap('members').toJSON() as Record<string, Role>;
  if (Object.keys(members).length) {
    const now = ctx.clock.now();
    for (const [m, role] of Object.entries(members)) {
      if (!sql(ctx.db, 'SELECT 1 FROM members WHERE member_id = ?').get(m)) continue;
      sql(ctx.db, 'INSERT INTO space_members (space_id, member_id, role, added_at) VALUES (?, ?, ?, ?) ON CONFLICT(space_id, member_id) DO UPDATE SET role = excluded.role').run(space, m, role, now);
    }
    const gone = (sql(ctx.db, 'SELECT member_id FROM space_members WHERE space_id = ?').all(space) as { member_id: string }[]).filter((r) => !(r.member_id in members));
    for (const g of gone) sql(ctx.db, 'DELETE FROM space_members WHERE space_id = ? AND member_id = ?').run(space, g.member_id);
  }
}

function metaKey(ctx: Ctx, space: string, keyId: string): Uint8Array | null {
  if (!keyId.startsWith('epoch:')) return null;
  try { return epochKey(ctx, space, Number(keyId.split(':').pop())); } catch { return null; }
}

/**
 * Re-derives one memory's read model from its log entries (incremental: only memories a batch
 * touched). A memory whose key this device does not hold (RED for a non-recipient) stays
 * ciphertext in the log and has no readable row.
 */
export function materialiseMemory(ctx: Ctx, space: string, memoryId: string): 'saved' | 'sealed' | 'empty' {
  const metaDoc = newDoc();
  let any = false;
  for (const e of docEntries(ctx, 'sync_log', space, metaDocId(memoryId))) {
    const key = metaKey(ctx, space, e.key_id);
    const plain = key && decryptEntry(e, key);
    if (plain) { Y.applyUpdate(metaDoc, plain); any = true; }
  }
  if (!any) return 'empty';
  const meta = readMeta(metaDoc);
  let dek: Uint8Array | null = null;
  try { dek = meta.dek ? unwrapDek(ctx, space, memoryId, meta.dek as DekWrap) : null; } catch { dek = null; }
  if (!dek) {
    sql(ctx.db, 'DELETE FROM memories WHERE memory_id = ?').run(memoryId);
    unindexMemory(ctx, memoryId);
    return 'sealed';
  }
  const contentDoc = newDoc();
  const entries = docEntries(ctx, 'sync_log', space, memoryId);
  for (const e of entries) {
    const plain = decryptEntry(e, dek);
    if (plain) Y.applyUpdate(contentDoc, plain);
  }
  const { rec, content } = saveRecord(ctx, memoryId, space, meta, metaDoc, contentDoc, dek, entries.length);
  indexMemory(ctx, rec, content);
  return 'saved';
}
