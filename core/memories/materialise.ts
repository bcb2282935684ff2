import * as Y from 'yjs';
import type { Ctx } from '../context/ctx';
import { newDoc } from '../crdt/doc-update';
import { indexMemory, unindexMemory } from '../search/indexer';
import { decryptEpochEntry } from '../spaces/epoch-keys';
import { decryptEntry, docEntries, docEntriesWith, type LogEntry } from '../store/sync-log';
import { isMeta, metaDocId, readMeta, type Content, type Meta } from './memory-doc';
import { unwrapDek, type DekWrap } from './memory-keys';
import { dropRecord, metaKeyFor, saveRecord, saveRecordOf } from './read-model';
import type { SealedRecord } from './record-seal';
import type { Impact } from '../store/search-impact';
import { sameBytes } from '../shared/bytes';

/** A memory's metadata document as the log holds it: every entry that decrypts here, applied in log order (meta null when none does). */
export interface HeldMeta {
  readonly doc: Y.Doc; meta: Meta | null;
  /** the one update the document was built from, when it was one (it is then the document's whole state) */
  only?: Uint8Array;
}

/** Held metadata whose document is built only when something asks for it: from `only`, or empty (most received memories never need it). */
export function lazyHeldMeta(meta: Meta | null, only?: Uint8Array): HeldMeta {
  let doc: Y.Doc | undefined;
  return {
    get doc() {
      if (!doc) { doc = newDoc(); if (only) Y.applyUpdate(doc, only); }
      return doc;
    },
    meta, ...(only ? { only } : {}),
  };
}

export function heldMetaOf(ctx: Ctx, space: string, memoryId: string): HeldMeta {
  const plains: Uint8Array[] = [];
  for (const e of docEntries(ctx, 'sync_log', space, metaDocId(memoryId))) {
    const plain = decryptEpochEntry(ctx, e);
    if (plain) plains.push(plain);
  }
  if (!plains.length) return lazyHeldMeta(null);
  const doc = newDoc();
  for (const plain of plains) Y.applyUpdate(doc, plain);
  return { doc, meta: readMeta(doc), ...(plains.length === 1 ? { only: plains[0] } : {}) };
}

/**
 * Re-derives one memory's read model from its log entries (incremental: only memories a batch
 * touched). A memory whose key this device does not hold (RED for a non-recipient) stays
 * ciphertext in the log and has no readable row. `held` is its metadata document when the
 * caller already built it from the same entries (a received batch checked them): not read again.
 * `prepared`: the same memory built on another thread from a received frame, written instead when
 * it was built from what this would read ('prepared').
 */
export function materialiseMemory(ctx: Ctx, space: string, memoryId: string, held: HeldMeta = heldMetaOf(ctx, space, memoryId), prepared?: Prepared, fresh?: LogEntry[]): 'saved' | 'prepared' | 'sealed' | 'empty' {
  const { meta, only } = held; // (held.doc only where it is used: it may be built on demand)
  if (!meta) return 'empty';
  if (!isMeta(meta)) {
    // entries stored before this device held the key to check them (authorize.ts) can add up to a state no release writes: kept out of the read model
    dropRecord(ctx, memoryId);
    unindexMemory(ctx, memoryId);
    return 'empty';
  }
  // (isMeta checked the wrap's shape, and unwrapDek opens nothing of another: null, never a throw)
  const dek = unwrapDek(ctx, space, memoryId, meta.dek as DekWrap);
  if (!dek) {
    dropRecord(ctx, memoryId);
    unindexMemory(ctx, memoryId);
    return 'sealed';
  }
  // (a frame that brought a new memory stored its content entry a moment ago: not read back)
  const entries = fresh ? docEntriesWith(ctx, space, memoryId, fresh) : docEntries(ctx, 'sync_log', space, memoryId);
  if (prepared && savePrepared(ctx, space, memoryId, meta, only, dek, entries, prepared)) return 'prepared';
  const contentDoc = newDoc();
  const applied: Uint8Array[] = [];
  for (const e of entries) {
    const plain = decryptEntry(e, dek);
    if (plain) { Y.applyUpdate(contentDoc, plain); applied.push(plain); }
  }
  const states = { ...(only ? { meta: only } : {}), ...(applied.length === 1 ? { content: applied[0] } : {}) };
  const { rec, content } = saveRecord(ctx, memoryId, space, meta, () => held.doc, contentDoc, dek, entries.length, states);
  indexMemory(ctx, rec, content);
  return 'saved';
}

/** A memory built from its two entries on another thread (sync/receive-prep.ts), with the metadata key it was sealed under. */
export interface Prepared {
  /** the metadata as the other thread read it from `metaPlain` alone (readMeta) */
  meta: Meta;
  metaPlain: Uint8Array; contentPlain: Uint8Array; content_author: string; content_seq: number;
  dek: Uint8Array; content: Content; record: SealedRecord; metaKeyId: string; metaKey: Uint8Array; impact: Impact;
}


/**
 * Writes what another thread prepared, only where it read what this would read: the metadata
 * document is the one update it decrypted, the key this device opens is the key it used, the log
 * holds exactly the content entry it decrypted (same author and seq, the same update when opened
 * here), and the metadata key
 * is still the one it sealed under. Anything else (an earlier entry of the memory, a new epoch
 * since): false, and the memory is materialised from the log as ever.
 */
function savePrepared(ctx: Ctx, space: string, memoryId: string, meta: Meta, only: Uint8Array | undefined, dek: Uint8Array, entries: LogEntry[], p: Prepared): boolean {
  if (!only || !sameBytes(only, p.metaPlain) || !sameBytes(dek, p.dek)) return false;
  const e = entries.length === 1 ? entries[0]! : null;
  if (!e || e.author_device !== p.content_author || e.seq !== p.content_seq || e.purged_sha256) return false;
  // the bytes the log holds, opened here: the same update as the one prepared (a decryption is ~2 µs, the build it saves ~100)
  const plain = decryptEntry(e, dek);
  if (!plain || !sameBytes(plain, p.contentPlain)) return false;
  const mk = metaKeyFor(ctx, space, meta.band);
  if (mk.keyId !== p.metaKeyId || !sameBytes(mk.key, p.metaKey)) return false;
  const { rec, content } = saveRecordOf(ctx, memoryId, space, { meta, metaState: only, content: p.content, contentState: p.contentPlain }, dek, 1, mk, p.record);
  indexMemory(ctx, rec, content, p.impact);
  return true;
}
