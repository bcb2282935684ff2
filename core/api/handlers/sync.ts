import type { Handlers } from '../handler';
import { keys } from '../../app/context';
import { decide, enforce } from '../../policy/engine';
import { ApiError } from '../../shared/errors';
import { undoWindowSeconds } from '../../settings/settings';
import { roleOf, spaceRow } from '../../spaces/spaces';
import { stageAction } from '../../undo/undo';
import { spaceVector } from '../../store/sync-log';
import { sql } from '../../store/statements';
import { revokeDevice } from '../../sync/membership';
import { requireSync } from '../../sync/start';
import type { CallContext } from '../handler';

function requireAdmin({ ctx, actor }: CallContext, space: string): void {
  spaceRow(ctx, space);
  enforce(decide({ action: 'space.admin', actor: { member_id: actor, role: roleOf(ctx, space, actor) }, band: 'GREEN', device_id: keys(ctx).deviceId, undoWindowSeconds: undoWindowSeconds(ctx) }));
}

/** After a device adopted its member or joined a space, it also looks for that space's peers on the swarm. */
const announce = (c: CallContext) => { void c.ctx.sync?.swarm?.joinSpaces().catch(() => {}); };

export const syncHandlers: Pick<Handlers, 'device.pairOffer' | 'device.pairAccept' | 'device.confirm' | 'device.revoke' | 'space.invite' | 'space.join' | 'space.removeMember' | 'sync.status' | 'sync.connect' | 'sync.disconnect'> = {
  'device.pairOffer': ({ ctx, actor }) => requireSync(ctx).pairOffer(actor),
  'device.pairAccept': async ({ ctx }, p) => requireSync(ctx).pairAccept(p.invite),
  'device.confirm': (c, p) => {
    const r = requireSync(c.ctx).confirm(p.device_id);
    if (r.adopted) announce(c);
    return r;
  },
  'device.revoke': ({ ctx, actor }, p) => revokeDevice(ctx, actor, p.device_id),
  'space.invite': (c, p) => {
    requireAdmin(c, p.space_id);
    return requireSync(c.ctx).spaceInvite(c.actor, p.space_id, p.role);
  },
  'space.join': async (c, p) => {
    const r = await requireSync(c.ctx).join(p.invite);
    announce(c);
    return r;
  },
  'space.removeMember': (c, p) => {
    const { ctx, actor } = c;
    requireAdmin(c, p.space_id);
    if (!roleOf(ctx, p.space_id, p.member_id)) throw new ApiError('NOT_FOUND', 'that member is not in the space', { id: p.member_id });
    if (p.member_id === actor) throw new ApiError('CONFLICT', 'a guardian does not remove themselves');
    const pending = ctx.uow.run(() => stageAction(ctx, {
      kind: 'remove_member', actor, space_id: p.space_id, memory_id: null, band: 'GREEN', args: { member_id: p.member_id },
      summary: `Remove a member from ${p.space_id}`,
    }));
    return { status: 'staged' as const, pending };
  },
  'sync.status': ({ ctx, actor }) => {
    const spaces = (sql(ctx.db, 'SELECT space_id FROM space_members WHERE member_id = ? ORDER BY space_id').all(actor) as { space_id: string }[]).map(({ space_id }) => {
      const vector = spaceVector(ctx, space_id);
      return { space_id, vector, entries: Object.values(vector).reduce((a, b) => a + b, 0) };
    });
    if (!ctx.sync) return { running: false, device_id: keys(ctx).deviceId, listening: null, hyperswarm: false, refused: {}, pairing: null, spaces, peers: [] };
    const s = ctx.sync.status();
    return { running: true, ...s, spaces } as never;
  },
  'sync.connect': async ({ ctx }, p) => {
    const s = await requireSync(ctx).connect(p.address);
    const accepted = await Promise.race([s.ready, new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    if (!accepted || !s.peerDevice) { s.close(); throw new ApiError('UNAUTHORIZED', 'the device at that address is not a known, trusted device', { address: p.address }); }
    return { device_id: s.peerDevice, connected: !s.closed };
  },
  'sync.disconnect': ({ ctx }) => ({ closed: ctx.sync ? ctx.sync.pause() : 0 }),
};
