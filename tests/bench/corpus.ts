import { pick, pickSkewed, prng } from './prng';

/**
 * Deterministic synthetic memories of ~1 KB. Both the MemoryOS run and the baseline run call
 * memoryAt(i) and get the same bytes, so every ratio compares the same work.
 */

export interface BenchMemory {
  type: 'episodic' | 'semantic' | 'procedural' | 'working';
  band: 'GREEN' | 'AMBER';
  title: string; body: string; tags: string[]; people: string[]; places: string[]; occurred_at: string;
}

// Function words only pad sentences; they are never queried (nobody searches for "the").
const FILLER = 'the and with for to of a in on at was is it we our'.split(' ');
// Content words, most frequent first: pickSkewed makes the head very common.
const COMMON = (
  'family school dinner garden kitchen birthday holiday doctor morning evening weekend recipe ' +
  'password network beach mountain train ticket appointment medicine allergy teacher homework ' +
  'grandma grandpa cousin uncle aunt neighbour friend football piano violin swimming lesson ' +
  'market bakery bread cheese coffee tea soup pasta chicken salad apple orange lemon chocolate ' +
  'cake candle present letter photo album camera phone laptop charger battery printer router ' +
  'wifi account bank invoice insurance car bicycle bus station airport hotel passport visa ' +
  'suitcase tent river lake forest park museum library cinema concert festival wedding party ' +
  'dentist vaccine fever cough sleep dream walk run hike climb swim paint draw write read ' +
  'story song poem joke game puzzle lego robot dinosaur rocket planet star moon sun rain snow ' +
  'storm wind summer winter spring autumn january february march april may june july august ' +
  'september october november december monday tuesday wednesday thursday friday saturday sunday ' +
  'blue green red yellow purple window door roof stairs basement attic garage fence gate key ' +
  'lock code alarm plumber electrician repair paint wallpaper carpet table chair sofa lamp ' +
  'blanket pillow towel soap shampoo toothbrush laundry dishes vacuum broom bucket ladder ' +
  'hammer screw nail drill glue tape scissors paper pencil notebook backpack uniform shoes ' +
  'jacket scarf gloves umbrella sunglasses hat'
).split(' ');
const TAGS = 'home school health travel food finance car house kids pets work hobby music sport garden recipes admin insurance holiday friends family weekend shopping repairs tech'.split(' ');
const PEOPLE = 'Ana Ben Carla Dario Elena Farid Greta Hugo Ines Jonas Kira Luca Maya Nils Olga Pablo Quinn Rosa Sami Tara Umar Vera Wim Xenia Yusuf Zoe'.split(' ');
const PLACES = 'Lisbon Porto Berlin Hamburg Vienna Zurich Paris Lyon Madrid Seville Rome Milan Oslo Bergen Dublin Cork Prague Krakow Athens Split'.split(' ');
const TYPES: BenchMemory['type'][] = ['episodic', 'semantic', 'procedural', 'working'];

const CONS = 'bdfghklmnprstvz';
const VOWS = 'aeiou';
const COMMON_SET = new Set(COMMON);

/** Rare word number i: three consonant-vowel syllables, 6 letters, so no rare word is a prefix of another. */
function rareWord(i: number): string {
  let s = '';
  let n = (i * 104_729) % 75 ** 3; // a bijection (104729 is prime, 75^3 = 3^3·5^6) that spreads neighbours apart
  for (let k = 0; k < 3; k++) {
    const syl = n % 75;
    n = Math.floor(n / 75);
    s += CONS[syl % 15]! + VOWS[Math.floor(syl / 15)]!;
  }
  return COMMON_SET.has(s) ? s.slice(0, 5) + 'x' : s;
}

/** Rare vocabulary grows with the corpus so a rare word matches a handful of memories at any size. */
const rareVocab = (n: number): number => Math.min(75 ** 3, Math.max(2000, Math.floor(n / 2)));

const SEED = 0x5eed;
const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);

export function memoryAt(i: number, n: number): BenchMemory {
  const rnd = prng(SEED ^ Math.imul(i + 1, 0x9e3779b1));
  const vocab = rareVocab(n);
  const rare = () => rareWord(Math.floor(rnd() * vocab));
  const titleWords = Array.from({ length: 3 + Math.floor(rnd() * 5) }, () => pickSkewed(rnd, COMMON));
  if (rnd() < 0.3) titleWords.push(rare());
  const people = Array.from(new Set(Array.from({ length: Math.floor(rnd() * 4) }, () => pick(rnd, PEOPLE))));
  const places = Array.from(new Set(Array.from({ length: Math.floor(rnd() * 3) }, () => pick(rnd, PLACES))));
  const sentences: string[] = [];
  const target = 700 + Math.floor(rnd() * 200);
  let len = 0;
  let raresLeft = 2;
  while (len < target) {
    const words: string[] = [];
    const wc = 6 + Math.floor(rnd() * 10);
    for (let w = 0; w < wc; w++) {
      const r = rnd();
      if (raresLeft > 0 && r < 0.03) { words.push(rare()); raresLeft--; }
      else if (r < 0.35) words.push(pick(rnd, FILLER));
      else if (r < 0.4 && people.length) words.push(pick(rnd, people));
      else words.push(pickSkewed(rnd, COMMON));
    }
    const s = cap(words.join(' ')) + '.';
    sentences.push(s);
    len += s.length + 1;
  }
  while (raresLeft-- > 0) sentences.push(cap(rare()) + '.');
  const day = Math.floor(rnd() * 3650);
  return {
    type: TYPES[Math.floor(rnd() * 4)]!,
    band: rnd() < 0.7 ? 'GREEN' : 'AMBER',
    title: cap(titleWords.join(' ')),
    body: sentences.join(' '),
    tags: Array.from(new Set(Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(rnd, TAGS)))),
    people,
    places,
    occurred_at: new Date(Date.UTC(2016, 0, 1) + day * 86_400_000).toISOString(),
  };
}

/** Memories created one by one after the import (numbered past the corpus so they are new bytes). */
export const extraMemoryAt = (j: number, n: number): BenchMemory => memoryAt(n + j, n);

/** The bytes the baseline encrypts: the memory's content as JSON (what MemoryOS seals too, plus CRDT state). */
export const contentBytes = (m: BenchMemory): Buffer => Buffer.from(JSON.stringify(m));

export type QueryKind = 'common' | 'rare' | 'two-common' | 'person+common';
export interface BenchQuery { kind: QueryKind; query: string }

/** A fixed mix of query shapes: a frequent word, a rare word (a handful of hits), two words, a name plus a word. */
export function queries(n: number, count: number): BenchQuery[] {
  const rnd = prng(SEED + 7);
  const vocab = rareVocab(n);
  // ranks 0..39: each appears in a large share of memories (the expensive case for bm25 ranking)
  const common = () => COMMON[Math.floor(rnd() * 40)]!;
  const out: BenchQuery[] = [];
  for (let q = 0; q < count; q++) {
    const kind = (['common', 'rare', 'two-common', 'person+common'] as const)[q % 4]!;
    const query = kind === 'common' ? common()
      : kind === 'rare' ? rareWord(Math.floor(rnd() * vocab))
      : kind === 'two-common' ? `${common()} ${common()}`
      : `${pick(rnd, PEOPLE)} ${common()}`;
    out.push({ kind, query });
  }
  return out;
}
