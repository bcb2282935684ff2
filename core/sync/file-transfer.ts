import { createHash, type Hash } from 'node:crypto';
import { keys, type Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { dedupeKey } from '../attachments/dedupe-key';
import { chunkAd } from '../attachments/seal-blob';
import { blobKeyOf, openMeta } from '../attachments/sealed-meta';
import { secretstreamOpener, type Opener } from '../crypto/secretstream';
import { b64, fromB64 } from '../crypto/sodium';
import { unwrapDek, type DekWrap } from '../memories/memory-keys';
import { findRecord } from '../memories/read-model';
import { attachmentBlobsTable, attachmentsTable } from '../store/tables/attachments';
import type { Frame, FrameOf } from './frames';
import type { RefusalReason } from './receive';

/** What a transfer needs of its session (the session implements it). */
export interface FileSession {
  readonly ctx: Ctx;
  readonly closed: boolean;
  send(f: Frame): boolean;
  /** resolves when the stream has room again (or closed) */
  whenDrained(): Promise<void>;
  /** the spaces this session's peer shares with this device, asked afresh each time */
  sharedSpaces(): string[];
  peerDevice(): string | null;
  refuse(reason: RefusalReason): void;
}

interface Fetch {
  attachment_id: string; blob_id: string; space: string; chunks: number; size: number; sha256: string;
  opener: Opener; ad: Uint8Array; seq: number; bytes: number; hash: Hash; lastAt: number;
  /** a resume asked for at this seq and not answered yet (frames before it are ignored meanwhile) */
  resumeAt: number | null;
  /** resumes asked for without progress: a peer that keeps failing is not asked again in this session */
  misses: number;
}

/** a peer that sends nothing of a fetch for this long is asked to resume it (a healthy one sends a chunk every few ms) */
const STALL_MS = 5_000;
/** a file this peer failed to send is asked of it again after this long (a busy peer, a file it had not received itself yet) */
const SKIP_MS = 60_000;
/** resumes in a row without a chunk arriving before the fetch is given up and started afresh later */
const MAX_MISSES = 3;
/**
 * how long a fetch given up for misses waits: a lossy or slow link, not a peer that lacks the
 * file or forged a chunk, so it is retried soon (what arrived stays and is resumed from)
 */
const MISSES_RETRY_MS = 2 * STALL_MS;

// blobs being fetched by any session of a data directory: one transfer per blob writes its chunks
const inFlight = new WeakMap<Ctx, Set<string>>();
const fetchingOf = (ctx: Ctx): Set<string> => { let s = inFlight.get(ctx); if (!s) inFlight.set(ctx, (s = new Set())); return s; };

/**
 * A file's chunks between two devices of a space, apart from the sync log: the log carries what
 * a file is (the memory's files document, under the memory's key); a device that can open it
 * asks a peer for its chunks, one attachment at a time, and the peer sends them as stored, in
 * order, waiting whenever the stream is full — so neither side holds more than a chunk or two of
 * a 100 MB file. Every chunk is authenticated (secretstream, bound to its blob) before it is
 * written, and the whole is checked against its SHA-256 before the blob counts as here. A lost or
 * reordered frame, a stall or a new session resumes after the chunks already held (re-read and
 * authenticated again here first); a chunk that does not authenticate throws away what arrived
 * and that peer is not asked for the file again for a minute. A BLACK memory's file is never
 * sent.
 */
export class FileTransfer {
  private fetching: Fetch | null = null;
  /** files this peer lacks or failed to send → until when they are not asked of it again */
  private readonly skip = new Map<string, number>();
  private readonly wants: FrameOf<'file_want'>[] = [];
  private sending = false;

  constructor(private readonly s: FileSession) {}

  // ---- the fetching side -----------------------------------------------------------------------

  /** Asks for the next file this device can open but does not hold yet (at most one at a time); resumes a stalled one. */
  maybeFetch(): void {
    const ctx = this.s.ctx;
    if (this.s.closed || !ctx.keyring) return;
    const cur = this.fetching;
    if (cur) {
      if (ctx.clock.now() - cur.lastAt >= STALL_MS) this.resume(cur);
      return;
    }
    const busy = fetchingOf(ctx);
    for (const row of attachmentBlobsTable.missing(ctx.db, this.s.sharedSpaces(), 64)) {
      if ((this.skip.get(row.attachment_id) ?? 0) > ctx.clock.now() || busy.has(row.blob_id)) continue;
      const f = this.start(row.attachment_id);
      if (!f) { this.skip.set(row.attachment_id, ctx.clock.now() + SKIP_MS); continue; }
      this.fetching = f;
      busy.add(f.blob_id);
      this.s.send({ t: 'file_want', space: f.space, attachment_id: f.attachment_id, ...(f.seq ? { from: f.seq } : {}) });
      return;
    }
  }

  private start(attachmentId: string): Fetch | null {
    const ctx = this.s.ctx;
    const row = attachmentsTable.find(ctx.db, attachmentId);
    if (!row) return null;
    let rec;
    try { rec = findRecord(ctx, row.memory_id); } catch { return null; }
    const dek = rec ? unwrapDek(ctx, row.space_id, row.memory_id, rec.meta.dek as DekWrap) : null;
    const meta = dek ? openMeta(row, dek) : null;
    const blob = attachmentBlobsTable.find(ctx.db, row.blob_id);
    if (!meta || !blob || blob.complete) return null;
    const f: Fetch = {
      attachment_id: row.attachment_id, blob_id: blob.blob_id, space: row.space_id, chunks: blob.chunks, size: meta.size, sha256: meta.sha256,
      opener: secretstreamOpener(blobKeyOf(meta), blob.header), ad: chunkAd(blob.blob_id), seq: 0, bytes: 0, hash: createHash('sha256'),
      lastAt: ctx.clock.now(), resumeAt: null, misses: 0,
    };
    // what an earlier transfer left: read back and authenticated again, so the stream (and the
    // hash) carry on from its end; anything that does not authenticate, and all after it, goes
    for (; f.seq < f.chunks; f.seq++) {
      const c = attachmentBlobsTable.chunk(ctx.db, blob.blob_id, f.seq);
      const opened = c ? f.opener.pull(c.ct, f.ad) : null;
      if (!opened || opened.final) break;
      f.hash.update(opened.message);
      f.bytes += opened.message.length;
    }
    if (f.seq < f.chunks && attachmentBlobsTable.chunkCount(ctx.db, blob.blob_id) > f.seq) {
      const keep = f.seq;
      ctx.uow.run(() => attachmentBlobsTable.dropChunksFrom(ctx.db, blob.blob_id, keep));
    }
    return f;
  }

  /** Asks the peer again from the first chunk not held (a frame lost or out of order, or a stall). */
  private resume(cur: Fetch): void {
    if (++cur.misses > MAX_MISSES) { this.abort(MISSES_RETRY_MS); this.maybeFetch(); return; }
    cur.resumeAt = cur.seq;
    cur.lastAt = this.s.ctx.clock.now();
    this.s.send({ t: 'file_want', space: cur.space, attachment_id: cur.attachment_id, from: cur.seq });
  }

  onChunk(f: FrameOf<'file_chunk'>): void {
    const ctx = this.s.ctx;
    const cur = this.fetching;
    if (!cur || f.attachment_id !== cur.attachment_id || f.space !== cur.space) return; // late frames of a transfer given up
    // a copy of one held already, or one past a lost frame: ask again from the first missing (once)
    if (f.seq < cur.seq) return;
    if (f.seq > cur.seq) { if (cur.resumeAt !== cur.seq) { this.s.refuse('gap'); this.resume(cur); } return; }
    const ct = fromB64(f.ct);
    const opened = cur.opener.pull(ct, cur.ad);
    if (!opened || opened.final !== (cur.seq === cur.chunks - 1)) { this.s.refuse('bad_signature'); this.abort(true, true); this.maybeFetch(); return; }
    // erased or removed meanwhile: its blob row is gone, and no chunk of it may be stored
    const stored = ctx.uow.run(() => {
      if (!attachmentBlobsTable.find(ctx.db, cur.blob_id)) return false;
      attachmentBlobsTable.putChunk(ctx.db, cur.blob_id, cur.seq, ct);
      return true;
    });
    if (!stored) { this.abort(false); this.maybeFetch(); return; }
    cur.hash.update(opened.message);
    cur.bytes += opened.message.length;
    cur.seq++;
    cur.lastAt = ctx.clock.now();
    cur.resumeAt = null;
    cur.misses = 0;
    if (!opened.final) return;
    const sha = cur.hash.digest('hex');
    if (sha !== cur.sha256 || cur.bytes !== cur.size) { this.s.refuse('bad_signature'); this.abort(true, true); this.maybeFetch(); return; }
    const row = attachmentsTable.find(ctx.db, cur.attachment_id);
    ctx.uow.run(() => {
      attachmentBlobsTable.complete(ctx.db, cur.blob_id, dedupeKey(ctx, cur.space, sha), cur.chunks, cur.bytes);
      // screens follow events: the file's memory can show it as here now (ids and counts only)
      emit(ctx, {
        topic: 'SYNC_APPLIED', space_id: cur.space, actor: { member_id: keys(ctx).memberId, caps: [] },
        payload: { author_devices: this.s.peerDevice() ? [this.s.peerDevice()!] : [], entries: 0, files: 1, memory_ids: row ? [row.memory_id] : [] },
      });
    });
    ctx.metrics.inc('memoryos_attachment_chunks_fetched_total', {}, cur.chunks);
    this.release();
    this.maybeFetch();
  }

  onNone(f: FrameOf<'file_none'>): void {
    if (this.fetching?.attachment_id !== f.attachment_id) return;
    this.abort(true);
    this.maybeFetch();
  }

  /**
   * Gives up the current fetch, not to ask this peer for it again for a while (`skip`: true for
   * SKIP_MS, or a number of ms). What
   * arrived authenticated stays for the next transfer to resume from, unless `discard`: a peer
   * that sent a forged chunk may have sent forged ones before it that happened to verify under a
   * key it also holds — the next transfer starts over.
   */
  private abort(skip: boolean | number, discard = false): void {
    const cur = this.fetching;
    if (!cur) return;
    if (skip !== false) this.skip.set(cur.attachment_id, this.s.ctx.clock.now() + (skip === true ? SKIP_MS : skip));
    if (discard) try { this.s.ctx.uow.run(() => attachmentBlobsTable.dropChunks(this.s.ctx.db, cur.blob_id)); } catch { /* locked: the next fetch re-reads and checks them */ }
    this.release();
  }

  private release(): void {
    if (this.fetching) fetchingOf(this.s.ctx).delete(this.fetching.blob_id);
    this.fetching = null;
  }

  // ---- the sending side ------------------------------------------------------------------------

  onWant(f: FrameOf<'file_want'>): void {
    if (this.wants.length >= 256) { this.s.refuse('malformed'); return; }
    this.wants.push(f);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.wants.length && !this.s.closed) await this.sendFile(this.wants.shift()!);
    } catch (e) {
      this.s.ctx.log.warn('file send failed', { error: (e as Error).name });
    } finally {
      this.sending = false;
    }
  }

  private async sendFile(f: FrameOf<'file_want'>): Promise<void> {
    const ctx = this.s.ctx;
    const none = (): void => { this.s.send({ t: 'file_none', space: f.space, attachment_id: f.attachment_id }); };
    if (!ctx.keyring || !this.s.sharedSpaces().includes(f.space)) return none();
    const row = attachmentsTable.find(ctx.db, f.attachment_id);
    if (!row || row.space_id !== f.space) return none();
    let rec;
    try { rec = findRecord(ctx, row.memory_id); } catch { return none(); }
    // a BLACK memory's files never leave this device, whoever asks
    if (!rec || rec.band === 'BLACK') return none();
    const blob = attachmentBlobsTable.find(ctx.db, row.blob_id);
    if (!blob || !blob.complete) return none();
    for (let seq = f.from ?? 0; seq < blob.chunks; seq++) {
      if (this.s.closed || !ctx.keyring) return;
      // the peer asked again (it lost a frame): that want is answered instead, from where it says
      if (this.wants.some((w) => w.attachment_id === f.attachment_id)) return;
      const c = attachmentBlobsTable.chunk(ctx.db, blob.blob_id, seq);
      if (!c) return none(); // erased while it was being sent
      if (!this.s.send({ t: 'file_chunk', space: f.space, attachment_id: f.attachment_id, seq, ct: b64(c.ct) })) await this.s.whenDrained();
    }
  }

  close(): void { this.release(); this.wants.length = 0; }
}
