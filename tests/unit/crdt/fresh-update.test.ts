import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { freshUpdate } from '../../../core/crdt/fresh-update';
import { contentByYjs, contentParts, freshUpdates, metaByYjs, metaParts } from '../../../core/memories/fresh-updates';
import { readContent, readMeta, type Content, type Meta } from '../../../core/memories/memory-doc';
import { seededRandom } from '../../../core/shared/prng';
import { memory } from '../../helpers/random-memory';

/**
 * A new memory's two updates are written straight into Yjs's encoder (crdt/fresh-update.ts). They
 * must be the bytes Yjs writes for the same change, or peers and stored logs would hold documents
 * that differ from the ones this device reads back: held byte for byte here against writeMeta and
 * writeContent in a Y.Doc, over texts with every kind of character and values of every JSON type.
 */
describe('a fresh document written into Yjs\'s encoder', () => {
  it('is the update Yjs writes for the same memory, byte for byte, over 3,000 memories', () => {
    const rnd = seededRandom(20261207);
    for (let i = 0; i < 3000; i++) {
      const m = memory(rnd);
      const client = [0, 1, 127, 128, 2 ** 31 - 1, Math.floor(rnd() * 2 ** 31)][i % 6]!;
      // the writer itself, not its fallback to Yjs
      const meta = freshUpdate(client, metaParts(m.meta));
      const content = freshUpdate(client, contentParts(m.content));
      expect(meta && Buffer.from(meta).equals(Buffer.from(metaByYjs(client, m.meta))), `meta ${i}`).toBe(true);
      expect(content && Buffer.from(content).equals(Buffer.from(contentByYjs(client, m.content))), `content ${i}`).toBe(true);
      expect(freshUpdates(client, m).content).toEqual(content);
    }
  });

  it('reads back as the memory it was written from', () => {
    const rnd = seededRandom(7);
    // UTF-8 has no lone surrogates: they read back as U+FFFD, in Yjs's own updates as in these
    const wellFormed = (v: unknown): unknown => (typeof v === 'string' ? v.toWellFormed() : Array.isArray(v) ? v.map(wellFormed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wellFormed(x)])) : v);
    for (let i = 0; i < 200; i++) {
      const m = memory(rnd);
      const { meta, content } = freshUpdates(42, m);
      const c = new Y.Doc(); Y.applyUpdate(c, content);
      // the fields as written (readContent would leave out what is no timestamp: memory-shape.ts; the generator writes any value)
      const f = c.getMap('fields');
      expect({ ...readContent(c), occurred_at: f.get('occurred_at') ?? null, updated_at: f.get('updated_at') }).toEqual(wellFormed(m.content));
      const d = new Y.Doc(); Y.applyUpdate(d, meta);
      expect(readMeta(d)).toEqual(wellFormed(m.meta));
    }
  });

  it('matches Yjs on the edges: a text past lib0\'s short-string path, no occurred_at, client ids past 2^31', () => {
    const rnd = seededRandom(11);
    for (const [i, client] of [2 ** 31, 2 ** 32 - 1, 5].entries()) {
      const m = memory(rnd);
      m.content.body = 'é🙂\uD800'.repeat(4_000 + i); // > 10,000 UTF-16 units
      if (i === 2) delete (m.content as Partial<Content>).occurred_at;
      const content = freshUpdate(client, contentParts(m.content));
      expect(content && Buffer.from(content).equals(Buffer.from(contentByYjs(client, m.content))), `client ${client}`).toBe(true);
    }
  });

  it('gives Yjs\'s bytes for a list with holes and for fields that are not the content\'s own (review of d3a5dc0)', () => {
    const sparse = { title: 't', body: '', tags: ['a', , 'b'], people: new Array(2), places: [], occurred_at: null, updated_at: 1 } as unknown as Content;
    expect(freshUpdate(1, contentParts(sparse))).toBeNull();
    expect(Buffer.from(freshUpdates(1, { meta: memory(seededRandom(1)).meta, content: sparse }).content).equals(Buffer.from(contentByYjs(1, sparse)))).toBe(true);
    const inherited = Object.create({ title: 'T', body: 'B', tags: ['x'], people: [], places: [], occurred_at: null }) as Content;
    inherited.updated_at = 1;
    expect(Buffer.from(freshUpdates(1, { meta: memory(seededRandom(2)).meta, content: inherited }).content).equals(Buffer.from(contentByYjs(1, inherited)))).toBe(true);
  });

  it('leaves what it does not cover to Yjs: a binary or undefined value, a list item or a text that is not a string', () => {
    expect(freshUpdate(1, [{ kind: 'map', name: 'm', entries: [['k', new Uint8Array([1])]] }])).toBeNull();
    expect(freshUpdate(1, [{ kind: 'map', name: 'm', entries: [['k', undefined]] }])).toBeNull();
    expect(freshUpdate(1, [{ kind: 'list', name: 'l', items: ['a', 1 as unknown as string] }])).toBeNull();
    expect(freshUpdate(1, [{ kind: 'text', name: 't', text: undefined as unknown as string }])).toBeNull();
    expect(freshUpdate(1, [{ kind: 'text', name: 't', text: '' }])).toBeNull(); // nothing changed: Yjs writes no update either
    // and freshUpdates still gives Yjs's bytes then (a memory whose metadata holds a binary)
    const rnd = seededRandom(3);
    const m = memory(rnd);
    const odd = { ...m, meta: { ...m.meta, dek: new Uint8Array([1, 2, 3]) } };
    expect(Buffer.from(freshUpdates(9, odd).meta).equals(Buffer.from(metaByYjs(9, odd.meta)))).toBe(true);
  });
});
