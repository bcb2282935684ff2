import { describe, expect, it } from 'vitest';
import type { ImportedItem } from '../../../core/import';
import { fitItem, ItemDoesNotFit } from '../../../core/importer/fit-limits';
import { linksBySha } from '../../../core/importer/memoryos-source';

const item = (over: Partial<ImportedItem> = {}): ImportedItem => ({
  source: { format: 'markdown', path: 'a.md', hash: 'h' }, title: 'A note', body: 'text', tags: [], people: [], places: [], attachments: [], ...over,
});
const A = '01JD0000000000000000000001';
const B = '01JD0000000000000000000002';
const sha = (c: string) => c.repeat(64);

describe('fitItem: an imported item made to fit memory.create', () => {
  it('cuts a long title at a code point (never half an emoji), keeps it whole in the text, and checks the result against the contract', () => {
    const title = '😀'.repeat(501);
    const f = fitItem(item({ title }), 'GREEN');
    expect([...f.memory.title]).toHaveLength(500);
    expect(f.memory.title.endsWith('…')).toBe(true);
    expect(Buffer.from(f.memory.title, 'utf8').toString('utf8')).toBe(f.memory.title); // no lone surrogate (it would come back as U+FFFD)
    expect(f.memory.body!.startsWith(title)).toBe(true);
  });

  it('trims labels, drops empty ones, merges duplicates, shortens one over 200 characters', () => {
    const f = fitItem(item({ tags: [' a ', 'a', '', '  ', 'b  c', 'x'.repeat(250)] }), 'GREEN');
    expect(f.memory.tags).toEqual(['a', 'b c', 'x'.repeat(199) + '…']);
    expect(f.warnings).toContain('a tag longer than 200 characters was shortened');
  });

  it('keeps the source dates as milliseconds, leaves out one that is not a date, and makes a note with a date it happened episodic', () => {
    const f = fitItem(item({ created_at: '2020-01-01T00:00:00Z', updated_at: 'yesterday', occurred_at: '2019-05-05T00:00:00.000Z' }), 'AMBER');
    expect(f.memory).toMatchObject({ type: 'episodic', band: 'AMBER', occurred_at: '2019-05-05T00:00:00.000Z', dates: { created_at: Date.parse('2020-01-01T00:00:00Z'), updated_at: undefined } });
    expect(f.warnings).toContain('the updated date "yesterday" is not a date: left out');
    expect(fitItem(item(), 'GREEN').memory.type).toBe('semantic');
  });

  it('fails a text over 1,000,000 characters (counted in code points) rather than cutting it', () => {
    expect(() => fitItem(item({ body: 'x'.repeat(1_000_001) }), 'GREEN')).toThrow(ItemDoesNotFit);
    expect(() => fitItem(item({ body: '😀'.repeat(1_000_000) }), 'GREEN')).not.toThrow();
  });
});

describe('linksBySha: an exported body\'s links to files, from the old vault\'s ids to the files\' hashes', () => {
  const files = [
    { name: 'card.png', mime: 'image/png', size: 1, sha256: sha('a'), path: 'attachments/x/card.png' },
    { name: 'card.png', mime: 'image/png', size: 1, sha256: sha('b'), path: 'attachments/x/card (2).png' },
    { name: 'a [b].pdf', mime: 'application/pdf', size: 1, sha256: sha('c'), path: 'attachments/x/a [b].pdf' },
  ];
  it('matches each link to the file of its label, the next one of a repeated name, escaped brackets included; every use of an id moves', () => {
    const C = '01JD0000000000000000000003';
    const body = `![card.png](attachment:${A}) ![card.png](attachment:${B}) [a \\[b\\].pdf](attachment:${C}) again ![card.png](attachment:${A})`;
    const r = linksBySha(body, files);
    expect(r.unmatched).toBe(0);
    expect(r.body).toBe(`![card.png](attachment:${sha('a')}) ![card.png](attachment:${sha('b')}) [a \\[b\\].pdf](attachment:${sha('c')}) again ![card.png](attachment:${sha('a')})`);
  });
  it('leaves a link whose label names no file as written, and counts it', () => {
    const body = `[renamed.png](attachment:${A})`;
    expect(linksBySha(body, files)).toEqual({ body, unmatched: 1 });
  });
});
