import { listDevices, renameDevice } from '../../members/devices';
import { revokeDevice } from '../../members/device-trust';
import type { HandlersOf } from '../handler';
import { requireSync } from './require-sync';

export const deviceHandlers: HandlersOf<'device'> = {
  'device.list': ({ ctx }) => ({ devices: listDevices(ctx) }),
  'device.pairOffer': (c) => requireSync(c).pairOffer(c.actor),
  'device.pairAccept': (c, p) => requireSync(c).pairAccept(p.invite),
  'device.confirm': (c, p) => {
    const sync = requireSync(c);
    const r = sync.confirm(p.device_id);
    if (r.adopted) sync.announce();
    return r;
  },
  'device.revoke': ({ ctx, actor }, p) => revokeDevice(ctx, actor, p.device_id),
  // an owner action: the router decided
  'device.rename': ({ ctx }, p) => ({ device: renameDevice(ctx, p.device_id, p.name) }),
};
