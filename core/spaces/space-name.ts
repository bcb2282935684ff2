import type { Ctx } from '../context/ctx';
import { asLabel } from '../shared/label';
import type { SpaceRow } from '../store/tables/spaces';
import { openText } from '../vault/local-meta';

/**
 * A space's name as every view can show it: what another device's roster or space document says
 * (it may say anything: an empty name broke space.list on every device of the space), else the
 * slug of its id.
 */
export const spaceName = (space: string, name: unknown): string => asLabel(name, space.slice(space.indexOf(':') + 1) || space);

/** The name a space's row holds (sealed under this device's metadata key), as every view can show it. */
export const storedSpaceName = (ctx: Ctx, r: Pick<SpaceRow, 'space_id' | 'name_nonce' | 'name_ct'>): string =>
  spaceName(r.space_id, openText(ctx, 'space|' + r.space_id, { nonce: r.name_nonce, ciphertext: r.name_ct }));
