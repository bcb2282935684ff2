/**
 * The baselines of the import phases (import-phases.ts), each in a fresh process so its peak RSS
 * is its own: the same bytes read, encrypted with sodium-native and inserted into a plain SQLite
 * table (better-sqlite3-multiple-ciphers with no key, WAL, synchronous=FULL as MemoryOS) —
 * nothing of MemoryOS's parsing into memories, policy, CRDT, log, index or dedupe.
 *
 *   markdown <folder> <db dir>  every file read whole, AEAD-sealed (XChaCha20-Poly1305), one row
 *                               per file, one transaction per file (MemoryOS writes each item
 *                               atomically, so each commit is durable on both sides)
 *   enex <file> <db dir>        a sax stream parse; each note's text (title, ENML, dates, tags)
 *                               sealed into one row in its own transaction, each resource's base64
 *                               decoded as it streams and sealed with secretstream in 64 KiB chunks
 *                               (the attachments' chunk size), 4 MiB of chunks per transaction
 *   file <path> <db dir>        the file read in 64 KiB pieces, secretstream-sealed, 4 MiB of
 *                               chunks per transaction (what attachment.add must at least do)
 *
 * Prints {ms, rss_before, peak_rss, items, chunks, bytes}.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import sax from 'sax';
import sn from 'sodium-native';
import { rawEncrypt } from './raw-aead';
import { filesUnder } from './stats';

const CHUNK = 64 * 1024;
const TXN_BYTES = 4 * 1024 * 1024;

const peakRss = (): number => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024;

function openDb(dir: string): Database.Database {
  const db = new Database(join(dir, 'import-baseline.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, nonce BLOB NOT NULL, ct BLOB NOT NULL)');
  db.exec('CREATE TABLE IF NOT EXISTS chunks (blob INTEGER NOT NULL, seq INTEGER NOT NULL, ct BLOB NOT NULL, PRIMARY KEY (blob, seq))');
  return db;
}

/** secretstream chunks of one blob into the chunks table, a transaction every 4 MiB */
function blobWriter(db: Database.Database, key: Uint8Array, blob: number) {
  const state = new Uint8Array(sn.crypto_secretstream_xchacha20poly1305_STATEBYTES);
  const header = new Uint8Array(sn.crypto_secretstream_xchacha20poly1305_HEADERBYTES);
  sn.crypto_secretstream_xchacha20poly1305_init_push(state, header, key);
  const ins = db.prepare('INSERT INTO chunks (blob, seq, ct) VALUES (?, ?, ?)');
  let seq = 0, pending: Uint8Array[] = [], pendingBytes = 0;
  const flush = () => { const first = seq - pending.length; db.transaction(() => { pending.forEach((ct, i) => ins.run(blob, first + i, ct)); })(); pending = []; pendingBytes = 0; };
  return {
    header,
    push(m: Uint8Array, final: boolean): void {
      const c = new Uint8Array(m.length + sn.crypto_secretstream_xchacha20poly1305_ABYTES);
      sn.crypto_secretstream_xchacha20poly1305_push(state, c, m, null, final ? sn.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sn.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
      pending.push(c); pendingBytes += c.length; seq++;
      if (pendingBytes >= TXN_BYTES || final) flush();
    },
    chunks: () => seq,
  };
}

/** Gathers bytes into 64 KiB chunks; the last (maybe short) one goes out with final. */
function chunker(push: (m: Uint8Array, final: boolean) => void) {
  let parts: Buffer[] = [], have = 0;
  return {
    add(b: Buffer): void {
      parts.push(b); have += b.length;
      if (have < CHUNK * 2) return;
      let all = Buffer.concat(parts);
      while (all.length >= CHUNK * 2) { push(all.subarray(0, CHUNK), false); all = all.subarray(CHUNK); }
      parts = [all]; have = all.length;
    },
    end(): void {
      let all = Buffer.concat(parts);
      while (all.length > CHUNK) { push(all.subarray(0, CHUNK), false); all = all.subarray(CHUNK); }
      push(all, true);
      parts = []; have = 0;
    },
  };
}

type Out = { items: number; chunks: number; bytes: number };

function markdown(root: string, db: Database.Database, key: Uint8Array): Out {
  const ins = db.prepare('INSERT INTO notes (id, nonce, ct) VALUES (?, ?, ?)');
  let items = 0, bytes = 0;
  for (const f of filesUnder(root)) {
    const plain = readFileSync(f);
    const nonce = randomBytes(24);
    const ct = rawEncrypt(plain, relative(root, f), nonce, key);
    const id = ++items;
    db.transaction(() => ins.run(id, nonce, ct))();
    bytes += plain.length;
  }
  return { items, chunks: 0, bytes };
}

async function enex(file: string, db: Database.Database, key: Uint8Array): Promise<Out> {
  const ins = db.prepare('INSERT INTO notes (id, nonce, ct) VALUES (?, ?, ?)');
  const parser = sax.createStream(true, { trim: false });
  let items = 0, chunks = 0, blobs = 0, bytes = 0;
  let inNote = false, inData = false;
  let noteText: string[] = [];
  let b64Rest = '';
  let writer: ReturnType<typeof blobWriter> | null = null;
  let chunk: ReturnType<typeof chunker> | null = null;
  const feed = (t: string) => {
    const s = b64Rest + t.replace(/\s+/g, '');
    const whole = s.length - (s.length % 4);
    b64Rest = s.slice(whole);
    if (whole) { const b = Buffer.from(s.slice(0, whole), 'base64'); bytes += b.length; chunk!.add(b); }
  };
  const onText = (t: string) => { if (inData) feed(t); else if (inNote) noteText.push(t); };
  parser.on('opentag', (tag) => {
    if (tag.name === 'note') { inNote = true; noteText = []; }
    else if (tag.name === 'data') { inData = true; b64Rest = ''; writer = blobWriter(db, key, ++blobs); chunk = chunker((m, f) => writer!.push(m, f)); }
  });
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (name) => {
    if (name === 'data') { if (b64Rest) feed('===='.slice(b64Rest.length % 4)); chunk!.end(); chunks += writer!.chunks(); inData = false; }
    else if (name === 'note') {
      const plain = Buffer.from(noteText.join(''));
      const nonce = randomBytes(24);
      const id = ++items;
      const ct = rawEncrypt(plain, String(id), nonce, key);
      db.transaction(() => ins.run(id, nonce, ct))();
      bytes += plain.length;
      inNote = false;
    }
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('error', reject);
    parser.on('end', () => resolve());
    createReadStream(file, { highWaterMark: CHUNK }).on('error', reject).pipe(parser);
  });
  return { items, chunks, bytes };
}

async function file(path: string, db: Database.Database, key: Uint8Array): Promise<Out> {
  const writer = blobWriter(db, key, 1);
  let bytes = 0, prev: Buffer | null = null;
  // one piece behind, so the last piece goes out marked final
  for await (const piece of createReadStream(path, { highWaterMark: CHUNK })) {
    if (prev) writer.push(prev, false);
    prev = piece as Buffer; bytes += prev.length;
  }
  writer.push(prev ?? Buffer.alloc(0), true);
  return { items: 1, chunks: writer.chunks(), bytes };
}

async function main(): Promise<void> {
  const [mode, src, dir] = process.argv.slice(2);
  const db = openDb(dir!);
  const key = new Uint8Array(randomBytes(32)); // a throwaway key for synthetic data
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const out = mode === 'markdown' ? markdown(src!, db, key) : mode === 'enex' ? await enex(src!, db, key) : mode === 'file' ? await file(src!, db, key) : null;
  if (!out) throw new Error(`unknown mode ${mode}`);
  const ms = performance.now() - t0;
  db.close();
  process.stdout.write(JSON.stringify({ ms, rss_before: rssBefore, peak_rss: peakRss(), ...out }));
}

main().catch((e) => { process.stderr.write(`import-baseline failed: ${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
