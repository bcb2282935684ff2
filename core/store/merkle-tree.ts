import { createHash } from 'node:crypto';

/**
 * The Merkle tree of a batch signature (RFC 9162 §2.1: a leaf is SHA-256(0x00 ‖ bytes), an inner
 * node SHA-256(0x01 ‖ left ‖ right), the last odd node of a level moves up unhashed), built by
 * the signer and walked by every receiver, one inclusion path per entry.
 */

const LEAF = new Uint8Array([0x00]);
const NODE = new Uint8Array([0x01]);

const sha256 = (...parts: Uint8Array[]): Uint8Array => { const x = createHash('sha256'); for (const p of parts) x.update(p); return new Uint8Array(x.digest()); };
const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(NODE, left, right);
export const leafHash = (bytes: Uint8Array): Uint8Array => sha256(LEAF, bytes);

/** The tree's levels, leaves first (the last odd node of a level moves up unhashed). */
export function treeLevels(leaves: Uint8Array[]): Uint8Array[][] {
  const levels = [leaves];
  while (levels[levels.length - 1]!.length > 1) {
    const cur = levels[levels.length - 1]!; const next: Uint8Array[] = [];
    for (let i = 0; i < cur.length; i += 2) next.push(i + 1 < cur.length ? nodeHash(cur[i]!, cur[i + 1]!) : cur[i]!);
    levels.push(next);
  }
  return levels;
}

/** A leaf's inclusion path: its siblings, leaf upward (a level where it has none is skipped). */
export function pathOf(levels: Uint8Array[][], index: number): Uint8Array[] {
  const path: Uint8Array[] = [];
  let i = index;
  for (let l = 0; l < levels.length - 1; l++) {
    const sib = i ^ 1;
    if (sib < levels[l]!.length) path.push(levels[l]![sib]!);
    i >>= 1;
  }
  return path;
}

/**
 * Nodes of one tree already proven to lead to its signed root, by position (level, index). A
 * walk that reaches one of them with the same bytes has reached the root: a different node with
 * the same hash would be a SHA-256 collision.
 */
export class ProvenNodes {
  private readonly nodes = new Map<number, Uint8Array>();
  constructor(readonly root: Uint8Array) {}
  get(level: number, index: number): Uint8Array | undefined { return this.nodes.get(level * 256 + index); }
  /** copied: a path's hashes are views into the entry's signature, which the caller owns */
  add(level: number, index: number, hash: Uint8Array): void {
    const k = level * 256 + index;
    if (!this.nodes.has(k)) this.nodes.set(k, hash.slice());
  }
  get size(): number { return this.nodes.size; }
}

/** byte equality of two hashes (public data: no constant time needed) */
export const sameHash = (a: Uint8Array | undefined, b: Uint8Array): boolean => {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** A walk's nodes, to be added to the tree's proven nodes once its root is accepted. */
export interface Walk { root: Uint8Array; nodes: [level: number, index: number, hash: Uint8Array][] }

/**
 * RFC 9162 §2.1.3.2: the root a leaf's inclusion path leads to, or null when the path does not fit
 * (index, count). With `proven` (the nodes earlier entries of the same tree proved), a step whose
 * node and sibling are both proven takes their parent from there instead of hashing it; every
 * byte of the path is still either hashed or compared with a proven node at its position, so a
 * changed byte anywhere gives a different root.
 */
export function walkPath(leaf: Uint8Array, index: number, count: number, path: Uint8Array[], proven?: ProvenNodes): Walk | null {
  if (index >= count) return null;
  let fn = index; let sn = count - 1; let level = 0; let r = leaf;
  let known = sameHash(proven?.get(0, fn), r);
  const nodes: Walk['nodes'] = [[0, fn, r]];
  for (const p of path) {
    if (sn === 0) return null;
    const left = (fn & 1) === 1 || fn === sn;
    // the last node of a level without a sibling moves up unchanged until it is a right child
    if (!(fn & 1) && fn === sn) while (!(fn & 1) && fn !== 0) { fn >>= 1; sn >>= 1; level++; }
    const sib = fn ^ 1;
    const parent = known && sameHash(proven!.get(level, sib), p) ? proven!.get(level + 1, fn >> 1) : undefined;
    nodes.push([level, sib, p]);
    r = parent ?? (left ? nodeHash(p, r) : nodeHash(r, p));
    fn >>= 1; sn >>= 1; level++;
    nodes.push([level, fn, r]);
    known = parent !== undefined || sameHash(proven?.get(level, fn), r);
  }
  return sn === 0 ? { root: r, nodes } : null;
}
