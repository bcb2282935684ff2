import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface BigEnex {
  bytes: number;
  notes: number;
  /** SHA-256 of each big resource, by the index of the note that holds it (1-based) */
  resources: Map<number, { sha256: string; size: number }>;
}

/**
 * Writes a large ENEX as a stream (never whole in memory): `notes` small notes with a paragraph
 * of text and tags, and every `every`-th one holding a resource of `resourceBytes` random bytes,
 * base64 in 76-character lines as Evernote writes them.
 */
export async function writeBigEnex(path: string, o: { notes: number; every: number; resourceBytes: number }): Promise<BigEnex> {
  const ws = createWriteStream(path);
  let bytes = 0;
  const put = async (s: string): Promise<void> => {
    bytes += Buffer.byteLength(s);
    if (!ws.write(s)) await once(ws, 'drain');
  };
  const resources = new Map<number, { sha256: string; size: number }>();
  await put('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE en-export SYSTEM "http://xml.evernote.com/pub/evernote-export4.dtd">\n<en-export export-date="20240101T000000Z" application="Evernote" version="10.64.4">\n');
  const para = 'The quick brown fox jumps over the lazy dog, and the family keeps its recipes here. '.repeat(20);
  for (let n = 1; n <= o.notes; n++) {
    const big = n % o.every === 0;
    // ENML (which names the resource by MD5) comes before the resource in a note, so the bytes
    // are derived from a seed block: hashed once ahead, then written block by block
    let media = '';
    let seed: Buffer | null = null;
    if (big) {
      seed = randomBytes(48 * 1024);
      const md5 = createHash('md5');
      const sha = createHash('sha256');
      for (let off = 0, i = 0; off < o.resourceBytes; off += seed.length, i++) {
        const block = blockOf(seed, i, Math.min(seed.length, o.resourceBytes - off));
        md5.update(block); sha.update(block);
      }
      resources.set(n, { sha256: sha.digest('hex'), size: o.resourceBytes });
      media = `<en-media hash="${md5.digest('hex')}" type="application/octet-stream"/>`;
    }
    await put(`  <note>\n    <title>Note ${n}</title>\n    <content><![CDATA[<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE en-note SYSTEM "http://xml.evernote.com/pub/enml2.dtd">\n<en-note><div>${para}</div><div><en-todo checked="${n % 2 === 0}"/>task ${n}</div>${media}</en-note>]]></content>\n    <created>20231105T101500Z</created>\n    <updated>20231106T083000Z</updated>\n    <tag>bulk</tag>\n    <tag>t${n % 50}</tag>\n`);
    if (big && seed) {
      await put('    <resource>\n      <data encoding="base64">\n');
      for (let off = 0, i = 0; off < o.resourceBytes; off += seed.length, i++) {
        const b64 = blockOf(seed, i, Math.min(seed.length, o.resourceBytes - off)).toString('base64');
        await put(b64.replace(/.{76}/g, '$&\n') + '\n');
      }
      await put(`</data>\n      <mime>application/octet-stream</mime>\n      <resource-attributes><file-name>big-${n}.bin</file-name></resource-attributes>\n    </resource>\n`);
    }
    await put('  </note>\n');
  }
  await put('</en-export>\n');
  ws.end();
  await once(ws, 'finish');
  return { bytes, notes: o.notes, resources };
}

/** block i of a resource: the seed with its first bytes replaced by the block number (every block differs); a multiple of 3 bytes but for the last */
function blockOf(seed: Buffer, i: number, length: number): Buffer {
  const b = Buffer.from(seed.subarray(0, length));
  b.writeUInt32BE(i >>> 0, 0);
  return b;
}
