import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keep } from '../../../core/import/keep';
import { byTitle, FIXTURES, readAll, sha256OfFile } from './collect';

const TAKEOUT = join(FIXTURES, 'keep', 'Takeout');
const PHOTO = '1e8f3b7a2c4.9a1f0e6d5b3c7a28.png';
const PHOTO_SHA = sha256OfFile(join(TAKEOUT, 'Keep', PHOTO));

describe('Google Keep reader (fixture keep/Takeout)', () => {
  it('brings every note: text, list, labels, dates, attachment, archived, trashed, pinned', async () => {
    const r = await readAll(keep, TAKEOUT);
    expect(r.items).toHaveLength(4);

    const trip = byTitle(r, 'Trip to Lisbon');
    expect(trip.source).toMatchObject({ format: 'keep', path: 'Keep/Trip to Lisbon.json' });
    expect(trip.body).toBe('Hotel: Casa do Rio, Rua da Prata 12\nCheck-in after 3 pm.\n\nTram 28 to the castle.\n\n[Visit Lisboa](<https://www.visitlisboa.com/>)');
    expect(trip.tags).toEqual(['Travel']);
    expect(trip.created_at).toBe('2024-05-02T18:00:00.000Z');
    expect(trip.updated_at).toBe('2024-05-11T09:15:30.123Z');
    expect(trip.pinned).toBe(true);
    expect(trip.archived).toBeUndefined();
    expect(trip.attachments.map(({ name, mime, size, sha256 }) => ({ name, mime, size, sha256 }))).toEqual([
      { name: PHOTO, mime: 'image/png', size: 83, sha256: PHOTO_SHA },
    ]);
    expect(r.streamed.get('Keep/Trip to Lisbon.json')).toEqual([{ sha256: PHOTO_SHA, size: 83 }]);

    const groceries = byTitle(r, 'Groceries');
    expect(groceries.checklist).toBe(true);
    expect(groceries.body).toBe('- [ ] Milk\n- [x] Eggs (free range)\n- [ ] Peanut-free bread for Leo');
    expect(groceries.tags).toEqual(['Groceries', 'Home']);
    expect(groceries.created_at).toBe('2023-11-12T09:20:00.000Z');

    const wifi = byTitle(r, 'Old wifi password: garden-2019'); // no title: the first line
    expect(wifi.archived).toBe(true);
    expect(wifi.trashed).toBeUndefined();
    expect(wifi.body).toBe('Old wifi password: garden-2019\n(router replaced in 2023)');

    const gifts = byTitle(r, 'Gift ideas');
    expect(gifts.trashed).toBe(true);
    expect(gifts.tags).toEqual([]);
  });

  it('reports the malformed JSON as a failure with its path and a reason, and goes on', async () => {
    const r = await readAll(keep, TAKEOUT);
    expect(r.failures).toEqual([{ path: 'Keep/Broken note.json', reason: expect.stringMatching(/^malformed JSON: /) }]);
    expect(r.order).toEqual(['Keep/2023-03-04T18_22_10.512+01_00.json', 'FAILED Keep/Broken note.json', 'Keep/Gift ideas.json', 'Keep/Groceries.json', 'Keep/Trip to Lisbon.json']);
  });

  it('gives the same source.hash on a second read, also when pointed at Keep/ itself', async () => {
    const a = (await readAll(keep, TAKEOUT)).items.map((i) => i.source.hash);
    const b = (await readAll(keep, join(TAKEOUT, 'Keep')));
    expect(b.items.map((i) => i.source.hash)).toEqual(a);
    expect(b.items[0]!.source.path).toBe('2023-03-04T18_22_10.512+01_00.json');
    expect(new Set(a).size).toBe(4);
  });
});
