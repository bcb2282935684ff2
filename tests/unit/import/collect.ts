import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportedItem, ImportFailure, ImportReader, ReadOptions } from '../../../core/import/item';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'import');

export const sha256OfFile = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

async function sha256OfStream(s: AsyncIterable<Buffer | string>): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const c of s) { const b = typeof c === 'string' ? Buffer.from(c) : c; h.update(b); size += b.length; }
  return { sha256: h.digest('hex'), size };
}

export interface Read {
  items: ImportedItem[];
  failures: ImportFailure[];
  /** per item (by source.path), what each attachment's open() streamed: read while the item was current, as an importer must */
  streamed: Map<string, { sha256: string; size: number }[]>;
  /** the order events came in: item paths and failure paths */
  order: string[];
}

/** reads everything, opening every attachment while its item is the current one */
export async function readAll(reader: ImportReader, path: string, options?: ReadOptions): Promise<Read> {
  const out: Read = { items: [], failures: [], streamed: new Map(), order: [] };
  for await (const ev of reader.read(path, options)) {
    if ('item' in ev) {
      out.items.push(ev.item);
      out.order.push(ev.item.source.path);
      const got = [];
      for (const a of ev.item.attachments) got.push(await sha256OfStream(a.open() as AsyncIterable<Buffer>));
      out.streamed.set(ev.item.source.path, got);
    } else {
      out.failures.push(ev.failure);
      out.order.push('FAILED ' + ev.failure.path);
    }
  }
  return out;
}

export const byTitle = (r: Read, title: string): ImportedItem => {
  const it = r.items.find((i) => i.title === title);
  if (!it) throw new Error(`no item titled ${title}: ${r.items.map((i) => i.title).join(', ')}`);
  return it;
};
