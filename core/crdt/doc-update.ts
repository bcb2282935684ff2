import * as Y from 'yjs';
import { createHash } from 'node:crypto';

const clientIds = new Map<string, number>();

/**
 * Whether a document holds structs or deletions Yjs could not apply yet: they build on clocks it
 * has not seen, and Yjs keeps them aside until those arrive. A check that compares a document
 * before and after an update sees none of them, yet they would apply at some later entry,
 * perhaps one nobody checks (another device's client id can be computed by anyone).
 */
export const hasPending = (doc: Y.Doc): boolean => doc.store.pendingStructs !== null || doc.store.pendingDs !== null;

/** What a document holds aside (see hasPending): '' when nothing. */
const pendingOf = (doc: Y.Doc): string =>
  hasPending(doc) ? Buffer.from(doc.store.pendingStructs?.update ?? []).toString('base64') + '|' + Buffer.from(doc.store.pendingDs ?? []).toString('base64') : '';

/**
 * Applies an update and says whether it added anything aside (see hasPending). A document
 * already holding some (an administrator's or an older release's entry) is not every later
 * update's fault: only a change in what is held aside counts. Throws as Y.applyUpdate does.
 */
export function applyAddsPending(doc: Y.Doc, update: Uint8Array): boolean {
  const before = pendingOf(doc);
  Y.applyUpdate(doc, update);
  const after = pendingOf(doc);
  return after !== '' && after !== before;
}

/** Yjs client id for this device: stable, so a device's edits extend one client's history (asked for per document, hashed once). */
export function deviceClientId(deviceId: string): number {
  let id = clientIds.get(deviceId);
  if (id === undefined) {
    id = createHash('sha256').update(deviceId).digest().readUInt32BE(0) >>> 1;
    if (clientIds.size > 64) clientIds.clear(); // one device per data directory; tests open many
    clientIds.set(deviceId, id);
  }
  return id;
}

// A fixed guid: ours are not subdocuments, and Yjs would otherwise draw a uuid from WebCrypto per doc (slow).
const GUID = 'memoryos-doc';

export function newDoc(clientId?: number): Y.Doc {
  const doc = new Y.Doc({ gc: true, guid: GUID });
  if (clientId !== undefined) doc.clientID = clientId;
  return doc;
}

/**
 * A document loaded from stored updates that continues this device's own client history.
 * Yjs re-rolls a doc's client id when an applied update already contains it, so the stable id
 * is set only after loading (safe: one writer per data directory).
 */
export function docFromUpdates(updates: Iterable<Uint8Array>, clientId: number): Y.Doc {
  const doc = new Y.Doc({ gc: true, guid: GUID });
  for (const u of updates) Y.applyUpdate(doc, u);
  doc.clientID = clientId;
  return doc;
}

/** Runs a change in one transaction and returns the update it produced (null if nothing changed). */
export function change(doc: Y.Doc, fn: () => void): Uint8Array | null {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => { update = update ? Y.mergeUpdates([update, u]) : u; };
  doc.on('update', capture);
  try {
    doc.transact(fn);
  } finally {
    doc.off('update', capture);
  }
  return update;
}

/** Minimal edit of a Y.Text to a new value: keep the common prefix and suffix, replace the middle. */
export function setText(text: Y.Text, next: string): void {
  const cur = text.toString();
  if (cur === next) return;
  let start = 0;
  const max = Math.min(cur.length, next.length);
  while (start < max && cur.charCodeAt(start) === next.charCodeAt(start)) start++;
  let endCur = cur.length;
  let endNext = next.length;
  while (endCur > start && endNext > start && cur.charCodeAt(endCur - 1) === next.charCodeAt(endNext - 1)) { endCur--; endNext--; }
  if (endCur > start) text.delete(start, endCur - start);
  if (endNext > start) text.insert(start, next.slice(start, endNext));
}

export function setList(arr: Y.Array<string>, next: string[]): void {
  const cur = arr.toArray();
  if (cur.length === next.length && cur.every((v, i) => v === next[i])) return;
  if (arr.length) arr.delete(0, arr.length);
  if (next.length) arr.insert(0, next);
}
