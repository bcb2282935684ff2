import type { Content, Meta } from '../../core/memories/memory-doc';

/**
 * Memories of every shape a fresh update must carry (tests of crdt/fresh-update.ts and
 * crdt/fresh-read.ts): texts with every kind of character, values of every JSON type, both key wraps.
 */
const PIECES = ['', 'a', '\uD800', '\uDC00x', 'Oma', 'Grüße', 'naïve café', '日本語のテキスト', '🙂', '👨‍👩‍👧‍👦', 'e\u0301', '\u{1F600}x', ' ', '\n', '"quoted"', '\\', 'x'.repeat(200), '\u0000', '\uFFFD'];

export function text(rnd: () => number, max: number): string {
  let s = '';
  for (let n = Math.floor(rnd() * max); n > 0; n--) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return s;
}
export const list = (rnd: () => number): string[] => Array.from({ length: Math.floor(rnd() * 4) }, () => text(rnd, 3));
// numbers of every width lib0's writeAny tells apart: small and large ints, negatives, float32 and float64
const NUMBERS = [0, 1, -1, 63, 64, 127, 128, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 53 - 1, 1.5, -0.25, 0.1, 1e300, 1_733_000_000_000];
const num = (rnd: () => number): number => NUMBERS[Math.floor(rnd() * NUMBERS.length)]!;

export function memory(rnd: () => number): { meta: Meta; content: Content } {
  const meta: Meta = {
    band: (['GREEN', 'AMBER', 'RED', 'BLACK'] as const)[Math.floor(rnd() * 4)]!,
    type: 'episodic', author: `mem_${text(rnd, 2)}`, origin_device: 'dev_x', created_at: num(rnd),
    deleted_at: rnd() < 0.5 ? null : num(rnd), expires_at: rnd() < 0.5 ? null : num(rnd), recipients: list(rnd),
    dek: rnd() < 0.5
      ? { mode: 'epoch', epoch: Math.floor(rnd() * 9) + 1, nonce: text(rnd, 3), ct: text(rnd, 3) }
      : { mode: 'sealed', seals: { a: text(rnd, 2), b: text(rnd, 2) }, device_seals: { d: 'x' }, nested: [1, null, true, false, { k: [num(rnd)] }] },
  };
  if (rnd() < 0.3) meta.copied_from = { memory_id: 'm', space_id: 's', copied_at: num(rnd) };
  const content: Content = {
    title: text(rnd, 4), body: text(rnd, 30), tags: list(rnd), people: list(rnd), places: list(rnd),
    occurred_at: rnd() < 0.5 ? null : text(rnd, 2), updated_at: num(rnd),
  };
  return { meta, content };
}

