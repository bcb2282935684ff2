import type NoiseSecretStream from '@hyperswarm/secret-stream';
import type { Ctx } from '../context/ctx';
import { ApiError } from '../shared/errors';
import { refusedByPeer } from '../policy/authorize';
import { deviceByKey } from '../members/devices';
import type { Roster } from '../spaces/roster';
import { applyRoster } from '../spaces/roster';
import { entriesAfter, entriesAfterId, entriesSince, entryToJson, spaceVector } from '../store/sync-log';
import { FileTransfer } from './file-transfer';
import { decodeFrame, type Frame, type FrameOf } from './frames';
import { plainLink, type FrameLink, type LinkWrapper } from './link';
import { receiveEntries, releasePrep, type PrepUse, type Refusal, type RefusalReason } from './receive';
import { prepareAhead, PREP_FROM, warmReceiveThread } from './receive-prep-thread';
import { equalVectors, vectorGap } from './vector';

/** What a session that starts a pairing or a join must do right after the handshake. */
export interface Intent {
  kind: 'pair' | 'join';
  expectKey: Buffer;
  firstFrame(handshakeHash: Buffer): Frame;
  onReply(session: Session, f: Frame): void;
  fail(e: Error): void;
}

export interface SessionOptions {
  intent?: Intent;
  address?: string | null;
  transport: 'direct' | 'hyperswarm';
}

/** What a session needs from the node that holds it (the node implements it; sessions never reach further). */
export interface SessionHost {
  readonly ctx: Ctx;
  readonly wrapLink?: LinkWrapper;
  attach(s: Session): void;
  detach(s: Session): void;
  notify(): void;
  sharedSpaces(peerDevice: string): string[];
  isOwnTrusted(peerDevice: string): boolean;
  roster(spaces: string[]): Roster[];
  addressHints(): string[];
  rememberAddress(device: string, addresses: string[]): void;
  countRefusal(s: Session | null, reason: RefusalReason): void;
  report(s: Session, refused: Refusal[]): void;
  /** `at`: when the session verified (default now) */
  recordPeer(device: string, space: string, verified: boolean, at?: number): void;
  /** pairing and joining frames (the node's pairing part answers them) */
  onSetupRequest(s: Session, f: FrameOf<'pair'> | FrameOf<'join'>): void;
  onKeys(s: Session, f: FrameOf<'keys'>): void;
  onConfirm(s: Session, f: FrameOf<'confirm'>): void;
  maybeSendKeys(s: Session): void;
}

/** `recordedAt`: when `verifiedAt` was last written to sync_peers; `unrecorded`: it has moved on since (written at the latest when the session closes) */
interface SpaceState { peerVec: Record<string, number> | null; sent: Record<string, number>; cursor: number; verifiedAt: number | null; recordedAt: number; unrecorded: boolean }

const BATCH_ENTRIES = 256;
const BATCH_BYTES = 1024 * 1024;
const INFLIGHT_STALE_MS = 5000;
/**
 * how often a session writes "verified up to date" to sync_peers: an initial sync is verified
 * after every frame it applies, and each write was a commit of its own (~130 ms of fsyncs in 10k
 * memories); sync.status reads the live session, the table is for after it closes
 */
const RECORD_VERIFIED_MS = 1000;

/** frames that may wait in a session's line before it stops reading from the peer */
const MAX_WAITING = 4;

/**
 * One authenticated connection to one peer device, over any Noise secret stream (TCP or
 * Hyperswarm): vectors in `hello`, missing entries in batches, live push, acks, back-pressure.
 * Nothing here trusts the peer: every entry goes through receiveEntries' checks.
 */
export class Session {
  peerDevice: string | null = null;
  peerMember: string | null = null;
  readonly spaces = new Map<string, SpaceState>();
  readonly openedAt: number;
  lastSeen: number;
  closed = false;
  private readonly plain: FrameLink;
  private readonly link: FrameLink;
  private inflight = new Map<number, { space: string; at: number }>();
  private batchNo = 0;
  private flushing = false;
  private again = false;
  private waitTimer: NodeJS.Timeout | null = null;
  /** frames waiting for an earlier frame's preparation, and the end of that line */
  private waiting = 0;
  private turn: Promise<void> = Promise.resolve();
  /** reading paused while the line is long */
  private held = false;
  private readyResolve!: (ok: boolean) => void;
  /** true once the peer said hello (it accepted this device), false if the session closed first */
  readonly ready = new Promise<boolean>((r) => { this.readyResolve = r; });
  /** attachment chunks to and from this peer, apart from the log (file-transfer.ts) */
  readonly files: FileTransfer;

  constructor(readonly node: SessionHost, readonly stream: NoiseSecretStream, readonly opts: SessionOptions) {
    this.openedAt = this.lastSeen = this.now();
    const session = this;
    this.files = new FileTransfer({
      ctx: node.ctx,
      get closed() { return session.closed; },
      send: (f) => this.send(f),
      whenDrained: () => this.drained(),
      sharedSpaces: () => (this.peerDevice ? this.node.sharedSpaces(this.peerDevice) : []),
      peerDevice: () => this.peerDevice,
      refuse: (reason) => this.node.countRefusal(this, reason),
    });
    this.plain = plainLink(stream);
    this.link = node.wrapLink ? node.wrapLink(this.plain) : this.plain;
    stream.on('data', (buf: Buffer) => this.onData(buf));
    stream.on('error', (e: Error) => this.node.ctx.log.info('sync stream error', { error: e.name, peer: this.peerDevice ?? 'unknown' }));
    stream.on('close', () => this.onClose());
    stream.opened.then((ok) => (ok ? this.onOpen() : this.close()), () => this.close());
  }

  private now(): number { return this.node.ctx.clock.now(); }

  get remoteKey(): Buffer | null { return this.stream.remotePublicKey; }
  get handshakeHash(): Buffer { return this.stream.handshakeHash!; }

  private onOpen(): void {
    if (this.closed) return;
    const key = this.stream.remotePublicKey!;
    const intent = this.opts.intent;
    if (intent) {
      if (!key.equals(intent.expectKey)) {
        intent.fail(new ApiError('UNAUTHORIZED', 'the device at that address is not the one the invite names'));
        this.close();
        return;
      }
      this.sendRaw(intent.firstFrame(this.handshakeHash));
      return;
    }
    let dev;
    try { dev = deviceByKey(this.node.ctx, key); } catch { this.close(); return; }
    if (dev && dev.status !== 'revoked' && dev.local !== 1) {
      this.bind(dev.device_id);
      return;
    }
    if (dev) { this.close(); return; } // revoked, or our own key: refused
    // an unknown device may only pair or join, and must say so promptly
    this.waitTimer = setTimeout(() => { if (!this.peerDevice) this.close(); }, 15_000);
    this.waitTimer.unref?.();
  }

  /** The peer is known: start syncing. */
  bind(deviceId: string): void {
    if (this.waitTimer) { clearTimeout(this.waitTimer); this.waitTimer = null; }
    this.peerDevice = deviceId;
    this.node.attach(this);
    this.sendHello();
  }

  private onData(raw: Buffer): void {
    if (this.closed) return;
    const f = decodeFrame(this.link.received(raw));
    if (!f) { this.node.countRefusal(this, 'malformed'); return; }
    this.lastSeen = this.now();
    // a large entries frame is prepared on the second thread (receive-prep-thread.ts) while the
    // frames before it are applied; every frame after it waits its turn, so the peer's order holds
    const prep = f.t === 'entries' && this.peerDevice && this.spaces.has(f.space) ? prepareAhead(this.node.ctx, f.space, f.entries) : null;
    if (!prep && !this.waiting) { this.handle(f); return; }
    this.waiting++;
    // a bounded line: past a few frames the stream stops reading (the peer's writes then wait on
    // back-pressure, as they did when every frame was applied the moment it came)
    if (this.waiting >= MAX_WAITING && !this.held) { this.held = true; this.stream.pause(); }
    this.turn = this.turn.then(async () => {
      const p = prep ? await prep : null;
      this.waiting--;
      if (!this.closed) this.handle(f, p ?? undefined);
      else releasePrep(p); // dropped with the session: its key copies go too
      if (this.held && this.waiting <= MAX_WAITING / 2) { this.held = false; if (!this.closed) this.stream.resume(); }
    });
  }

  private handle(f: Frame, prep?: PrepUse): void {
    try {
      this.dispatch(f, prep);
    } catch (e) {
      this.node.ctx.log.warn('sync frame failed', { frame: f.t, error: (e as Error).name, code: (e as ApiError).code ?? null, peer: this.peerDevice ?? 'unknown' });
      if ((e as ApiError).code === 'LOCKED') this.close();
    }
  }

  private dispatch(f: Frame, prep?: PrepUse): void {
    switch (f.t) {
      case 'pair': case 'join': this.node.onSetupRequest(this, f); return;
      case 'pair_ok': case 'join_ok': this.opts.intent?.onReply(this, f); return;
      case 'error': this.opts.intent?.fail(refusedByPeer(f.code.slice(0, 40), f.message.slice(0, 200))); return;
      case 'keys': this.node.onKeys(this, f); return;
      case 'confirm': this.node.onConfirm(this, f); return;
      default: break;
    }
    if (!this.peerDevice) return;
    if (f.t === 'hello') this.onHello(f);
    else if (f.t === 'entries') this.onEntries(f, prep);
    else if (f.t === 'ack') this.onAck(f);
    else if (f.t === 'file_want') this.files.onWant(f);
    else if (f.t === 'file_chunk') this.files.onChunk(f);
    else if (f.t === 'file_none') this.files.onNone(f);
  }

  sendHello(): void {
    if (!this.peerDevice || this.closed) return;
    const ctx = this.node.ctx;
    if (!ctx.keyring) return;
    const shared = this.node.sharedSpaces(this.peerDevice);
    const spaces: Record<string, Record<string, number>> = {};
    for (const s of shared) spaces[s] = spaceVector(ctx, s);
    const own = this.node.isOwnTrusted(this.peerDevice);
    const addresses = this.node.addressHints();
    this.send({ t: 'hello', v: 1, device_id: ctx.keyring.deviceId, member_id: ctx.keyring.memberId, spaces, ...(addresses.length ? { addresses } : {}), ...(own ? { roster: this.node.roster(shared) } : {}) });
  }

  private verified(space: string, st: SpaceState, at: number): void {
    st.verifiedAt = at;
    st.unrecorded = at - st.recordedAt < RECORD_VERIFIED_MS;
    if (st.unrecorded) return;
    st.recordedAt = at;
    this.node.recordPeer(this.peerDevice!, space, true);
  }

  /** What the throttle in verified() has not written yet, written as the session ends. */
  private recordVerified(): void {
    for (const [space, st] of this.spaces) {
      if (!st.unrecorded || !this.peerDevice) continue;
      st.unrecorded = false;
      // when it last verified, not now: the peers may have drifted apart since (a frame lost, a peer
      // gone quiet); a vault locked meanwhile has no database to write to, and the figure goes with the session
      try { if (this.node.ctx.keyring && st.verifiedAt !== null) this.node.recordPeer(this.peerDevice, space, true, st.verifiedAt); } catch { /* see above */ }
    }
  }

  private onHello(f: FrameOf<'hello'>): void {
    const ctx = this.node.ctx;
    if (f.device_id !== this.peerDevice) { this.node.countRefusal(this, 'malformed'); return; }
    this.readyResolve(true);
    let reply = false;
    if (f.addresses) this.node.rememberAddress(this.peerDevice, f.addresses);
    if (this.peerMember !== f.member_id) { reply = this.peerMember !== null; this.peerMember = f.member_id; }
    if (f.roster && this.node.isOwnTrusted(this.peerDevice) && f.member_id === ctx.keyring?.memberId) {
      if (ctx.uow.run(() => applyRoster(ctx, f.roster as Roster[], this.peerDevice!))) reply = true;
    }
    this.node.maybeSendKeys(this);
    const now = this.now();
    for (const [b, x] of this.inflight) if (now - x.at > INFLIGHT_STALE_MS) this.inflight.delete(b);
    const shared = new Set(this.node.sharedSpaces(this.peerDevice));
    for (const s of [...this.spaces.keys()]) if (!shared.has(s)) this.spaces.delete(s);
    for (const s of shared) {
      const pv = f.spaces[s];
      if (!pv) continue;
      let st = this.spaces.get(s);
      if (!st) { this.spaces.set(s, (st = { peerVec: null, sent: {}, cursor: 0, verifiedAt: null, recordedAt: 0, unrecorded: false })); reply = true; }
      st.peerVec = { ...pv };
      const gap = vectorGap(spaceVector(ctx, s), pv);
      // rewind only when the peer lacks something: an idle hello, or one from a peer this device is
      // still catching up with (an initial sync), must not re-read the whole log
      if (gap.ahead > 0) {
        if (![...this.inflight.values()].some((x) => x.space === s)) { st.sent = { ...pv }; st.cursor = 0; }
      } else {
        // it holds all this device does (entries from a third device too): none of them is sent to it again
        for (const [a, q] of Object.entries(pv)) if (q > (st.sent[a] ?? 0)) st.sent[a] = q;
      }
      if (!gap.ahead && !gap.behind) this.verified(s, st, now);
      else this.node.recordPeer(this.peerDevice, s, false);
      // a peer far ahead (an initial sync): the receive thread loads now (~0.4 s), before its first frame
      if (gap.behind >= PREP_FROM) warmReceiveThread();
    }
    if (reply) this.sendHello();
    void this.flush();
    // files whose chunks are not here yet (also a fetch that stalled: every hello looks again)
    this.files.maybeFetch();
  }

  private onEntries(f: FrameOf<'entries'>, prep?: PrepUse): void {
    const ctx = this.node.ctx;
    const st = this.spaces.get(f.space);
    // flush reads the log from the cursor on and skips what the peer holds: when it had nothing
    // left to read, and every row this frame adds is an entry the peer sent, the cursor moves past
    // them (an initial sync otherwise reads back, whole, every entry it just stored)
    const caughtUp = !!st && !entriesAfterId(ctx, f.space, st.cursor);
    const res = receiveEntries(ctx, f.space, f.entries, prep);
    this.node.report(this, res.refused);
    if (st && caughtUp && res.stored) {
      const added = entriesSince(ctx, f.space, st.cursor);
      if (added.n === res.stored) st.cursor = added.last;
    }
    if (st) {
      // what the peer sent, it holds: never send it back
      for (const e of f.entries) {
        const a = (e as { author_device?: unknown })?.author_device;
        const q = (e as { seq?: unknown })?.seq;
        if (typeof a === 'string' && typeof q === 'number' && res.vector[a] !== undefined && q <= res.vector[a]) {
          if (q > (st.sent[a] ?? 0)) st.sent[a] = q;
          if (st.peerVec && q > (st.peerVec[a] ?? 0)) st.peerVec[a] = q;
        }
      }
      // holding everything the peer announced is "verified up to date" now, not at its next hello
      if (st.peerVec && equalVectors(st.peerVec, res.vector)) this.verified(f.space, st, this.now());
    }
    this.send({ t: 'ack', space: f.space, batch: f.batch, vector: res.vector, refused: res.refused.length });
    if (res.stored) this.node.notify();
    if (res.stored) this.files.maybeFetch();
  }

  private onAck(f: FrameOf<'ack'>): void {
    this.inflight.delete(f.batch);
    const st = this.spaces.get(f.space);
    if (st) {
      st.peerVec = { ...f.vector };
      if (equalVectors(st.peerVec, spaceVector(this.node.ctx, f.space))) this.verified(f.space, st, this.now());
    }
  }

  /** Sends every entry the peer lacks, space by space, in local apply order; waits on back-pressure. */
  async flush(): Promise<void> {
    if (this.flushing) { this.again = true; return; }
    this.flushing = true;
    try {
      do {
        this.again = false;
        // membership can change between two flushes (a removal commits): ask again every time
        const shared = new Set(this.peerDevice ? this.node.sharedSpaces(this.peerDevice) : []);
        for (const s of [...this.spaces.keys()]) if (!shared.has(s)) this.spaces.delete(s);
        for (const [space, st] of this.spaces) {
          if (!st.peerVec) continue;
          for (;;) {
            if (this.closed || !this.node.ctx.keyring) return;
            const rows = entriesAfter(this.node.ctx, space, st.cursor, BATCH_ENTRIES);
            if (!rows.length) break;
            const out = [];
            let bytes = 0;
            for (const r of rows) {
              st.cursor = r.id;
              const have = st.sent[r.author_device] ?? 0;
              if (r.seq !== have + 1) continue;
              st.sent[r.author_device] = r.seq;
              out.push(entryToJson(r));
              bytes += r.ciphertext.length * 1.4 + 300;
              if (bytes > BATCH_BYTES) break;
            }
            if (!out.length) continue;
            const batch = ++this.batchNo;
            this.inflight.set(batch, { space, at: this.now() });
            const ok = this.send({ t: 'entries', space, batch, entries: out });
            if (!ok) await this.drained();
          }
        }
      } while (this.again && !this.closed);
    } catch (e) {
      this.node.ctx.log.warn('sync flush failed', { error: (e as Error).name, peer: this.peerDevice ?? 'unknown' });
    } finally {
      this.flushing = false;
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { this.stream.off('drain', done); this.stream.off('close', done); resolve(); };
      this.stream.on('drain', done);
      this.stream.on('close', done);
    });
  }

  /** Frames that set up pairing and joining go straight to the stream: they are one request, one answer. */
  sendRaw(f: Frame): boolean {
    return !this.closed && this.plain.send(f);
  }

  send(f: Frame): boolean {
    return !this.closed && this.link.send(f);
  }

  close(): void {
    this.readyResolve(false);
    if (this.closed) return;
    this.closed = true;
    this.recordVerified();
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.files.close();
    this.link.close();
    this.stream.destroy();
    this.node.detach(this);
  }

  private onClose(): void {
    this.readyResolve(false);
    if (!this.closed) { this.closed = true; this.recordVerified(); this.files.close(); this.link.close(); this.node.detach(this); }
    this.opts.intent?.fail(new ApiError('BUSY', 'the connection closed before the peer answered'));
  }

  status(space: string): { behind: number; ahead: number; verified: boolean; verified_at: number | null } | null {
    const st = this.spaces.get(space);
    if (!st || !st.peerVec) return null;
    const { behind, ahead } = vectorGap(spaceVector(this.node.ctx, space), st.peerVec);
    return { behind, ahead, verified: behind === 0 && ahead === 0 && st.verifiedAt !== null, verified_at: st.verifiedAt };
  }
}
