import * as Y from 'yjs';
import { keys, type Ctx } from '../context/ctx';
import { newDoc } from '../crdt/doc-update';
import { decryptEpochEntry } from '../spaces/epoch-keys';
import { allEntries, decryptEntry, type LogEntry } from '../store/sync-log';
import { isMeta, readMeta } from './memory-doc';
import { unwrapDek, type DekWrap } from './memory-keys';
import { saveRecord } from './read-model';
import { memoriesTable } from '../store/tables/memories';

function openMetaEntry(ctx: Ctx, e: LogEntry): Uint8Array | null {
  if (e.key_id.startsWith('device:')) return e.key_id === `device:${keys(ctx).deviceId}` ? decryptEntry(e, keys(ctx).deviceLocalKey) : null;
  return decryptEpochEntry(ctx, e);
}

/**
 * Derives the whole read model again from the logs alone: the proof that the log is the truth.
 * Returns how many memories it materialised.
 */
export function rebuildReadModel(ctx: Ctx): number {
  const metaDocs = new Map<string, { space: string; doc: Y.Doc }>();
  const contentEntries = new Map<string, LogEntry[]>();
  for (const log of ['sync_log', 'local_log'] as const) {
    for (const e of allEntries(ctx, log)) {
      if (e.doc_id === 'space') continue;
      if (e.doc_id.endsWith('.meta')) {
        const id = e.doc_id.slice(0, -5);
        const plain = openMetaEntry(ctx, e);
        if (!plain) continue;
        let m = metaDocs.get(id);
        if (!m) metaDocs.set(id, (m = { space: e.space_id, doc: newDoc() }));
        Y.applyUpdate(m.doc, plain);
      } else {
        const list = contentEntries.get(e.doc_id) ?? [];
        list.push(e);
        contentEntries.set(e.doc_id, list);
      }
    }
  }
  let n = 0;
  ctx.uow.run(() => {
    memoriesTable.deleteAll(ctx.db);
    for (const [id, { space, doc: metaDoc }] of metaDocs) {
      const meta = readMeta(metaDoc);
      if (!isMeta(meta)) continue; // a state no release writes (stored before the key to check it arrived): no row
      const dek = unwrapDek(ctx, space, id, meta.dek as DekWrap);
      if (!dek) continue; // a RED memory sealed to no one on this device: listed from metadata only
      const contentDoc = newDoc();
      const entries = contentEntries.get(id) ?? [];
      for (const e of entries) {
        const plain = decryptEntry(e, dek);
        if (plain) Y.applyUpdate(contentDoc, plain);
      }
      saveRecord(ctx, id, space, meta, metaDoc, contentDoc, dek, entries.length);
      n++;
    }
  });
  return n;
}
