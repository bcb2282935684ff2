import { keys, type Ctx } from '../app/context';
import { newKey, seal, unseal } from '../crypto/sodium';
import { ApiError } from '../shared/errors';
import { memberBoxPublicKey } from '../members/members';
import { sql } from '../store/statements';

export const epochKeyId = (space: string, epoch: number): string => `epoch:${space}:${epoch}`;

/** A fresh epoch key sealed to each member's X25519 key. */
export function startEpoch(ctx: Ctx, space: string, epoch: number, memberIds: string[]): Uint8Array {
  const key = newKey();
  for (const m of memberIds) sealEpochTo(ctx, space, epoch, key, m);
  keys(ctx).epochKeys.set(`${space}#${epoch}`, key);
  return key;
}

export function sealEpochTo(ctx: Ctx, space: string, epoch: number, key: Uint8Array, memberId: string): void {
  sql(ctx.db, 'INSERT OR REPLACE INTO epoch_seals (space_id, epoch, member_id, sealed) VALUES (?, ?, ?, ?)')
    .run(space, epoch, memberId, seal(key, memberBoxPublicKey(ctx, memberId)));
}

/** Opens an epoch key with any local member's key that it was sealed to. */
export function epochKey(ctx: Ctx, space: string, epoch: number): Uint8Array {
  const k = keys(ctx);
  const cached = k.epochKeys.get(`${space}#${epoch}`);
  if (cached) return cached;
  const seals = sql(ctx.db, 'SELECT member_id, sealed FROM epoch_seals WHERE space_id = ? AND epoch = ?').all(space, epoch) as { member_id: string; sealed: Buffer }[];
  for (const s of seals) {
    const mk = k.members.get(s.member_id);
    if (!mk) continue;
    const key = unseal(new Uint8Array(s.sealed), mk.box);
    if (key) {
      k.epochKeys.set(`${space}#${epoch}`, key);
      return key;
    }
  }
  throw new ApiError('FORBIDDEN', 'this device holds no key for that space epoch', { reasons: [{ code: 'NO_EPOCH_KEY', message: `no local member can open epoch ${epoch} of ${space}` }] });
}
