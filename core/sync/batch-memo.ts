import * as Y from 'yjs';
import type { Role } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { deviceRow, type DeviceRow } from '../members/devices';
import { heldMetaOf, lazyHeldMeta, type HeldMeta, type Prepared } from '../memories/materialise';
import type { Meta } from '../memories/memory-doc';
import { sameBytes } from '../shared/bytes';
import { roleOf } from '../spaces/spaces';

/**
 * What the checks of one received batch look up again for every entry: the author device's row,
 * its member's role, and a memory's metadata as held so far (its log entries decrypted into a
 * Y.Doc). An initial sync brings hundreds of entries per batch from one device, two per memory,
 * so each of these was read (and the metadata decrypted and applied) once per entry.
 *
 * A memo holds only what the batch itself cannot change, until it does:
 * - rows and roles change only through keyring and space-document entries (members, roles,
 *   devices, revocations, member keys) and what a tombstone applies: `changed()` after any of
 *   those drops everything, so the entries after it are checked against the new state;
 * - a memory's metadata changes only through its own metadata entries: one that is accepted is
 *   applied to the held document (`accepted`; for a new memory the receive thread read, the
 *   document is built from the update only if asked for), one that is refused may have been
 *   applied while deciding, so the held document is dropped (`forget`) and read again from the log.
 * The decisions themselves are not memoised: every entry still goes through the policy.
 */
export class BatchMemo {
  private readonly devices = new Map<string, DeviceRow | undefined>();
  private readonly roles = new Map<string, Role | null>();
  private readonly metas = new Map<string, HeldMeta>();
  /** false once an entry that changes keys, members or roles was applied in this batch */
  pure = true;

  /** `prepared`: the memories the frame's preparation read (receive-prep.ts), by id */
  constructor(private readonly ctx: Ctx, private readonly space: string, private readonly prepared: ReadonlyMap<string, Pick<Prepared, 'meta' | 'metaPlain'>> = new Map()) {}

  device(id: string): DeviceRow | undefined {
    if (!this.devices.has(id)) this.devices.set(id, deviceRow(this.ctx, id));
    return this.devices.get(id);
  }

  role(member: string): Role | null {
    let r = this.roles.get(member);
    if (r === undefined) this.roles.set(member, (r = roleOf(this.ctx, this.space, member)));
    return r;
  }

  /** The metadata document as the log holds it now; the caller may apply one entry to it, then must say `accepted` or `forget`. */
  heldMeta(memoryId: string): HeldMeta {
    let h = this.metas.get(memoryId);
    if (!h) this.metas.set(memoryId, (h = heldMetaOf(this.ctx, this.space, memoryId)));
    return h;
  }

  /**
   * A memory's metadata as the second thread read it from this very update (`plain`, decrypted
   * here), for a memory this device holds no metadata of: what applying it to the empty held
   * document and reading it here would give, without doing it.
   */
  preparedMeta(memoryId: string, plain: Uint8Array): Meta | undefined {
    const p = this.prepared.get(memoryId);
    return p && this.metas.get(memoryId)?.meta === null && sameBytes(p.metaPlain, plain) ? p.meta : undefined;
  }

  /**
   * The held metadata now includes an entry that was stored (`plain`): its metadata as read after
   * it, and the document it was applied to (null: not applied, the metadata came from
   * preparedMeta; the document is built from `plain` if something asks for it).
   */
  accepted(memoryId: string, doc: Y.Doc | null, meta: Meta, plain: Uint8Array): void {
    // built from nothing but this update: the update is its state (materialising need not encode it again)
    const first = this.metas.get(memoryId)?.meta === null;
    this.metas.set(memoryId, doc ? { doc, meta, ...(first ? { only: plain } : {}) } : lazyHeldMeta(meta, plain));
  }

  forget(memoryId: string): void { this.metas.delete(memoryId); }

  /**
   * The held metadata for materialising at the end of the batch: only when nothing in the batch
   * could have changed which entries decrypt here (a keyring entry, the space document); else
   * materialising reads the log again.
   */
  finalMeta(memoryId: string): HeldMeta | undefined { return this.pure ? this.metas.get(memoryId) : undefined; }

  /** A keyring, space-document or tombstone entry was applied: devices, roles, keys and metadata are read again from here on. */
  changed(): void {
    this.pure = false;
    this.devices.clear();
    this.roles.clear();
    this.metas.clear();
  }
}
