import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readFresh } from '../../../core/crdt/fresh-read';
import { freshUpdate } from '../../../core/crdt/fresh-update';
import { hasPending } from '../../../core/crdt/doc-update';
import { contentParts, freshUpdates, metaParts } from '../../../core/memories/fresh-updates';
import { readContent, readFreshContent, readFreshMeta, readMeta, writeContent, type Content, type Meta } from '../../../core/memories/memory-doc';
import { seededRandom } from '../../../core/shared/prng';
import { memory } from '../../helpers/random-memory';

/**
 * A received memory's two updates are read without a Y.Doc when they are laid out as a fresh
 * document's (crdt/fresh-read.ts): what the receiving thread reads there decides what is
 * authorised, sealed and indexed, so it must be what Yjs reads from the same bytes, for updates
 * this app writes and for any other bytes a peer may send.
 */

function byYjs(update: Uint8Array): Y.Doc | null {
  const doc = new Y.Doc();
  try { Y.applyUpdate(doc, update); } catch { return null; }
  return doc;
}

/** One random change to an update: a byte flipped, dropped, added, or the end cut or extended. */
function damage(u: Uint8Array, rnd: () => number): Uint8Array {
  const at = Math.floor(rnd() * u.length);
  const b = Math.floor(rnd() * 256);
  switch (Math.floor(rnd() * 5)) {
    case 0: { const x = Uint8Array.from(u); x[at] = b; return x; }
    case 1: return Uint8Array.from([...u.subarray(0, at), ...u.subarray(at + 1)]);
    case 2: return Uint8Array.from([...u.subarray(0, at), b, ...u.subarray(at)]);
    case 3: return u.slice(0, at);
    default: return Uint8Array.from([...u, b]);
  }
}

describe('a fresh update read without a Y.Doc', () => {
  it('reads what Yjs reads from every update a new memory is written as, over 3,000 memories', () => {
    const rnd = seededRandom(20261208);
    for (let i = 0; i < 3000; i++) {
      const m = memory(rnd);
      const client = [0, 1, 127, 128, 2 ** 31 - 1, 2 ** 32 - 1, Math.floor(rnd() * 2 ** 31)][i % 7]!;
      const u = freshUpdates(client, m);
      expect(readFreshMeta(u.meta), `meta ${i}`).toEqual(readMeta(byYjs(u.meta)!));
      expect(readFreshContent(u.content), `content ${i}`).toEqual(readContent(byYjs(u.content)!));
      expect(readFresh(u.content)?.clientId).toBe(client);
    }
  });

  it('reads damaged updates as Yjs does, or not at all (a peer may send any bytes)', () => {
    const rnd = seededRandom(5);
    let read = 0;
    for (let i = 0; i < 3000; i++) {
      const u = freshUpdates(Math.floor(rnd() * 2 ** 31), memory(rnd));
      for (const [kind, bytes] of [['meta', u.meta], ['content', u.content]] as const) {
        let x = bytes;
        for (let n = 1 + Math.floor(rnd() * 2); n > 0; n--) x = damage(x, rnd);
        const fast = kind === 'meta' ? readFreshMeta(x) : readFreshContent(x);
        if (fast === null) continue;
        read++;
        // read here only where Yjs takes the update whole: it applies, and holds nothing aside
        const doc = byYjs(x);
        expect(doc, `${kind} ${i}: Yjs refuses what was read`).not.toBeNull();
        expect(hasPending(doc!), `${kind} ${i}: Yjs holds part of it aside`).toBe(false);
        expect(fast, `${kind} ${i}`).toEqual(kind === 'meta' ? readMeta(doc!) : readContent(doc!));
      }
    }
    // the damage often lands inside a text or a value, which still reads: the comparison above ran
    expect(read).toBeGreaterThan(100);
  });

  it('leaves to Yjs every update that is not one struct per place from clock 0', () => {
    const rnd = seededRandom(9);
    const m = memory(rnd);
    const fresh = freshUpdate(3, contentParts(m.content))!;
    // an edit of an existing document: its items have origins
    const doc = byYjs(fresh)!;
    doc.clientID = 3;
    let edit: Uint8Array | null = null;
    doc.once('update', (u: Uint8Array) => { edit = u; });
    writeContent(doc, { title: `${m.content.title}!` }, 2);
    expect(edit).not.toBeNull();
    expect(readFresh(edit!)).toBeNull();
    expect(readFresh(Y.encodeStateAsUpdate(doc))).toBeNull(); // holds a deletion and later structs
    // two clients' fresh documents merged
    expect(readFresh(Y.mergeUpdates([fresh, freshUpdate(4, contentParts(m.content))!]))).toBeNull();
    // a text written twice, a map key set twice: two items contend for one place
    expect(readFresh(freshUpdate(3, [{ kind: 'text', name: 'title', text: 'a' }, { kind: 'text', name: 'title', text: 'b' }])!)).toBeNull();
    expect(readFresh(freshUpdate(3, [{ kind: 'map', name: 'meta', entries: [['band', 'GREEN'], ['band', 'RED']] }])!)).toBeNull();
    expect(readFresh(freshUpdate(3, [{ kind: 'map', name: 'm', entries: [['a', 1]] }, { kind: 'text', name: 't', text: 'x' }, { kind: 'map', name: 'm', entries: [['b', 2]] }])!)).toBeNull();
    // a byte after the end, also when the update is a view into a larger buffer
    expect(readFresh(Uint8Array.from([...fresh, 0]))).toBeNull();
    const wide = Uint8Array.from([...fresh, 7, 7, 7]);
    expect(readFresh(wide.subarray(0, fresh.length))).not.toBeNull();
    expect(readFresh(wide.subarray(0, fresh.length - 1))).toBeNull();
  });

  it('leaves to Yjs a value Yjs may refuse where this would not: nested past any this app writes, or not plain JSON (review of 1696c2d)', () => {
    const fields = (value: unknown): Uint8Array => {
      const doc = new Y.Doc();
      doc.clientID = 6;
      doc.getMap('fields').set('updated_at', 1_700_000_000_000);
      doc.getMap('fields').set('x', value);
      return Y.encodeStateAsUpdate(doc);
    };
    let nested: unknown = null;
    for (let i = 0; i < 3; i++) nested = [nested];
    const shallow = fields({ a: nested });
    expect(readFreshContent(shallow)).toEqual(readContent(byYjs(shallow)!));
    expect(readFreshContent(shallow)).not.toBeNull();
    // Yjs reads a value from deeper in the stack than this: a value nested thousands deep overflowed it there, not here
    for (let i = 0; i < 30; i++) nested = [nested];
    expect(readFreshContent(fields(nested))).toBeNull();
    expect(readFreshContent(fields({ deep: { deeper: nested } }))).toBeNull();
    // a binary value: Yjs in development mode cannot freeze it
    expect(readFreshContent(fields(new Uint8Array([1])))).toBeNull();
    expect(readFreshContent(fields({ k: [new Uint8Array([1])] }))).toBeNull();
  });

  it('reads a content or metadata document only when it holds that document\'s own root types', () => {
    const m = memory(seededRandom(4));
    const content = (extra: Parameters<typeof freshUpdate>[1]) => readFreshContent(freshUpdate(8, [...contentParts(m.content), ...extra])!);
    const meta = (extra: Parameters<typeof freshUpdate>[1]) => readFreshMeta(freshUpdate(8, [...metaParts(m.meta), ...extra])!);
    expect(content([])).not.toBeNull();
    expect(content([{ kind: 'text', name: 'notes', text: 'x' }])).toBeNull();
    expect(meta([])).not.toBeNull();
    expect(meta([{ kind: 'map', name: 'fields', entries: [['x', 1]] }])).toBeNull();
    // a root of the wrong kind: a title that is a list, metadata that is a text
    expect(readFreshContent(freshUpdate(8, [{ kind: 'list', name: 'title', items: ['x'] }])!)).toBeNull();
    expect(readFreshMeta(freshUpdate(8, [{ kind: 'text', name: 'meta', text: 'x' }])!)).toBeNull();
    // a metadata key __proto__ reads as readMeta reads it: not as the object's prototype
    const odd = freshUpdate(8, [{ kind: 'map', name: 'meta', entries: [['band', 'GREEN'], ['__proto__', { band: 'RED' }]] }])!;
    expect(readFreshMeta(odd)).toEqual(readMeta(byYjs(odd)!));
    expect((readFreshMeta(odd) as Meta).band).toBe('GREEN');
    // values of the wrong type are left out as readContent leaves them out
    const typed = freshUpdate(8, [{ kind: 'map', name: 'fields', entries: [['occurred_at', 5], ['updated_at', 'soon']] }])!;
    expect(readFreshContent(typed)).toEqual(readContent(byYjs(typed)!));
    expect(readFreshContent(typed)).toMatchObject({ occurred_at: null, updated_at: 0 } satisfies Partial<Content>);
  });
});
