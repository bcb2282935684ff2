import * as Y from 'yjs';
import { keys, type Ctx } from '../app/context';
import { change, deviceClientId, docFromUpdates } from '../crdt/doc-update';
import { appendUpdate, decryptEntry, docEntries } from '../store/sync-log';
import { epochKey, epochKeyId } from './epoch-keys';

export const SPACE_DOC = 'space';

/**
 * The space document in the sync log: name, kind, epoch and members with roles, encrypted under
 * the epoch key, so another device of a member can materialise the space.
 */
export function writeSpaceDoc(ctx: Ctx, space: string, epoch: number, fn: (info: Y.Map<unknown>, members: Y.Map<string>) => void): void {
  const updates: Uint8Array[] = [];
  for (const e of docEntries(ctx, 'sync_log', space, SPACE_DOC)) {
    const plain = decryptEntry(e, epochKey(ctx, space, Number(e.key_id.split(':').pop())));
    if (plain) updates.push(plain);
  }
  const doc = docFromUpdates(updates, deviceClientId(keys(ctx).deviceId));
  const update = change(doc, () => fn(doc.getMap('space'), doc.getMap('members') as Y.Map<string>));
  if (update) appendUpdate(ctx, 'sync_log', space, SPACE_DOC, epochKeyId(space, epoch), epochKey(ctx, space, epoch), update);
}
