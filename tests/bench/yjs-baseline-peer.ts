/**
 * The raw-Yjs sync baseline (spec §10): one peer process, driven by run.ts over IPC. Two of them
 * talk plain TCP on loopback — no encryption, no signatures, no log, no database — and frame each
 * Yjs update with a 4-byte length. Role "a" holds the documents and serves them; role "b" pulls.
 *
 *   a: prepare {n}      → builds the corpus' n memories as Y.Docs (two per memory, like MemoryOS:
 *                         content and metadata), untimed
 *   a: serveInitial     → {port}: each connection gets encodeStateAsUpdate of every doc, then end
 *   b: pullInitial {port, docs} → {ms, bytes, cpu_ms}: connect, apply every update to a fresh Y.Doc and read
 *                         its text back; ms from connect to the last applied update
 *   a: serveEdit        → {port}: one Y.Doc with a Y.Text; its updates go to the connected peer
 *   b: joinEdit {port}  → {}: applies what arrives to its replica, acks each update with one byte
 *   a: edit {i}         → {ms}: one Y.Text insert → update sent → applied on b → ack back on a
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import * as Y from 'yjs';
import { memoryAt } from './corpus';

type Msg = { id: number; op: string; [k: string]: unknown };

let docs: Y.Doc[] = [];
const servers: Server[] = [];
const sockets: Socket[] = [];

function frame(u: Uint8Array): Buffer {
  const h = Buffer.allocUnsafe(4);
  h.writeUInt32BE(u.length, 0);
  return Buffer.concat([h, u]);
}

/** Calls onFrame for every complete length-prefixed frame arriving on the socket. */
function readFrames(sock: Socket, onFrame: (f: Buffer) => void): void {
  let buf: Buffer = Buffer.alloc(0);
  sock.on('data', (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    let off = 0;
    while (buf.length - off >= 4) {
      const len = buf.readUInt32BE(off);
      if (buf.length - off - 4 < len) break;
      onFrame(buf.subarray(off + 4, off + 4 + len));
      off += 4 + len;
    }
    buf = off ? buf.subarray(off) : buf;
  });
}

function listen(onConn: (s: Socket) => void): Promise<number> {
  const srv = createServer((s) => { s.setNoDelay(true); sockets.push(s); onConn(s); });
  servers.push(srv);
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve((srv.address() as { port: number }).port)));
}

const connect = (port: number): Promise<Socket> => new Promise((resolve, reject) => {
  const s = createConnection({ port, host: '127.0.0.1' }, () => { s.setNoDelay(true); sockets.push(s); resolve(s); });
  s.once('error', reject);
});

function prepare(n: number): void {
  docs = [];
  for (let i = 0; i < n; i++) {
    const m = memoryAt(i, n);
    const content = new Y.Doc();
    content.transact(() => {
      content.getText('title').insert(0, m.title);
      content.getText('body').insert(0, m.body);
      content.getArray<string>('tags').insert(0, m.tags);
      content.getArray<string>('people').insert(0, m.people);
      content.getArray<string>('places').insert(0, m.places);
    });
    const meta = new Y.Doc();
    meta.transact(() => {
      const f = meta.getMap('fields');
      f.set('type', m.type); f.set('band', m.band); f.set('occurred_at', m.occurred_at);
    });
    docs.push(content, meta);
  }
}

async function sendAll(s: Socket): Promise<void> {
  for (const d of docs) {
    if (!s.write(frame(Y.encodeStateAsUpdate(d)))) await new Promise((r) => s.once('drain', r));
  }
  s.end();
}

async function pullInitial(port: number, expected: number): Promise<{ ms: number; bytes: number; cpu_ms: number }> {
  const t0 = performance.now();
  // this process's CPU over the pull (a figure the other load on the machine skews less than wall time)
  const c0 = process.cpuUsage();
  const s = await connect(port);
  let got = 0;
  let bytes = 0;
  let chars = 0;
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    readFrames(s, (f) => {
      const d = new Y.Doc();
      Y.applyUpdate(d, f);
      chars += d.getText('body').length; // read the state back, as a receiver showing it would
      bytes += f.length + 4;
      if (++got === expected) { const c = process.cpuUsage(c0); resolve({ ms: performance.now() - t0, bytes, cpu_ms: (c.user + c.system) / 1000 }); s.destroy(); }
    });
    s.once('end', () => { if (got < expected) reject(new Error(`baseline pull ended after ${got} of ${expected} updates (${chars} chars)`)); });
  });
}

let editDoc: Y.Doc | null = null;
let editPeer: Socket | null = null;
let ackWaiter: (() => void) | null = null;

async function serveEdit(): Promise<number> {
  editDoc = new Y.Doc();
  editDoc.getText('body').insert(0, memoryAt(0, 1).body);
  editDoc.on('update', (u: Uint8Array) => { editPeer?.write(frame(u)); });
  return listen((s) => {
    editPeer = s;
    s.write(frame(Y.encodeStateAsUpdate(editDoc!)));
    readFrames(s, () => { const w = ackWaiter; ackWaiter = null; w?.(); });
  });
}

async function joinEdit(port: number): Promise<void> {
  const replica = new Y.Doc();
  const s = await connect(port);
  let first = true;
  await new Promise<void>((resolve) => {
    readFrames(s, (f) => {
      Y.applyUpdate(replica, f);
      if (first) { first = false; resolve(); return; }
      s.write(frame(new Uint8Array([replica.getText('body').length & 0xff])));
    });
  });
}

async function edit(i: number): Promise<{ ms: number }> {
  if (!editDoc || !editPeer) throw new Error('edit before serveEdit/joinEdit');
  const acked = new Promise<void>((r) => { ackWaiter = r; });
  const t0 = performance.now();
  const text = editDoc.getText('body');
  text.insert(text.length, ` edit ${i}`);
  await acked;
  return { ms: performance.now() - t0 };
}

const ops: Record<string, (m: Msg) => Promise<unknown>> = {
  prepare: async (m) => { prepare(Number(m.n)); return { docs: docs.length }; },
  serveInitial: async () => ({ port: await listen((s) => { void sendAll(s); }) }),
  pullInitial: async (m) => pullInitial(Number(m.port), Number(m.docs)),
  serveEdit: async () => ({ port: await serveEdit() }),
  joinEdit: async (m) => { await joinEdit(Number(m.port)); return {}; },
  edit: async (m) => edit(Number(m.i)),
};

process.on('message', async (m: Msg) => {
  try {
    const value = await ops[m.op]!(m);
    process.send!({ id: m.id, ok: true, value });
  } catch (e) {
    process.send!({ id: m.id, ok: false, error: (e as Error).stack ?? String(e) });
  }
});
process.on('disconnect', () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  process.exit(0);
});
