import { KeyCache } from './key-cache';
import { BoxKeyPair, SignKeyPair, wipe } from './sodium';

/** DEKs kept open: the least recently used goes first when there are more (key-cache.ts) */
export const DEK_CACHE_ENTRIES = 4096;

export interface MemberKeys { sign: SignKeyPair; box: BoxKeyPair }

/** Every key an unlocked vault holds in memory. lock() wipes them all. */
export class Keyring {
  readonly members = new Map<string, MemberKeys>();
  /** member_id → box keys retired by a member-key rotation: still open what was sealed before it (history) */
  readonly retired = new Map<string, BoxKeyPair[]>();
  /** `${space_id}#${epoch}` → the epoch key every device writes under */
  readonly epochKeys = new Map<string, Uint8Array>();
  /** `${space_id}#${epoch}` → every key of that epoch this device holds (concurrent starts), canonical first */
  readonly epochCandidates = new Map<string, Uint8Array[]>();
  /** memory_id → DEK, the DEK_CACHE_ENTRIES most recently used (an evicted one is dropped, not wiped) */
  readonly deks = new KeyCache(DEK_CACHE_ENTRIES);

  constructor(
    public vmk: Uint8Array,
    public readonly deviceId: string,
    public readonly memberId: string,
    public readonly deviceSign: SignKeyPair,
    public readonly deviceBox: BoxKeyPair,
    /** wraps BLACK memory keys; never leaves this device */
    public readonly deviceLocalKey: Uint8Array,
    /** encrypts local metadata such as space and member names */
    public readonly metaKey: Uint8Array,
  ) {}

  wipe(): void {
    wipe(this.vmk);
    wipe(this.deviceSign.privateKey);
    wipe(this.deviceBox.privateKey);
    wipe(this.deviceLocalKey);
    wipe(this.metaKey);
    for (const m of this.members.values()) { wipe(m.sign.privateKey); wipe(m.box.privateKey); }
    for (const list of this.retired.values()) for (const b of list) wipe(b.privateKey);
    this.retired.clear();
    for (const k of this.epochKeys.values()) wipe(k);
    for (const list of this.epochCandidates.values()) for (const k of list) wipe(k);
    this.epochCandidates.clear();
    for (const k of this.deks.values()) wipe(k);
    this.members.clear();
    this.epochKeys.clear();
    this.deks.clear();
  }
}
