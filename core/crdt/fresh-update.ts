import * as Y from 'yjs';
import { writeVarUint } from 'lib0/encoding';

/**
 * What one change by one client puts into a fresh document, root type by root type in the order
 * the change writes them: a text inserted whole, a list of strings inserted whole, a map's keys set.
 */
export type FreshPart =
  | { kind: 'text'; name: string; text: string }
  | { kind: 'list'; name: string; items: string[] }
  | { kind: 'map'; name: string; entries: [string, unknown][] };

// Yjs's struct info byte: the content's ref in the low five bits, BIT6 when the item has a parentSub (a map key)
const CONTENT_STRING = 4;
const CONTENT_ANY = 8;
const HAS_PARENT_SUB = 0b0010_0000;

// the values Y.Map.set stores as ContentAny (yjs typeMapSet); anything else takes the Yjs path
const ANY = new Set<unknown>([Number, Object, Boolean, Array, String]);
const isAny = (v: unknown): boolean => v === null || (v !== undefined && ANY.has((v as object).constructor));

/**
 * The update a fresh document gets from that one change (it is also the document's whole state),
 * written straight into Yjs's own update encoder (v1), field by field as Yjs writes each struct:
 * one client, its structs from clock 0 in the order they were made, no deletions. Building the
 * Y.Doc and its transaction to get the same bytes cost ~50 µs a memory, most of a bulk import's
 * building. Returns null when a part is something this writer does not cover (a value Yjs would not
 * store as ContentAny, a text or a list item that is not a string): the caller builds it with Yjs then.
 * tests/unit/crdt/fresh-update.test.ts holds it byte for byte to what Yjs writes.
 */
export function freshUpdate(clientId: number, given: FreshPart[]): Uint8Array | null {
  // each list read once, holes as undefined (which fails the check below): Yjs skips holes, and reads an item once
  const parts = given.map((p) => (p.kind === 'list' && Array.isArray(p.items) ? { ...p, items: Array.from(p.items) } : p));
  let structs = 0;
  for (const p of parts) {
    if (p.kind === 'text') { if (typeof p.text !== 'string') return null; if (p.text.length) structs++; }
    else if (p.kind === 'list') { if (!Array.isArray(p.items) || !p.items.every((s) => typeof s === 'string')) return null; if (p.items.length) structs++; }
    else for (const [, v] of p.entries) { if (!isAny(v)) return null; structs++; }
  }
  if (!structs) return null;
  const e = new Y.UpdateEncoderV1();
  writeVarUint(e.restEncoder, 1); // clients
  writeVarUint(e.restEncoder, structs);
  e.writeClient(clientId);
  writeVarUint(e.restEncoder, 0); // the first struct's clock
  // every item is the first of its root type: no origin, no right origin, its parent named by its key
  const head = (info: number, root: string) => { e.writeInfo(info); e.writeParentInfo(true); e.writeString(root); };
  for (const p of parts) {
    if (p.kind === 'text') {
      if (!p.text.length) continue;
      head(CONTENT_STRING, p.name);
      e.writeString(p.text);
    } else if (p.kind === 'list') {
      if (!p.items.length) continue;
      head(CONTENT_ANY, p.name);
      e.writeLen(p.items.length);
      for (const s of p.items) e.writeAny(s);
    } else {
      for (const [k, v] of p.entries) {
        head(CONTENT_ANY | HAS_PARENT_SUB, p.name);
        e.writeString(k);
        e.writeLen(1);
        e.writeAny(v);
      }
    }
  }
  writeVarUint(e.restEncoder, 0); // the delete set: no client deleted anything
  return e.toUint8Array();
}
