import { createDecoder, readAny, readUint8, readVarString, readVarUint } from 'lib0/decoding';
import type { FreshPart } from './fresh-update';

// Yjs's struct info byte, as fresh-update.ts writes it: no origin, no right origin (BIT8, BIT7 clear)
const CONTENT_STRING = 4;
const CONTENT_ANY = 8;
const HAS_PARENT_SUB = 0b0010_0000;

/** A fresh update read back: the client that wrote it and its parts, one per root type. */
export interface FreshRead { clientId: number; parts: FreshPart[] }

/**
 * The parts of an update laid out as freshUpdate writes it (one client, its structs from clock 0,
 * every item the first and only one of its place, no deletions), read without a Y.Doc; null for
 * any other update, which the caller reads with Yjs.
 *
 * Why: a received memory arrives as two such updates, and building a Y.Doc for each only to read
 * it back was the receiving thread's largest cost per memory (a Y.Doc is many objects for the
 * collector too): ~35 µs a memory against ~5 here.
 *
 * Why it reads what Yjs reads: it takes only what Yjs's own reader (readClientsStructRefs,
 * readItem) reads the same way, with the same lib0 primitives (so also what freshUpdate never
 * writes but Yjs reads alike: a var-uint written long, an update of no structs): an item whose
 * parent is a root named by a string, a ContentString or a ContentAny. Each root type is named by
 * one struct (a text, a list) or is a map whose keys each come once, so no two items contend for
 * one place: the document Yjs builds holds each part as written. Anything else (an origin, a
 * deletion, a second struct for a text, a list item that is not a string, a byte after the end)
 * is null, and so is a value Yjs may refuse to take where this would not: one nested deeper than
 * anything this app writes (Yjs reads it from deeper in the stack, and runs out of it first), or
 * one that is not plain JSON (a Uint8Array, which Yjs in development mode cannot freeze).
 * tests/unit/crdt/fresh-read.test.ts holds it to Yjs over written and damaged updates.
 */
export function readFresh(update: Uint8Array): FreshRead | null {
  try { return decode(update); } catch { return null; }
}

function decode(update: Uint8Array): FreshRead | null {
  const d = createDecoder(update);
  if (readVarUint(d) !== 1) return null; // one client
  const structs = readVarUint(d);
  const clientId = readVarUint(d);
  if (readVarUint(d) !== 0 || structs > update.length) return null; // from clock 0; a struct is 4 bytes or more
  const parts: FreshPart[] = [];
  const named = new Set<string>();
  let map: Extract<FreshPart, { kind: 'map' }> | null = null;
  let keys = new Set<string>();
  for (let i = 0; i < structs; i++) {
    const info = readUint8(d);
    if (readVarUint(d) !== 1) return null; // its parent a root, named by its key
    const root = readVarString(d);
    if (info === CONTENT_STRING || info === CONTENT_ANY) {
      if (named.has(root)) return null;
      named.add(root);
      map = null;
      if (info === CONTENT_STRING) {
        const text = readVarString(d);
        if (!text.length) return null; // an empty item: freshUpdate writes none
        parts.push({ kind: 'text', name: root, text });
      } else {
        const n = readVarUint(d);
        if (n === 0 || n > update.length) return null;
        const items: string[] = [];
        for (let k = 0; k < n; k++) {
          const v = readAny(d);
          if (typeof v !== 'string') return null;
          items.push(v);
        }
        parts.push({ kind: 'list', name: root, items });
      }
    } else if (info === (CONTENT_ANY | HAS_PARENT_SUB)) {
      // a map's keys are consecutive structs of one root
      if (!map || map.name !== root) {
        if (named.has(root)) return null;
        named.add(root);
        map = { kind: 'map', name: root, entries: [] };
        keys = new Set();
        parts.push(map);
      }
      const key = readVarString(d);
      if (keys.has(key) || readVarUint(d) !== 1) return null; // each key once, one value
      keys.add(key);
      const v = readAny(d);
      if (!plainJson(v, 0)) return null;
      map.entries.push([key, v]);
    } else {
      return null;
    }
  }
  // no deletions, and nothing after
  if (readVarUint(d) !== 0 || d.pos !== update.length) return null;
  return { clientId, parts };
}

/** deeper than any value this app writes (a key wrap is three levels): Yjs, reading from deeper in the stack, may overflow where this would not */
const MAX_DEPTH = 16;

/** A value of null, booleans, numbers, strings, arrays and plain objects, nested at most MAX_DEPTH deep. */
function plainJson(v: unknown, depth: number): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return true;
  if (depth >= MAX_DEPTH || typeof v !== 'object' || ArrayBuffer.isView(v)) return false;
  if (Array.isArray(v)) return v.every((x) => plainJson(x, depth + 1));
  // lib0 builds objects by assignment: a key __proto__ whose value is an object set the prototype
  // to it (readMeta's round through JSON drops it, as readFreshMeta's does): that value too
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null && !plainJson(proto, depth + 1)) return false;
  return Object.values(v).every((x) => plainJson(x, depth + 1));
}
