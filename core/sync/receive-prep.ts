import * as Y from 'yjs';
import { openEpochDek, type DekWrap } from '../memories/memory-keys';
import { readContent, readFreshContent, readFreshMeta, readMeta, type Content, type Meta } from '../memories/memory-doc';
import { sealRecord, type MetaKey, type SealedRecord } from '../memories/record-seal';
import { hasPending, newDoc } from '../crdt/doc-update';
import { epochOfKeyId } from '../spaces/epoch-keys';
import { columnsOf, impactOf, type Impact } from '../store/search-impact';
import { decryptEntry, entryFromJson, verifyEntrySignature, type LogEntry } from '../store/sync-log';
import { isEntry } from './frames';

/**
 * What a received frame needs of the work that reads no database (receive-prep-thread.ts runs it
 * on a second thread while this one applies the frame before): each entry checked against the
 * frame schema and decoded, its signature checked against the author key it was given, and each
 * memory that arrives whole in the frame (its one metadata entry and its one content entry)
 * decrypted, read and sealed as materialising would. receiveEntries takes from it only what still
 * holds when it applies the frame (receive.ts): nothing here decides whether an entry is stored.
 */

/** The keys a preparation may use: copies of what this device held when the frame arrived. */
export interface PrepKeys {
  /** author device → its Ed25519 public key */
  pubkeys: Record<string, Uint8Array>;
  /** epoch number → every key of that epoch this device holds */
  epochs: Record<number, Uint8Array[]>;
  /** the metadata key of GREEN, AMBER and RED memories (the space's current epoch), null when none is held */
  metaKey: MetaKey | null;
}

/** A memory of the frame, built as materialiseMemory would build it from these two entries alone. */
export interface PreparedMemory {
  memoryId: string;
  /** the metadata entry's plaintext update (the document's whole state) and the content's */
  metaPlain: Uint8Array; contentPlain: Uint8Array;
  /** the content entry it was read from */
  content_author: string; content_seq: number;
  /** the metadata read from metaPlain alone */
  meta: Meta;
  dek: Uint8Array; content: Content; record: SealedRecord; metaKeyId: string; impact: Impact;
}

export interface Prep {
  /** per raw entry, in order: decoded, or null when it does not pass the frame schema */
  entries: (LogEntry | null)[];
  /** per raw entry: its signature verified with the key given for its author */
  sigOk: boolean[];
  memories: PreparedMemory[];
}

const texts = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
const plainContent = (c: Content): boolean => typeof c.title === 'string' && typeof c.body === 'string' && texts(c.tags) && texts(c.people) && texts(c.places)
  && (c.occurred_at === null || typeof c.occurred_at === 'string') && typeof c.updated_at === 'number';

const memoryDoc = (docId: string): boolean => !docId.includes('.') && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(docId);

export function prepareFrame(space: string, raw: unknown[], keys: PrepKeys): Prep {
  const entries = raw.map((j) => (isEntry(j) ? entryFromJson(j) : null));
  const sigOk = entries.map((e) => {
    const pub = e && Object.hasOwn(keys.pubkeys, e.author_device) ? keys.pubkeys[e.author_device] : undefined;
    return !!(e && pub && e.space_id === space && verifyEntrySignature(e, pub));
  });
  // the memories whose one metadata entry and one content entry are both here, both signed
  const seen = new Map<string, { meta: LogEntry[]; content: LogEntry[] }>();
  entries.forEach((e, i) => {
    if (!e || !sigOk[i] || e.purged_sha256) return;
    const meta = e.doc_id.endsWith('.meta');
    const id = meta ? e.doc_id.slice(0, -5) : e.doc_id;
    if (!memoryDoc(id)) return;
    let s = seen.get(id);
    if (!s) seen.set(id, (s = { meta: [], content: [] }));
    (meta ? s.meta : s.content).push(e);
  });
  const memories: PreparedMemory[] = [];
  for (const [id, s] of seen) {
    if (s.meta.length !== 1 || s.content.length !== 1) continue;
    try {
      const m = prepareMemory(space, id, s.meta[0]!, s.content[0]!, keys);
      if (m) memories.push(m);
    } catch {
      // a memory this cannot build is materialised from the log, as it would be without a preparation
    }
  }
  return { entries, sigOk, memories };
}

const docOf = (update: Uint8Array): Y.Doc => { const doc = newDoc(); Y.applyUpdate(doc, update); return doc; };

/** The metadata of an update that is not a fresh one (crdt/fresh-read.ts), read with Yjs; null when it leaves structs pending (refused there, authorize.ts: not read ahead for it). */
function readMetaByYjs(update: Uint8Array): Meta | null {
  const doc = docOf(update);
  return hasPending(doc) ? null : readMeta(doc);
}

function prepareMemory(space: string, memoryId: string, metaEntry: LogEntry, contentEntry: LogEntry, keys: PrepKeys): PreparedMemory | null {
  const epoch = epochOfKeyId(metaEntry.key_id);
  if (!epoch || !keys.metaKey) return null;
  let metaPlain: Uint8Array | null = null;
  for (const k of keys.epochs[epoch] ?? []) if ((metaPlain = decryptEntry(metaEntry, k))) break;
  if (!metaPlain) return null;
  const meta = readFreshMeta(metaPlain) ?? readMetaByYjs(metaPlain);
  if (!meta) return null;
  const wrap = meta.dek as DekWrap | undefined;
  // RED (sealed to member keys) and BLACK (a device key) stay on the thread that holds those keys
  if (!wrap || wrap.mode !== 'epoch' || meta.band === 'BLACK') return null;
  const dek = openEpochDek(space, memoryId, wrap, keys.epochs[wrap.epoch] ?? []);
  if (!dek) return null;
  const contentPlain = decryptEntry(contentEntry, dek);
  if (!contentPlain) return null;
  const content = readFreshContent(contentPlain) ?? readContent(docOf(contentPlain));
  // what crosses to the other thread must arrive as it is here: texts and lists of texts (a value a
  // peer wrote as something else would come back changed by the copy). readContent leaves such
  // values out already (memory-shape.ts); this stays the copy's own guarantee.
  if (!plainContent(content)) return null;
  const record = sealRecord({ space_id: space, memory_id: memoryId }, { meta, metaState: metaPlain, content, contentState: contentPlain }, dek, keys.metaKey);
  return {
    memoryId, meta, metaPlain, contentPlain, content_author: contentEntry.author_device, content_seq: contentEntry.seq,
    dek, content, record, metaKeyId: keys.metaKey.keyId, impact: impactOf(columnsOf(content)),
  };
}
