import { keys } from '../../context/ctx';
import { membershipsOf } from '../../spaces/spaces';
import { spaceVector } from '../../store/sync-log';
import type { HandlersOf } from '../handler';
import { requireSync } from './require-sync';

export const syncHandlers: HandlersOf<'sync'> = {
  'sync.status': (c) => {
    const { ctx, actor } = c;
    const spaces = membershipsOf(ctx, actor).map(({ space_id }) => {
      const vector = spaceVector(ctx, space_id);
      return { space_id, vector, entries: Object.values(vector).reduce((a, b) => a + b, 0) };
    });
    if (!c.sync) return { running: false, device_id: keys(ctx).deviceId, listening: null, hyperswarm: false, refused: {}, pairing: null, spaces, peers: [] };
    return { running: true, ...c.sync.status(), spaces } as never;
  },
  'sync.connect': (c, p) => requireSync(c).connect(p.address),
  'sync.disconnect': (c) => ({ closed: c.sync ? c.sync.disconnect() : 0 }),
};
